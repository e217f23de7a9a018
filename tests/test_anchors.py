"""Page numbers by anchor, not text: a true 目录 whatever the headings say.

Each heading carries a bookmark named by ``perfdoc.context``; LibreOffice
exports it as a PDF named destination, and ``perfdoc.paginate`` reads the page
there.  A 目录 is *true* when every numbered entry's number, as the .docx caches
it, is the printed page (the ``— N —`` footer) of the PDF page where that
heading's text actually appears.  Each LibreOffice build below covers several
cases at once, because a build costs about three seconds.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from perfdoc.errors import ConversionError
from perfdoc.paginate import printed_pages
from tests.conftest import Run, edit, needs_libreoffice
from tests.docxtemplates import changed_template
from tests.docxtext import NS, paragraph_texts, part, w
from tests.seedtext import normalize
from tests.test_pdf import STEM, footer_number, pages_text
from tests.test_pdf import toc_entries as pdf_toc_entries

SPACED = "乡村  振兴   项目"
LONG = ("承德县三家镇乡村振兴衔接资金项目" * 13)[:200]
SAME = "执法工作经费"


def cached_toc(docx: Path) -> list[tuple[str, int]]:
    """The .docx's numbered 目录 lines: (normalised title, cached number)."""
    entries = []
    for p in part(docx, "word/document.xml").iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(w("val")) == "TOC2":
            texts = [t.text for t in p.iter(w("t")) if t.text]
            entries.append((normalize("".join(texts[:-1])), int(texts[-1])))
    return entries


def assert_true_toc(out: Path) -> list[tuple[str, int]]:
    """Assert every cached 目录 number is the footer of the page its heading is on."""
    docx, pdf = out / f"{STEM}.docx", out / f"{STEM}.pdf"
    pages = pages_text(pdf)
    entries = cached_toc(docx)
    assert entries, "the .docx has no numbered 目录 line"
    for title, number in entries:
        # The heading's page: the first page after the cover and 目录 that holds it.
        where = [i for i, p in enumerate(pages) if i > 1 and title in normalize(p)]
        assert where, f"{title} is on no page of the PDF"
        assert footer_number(pages[where[0]]) == number, (title, number, where[0])
    # LibreOffice's own 目录 in the PDF says the same.
    assert pdf_toc_entries(pdf) == entries
    return entries


def build_pdf(cli: Callable[..., Run], folder: Path, *extra: str | Path) -> Path:
    run = cli("build", folder, "--force", *extra)
    assert run.code == 0, run.out + run.err
    return folder / "build"


def add_project(folder: Path, source: str, target: str, *, code: str, name: str) -> None:
    text = (folder / "projects" / source).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^code: .*$", f"code: {code}", text)
    text = re.sub(r"(?m)^name: .*$", f"name: {json.dumps(name, ensure_ascii=False)}", text)
    (folder / "projects" / target).write_text(text, encoding="utf-8")


@needs_libreoffice
@pytest.mark.libreoffice
def test_awkward_project_names_get_true_numbers(cli, example) -> None:
    """Runs of spaces, one name twice, a 200-character name: one build for all three."""
    projects = example / "projects"
    edit(projects / "01-zhucun.yaml",
         "name: 2023 年省级衔接推进乡村振兴补助资金（驻村工作队综合经费）冀财农【2022】160 号",
         f'name: "{SPACED}"')
    # 02 keeps 执法工作经费; 03 is long; 04 repeats 02's name under another code.
    add_project(example, "01-zhucun.yaml", "03-long.yaml", code="13082124P00000000031J",
                name=LONG)
    add_project(example, "02-zhifa.yaml", "04-same.yaml", code="13082124P00000000041J",
                name=SAME)
    out = build_pdf(cli, example)

    entries = assert_true_toc(out)
    titles = [t for t, _n in entries]
    assert titles[3:] == [normalize(f"1.{SPACED}绩效目标表"), f"2.{SAME}绩效目标表",
                          normalize(f"3.{LONG}绩效目标表"), f"4.{SAME}绩效目标表"]
    numbers = dict(entries)
    # Each table starts a page, and the long title does not run past its own.
    assert numbers[f"2.{SAME}绩效目标表"] < numbers[normalize(f"3.{LONG}绩效目标表")] \
        < numbers[f"4.{SAME}绩效目标表"]
    # The heading keeps its spaces in the .docx; only whitespace-blind search needs them gone.
    body = paragraph_texts(part(out / f"{STEM}.docx", "word/document.xml"))
    assert f"1.{SPACED}绩效目标表" in body

    # The stamp records pages by anchor, and --check agrees with what it built.
    stamp_path = out / f".{STEM}.perfdoc.json"
    stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    assert stamp["pages"] == {
        "PerfdocOverall": 1, "PerfdocItemized": 1, "PerfdocMeasures": 3,
        **{f"PerfdocProject{i}": numbers[t] for i, t in enumerate(titles[3:], start=1)},
    }
    assert cli("build", example, "--check").code == 0
    # A stamp of an older perfdoc, keyed by heading text, is ignored, not trusted.
    stamp["pages"] = {t: n for t, n in entries}
    stamp_path.write_text(json.dumps(stamp, ensure_ascii=False), encoding="utf-8")
    run = cli("build", example, "--check")
    assert run.code == 1 and "stale" in run.err, run.out + run.err


