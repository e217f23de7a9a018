"""perfdoc.paginate without LibreOffice: PDFs made with pypdf, a .docx rendered in-process.

The PDFs here are blank pages with named destinations, the one thing paginate
reads; the strategies (OnePass, UntilSettled) get an in-process ``convert``
that makes such a PDF from the 目录 numbers it is handed, so every pass and
every way of settling (or not) is exercised in milliseconds.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping

import pytest
from lxml import etree
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from perfdoc.build import render
from perfdoc.context import PART1_ANCHOR, page_anchors
from perfdoc.document import load_document
from perfdoc.errors import ConversionError
from perfdoc.outputs import OutputSet
from perfdoc.paginate import (
    OnePass,
    UntilSettled,
    destination_pages,
    fill_toc,
    missing_bookmarks,
    printed_pages,
)
from perfdoc.plan import Job
from perfdoc.render import default_template_bytes
from perfdoc.workspace import Workspace
from tests.conftest import EXAMPLE
from tests.docxtemplates import with_parts
from tests.docxtext import w

ANCHORS = ["PerfdocOverall", "PerfdocItemized", "PerfdocMeasures", "PerfdocProject1",
           "PerfdocProject2"]
#: The seed's own 目录 numbers for the example, by anchor.
SEED_PAGES = dict(zip(ANCHORS, [1, 1, 3, 5, 6], strict=True))


def make_pdf(destinations: Mapping[str, int], pages: int | None = None, *,
             dests_dictionary: bool = False) -> bytes:
    """Blank pages with a named destination per anchor on its 0-based page.

    By default the names go into a name tree, as pypdf writes them (keys are
    strings); with *dests_dictionary* into the catalog's ``/Dests``
    dictionary, as older writers do, where every key is a PDF name ("/Name").
    """
    writer = PdfWriter()
    for _ in range(pages if pages is not None else max(destinations.values(), default=0) + 1):
        writer.add_blank_page(595, 842)
    if dests_dictionary:
        dests = DictionaryObject()
        for name, page in destinations.items():
            dests[NameObject(f"/{name}")] = ArrayObject(
                [writer.pages[page].indirect_reference, NameObject("/Fit")])
        writer.root_object[NameObject("/Dests")] = dests
    else:
        for name, page in destinations.items():
            writer.add_named_destination(name, page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def physical(printed: Mapping[str, int], first_body_page: int = 2) -> dict[str, int]:
    """The 0-based physical pages that give *printed* numbers, PerfdocPart1 included."""
    return {PART1_ANCHOR: first_body_page,
            **{a: first_body_page + n - 1 for a, n in printed.items()}}


@pytest.fixture(scope="module")
def job() -> Job:
    """The example as a build job (read only: nothing is written)."""
    doc, problems = load_document(EXAMPLE)
    assert doc is not None, problems
    return Job(doc, Workspace(None), default_template_bytes(), "<default>",
               OutputSet(EXAMPLE / "build", "x"), "", [])


@pytest.fixture(scope="module")
def draft(job: Job) -> bytes:
    """The example rendered, 目录 numbers empty."""
    return render(job)


def xml_part(docx: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(name)


def cached_numbers(docx: bytes) -> dict[str, str]:
    """Each PAGEREF's bookmark and its cached result (the text between separate and end)."""
    root = etree.fromstring(xml_part(docx, "word/document.xml"))
    found: dict[str, str] = {}
    for instr in root.iter(w("instrText")):
        words = (instr.text or "").split()
        if not words or words[0] != "PAGEREF":
            continue
        text, separated = "", False
        for run in instr.getparent().itersiblings(w("r")):
            mark = run.find(w("fldChar"))
            kind = mark.get(w("fldCharType")) if mark is not None else None
            if kind == "separate":
                separated = True
            elif kind == "end":
                break
            elif separated:
                text += "".join(t.text or "" for t in run.iter(w("t")))
        found[words[1]] = text
    return found


# --------------------------------------------------------------------------- printed_pages


@pytest.mark.parametrize("dests_dictionary", [False, True], ids=["name-tree", "dests-dict"])
def test_printed_pages_count_from_the_first_body_anchor(dests_dictionary: bool) -> None:
    pdf = make_pdf(physical(SEED_PAGES), pages=9, dests_dictionary=dests_dictionary)
    assert printed_pages(pdf, ANCHORS, PART1_ANCHOR) == SEED_PAGES


def test_names_with_a_leading_slash_lose_it() -> None:
    # A /Dests dictionary's keys are PDF names; the anchor is the rest.
    pdf = make_pdf({"PerfdocPart1": 2, "PerfdocOverall": 4}, dests_dictionary=True)
    assert destination_pages(pdf) == {"PerfdocPart1": 2, "PerfdocOverall": 4}
    assert printed_pages(pdf, ["PerfdocOverall"], "PerfdocPart1") == {"PerfdocOverall": 3}


