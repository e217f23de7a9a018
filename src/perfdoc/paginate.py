"""Stage 6: find the printed page of every heading, for the 目录's cached numbers.

LibreOffice exports each heading as a PDF bookmark, so one conversion tells
where every heading landed.  Printed numbers count from the first body page
(the part heading 第一部分), because the cover and 目录 are unnumbered.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from perfdoc.context import PART1_TITLE
from perfdoc.errors import ConversionError
from perfdoc.i18n import _


def _walk(reader: Any, outline: Iterable[Any], found: dict[str, int]) -> None:
    for item in outline:
        if isinstance(item, list):
            _walk(reader, item, found)
            continue
        title = str(item.title).strip()
        page = reader.get_destination_page_number(item)
        if page is not None and page >= 0:
            # The first occurrence wins: a title repeated later is not the heading.
            found.setdefault(title, page)


def bookmark_pages(pdf: Path) -> dict[str, int]:
    """Return each bookmark's title and its 0-based physical page."""
    # Imported here: a .docx-only build never reads a PDF, and pypdf costs
    # ~50 ms of start-up, an eighth of the whole budget for the example.
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    found: dict[str, int] = {}
    _walk(reader, reader.outline, found)
    return found


def printed_pages(pdf: Path, headings: Iterable[str]) -> dict[str, int]:
    """Return the printed page number of each of *headings*.

    Raises ``ConversionError`` when a heading has no bookmark: the PDF cannot
    then vouch for the 目录, and writing a guessed number would be worse than
    none.
    """
    physical = bookmark_pages(pdf)
    if PART1_TITLE not in physical:
        raise ConversionError(_("the PDF has no bookmark for {title}").format(title=PART1_TITLE))
    first_body = physical[PART1_TITLE]
    pages: dict[str, int] = {}
    for heading in headings:
        if heading not in physical:
            raise ConversionError(
                _("the PDF has no bookmark for {title}").format(title=heading)
            )
        pages[heading] = physical[heading] - first_body + 1
    return pages
