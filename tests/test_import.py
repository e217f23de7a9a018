"""perfdoc import: .docx drafts back into document folders (no LibreOffice needed here)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from perfdoc.context import paragraphs
from perfdoc.document import Document, load_document
from tests.conftest import ROOT

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "document.yaml").exists())


def build_docx(cli: Any, folder: Path, out: Path) -> Path:
    run = cli("build", folder, "--format", "docx", "-o", out)
    assert run.code == 0, run.out + run.err
    [docx] = out.glob("*.docx")
    return docx


def comparable(doc: Document) -> dict[str, Any]:
    """The document as the .docx carries it.

    A .docx has no settings.checks or template path, prints each prose field
    as its paragraphs, and shows the unit fields and the framework only where
    they apply: compared as resolved, not as written.
    """
    meta = doc.meta.model_dump(exclude={"settings", "unit_code", "unit_name", "money_unit",
                                        "overall_goal", "unplaced"})
    meta["overall_goal"] = paragraphs(doc.meta.overall_goal)
    meta["decimals"] = doc.meta.settings.decimals
    goals = [{"title": g.title, "goal": paragraphs(g.goal), "indicators": paragraphs(g.indicators)}
             for g in doc.goals.itemized_goals]
    measures = [{"lead": m.lead, "body": paragraphs(m.body)} for m in doc.goals.measures]
    projects = []
    for p in doc.projects:
        data = p.model.model_dump(exclude={"unit_code", "unit_name", "money_unit", "profile",
                                           "unplaced"})
        data.update(unit_code=p.unit_code, unit_name=p.unit_name, money_unit=p.money_unit,
                    profile=p.model.profile or doc.meta.settings.profile)
        projects.append(data)
    return {"meta": meta, "goals": goals, "measures": measures, "projects": projects}


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_built_example_imports_to_the_same_document_and_builds_the_same_docx(
        cli: Any, tmp_path: Path, name: str) -> None:
    source = ROOT / "examples" / name
    docx = build_docx(cli, source, tmp_path / "built")
    run = cli("import", docx, "-o", tmp_path / "imported")
    assert run.code == 0, run.out + run.err
    assert "[warning]" not in run.out and "[error]" not in run.out, run.out
    imported, problems = load_document(tmp_path / "imported", tmp_path / "imported")
    original, _problems = load_document(source, source)
    assert imported is not None and original is not None, problems
    assert comparable(imported) == comparable(original)
    # Nothing left over, and the same bytes when built again.
    for path in (tmp_path / "imported").rglob("*.yaml"):
        assert "_unplaced" not in path.read_text(encoding="utf-8"), path
    again = build_docx(cli, tmp_path / "imported", tmp_path / "rebuilt")
    assert again.read_bytes() == docx.read_bytes()


def test_the_written_yaml_reads_like_the_readme(cli: Any, tmp_path: Path) -> None:
    docx = build_docx(cli, ROOT / "examples" / "sanjia_2024", tmp_path / "built")
    assert cli("import", docx, "-o", tmp_path / "doc").code == 0
    text = (tmp_path / "doc" / "document.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    # The schema line points at a copy of the schemas beside the document.
    assert lines[0] == "# yaml-language-server: $schema=../.perfdoc/schemas/document.schema.json"
    assert (tmp_path / ".perfdoc" / "schemas" / "project.schema.json").is_file()
    keys = [line.split(":")[0] for line in lines if line and line[0] not in " #"]
    assert keys == ["unit", "year", "unit_code", "unit_name", "money_unit", "cover", "settings",
                    "overall_goal"]
    project = (tmp_path / "doc" / "projects" / "01-13082123P00007010010J.yaml").read_text(
        encoding="utf-8")
    data = yaml.safe_load(project)
    assert list(data) == ["code", "name", "budget", "use_of_funds", "funding_plan", "goals",
                          "indicators"]
    # Numbers exactly as printed; a value YAML would misread is quoted.
    assert "  total: 6.19\n" in project and "  other:\n" in project
    assert "    value: '>15 次'\n" in project
    assert "'912001'" in text


def _with_document_xml(docx: bytes, change: Any) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            dst.writestr(name, data)
    return out.getvalue()


def _insert_before(xml: str, marker: str, paragraph: str) -> str:
    at = xml.rfind("<w:p>", 0, xml.index(marker))
    return xml[:at] + paragraph + xml[at:]


def test_text_that_fits_nowhere_is_kept_and_located(cli: Any, tmp_path: Path) -> None:
    docx = build_docx(cli, ROOT / "examples" / "sanjia_2024", tmp_path / "built")
    stray = "<w:p><w:r><w:t>印发日期：2024年1月</w:t></w:r></w:p>"
    draft = tmp_path / "draft.docx"
    draft.write_bytes(_with_document_xml(docx.read_bytes(),
                                         lambda x: _insert_before(x, "目  录", stray)))
    run = cli("import", draft, "-o", tmp_path / "doc")
    assert run.code == 0, run.err
    [line] = [line for line in run.out.splitlines() if "印发日期" in line]
    # Located by the paragraph's number in reading order: the cover has 17 before it.
    assert "draft.docx:18:1: [warning] 第 18 段: " in line
    assert line.endswith(": 印发日期：2024年1月 (import)")
    document = yaml.safe_load((tmp_path / "doc" / "document.yaml").read_text(encoding="utf-8"))
    assert document["_unplaced"] == ["印发日期：2024年1月"]
    # validate accepts the key and reports it as an info.
    checked = cli("validate", tmp_path / "doc")
    assert checked.code == 0
    assert "[info]" in checked.out and "(import)" in checked.out


def test_an_existing_folder_is_replaced_only_with_force(cli: Any, tmp_path: Path) -> None:
    docx = build_docx(cli, ROOT / "examples" / "sanjia_2024", tmp_path / "built")
    target = tmp_path / "doc"
    (target / "projects").mkdir(parents=True)
    (target / "projects" / "99-old.yaml").write_text("code: X\n", encoding="utf-8")
    refused = cli("import", docx, "-o", target)
    assert refused.code == 2 and "--force" in refused.err
    assert (target / "projects" / "99-old.yaml").exists()
    done = cli("import", docx, "-o", target, "--force")
    assert done.code == 0, done.err
    # A project file the import did not write would join the document: gone.
    assert sorted(p.name for p in (target / "projects").iterdir()) == [
        "01-13082123P00007010010J.yaml", "02-13082124P00011110021J.yaml"]


def test_files_that_are_no_draft_are_refused(cli: Any, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    run = cli("import", text, "-o", tmp_path / "a")
    assert run.code == 1 and "(io)" in run.out
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really")
    run = cli("import", broken, "-o", tmp_path / "b")
    assert run.code == 1 and "broken.docx:1:1: [error]" in run.out
    # A zip bomb is refused before anything is unpacked.
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    run = cli("import", bomb, "-o", tmp_path / "c")
    assert run.code == 1 and "bomb.docx" in run.out
    missing = cli("import", tmp_path / "nope.docx", "-o", tmp_path / "d")
    assert missing.code == 2


def test_a_docx_that_is_no_performance_text_is_an_error(cli: Any, tmp_path: Path) -> None:
    from docx import Document as Word

    word = Word()
    word.add_paragraph("会议纪要")
    word.add_paragraph("今天开会讨论了三件事。")
    path = tmp_path / "minutes.docx"
    word.save(str(path))
    run = cli("import", path, "-o", tmp_path / "doc")
    assert run.code == 1
    assert "第一部分" in run.out


def _typed_draft(path: Path, *, title_line: str, project_title: str, heads: list[str]) -> None:
    """A small draft typed in Word's default style, worded unlike perfdoc's."""
    from docx import Document as Word

    word = Word()
    for text in ["云岭县林业局", title_line, "云岭县林业局编制", "第一部分 部门整体绩效目标",
                 "一、部门总体绩效目标", "保护森林资源。", "二、分项绩效目标", "（一）森林防火",
                 "绩效目标：全年无重大森林火灾。", "绩效指标：森林火灾受害率≤0.9‰。",
                 "三、保障措施", "1.加强组织领导。成立工作专班。",
                 "第二部分 预算项目绩效目标", project_title, "单位：万元"]:
        word.add_paragraph(text)
    table = word.add_table(rows=4, cols=len(heads))
    values = [["项目编码", "53293124P00000000001J", "项目名称", "森林防火经费"],
              ["预算数", "12.50", "其中：财政资金", "12.50"]]
    for r, row in enumerate(values):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    word.add_paragraph("")
    indicators = word.add_table(rows=3, cols=len(heads))
    rows = [heads, ["1", "产出指标", "数量指标", "巡护次数", "≥120 次"],
            ["2", "", "", "巡护里程", "≥3000 公里"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            indicators.cell(r, c).text = text
    word.save(str(path))


def test_a_draft_worded_otherwise_still_imports(cli: Any, tmp_path: Path) -> None:
    draft = tmp_path / "typed.docx"
    _typed_draft(draft, title_line="二〇二五年度部门预算绩效文本",
                 project_title="项目一：森林防火经费",
                 heads=["序号", "一级指标", "二级指标", "三级指标（名称）", "指标值（含数字）"])
    run = cli("import", draft, "-o", tmp_path / "doc")
    documents = yaml.safe_load((tmp_path / "doc" / "document.yaml").read_text(encoding="utf-8"))
    assert documents["year"] == 2025
    assert documents["cover"]["title_line"] == "二〇二五年度部门预算绩效文本"
    goals = yaml.safe_load((tmp_path / "doc" / "goals.yaml").read_text(encoding="utf-8"))
    # A numbering perfdoc would not print stays in the text.
    assert goals["itemized_goals"][0]["title"] == "（一）森林防火"
    assert goals["measures"] == [{"lead": "加强组织领导。", "body": "成立工作专班。"}]
    [project] = (tmp_path / "doc" / "projects").glob("*.yaml")
    data = yaml.safe_load(project.read_text(encoding="utf-8"))
    # The 序号 column is no content; glossed heads are still their columns.
    assert [(i["level1"], i["level2"], i["name"], i["value"]) for i in data["indicators"]] == [
        ("产出指标", "数量指标", "巡护次数", "≥120 次"),
        ("产出指标", "数量指标", "巡护里程", "≥3000 公里")]
    assert data["budget"]["total"] == 12.5 and "  total: 12.50\n" in project.read_text(
        encoding="utf-8")
    assert "序号" not in run.out and "1" not in data.get("_unplaced", [])


def test_a_draft_without_part_headings_loses_no_cover_line(cli: Any, tmp_path: Path) -> None:
    """No 第一部分 heading: the body starts at 一、…总体…, and the line before it is the cover's."""
    from docx import Document as Word

    word = Word()
    for text in ["云岭县林业局", "2025年部门预算绩效文本", "云岭县林业局编制", "云岭县财政局审核",
                 "一、总体绩效目标", "保护森林资源。", "二、分项绩效目标", "1、森林防火",
                 "绩效目标：全年无重大森林火灾。", "绩效指标：森林火灾受害率≤0.9‰。",
                 "三、工作保障措施", "1.加强组织领导。成立工作专班。"]:
        word.add_paragraph(text)
    path = tmp_path / "draft.docx"
    word.save(str(path))
    run = cli("import", path, "-o", tmp_path / "doc")
    document = yaml.safe_load((tmp_path / "doc" / "document.yaml").read_text(encoding="utf-8"))
    assert document["cover"]["reviewed_by"] == "云岭县财政局审核", run.out
    assert document["overall_goal"] == "保护森林资源。"
    assert "_unplaced" not in document