def test_the_first_body_page_may_be_anywhere() -> None:
    # A cover of three pages: numbers still count from PerfdocPart1.
    pdf = make_pdf(physical(SEED_PAGES, first_body_page=5))
    assert printed_pages(pdf, ANCHORS, PART1_ANCHOR) == SEED_PAGES


def test_only_the_asked_anchors_are_returned() -> None:
    pdf = make_pdf({**physical(SEED_PAGES), "_GoBack": 0, "PerfdocPart2": 6})
    assert printed_pages(pdf, ["PerfdocMeasures"], PART1_ANCHOR) == {"PerfdocMeasures": 3}
    assert printed_pages(pdf, [], PART1_ANCHOR) == {}


@pytest.mark.parametrize("missing", [PART1_ANCHOR, "PerfdocMeasures", "PerfdocProject2"])
@pytest.mark.parametrize("dests_dictionary", [False, True], ids=["name-tree", "dests-dict"])
def test_a_missing_anchor_is_a_conversion_error(missing: str, dests_dictionary: bool) -> None:
    present = physical(SEED_PAGES)
    del present[missing]
    pdf = make_pdf(present, pages=9, dests_dictionary=dests_dictionary)
    with pytest.raises(ConversionError, match=f"no bookmark for {missing}"):
        printed_pages(pdf, ANCHORS, PART1_ANCHOR)


def test_a_pdf_without_destinations_names_the_first_body_anchor() -> None:
    with pytest.raises(ConversionError, match=PART1_ANCHOR):
        printed_pages(make_pdf({}, pages=3), ANCHORS, PART1_ANCHOR)


# --------------------------------------------------------------------------- missing_bookmarks


def test_missing_bookmarks_of_the_rendered_example(job: Job, draft: bytes) -> None:
    assert page_anchors(job.doc) == ANCHORS
    assert missing_bookmarks(draft, [PART1_ANCHOR, *ANCHORS]) == []
    assert missing_bookmarks(draft, ["PerfdocProject3", PART1_ANCHOR, "Nope"]) == [
        "PerfdocProject3", "Nope"]


def test_a_template_that_lost_a_bookmark(draft: bytes) -> None:
    def rename(xml: str) -> str:
        return xml.replace('w:name="PerfdocItemized"', 'w:name="SomethingElse"')

    renamed = with_parts(draft, {"word/document.xml": rename})
    assert missing_bookmarks(renamed, [PART1_ANCHOR, *ANCHORS]) == ["PerfdocItemized"]


# --------------------------------------------------------------------------- fill_toc


def test_the_draft_has_empty_numbers_and_asks_word_to_update(draft: bytes) -> None:
    assert cached_numbers(draft) == dict.fromkeys(ANCHORS, "")
    assert b'<w:updateFields w:val="true"/>' in xml_part(draft, "word/settings.xml")


def test_fill_toc_writes_the_numbers_into_the_pageref_results(draft: bytes) -> None:
    filled = fill_toc(draft, SEED_PAGES)
    assert cached_numbers(filled) == {a: str(n) for a, n in SEED_PAGES.items()}
    # The numbers are there, so Word is no longer asked to update fields on open.
    assert b"updateFields" not in xml_part(filled, "word/settings.xml")
    # The fields stay real fields, in the same place.
    instr = [t.text for t in etree.fromstring(xml_part(filled, "word/document.xml"))
             .iter(w("instrText")) if t.text and "PAGEREF" in t.text]
    assert [i.split()[1] for i in instr] == ANCHORS
    # Everything but the two parts is unchanged.
    with zipfile.ZipFile(io.BytesIO(draft)) as a, zipfile.ZipFile(io.BytesIO(filled)) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        changed = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert set(changed) <= {"word/document.xml", "word/settings.xml"}


def test_fill_toc_leaves_unknown_anchors_and_is_deterministic(draft: bytes) -> None:
    partial = {"PerfdocMeasures": 12, "PerfdocNotThere": 99}
    filled = fill_toc(draft, partial)
    assert cached_numbers(filled) == {**dict.fromkeys(ANCHORS, ""), "PerfdocMeasures": "12"}
    assert fill_toc(draft, partial) == filled
    # Filling again replaces the numbers, it does not append to them.
    assert cached_numbers(fill_toc(filled, {"PerfdocMeasures": 3})) == cached_numbers(
        fill_toc(draft, {"PerfdocMeasures": 3}))


# --------------------------------------------------------------------------- strategies


class FakeConvert:
    """An in-process converter: the PDF's layout is a function of the 目录 it is handed.

    *layout* maps the 0-based call number and the cached 目录 numbers of the
    .docx to the printed pages the PDF should have.
    """

    def __init__(self, layout: Callable[[int, dict[str, str]], Mapping[str, int]]) -> None:
        self.layout = layout
        self.seen: list[dict[str, str]] = []  # the 目录 of each .docx converted

    def __call__(self, docx: bytes) -> bytes:
        numbers = cached_numbers(docx)
        self.seen.append(numbers)
        return make_pdf(physical(self.layout(len(self.seen) - 1, numbers)))


