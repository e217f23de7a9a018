"""Stage 6: find the printed page of every heading, for the 目录's cached numbers.

Headings are found by their anchor, the Word bookmark ``perfdoc.context`` names
and the template puts around each heading (the 目录's ``PAGEREF`` fields point
at the same bookmarks).  Exported with ``ExportBookmarksToPDFDestination``,
LibreOffice writes every Writer bookmark as a PDF named destination of the same
name, so one conversion tells where every heading landed.

Anchors, not heading text, because the PDF outline's titles are not a reliable
key: LibreOffice collapses runs of spaces in them, a title that occurs twice
can be looked up only once, and a restyled template may word a heading
differently from perfdoc.  An anchor is perfdoc's own name for a heading and
survives all three.  (LibreOffice writes any character of a destination name
other than a letter, digit or ``-`` as a bare hex code, so anchors use letters
and digits only; see ``perfdoc.context``.)

Printed numbers count from the first body page (the part heading 第一部分,
page 1), because the cover and 目录 are unnumbered.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from lxml import etree

from perfdoc.errors import ConversionError
from perfdoc.i18n import _
from perfdoc.render import rezip, set_update_fields

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def destination_pages(pdf: bytes) -> dict[str, int]:
    """Return each named destination of *pdf* and its 0-based physical page."""
    # Imported here: a .docx-only build never reads a PDF, and pypdf costs
    # ~50 ms of start-up, an eighth of the whole budget for the example.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found: dict[str, int] = {}
    for name, dest in reader.named_destinations.items():
        page = reader.get_destination_page_number(dest)
        if page is not None and page >= 0:
            # Keys of a /Dests dictionary are PDF names ("/PerfdocPart1"); those
            # of a name tree are strings.  Either way the anchor is the rest.
            found[str(name).removeprefix("/")] = page
    return found


def printed_pages(pdf: bytes, anchors: Iterable[str], first_body: str) -> dict[str, int]:
    """Return the printed page number of the heading at each of *anchors*.

    *first_body* is the anchor of the first body page's heading, printed as
    page 1.  Raises ``ConversionError`` when an anchor has no destination in
    the PDF: the PDF cannot then vouch for the 目录, and writing a guessed
    number would be worse than none.
    """
    physical = destination_pages(pdf)
    wanted = list(anchors)
    for anchor in (first_body, *wanted):
        if anchor not in physical:
            raise ConversionError(_("the PDF has no bookmark for {title}").format(title=anchor))
    return {anchor: physical[anchor] - physical[first_body] + 1 for anchor in wanted}


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
