"""Stage 6: find the printed page of every heading, for the 目录's cached numbers.

LibreOffice exports each heading as a PDF bookmark, so one conversion tells
where every heading landed.  Printed numbers count from the first body page
(the part heading 第一部分), because the cover and 目录 are unnumbered.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree

from perfdoc.context import PART1_TITLE
from perfdoc.errors import ConversionError
from perfdoc.i18n import _
from perfdoc.render import rezip, set_update_fields

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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


def fill_toc(docx: bytes, pages_by_anchor: dict[str, int]) -> bytes:
    """Write printed page numbers into the .docx's 目录 as the fields' cached results.

    Each numbered entry ends in a ``PAGEREF <bookmark>`` field, as Word writes a
    TOC; its cached result becomes the page number.  Filling the numbers into
    the one render the PDF was made from, instead of rendering again, keeps the
    two in step and halves the Python work of a PDF build.  The fields stay
    real, so Word can update them; and since the numbers are there, Word is no
    longer asked to update fields on open.
    """

    def change(name: str, data: bytes) -> bytes:
        if name == "word/settings.xml":
            return set_update_fields(data, update_fields=False)
        if name != "word/document.xml":
            return data
        root = etree.fromstring(data)
        for instr in root.iter(f"{_W}instrText"):
            words = (instr.text or "").split()
            if len(words) < 2 or words[0] != "PAGEREF" or words[1] not in pages_by_anchor:
                continue
            _set_field_result(instr.getparent(), str(pages_by_anchor[words[1]]))
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True))

    return rezip(docx, change)


def _set_field_result(instr_run: Any, text: str) -> None:
    """Put *text* into the first text run between the field's separate and end marks."""
    separated = False
    for run in instr_run.itersiblings(f"{_W}r"):
        mark = run.find(f"{_W}fldChar")
        kind = mark.get(f"{_W}fldCharType") if mark is not None else None
        if kind == "separate":
            separated = True
        elif kind == "end":
            return
        elif separated and (t := run.find(f"{_W}t")) is not None:
            t.text = text
            return