def fixed(pages: Mapping[str, int]) -> FakeConvert:
    return FakeConvert(lambda _n, _toc: pages)


def test_one_pass_converts_once_and_fills_the_numbers(draft: bytes) -> None:
    convert = fixed(SEED_PAGES)
    done = OnePass(ANCHORS, PART1_ANCHOR).paginate(draft, convert)
    assert done.passes == 1 and len(convert.seen) == 1
    assert convert.seen[0] == dict.fromkeys(ANCHORS, "")  # the draft went to the converter
    assert done.pages == SEED_PAGES
    assert destination_pages(done.pdf)[PART1_ANCHOR] == 2
    assert cached_numbers(done.docx) == {a: str(n) for a, n in SEED_PAGES.items()}
    assert done.docx == fill_toc(draft, SEED_PAGES)


def test_one_pass_refuses_a_pdf_without_a_heading(draft: bytes) -> None:
    def convert(docx: bytes) -> bytes:
        return make_pdf({PART1_ANCHOR: 2, "PerfdocOverall": 2})

    with pytest.raises(ConversionError, match="no bookmark for PerfdocItemized"):
        OnePass(ANCHORS, PART1_ANCHOR).paginate(draft, convert)


def test_until_settled_with_the_right_guess_takes_one_pass(draft: bytes) -> None:
    convert = fixed(SEED_PAGES)
    done = UntilSettled(ANCHORS, PART1_ANCHOR, guess=dict(SEED_PAGES)).paginate(draft, convert)
    assert done.passes == 1
    # The guess was in the .docx the converter exported, so its PDF is true.
    assert convert.seen == [{a: str(n) for a, n in SEED_PAGES.items()}]
    assert done.pages == SEED_PAGES
    assert cached_numbers(done.docx) == convert.seen[0]


@pytest.mark.parametrize("guess", [None, {**SEED_PAGES, "PerfdocProject2": 60}],
                         ids=["no-guess", "wrong-guess"])
def test_until_settled_with_a_wrong_guess_takes_two_passes(draft: bytes,
                                                           guess: dict[str, int] | None) -> None:
    convert = fixed(SEED_PAGES)
    done = UntilSettled(ANCHORS, PART1_ANCHOR, guess=guess).paginate(draft, convert)
    assert done.passes == 2 and len(convert.seen) == 2
    assert convert.seen[1] == {a: str(n) for a, n in SEED_PAGES.items()}
    assert done.pages == SEED_PAGES
    assert cached_numbers(done.docx) == convert.seen[1]
    assert destination_pages(done.pdf) == physical(SEED_PAGES)


def test_until_settled_follows_a_layout_that_depends_on_the_numbers(draft: bytes) -> None:
    # A layout that depends on the 目录's numbers (a wider number reflows a
    # page): Project2 is on page 7 only once Project1's entry reads 5.
    def layout(_n: int, toc: dict[str, str]) -> dict[str, int]:
        return {**SEED_PAGES, "PerfdocProject2": 7 if toc["PerfdocProject1"] == "5" else 9}

    convert = FakeConvert(layout)
    done = UntilSettled(ANCHORS, PART1_ANCHOR, guess={**SEED_PAGES, "PerfdocProject1": 50}
                        ).paginate(draft, convert)
    assert [seen["PerfdocProject1"] for seen in convert.seen] == ["50", "5", "5"]
    assert done.passes == 3
    assert done.pages == {**SEED_PAGES, "PerfdocProject2": 7}


def test_until_settled_gives_up_when_pages_keep_moving(draft: bytes) -> None:
    # Every conversion moves the last project one page later.
    convert = FakeConvert(lambda n, _toc: {**SEED_PAGES, "PerfdocProject2": 7 + n})
    with pytest.raises(ConversionError, match="did not settle after 3 passes"):
        UntilSettled(ANCHORS, PART1_ANCHOR, guess=dict(SEED_PAGES)).paginate(draft, convert)
    assert len(convert.seen) == 3

    convert = FakeConvert(lambda n, _toc: {**SEED_PAGES, "PerfdocProject2": 7 + n})
    with pytest.raises(ConversionError, match="did not settle after 5 passes"):
        UntilSettled(ANCHORS, PART1_ANCHOR, max_passes=5).paginate(draft, convert)
    assert len(convert.seen) == 5


def test_until_settled_refuses_a_pdf_without_a_heading(draft: bytes) -> None:
    missing = {a: n for a, n in SEED_PAGES.items() if a != "PerfdocProject1"}
    with pytest.raises(ConversionError, match="no bookmark for PerfdocProject1"):
        UntilSettled(ANCHORS, PART1_ANCHOR).paginate(draft, fixed(missing))
