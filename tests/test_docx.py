"""`perfdoc build --format docx`: the Word draft, read back from its XML."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from tests.conftest import EXAMPLE, edit
from tests.docxtext import NS, paragraph_texts, part, w
from tests.seedtext import normalize, seed_units

NAME = "承德县三家镇人民政府_2024年部门预算绩效文本.docx"


def build_docx(cli, folder: Path, *extra: str) -> Path:
    run = cli("build", folder, "--format", "docx", *extra)
    assert run.code == 0, run.out + run.err
    out = folder / "build" / NAME
    assert out.is_file()
    return out


@pytest.fixture
def built(cli, example) -> Path:
    return build_docx(cli, example)


def test_opens_in_python_docx(built) -> None:
    document = python_docx.Document(str(built))
    assert len(document.tables) == 4  # two per project
    assert document.tables[1].rows[0].cells[0].text == "一级指标"


def test_page_setup_is_gb9704(built) -> None:
    body = part(built, "word/document.xml")
    sections = body.findall(".//w:sectPr", NS)
    assert len(sections) == 2
    for sect in sections:
        size = sect.find("w:pgSz", NS)
        margins = sect.find("w:pgMar", NS)
        assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")  # A4
        # 37/35/28/26 mm in twips
        assert [margins.get(w(k)) for k in ("top", "bottom", "left", "right")] == [
            "2098", "1984", "1587", "1474"]
        grid = sect.find("w:docGrid", NS)
        assert grid.get(w("linePitch")) == "579"  # 22 lines on the 225 mm text block
    cover, body_sect = sections
    # The cover and 目录 carry no page number; the body starts at 1.
    assert cover.find("w:footerReference", NS) is None
    assert body_sect.find("w:pgNumType", NS).get(w("start")) == "1"
    assert {r.get(w("type")) for r in body_sect.findall("w:footerReference", NS)} == {
        "default", "even"}


def test_styles_name_east_asian_fonts(built) -> None:
    styles = part(built, "word/styles.xml")

    def east_asia(style_id: str) -> str:
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        return style.find("w:rPr/w:rFonts", NS).get(w("eastAsia"))

    assert east_asia("Normal") == "仿宋_GB2312"
    assert east_asia("Heading1") == "方正小标宋简体"
    assert east_asia("Heading2") == "黑体"
    assert east_asia("Heading3") == "楷体_GB2312"
    assert east_asia("TableText") == "仿宋_GB2312"
    assert east_asia("Footer") == "宋体"
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:sz", NS).get(w("val")) == "32"  # 3号
    assert normal.find("w:rPr/w:lang", NS).get(w("eastAsia")) == "zh-CN"
    # The body's first-line indent is two ideographic spaces in each body
    # paragraph (LibreOffice drops punctuation hanging from an indented first
    # line); headings keep a 2-character indent of their own.
    assert normal.find("w:pPr/w:ind", NS).get(w("firstLineChars")) == "0"
    for heading in ("Heading2", "Heading3"):
        style = styles.find(f"w:style[@w:styleId='{heading}']", NS)
        assert style.find("w:pPr/w:ind", NS).get(w("firstLineChars")) == "200"
    body = part(built, "word/document.xml")
    prose = [p for p in body.iter(w("p")) if p.find("w:pPr/w:pStyle", NS) is None
             and "".join(p.itertext()).strip()]
    assert len(prose) > 10
    assert all("".join(p.itertext()).startswith("\u3000\u3000") for p in prose)
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("579", "exact")
    head = styles.find("w:style[@w:styleId='TableHead']", NS)
    assert head.find("w:rPr/w:b", NS) is not None
    title = styles.find("w:style[@w:styleId='Heading1']", NS)
    assert title.find("w:rPr/w:sz", NS).get(w("val")) == "44"  # 2号


def test_footer_prints_dash_page_dash(built) -> None:
    for name in ("word/footer1.xml", "word/footer2.xml"):
        footer = part(built, name)
        text = "".join(footer.itertext())
        instr = "".join(t.text for t in footer.iter(w("instrText")))
        assert instr.strip() == "PAGE"
        assert text.startswith("— ") and text.endswith(" —")  # "— N —"


def test_headings_use_heading_styles_in_seed_order(built) -> None:
    body = part(built, "word/document.xml")
    headings = []
    for p in body.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(w("val")).startswith("Heading"):
            headings.append((style.get(w("val")), "".join(p.itertext())))
    assert headings == [
        ("Heading1", "第一部分　部门整体绩效目标"),
        ("Heading2", "一、总体绩效目标"),
        ("Heading2", "二、分项绩效目标"),
        ("Heading3", "1、贯彻执行上级的各项方针政策"),
        ("Heading3", "2、加强综合治理，维护社会稳定"),
        ("Heading3", "3、严格控制经费支出，保障公务运行"),
        ("Heading3", "4、巩固脱贫成果，大力推进乡村振兴"),
        ("Heading2", "三、工作保障措施"),
        ("Heading1", "第二部分　预算项目绩效目标"),
        ("Heading2", "1.2023 年省级衔接推进乡村振兴补助资金（驻村工作队综合经费）冀财农【2022】160 号"
                     "绩效目标表"),
        ("Heading2", "2.执法工作经费绩效目标表"),
    ]


def test_toc_is_a_real_field_with_dot_leaders(built) -> None:
    body = part(built, "word/document.xml")
    instr = "".join(t.text for t in body.iter(w("instrText")) if "TOC" in t.text)
    assert instr.split()[0] == "TOC" and "\\o" in instr
    kinds = [c.get(w("fldCharType")) for c in body.iter(w("fldChar"))]
    assert kinds[0] == "begin"
    entries = [p for p in body.iter(w("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None
               and s.get(w("val")) in ("TOC1", "TOC2")]
    assert ["".join(t.text or "" for t in p.iter(w("t"))) for p in entries][:2] == [
        "第一部分　部门整体绩效目标", "一、总体绩效目标"]
    assert len(entries) == 7
    styles = part(built, "word/styles.xml")
    tab = styles.find("w:style[@w:styleId='TOC2']/w:pPr/w:tabs/w:tab", NS)
    assert (tab.get(w("val")), tab.get(w("leader"))) == ("right", "dot")
    # Without LibreOffice the numbers are empty and Word is asked to fill them.
    settings = part(built, "word/settings.xml")
    assert settings.find("w:updateFields", NS) is not None


def _indicator_table(built: Path, index: int):
    body = part(built, "word/document.xml")
    tables = body.findall(".//w:tbl", NS)
    return tables[index]


def _merge(cell) -> str | None:
    merge = cell.find("w:tcPr/w:vMerge", NS)
    if merge is None:
        return None
    return merge.get(w("val"), "continue")


def test_vertical_merges_follow_the_model(built) -> None:
    table = _indicator_table(built, 1)
    rows = table.findall("w:tr", NS)
    header = rows[0]
    assert header.find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    data = rows[1:]
    assert len(data) == 11
    level1 = [_merge(r.findall("w:tc", NS)[0]) for r in data]
    level2 = [_merge(r.findall("w:tc", NS)[1]) for r in data]
    r, c = "restart", "continue"
    assert level1 == [r, c, c, c, c, c, r, c, c, c, r]
    # 数量 成本 时效 数量 质量 质量 | 经济 社会 生态 可持续 | 满意度: runs of equal values only.
    assert level2 == [r, r, r, r, r, c, r, r, r, r, r]
    first_cells = ["".join(x.itertext()) for x in (row.findall("w:tc", NS)[0] for row in data)]
    assert first_cells == ["产出指标", "", "", "", "", "", "效益指标", "", "", "", "满意度指标"]


def test_info_table_rows_as_in_the_seed(built) -> None:
    first = _indicator_table(built, 0)
    rows = [["".join(tc.itertext()) for tc in tr.findall("w:tc", NS)]
            for tr in first.findall("w:tr", NS)]
    assert rows[0] == ["项目编码", "13082123P00007010010J", "项目名称",
                       "2023 年省级衔接推进乡村振兴补助资金（驻村工作队综合经费）冀财农【2022】160 号"]
    assert rows[1] == ["预算规模及资金用途", "预算数", "6.19", "其中：财政资金", "6.19", "其他资金", ""]
    assert rows[2] == ["", "驻村工作组经费"]
    assert rows[3] == ["资金支出计划（%）", "3月底", "6月底", "10月底", "12月底"]
    assert rows[4] == ["", "25%", "50%", "75%", "100%"]
    assert rows[5] == ["绩效目标", "1.对省级驻村工作组进行经费保障"]
    # The second project has no 资金用途: its row is left out.
    second = _indicator_table(built, 2)
    rows2 = [["".join(tc.itertext()) for tc in tr.findall("w:tc", NS)]
             for tr in second.findall("w:tr", NS)]
    assert rows2[1][2] == "11.00"
    assert [r[0] for r in rows2] == ["项目编码", "预算规模及资金用途", "资金支出计划（%）", "", "绩效目标"]


def test_every_seed_sentence_and_cell_is_in_the_docx(built) -> None:
    text = normalize("\n".join(paragraph_texts(part(built, "word/document.xml"))))
    missing = [u for u in seed_units() if u not in text]
    assert not missing, missing


def test_two_builds_are_byte_identical(cli, example, tmp_path) -> None:
    first = build_docx(cli, example).read_bytes()
    second = build_docx(cli, example, "--force").read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    with zipfile.ZipFile(example / "build" / NAME) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.namelist()[0] == "[Content_Types].xml"
        core = zf.read("docProps/core.xml").decode()
    assert "<dc:creator>承德县三家镇人民政府</dc:creator>" in core
    assert "2024-01-01T00:00:00Z" in core


def test_source_date_epoch_sets_the_core_date(cli, example, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1706745600")  # 2024-02-01
    out = build_docx(cli, example)
    with zipfile.ZipFile(out) as zf:
        assert "2024-02-01T00:00:00Z" in zf.read("docProps/core.xml").decode()


@pytest.mark.parametrize("value", [
    "<b>&amp; \"引号\" 'single' > < &",
    "{{ unit }} {% if true %}x{% endif %} {# c #}",
    "😀 𠮷 ½ é",
])
def test_values_are_escaped_and_never_evaluated(cli, example, value) -> None:
    path = example / "projects" / "01-zhucun.yaml"
    edit(path, "use_of_funds: 驻村工作组经费", "use_of_funds: " + _yaml_quote(value))
    out = build_docx(cli, example)
    python_docx.Document(str(out))  # still a valid package
    texts = paragraph_texts(part(out, "word/document.xml"))
    assert value in texts


def _yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_format_docx_needs_no_libreoffice(cli, example, monkeypatch) -> None:
    import perfdoc.convert as convert

    monkeypatch.setattr(convert, "find_soffice", lambda: None)
    build_docx(cli, example)
    run = cli("build", example, "--force")
    assert run.code == 3
    assert "libreoffice-writer-nogui" in run.err and "--format docx" in run.err


def test_template_export_writes_the_default(cli, tmp_path) -> None:
    run = cli("template", "export", tmp_path / "tpl")
    assert run.code == 0
    exported = tmp_path / "tpl" / "template.docx"
    python_docx.Document(str(exported))
    from perfdoc.render import default_template_bytes

    assert exported.read_bytes() == default_template_bytes()
    # A restyled template is never overwritten by accident.
    exported.write_bytes(b"restyled")
    again = cli("template", "export", tmp_path / "tpl")
    assert again.code == 2 and "--force" in again.err
    assert exported.read_bytes() == b"restyled"
    assert cli("template", "export", tmp_path / "tpl", "--force").code == 0
    assert exported.read_bytes() == default_template_bytes()


def test_committed_template_is_reproducible(tmp_path, monkeypatch) -> None:
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("make_template",
                                                  ROOT / "templates/default/make_template.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "HERE", tmp_path)
    module.main()
    assert (tmp_path / "template.docx").read_bytes() == (
        ROOT / "templates/default/template.docx").read_bytes()


def test_document_template_outside_the_folder_is_refused(cli, example, monkeypatch) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    edit(example / "document.yaml", "  decimals: 2", "  decimals: 2\n  template: ../evil.docx")
    (example.parent / "evil.docx").write_bytes(b"x")
    monkeypatch.chdir(example.parent)
    run = cli("build", example.name, "--format", "docx")
    assert run.code == 1
    assert run.out.startswith("sanjia_2024/document.yaml:12:13: [error] the template path "
                              "../evil.docx leads outside")


def test_default_template_shortcuts_change_nothing(tmp_path) -> None:
    # The default template skips two docxtpl steps (the control-character
    # scan and the table-grid repair) for speed; rendering the example with
    # docxtpl's full steps must give the very same bytes.
    import datetime

    from perfdoc import render
    from perfdoc.context import build_context
    from perfdoc.document import load_document

    doc, _ = load_document(EXAMPLE)
    assert doc is not None
    args = dict(title="t", author="a", when=datetime.datetime(2024, 1, 1), toc_filled=False)
    template = render.default_template_bytes()
    fast = render.render_docx(template, build_context(doc),
                              template_display=render.DEFAULT_DISPLAY, **args)
    full = render.render_docx(template, build_context(doc), template_display="copy.docx", **args)
    assert fast == full
    # A custom template renders with docxtpl's own steps, grid repair included.
    from docxtpl import DocxTemplate

    assert render._Template.fix_tables is DocxTemplate.fix_tables
    assert render._Template.resolve_listing is DocxTemplate.resolve_listing


def test_cover_title_line_is_printed_as_written(cli, example) -> None:
    # A unit that writes "2024 年部门预算绩效文本" (with its space) gets exactly that.
    edit(example / "document.yaml", "  title: 部门预算绩效文本\n",
         "  title: 部门预算绩效文本\n  title_line: 2024 年部门预算绩效文本\n")
    docx = build_docx(cli, example)
    texts = paragraph_texts(part(docx, "word/document.xml"))
    assert "2024 年部门预算绩效文本" in texts
    assert "2024年部门预算绩效文本" not in texts
    with zipfile.ZipFile(docx) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert "<dc:title>承德县三家镇人民政府2024 年部门预算绩效文本</dc:title>" in core


def test_each_line_of_a_prose_field_is_a_paragraph(cli, example) -> None:
    path = example / "document.yaml"
    text = re.sub(r"overall_goal: >-\n  .*\n",
                  "overall_goal: |\n  第一段总体目标。\n\n  第二段总体目标。\n",
                  path.read_text(encoding="utf-8"))
    assert "第二段总体目标" in text
    path.write_text(text, encoding="utf-8")
    body = part(build_docx(cli, example), "word/document.xml")
    texts = paragraph_texts(body)
    first = texts.index("第一段总体目标。")
    # Two paragraphs (the blank line is no paragraph), never a line break.
    assert texts[first + 1] == "第二段总体目标。"
    assert not body.findall(".//" + w("br"))


def test_items_numbered_by_hand_get_no_second_number(cli, example) -> None:
    edit(example / "goals.yaml", "  - title: 贯彻执行上级的各项方针政策",
         "  - title: 一、贯彻执行上级的各项方针政策")
    text = (example / "goals.yaml").read_text(encoding="utf-8")
    # Number every itemized goal by hand, so perfdoc adds none.
    count = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"  - title: ({count + 1})"

    (example / "goals.yaml").write_text(re.sub(r"  - title: (?!一、)", mark, text),
                                        encoding="utf-8")
    texts = paragraph_texts(part(build_docx(cli, example), "word/document.xml"))
    assert count >= 1
    assert "一、贯彻执行上级的各项方针政策" in texts
    assert [t for t in texts if t.startswith("(2)")]
    assert not [t for t in texts if re.match(r"[0-9]+、(一、|\()", t)]


def test_numbering_off(cli, example) -> None:
    edit(example / "document.yaml", "settings:\n", "settings:\n  numbering: false\n")
    texts = paragraph_texts(part(build_docx(cli, example), "word/document.xml"))
    assert "贯彻执行上级的各项方针政策" in texts
    assert "1、贯彻执行上级的各项方针政策" not in texts
    # Table titles keep their numbers: they are how the 目录 tells tables apart.
    assert any(t.startswith("1.2023 年省级衔接") for t in texts)