def restyled_template(tmp_path: Path) -> Path:
    """The default template with 宋体 2号 section headings and a static paragraph added."""

    def restyle(xml: str) -> str:
        styles = etree.fromstring(xml.encode("utf-8"))
        rpr = styles.find("w:style[@w:styleId='Heading2']/w:rPr", NS)
        rpr.find("w:rFonts", NS).set(w("eastAsia"), "宋体")
        for size in ("w:sz", "w:szCs"):
            rpr.find(size, NS).set(w("val"), "44")
        return etree.tostring(styles, xml_declaration=True, encoding="UTF-8",
                              standalone=True).decode("utf-8")

    def add_paragraph(xml: str) -> str:
        at = xml.rindex("<w:p>", 0, xml.index("{{ headings.itemized.text }}"))
        static = ("<w:p><w:r><w:t>本模板在此处加入一段固定说明文字，用来检验页码随版式移动。"
                  + "这段文字足够长，把下面的标题推到下一页。" * 14 + "</w:t></w:r></w:p>")
        return xml[:at] + static + xml[at:]

    return changed_template(tmp_path / "restyled.docx",
                            {"word/styles.xml": restyle, "word/document.xml": add_paragraph})


@needs_libreoffice
@pytest.mark.libreoffice
def test_restyled_template_gets_true_numbers(cli, example, tmp_path) -> None:
    out = build_pdf(cli, example, "--template", restyled_template(tmp_path))
    entries = assert_true_toc(out)
    # The static paragraph pushed 二、分项绩效目标 off page 1, and the 目录 followed.
    numbers = dict(entries)
    assert numbers["一、总体绩效目标"] == 1
    assert numbers["二、分项绩效目标"] > 1
    assert [n for _t, n in entries] != [1, 1, 3, 5, 6]  # the default template's numbers


# --------------------------------------------------------------------------- no LibreOffice


def _pdf_with_destinations(pages: int, destinations: dict[str, int]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    for name, page in destinations.items():
        writer.add_named_destination(name, page)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def test_printed_pages_count_from_the_first_body_anchor() -> None:
    pdf = _pdf_with_destinations(6, {"PerfdocPart1": 2, "PerfdocOverall": 2,
                                     "PerfdocProject1": 5})
    assert printed_pages(pdf, ["PerfdocOverall", "PerfdocProject1"], "PerfdocPart1") == {
        "PerfdocOverall": 1, "PerfdocProject1": 4}


@pytest.mark.parametrize("missing", ["PerfdocPart1", "PerfdocProject2"])
def test_a_missing_anchor_is_a_conversion_error(missing) -> None:
    present = {"PerfdocPart1": 2, "PerfdocProject1": 3, "PerfdocProject2": 4}
    del present[missing]
    pdf = _pdf_with_destinations(5, present)
    with pytest.raises(ConversionError, match=missing):
        printed_pages(pdf, ["PerfdocProject1", "PerfdocProject2"], "PerfdocPart1")


def test_every_heading_has_its_own_anchor_and_bookmark_id(cli, example) -> None:
    """In the .docx: one bookmark per heading, unique ids, and a PAGEREF to each numbered one."""
    add_project(example, "02-zhifa.yaml", "03-same.yaml", code="13082124P00000000031J",
                name=SAME)
    run = cli("build", example, "--format", "docx")
    assert run.code == 0, run.out + run.err
    body = part(example / "build" / f"{STEM}.docx", "word/document.xml")
    every = {b.get(w("name")): b.get(w("id")) for b in body.iter(w("bookmarkStart"))}
    # Each indicator row carries one too, by which its page is found.
    rows = [name for name in every if name.startswith("PerfdocRow")]
    assert rows == [f"PerfdocRow{p}x{r}" for p in (1, 2, 3) for r in range(11)]
    marks = {name: i for name, i in every.items() if name not in rows}
    assert list(marks) == ["PerfdocPart1", "PerfdocOverall", "PerfdocItemized",
                           "PerfdocMeasures", "PerfdocPart2", "PerfdocProject1",
                           "PerfdocProject2", "PerfdocProject3"]
    assert len(set(every.values())) == len(every) and all(i.isdigit() for i in every.values())
    assert sorted(b.get(w("id")) for b in body.iter(w("bookmarkEnd"))) == sorted(every.values())
    refs = [t.text.split()[1] for t in body.iter(w("instrText")) if "PAGEREF" in t.text]
    assert refs == list(marks)[1:4] + list(marks)[5:]
    # A heading's text sits inside its bookmark.
    for p in body.iter(w("p")):
        start = p.find("w:bookmarkStart", NS)
        if start is not None:
            assert "".join(p.itertext()).strip(), start.get(w("name"))


def test_anchor_names_survive_libreoffice_unchanged() -> None:
    """LibreOffice writes other characters of a destination name as bare hex (``_`` as 5F)."""
    from perfdoc.context import PART1_ANCHOR, headings, project_anchor

    names = [h["anchor"] for h in headings().values()] + [PART1_ANCHOR, project_anchor(12)]
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,39}", n) for n in names)
