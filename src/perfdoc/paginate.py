"""Stage 7: find the printed page of every heading, for the 目录's cached numbers.

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
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from lxml import etree

from perfdoc.context import ROW_ANCHOR
from perfdoc.errors import ConversionError
from perfdoc.i18n import _
from perfdoc.render import rezip, set_update_fields

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_pdf_reader() -> None:
    """Import the PDF reader (about 60 ms) on a thread, while the first PDF is made.

    Called just before the .docx goes to the converter: the import then
    overlaps the conversion, which this thread only waits for, instead of
    following it.  A later ``import pikepdf`` waits for this one to finish.
    Not a daemon: an interrupted build must let the import end before the
    interpreter does, or pikepdf's half-made C++ module aborts the process.
    """
    def load() -> None:
        import pikepdf  # noqa: F401

    threading.Thread(target=load, name="perfdoc-pikepdf").start()


@lru_cache(maxsize=2)
def destination_pages(pdf: bytes) -> dict[str, int]:
    """Return each named destination of *pdf* and its 0-based physical page.

    Cached: the 目录 and the continuation pages both ask about the same PDF.
    Callers must not change the returned dictionary.
    """
    # Imported here: a .docx-only build never reads a PDF.  pikepdf (qpdf)
    # reads the example's destinations in about a millisecond; pypdf took a
    # tenth of a second, on the critical path after the conversion.
    import pikepdf

    found: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        index = {page.obj.objgen: i for i, page in enumerate(doc.pages)}

        def add(name: str, dest: Any) -> None:
            if isinstance(dest, pikepdf.Dictionary):  # {/D [page /XYZ …]}
                dest = dest.get("/D")
            if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(
                    dest[0], pikepdf.Dictionary):
                page = index.get(dest[0].objgen)
                if page is not None:
                    found[name] = page

        # Destinations live in the catalog's /Dests dictionary (LibreOffice
        # writes that; its keys are PDF names, "/PerfdocPart1") or in a name
        # tree under /Names (keys are strings).  Either way the anchor is the name.
        root = doc.Root
        if isinstance(root.get("/Dests"), pikepdf.Dictionary):
            for key, dest in root.Dests.items():
                add(str(key).removeprefix("/"), dest)
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/Dests" in names:
            for key, dest in pikepdf.NameTree(names.Dests).items():
                add(str(key), dest)
    return found


_BOOKMARK = re.compile(rb'<w:bookmarkStart\b[^>]*\bw:name="([^"]+)"')


def missing_bookmarks(docx: bytes, anchors: Iterable[str]) -> list[str]:
    """Return the *anchors* no bookmark in *docx* carries (a restyled template lost them)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        names = {m.decode() for m in _BOOKMARK.findall(z.read("word/document.xml"))}
    return [a for a in anchors if a not in names]


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


def row_page_tops(pdf: bytes) -> frozenset[tuple[int, int]]:
    """Return the indicator rows, as (project, row), that begin a new page in *pdf*.

    Each row carries a bookmark (``perfdoc.context.row_anchor``); a row whose
    page differs from the row before it starts a continuation page.  A template
    without row bookmarks has none.
    """
    pages: dict[tuple[int, int], int] = {}
    for name, page in destination_pages(pdf).items():
        if (m := ROW_ANCHOR.fullmatch(name)) is not None:
            pages[int(m.group(1)), int(m.group(2))] = page
    return frozenset(
        (project, row) for (project, row), page in pages.items()
        if (before := pages.get((project, row - 1))) is not None and before != page
    )


# --------------------------------------------------------------------------- strategies

#: Turns a .docx into a PDF: the converter stage, as paginate sees it.
Convert = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Paginated:
    """A .docx whose 目录 carries the printed pages of the PDF made from it."""

    docx: bytes
    pdf: bytes
    pages: dict[str, int]  # anchor -> printed page
    passes: int  # LibreOffice conversions it took
    # Indicator rows (project, row) that begin a page, where the 一级/二级
    # labels were repeated.
    page_tops: frozenset[tuple[int, int]] = frozenset()


class PageNumbering(Protocol):
    """How a build gets true 目录 numbers out of a converter."""

    def paginate(self, draft: bytes, convert: Convert) -> Paginated:
        """Convert *draft* (a rendered .docx) and return it with its 目录 filled."""
        ...


@dataclass(frozen=True)
class OnePass:
    """perfdoc's own converter: LibreOffice updates the 目录 as it exports.

    The PDF's numbers are then true after one conversion, and the same numbers
    are written into the .docx's cached 目录.
    """

    anchors: Sequence[str]
    first_body: str

    def paginate(self, draft: bytes, convert: Convert) -> Paginated:  # noqa: D102
        pdf = convert(draft)
        pages = printed_pages(pdf, self.anchors, self.first_body)
        return Paginated(fill_toc(draft, pages), pdf, pages, 1)


@dataclass(frozen=True)
class UntilSettled:
    """A stock unoserver (``--converter``): it exports the cached 目录 as it is.

    Render the numbers expected (*guess*, the last build's), convert, and
    convert again while the headings land elsewhere.  The 目录's length does
    not depend on its numbers, so this settles, normally at once.
    """

    anchors: Sequence[str]
    first_body: str
    guess: dict[str, int] | None = None
    max_passes: int = 3

    def paginate(self, draft: bytes, convert: Convert) -> Paginated:  # noqa: D102
        guess = self.guess
        for passes in range(1, self.max_passes + 1):
            docx = draft if guess is None else fill_toc(draft, guess)
            pdf = convert(docx)
            pages = printed_pages(pdf, self.anchors, self.first_body)
            if pages == guess:
                return Paginated(docx, pdf, pages, passes)
            guess = pages
        raise ConversionError(_("the 目录's page numbers did not settle after {n} passes").format(
            n=self.max_passes))


# --------------------------------------------------------------------------- continuation pages

#: A .docx rendered with the 一级/二级 labels repeated at the given rows.
RenderWithTops = Callable[[frozenset[tuple[int, int]]], bytes]
#: Keeps the page-top rows where a label would otherwise be hidden.
Continuing = Callable[[frozenset[tuple[int, int]]], frozenset[tuple[int, int]]]
MAX_LAYOUTS = 3


def lay_out(render: RenderWithTops, numbering: PageNumbering, convert: Convert,
            continuing: Continuing,
            guess: frozenset[tuple[int, int]] = frozenset()) -> Paginated:
    """Paginate, repeating the 一级/二级 labels wherever a table continues on a new page.

    A vertically merged cell prints only on its first page, so the rows that
    begin a page (known only from the PDF) get their merges started again and
    the document is converted again.  That is needed only when a table
    continues inside a merge, and only until the rows that begin pages stay
    the same: a document whose tables fit their pages, like most, takes a
    single conversion.  *guess* (the last build's rows) saves the second one
    when nothing moved since.
    """
    tops = guess
    passes = 0
    for attempt in range(1, MAX_LAYOUTS + 1):
        result = numbering.paginate(render(tops), convert)
        passes += result.passes
        found = continuing(row_page_tops(result.pdf))
        if found == tops or attempt == MAX_LAYOUTS:
            return Paginated(result.docx, result.pdf, result.pages, passes, tops)
        tops = found
    raise AssertionError("unreachable")