# --------------------------------------------------------------------------- files nobody trusted


def test_an_external_entity_reads_nothing_into_the_folder(cli: Any, tmp_path: Path) -> None:
    """XXE: a DOCTYPE naming a local file must not pull that file into the YAML."""
    docx = build_docx(cli, ROOT / "examples" / "sanjia_2024", tmp_path / "built")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")

    def add_entity(xml: str) -> str:
        head, sep, body = xml.partition("?>")
        doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
        return head + sep + doctype + body.replace("承德县财政局审核", "&x;承德县财政局审核", 1)

    draft = tmp_path / "xxe.docx"
    draft.write_bytes(_with_document_xml(docx.read_bytes(), add_entity))
    run = cli("import", draft, "-o", tmp_path / "doc")
    assert run.code == 0, run.out + run.err
    assert "TOP-SECRET-LINE" not in run.out + run.err
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "doc").rglob("*.yaml"))
    assert "TOP-SECRET-LINE" not in written
    assert "承德县财政局审核" in written  # the rest of the line is read as usual


def test_markup_in_a_cell_stays_text(cli: Any, tmp_path: Path) -> None:
    """YAML, XML and Jinja characters in a draft's cell come back as the same text."""
    docx = build_docx(cli, ROOT / "examples" / "sanjia_2024", tmp_path / "built")
    nasty = '<b>&"{{ unit }}"{% if 1 %}# x: y\'s [a, b] *ref'
    escaped = nasty.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    draft = tmp_path / "markup.docx"
    draft.write_bytes(_with_document_xml(docx.read_bytes(),
                                         lambda x: x.replace("报账单据", escaped, 1)))
    run = cli("import", draft, "-o", tmp_path / "doc")
    assert run.code == 0, run.out + run.err
    imported, problems = load_document(tmp_path / "doc", tmp_path / "doc")
    assert imported is not None, problems
    assert imported.projects[0].model.indicators[0].basis == nasty
    # Building prints it as text: Jinja never runs a value.
    from docx import Document as Word

    again = build_docx(cli, tmp_path / "doc", tmp_path / "rebuilt")
    cells = {cell.text for table in Word(str(again)).tables for row in table.rows
             for cell in row.cells}
    assert nasty in cells


def test_a_workbook_of_ten_thousand_rows_imports(cli: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["项目编码", "项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
    for n in range(10_000):
        project = n // 100
        sheet.append([f"53293124P{project:012d}J", f"项目{project}", "产出指标", "数量指标",
                      f"指标{n}", f"≥{n} 个"])
    path = tmp_path / "big.xlsx"
    book.save(str(path))
    run = cli("import", path, "-o", tmp_path / "doc")
    assert run.code == 0, run.out[-2000:] + run.err
    imported, problems = load_document(tmp_path / "doc", tmp_path / "doc")
    assert imported is not None, problems
    assert len(imported.projects) == 100
    assert sum(len(p.model.indicators) for p in imported.projects) == 10_000
