"""``perfdoc export``: the budget system's workbook, checked cell by cell and read back."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from perfdoc.document import Document, Project, load_document
from perfdoc.export import (
    INDICATOR_COLUMNS,
    PROJECT_COLUMNS,
    SYMBOLS,
    number_cell,
    split_value,
)
from perfdoc.imports.xlsx import INDICATOR_COLUMNS as READ_INDICATOR_COLUMNS
from perfdoc.imports.xlsx import PROJECT_COLUMNS as READ_PROJECT_COLUMNS
from perfdoc.model import Indicator
from perfdoc.rules.base import DATE
from perfdoc.values import OPERATORS, parse_value
from tests.conftest import ROOT, edit

EXAMPLES = ROOT / "examples"
NAMES = ["sanjia_2024", "yunling_2024"]
#: What the budget system writes for each of the parser's canonical operators.
EXPECTED_SYMBOL = {"≥": "≥", "≤": "≤", ">": "＞", "<": "＜", "=": "＝"}


def load(folder: Path) -> Document:
    doc, problems = load_document(folder, folder)
    assert doc is not None, problems
    return doc


def copy_example(name: str, target: Path) -> Path:
    shutil.copytree(EXAMPLES / name, target, ignore=shutil.ignore_patterns("build"))
    return target


def export(cli: Any, *args: str | Path) -> Any:
    run = cli("export", *args)
    assert run.code == 0, run.out + run.err
    return run


def sheet(path: Path, title: str) -> Worksheet:
    ws = openpyxl.load_workbook(path)[title]
    assert isinstance(ws, Worksheet)
    return ws


def data_rows(ws: Worksheet) -> list[tuple[Cell, ...]]:
    rows = list(ws.iter_rows(min_row=2))
    assert all(isinstance(c, Cell) for row in rows for c in row)
    return rows  # type: ignore[return-value]


def header(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[1]]


def assert_exact_number(cell: Cell, want: Decimal) -> None:
    """A number cell holding exactly *want*, shown with the decimals it was written with."""
    assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), cell.value
    if want == want.to_integral_value():
        assert type(cell.value) is int, (cell.coordinate, cell.value)
    else:
        assert type(cell.value) is float and repr(cell.value) == format(want.normalize(), "f")
    assert Decimal(repr(cell.value)) == want
    places = max(-int(want.as_tuple().exponent), 0)
    assert cell.number_format == ("0." + "0" * places if places else "0"), cell.number_format


def assert_text(cell: Cell, want: str) -> None:
    """A text cell holding *want*, or an empty cell when *want* is empty."""
    if want:
        assert cell.value == want and cell.data_type == "s", (cell.coordinate, cell.value)
    else:
        assert cell.value is None, (cell.coordinate, cell.value)


def expected_split(indicator: Indicator) -> tuple[str, Decimal | str, str]:
    """计算符号, 指标值 and 计量单位 from the rules' parser (dates are not quantities)."""
    parsed = parse_value(indicator.value)
    if parsed is None or DATE.search(indicator.value):
        return "定性", indicator.value, ""
    return EXPECTED_SYMBOL[parsed.operator], parsed.number, parsed.unit


def check_indicator_rows(rows: list[tuple[Cell, ...]], projects: list[Project]) -> None:
    wanted = [(p, i) for p in projects for i in p.model.indicators]
    assert len(rows) == len(wanted)
    for row, (project, indicator) in zip(rows, wanted, strict=True):
        cells = dict(zip(INDICATOR_COLUMNS, row, strict=True))
        assert_text(cells["单位编码"], project.unit_code)
        assert_text(cells["单位名称"], project.unit_name)
        assert_text(cells["项目编码"], project.model.code)
        assert_text(cells["项目名称"], project.model.name)
        assert_text(cells["一级指标"], indicator.level1)
        assert_text(cells["二级指标"], indicator.level2)
        assert_text(cells["三级指标"], indicator.name)
        assert_text(cells["绩效指标描述"], indicator.description)
        assert_text(cells["指标值确定依据"], indicator.basis)
        symbol, value, unit = expected_split(indicator)
        assert cells["计算符号"].value == symbol
        if isinstance(value, str):
            assert_text(cells["指标值"], value)
        else:
            assert_exact_number(cells["指标值"], value)
        assert_text(cells["计量单位"], unit)


def check_project_rows(rows: list[tuple[Cell, ...]], projects: list[Project]) -> None:
    assert len(rows) == len(projects)
    for row, project in zip(rows, projects, strict=True):
        cells = dict(zip(PROJECT_COLUMNS, row, strict=True))
        model = project.model
        assert_text(cells["单位编码"], project.unit_code)
        assert_text(cells["单位名称"], project.unit_name)
        assert_text(cells["项目编码"], model.code)
        assert_text(cells["项目名称"], model.name)
        assert_text(cells["金额单位"], project.money_unit)
        assert_exact_number(cells["预算数"], model.budget.total)
        for column, amount in (("财政资金", model.budget.fiscal), ("其他资金", model.budget.other)):
            if amount is None:
                assert cells[column].value is None
            else:
                assert_exact_number(cells[column], amount)
        assert_text(cells["资金用途"], model.use_of_funds or "")
        plan = model.funding_plan
        for column, percent in (("3月底", plan.mar), ("6月底", plan.jun), ("10月底", plan.oct),
                                ("12月底", plan.dec)):
            assert_exact_number(cells[column], percent)
        assert_text(cells["绩效目标"], "\n".join(model.goals))


# --------------------------------------------------------------------------- the workbook


def test_the_columns_are_the_ones_import_reads() -> None:
    assert set(INDICATOR_COLUMNS) <= READ_INDICATOR_COLUMNS | READ_PROJECT_COLUMNS
    assert set(PROJECT_COLUMNS) == READ_PROJECT_COLUMNS
    # Every operator the parser knows has a 计算符号.
    assert set(OPERATORS.values()) == set(SYMBOLS) == set(EXPECTED_SYMBOL)
    assert SYMBOLS == EXPECTED_SYMBOL


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_agrees_with_the_document(cli: Any, tmp_path: Path, name: str) -> None:
    out = tmp_path / "targets.xlsx"
    run = export(cli, EXAMPLES / name, "-o", out)
    doc = load(EXAMPLES / name)
    indicators = sum(len(p.model.indicators) for p in doc.projects)
    assert f"{len(doc.projects)} project(s), {indicators} indicator(s) from 1 document(s)" \
        in run.err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["绩效指标", "项目"]

    ws = sheet(out, "绩效指标")
    assert header(ws) == list(INDICATOR_COLUMNS)
    check_indicator_rows(data_rows(ws), doc.projects)
    projects = sheet(out, "项目")
    assert header(projects) == list(PROJECT_COLUMNS)
    check_project_rows(data_rows(projects), doc.projects)

    for ws in (sheet(out, "绩效指标"), projects):
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
        assert all(ws.column_dimensions[get_column_letter(n)].width >= 6
                   for n in range(1, ws.max_column + 1))


def test_the_values_split_as_the_rules_read_them(cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "targets.xlsx"
    export(cli, EXAMPLES, "-o", out)
    got = {(r[9].value, r[8].value, r[10].value) for r in data_rows(sheet(out, "绩效指标"))}
    assert (95, "≥", "%") in got
    assert (120.5, "≤", "万元") in got
    assert (0.62, "≥", None) in got
    assert (5, "＜", "起") in got
    assert (100, "＝", "%") in got
    assert ("有效提升", "定性", None) in got
    assert ("小于等于核定数", "定性", None) in got
    # A date reads as a number and a unit to the parser, but no rule takes it for one.
    assert ("2024 年 11 月底前", "定性", None) in got


@pytest.mark.parametrize(("value", "want"), [
    ("≥95%", ("≥", Decimal("95"), "%")),
    ("不低于95%", ("≥", Decimal("95"), "%")),
    (">= 3 个", ("≥", Decimal("3"), "个")),
    ("＞15 次", ("＞", Decimal("15"), "次")),
    ("少于 2 起", ("＜", Decimal("2"), "起")),
    ("≤7 工作日", ("≤", Decimal("7"), "工作日")),
    ("达到 11.00 万元", ("＝", Decimal("11.00"), "万元")),
    ("0.62", ("＝", Decimal("0.62"), "")),
    ("有效提升", ("定性", "有效提升", "")),
    ("提升 0.5 个等级以上", ("定性", "提升 0.5 个等级以上", "")),
    ("2024年12月31日前", ("定性", "2024年12月31日前", "")),
])
def test_split_value(value: str, want: tuple[str, Decimal | str, str]) -> None:
    split = split_value(Indicator(level1="产出指标", level2="数量指标", name="x", value=value))
    assert (split.symbol, split.value, split.unit) == want
    if isinstance(want[1], Decimal):
        assert str(split.value) == str(want[1])  # 11.00 stays 11.00


@pytest.mark.parametrize(("number", "value", "fmt"), [
    ("11.00", 11, "0.00"),
    ("6.19", 6.19, "0.00"),
    ("25", 25, "0"),
    ("33.3", 33.3, "0.0"),
    ("0.000001", 0.000001, "0.000000"),
    ("999999999999.99", 999999999999.99, "0.00"),
    # Past Excel's 15 digits a number cell would be rounded: text, exactly.
    ("1234567890123.4567", "1234567890123.4567", "@"),
])
def test_number_cells_show_the_decimals_written(number: str, value: object, fmt: str) -> None:
    got = number_cell(Decimal(number))
    assert got == (value, fmt) and type(got[0]) is type(value)


# --------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", NAMES)
def test_import_reads_the_workbook_back(cli: Any, tmp_path: Path, name: str) -> None:
    out = tmp_path / "targets.xlsx"
    export(cli, EXAMPLES / name, "-o", out)
    run = cli("import", out, "-o", tmp_path / "back")
    assert run.code == 0, run.out + run.err
    assert "[warning]" not in run.out and "[error]" not in run.out, run.out
    for path in (tmp_path / "back").rglob("*.yaml"):
        assert "_unplaced" not in path.read_text(encoding="utf-8"), path
    original, back = load(EXAMPLES / name), load(tmp_path / "back")
    assert len(back.projects) == len(original.projects)
    for got, want in zip(back.projects, original.projects, strict=True):
        g, w = got.model, want.model
        assert (got.unit_code, got.unit_name, got.money_unit) == (
            want.unit_code, want.unit_name, want.money_unit)
        assert (g.code, g.name, g.use_of_funds, g.goals) == (w.code, w.name, w.use_of_funds,
                                                             w.goals)
        # Exactly as written, decimals and all: 11.00 comes back as 11.00.
        for key in ("total", "fiscal", "other"):
            a, b = getattr(g.budget, key), getattr(w.budget, key)
            assert (None if a is None else str(a)) == (None if b is None else str(b)), key
        assert {k: str(v) for k, v in g.funding_plan.model_dump().items()} == {
            k: str(v) for k, v in w.funding_plan.model_dump().items()}
        assert [i.model_dump() for i in g.indicators] == [i.model_dump() for i in w.indicators]


def test_a_text_like_a_formula_stays_text(cli: Any, tmp_path: Path) -> None:
    doc = copy_example("sanjia_2024", tmp_path / "doc")
    edit(doc / "projects/01-zhucun.yaml", 'value: "有效提升"', 'value: "=有效提升"')
    out = tmp_path / "targets.xlsx"
    export(cli, doc, "-o", out)
    cells = [r[9] for r in data_rows(sheet(out, "绩效指标")) if r[9].value == "=有效提升"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    assert cli("import", out, "-o", tmp_path / "back").code == 0
    values = [i.value for p in load(tmp_path / "back").projects for i in p.model.indicators]
    assert "=有效提升" in values


def test_a_value_comes_back_in_perfdocs_spelling(cli: Any, tmp_path: Path) -> None:
    """The workbook has sign, number and unit, not how they were typed (docs/cli.md)."""
    doc = copy_example("sanjia_2024", tmp_path / "doc")
    edit(doc / "projects/01-zhucun.yaml", 'value: ">15 次"', 'value: "多于15次"')
    edit(doc / "projects/01-zhucun.yaml", 'value: "≥95%"', 'value: "不低于95%"')
    out = tmp_path / "targets.xlsx"
    export(cli, doc, "-o", out)
    rows = [(r[8].value, r[9].value, r[10].value) for r in data_rows(sheet(out, "绩效指标"))]
    assert rows[0] == ("＞", 15, "次") and ("≥", 95, "%") in rows
    assert cli("import", out, "-o", tmp_path / "back").code == 0
    values = [i.value for i in load(tmp_path / "back").projects[0].model.indicators]
    assert values[0] == ">15 次" and "≥95%" in values and "不低于95%" not in values


def test_import_keeps_the_decimals_a_number_format_shows(tmp_path: Path) -> None:
    """11 shown as 11.00 is read as 11.00: what export writes for `total: 11.00`."""
    from perfdoc.imports.xlsx import read_xlsx

    book = openpyxl.Workbook()
    ws = book.active
    assert isinstance(ws, Worksheet)
    ws.title = "项目"
    ws.append(["项目编码", "项目名称", "预算数", "财政资金", "其他资金", "3月底"])
    ws.append(["P1", "项目", 11, 6.5, 0.125, 25])
    for cell, fmt in zip(ws[2][2:], ("0.00", "#,##0.00", "0.00", "0"), strict=True):
        cell.number_format = fmt
    path = tmp_path / "formatted.xlsx"
    ws2 = book.create_sheet("绩效指标")
    ws2.append(["项目编码", "一级指标", "二级指标", "三级指标", "指标值"])
    ws2.append(["P1", "产出指标", "数量指标", "x", "1 个"])
    book.save(path)
    [part] = read_xlsx(path, path.read_bytes(), "formatted.xlsx").projects
    budget = part.values["budget"]
    # Zeros are added to show the decimals; digits beyond them are never cut.
    assert (budget["total"], budget["fiscal"], budget["other"]) == ("11.00", "6.50", "0.125")
    assert part.values["funding_plan"]["mar"] == "25"


# --------------------------------------------------------------------------- several documents


def test_several_documents_go_into_one_workbook_in_order(cli: Any, tmp_path: Path) -> None:
    sanjia, yunling = load(EXAMPLES / "sanjia_2024"), load(EXAMPLES / "yunling_2024")
    out = tmp_path / "both.xlsx"
    run = export(cli, EXAMPLES / "yunling_2024", EXAMPLES / "sanjia_2024", "-o", out)
    assert "from 2 document(s)" in run.err
    projects = yunling.projects + sanjia.projects
    check_project_rows(data_rows(sheet(out, "项目")), projects)
    check_indicator_rows(data_rows(sheet(out, "绩效指标")), projects)

    # A workspace is its documents in name order, as validate and check find them;
    # the same input gives the same bytes.
    workspace, listed = tmp_path / "workspace.xlsx", tmp_path / "listed.xlsx"
    export(cli, EXAMPLES, "-o", workspace)
    export(cli, EXAMPLES / "sanjia_2024", EXAMPLES / "yunling_2024", "-o", listed)
    assert workspace.read_bytes() == listed.read_bytes()
    check_project_rows(data_rows(sheet(workspace, "项目")), sanjia.projects + yunling.projects)


def test_document_defaults_fill_the_unit_line(cli: Any, tmp_path: Path) -> None:
    doc = copy_example("sanjia_2024", tmp_path / "doc")
    for path in (doc / "projects").glob("*.yaml"):
        edit(path, 'unit_code: "912001"\n', "")
        edit(path, "money_unit: 万元\n", "")
    edit(doc / "document.yaml", "year: 2024\n", 'year: 2024\nunit_code: "912099"\n')
    out = tmp_path / "targets.xlsx"
    export(cli, doc, "-o", out)
    for ws, columns in ((sheet(out, "项目"), PROJECT_COLUMNS),
                        (sheet(out, "绩效指标"), INDICATOR_COLUMNS)):
        for row in data_rows(ws):
            cells = dict(zip(columns, row, strict=True))
            assert cells["单位编码"].value == "912099"
            if "金额单位" in cells:
                assert cells["金额单位"].value == "万元"  # perfdoc's default


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("name", ["targets.csv", "targets", "targets.xlsx.bak", ".xlsx"])
def test_the_output_must_be_an_xlsx_file(cli: Any, tmp_path: Path, name: str) -> None:
    run = cli("export", EXAMPLES / "sanjia_2024", "-o", tmp_path / name)
    assert run.code == 2, run.out + run.err
    assert ".xlsx" in run.err
    assert not (tmp_path / name).exists()


def test_the_output_cannot_be_a_folder(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "targets.xlsx").mkdir()
    run = cli("export", EXAMPLES / "sanjia_2024", "-o", tmp_path / "targets.xlsx")
    assert run.code == 2, run.out + run.err
    assert "is a folder" in run.err


def test_the_upper_case_suffix_is_accepted(cli: Any, tmp_path: Path) -> None:
    export(cli, EXAMPLES / "sanjia_2024", "-o", tmp_path / "TARGETS.XLSX")
    assert openpyxl.load_workbook(tmp_path / "TARGETS.XLSX").sheetnames == ["绩效指标", "项目"]


def test_a_broken_document_writes_nothing(cli: Any, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    broken = copy_example("sanjia_2024", tmp_path / "broken")
    edit(broken / "projects/02-zhifa.yaml", "total: 11.00", "total: 十一")
    out = tmp_path / "targets.xlsx"
    out.write_bytes(b"last year's workbook")
    monkeypatch.chdir(tmp_path)
    run = cli("export", EXAMPLES / "yunling_2024", "broken", "-o", out)
    assert run.code == 1, run.out + run.err
    line = next(n for n, text in enumerate(
        (broken / "projects/02-zhifa.yaml").read_text(encoding="utf-8").splitlines(), start=1)
        if "total:" in text)
    assert f"broken/projects/02-zhifa.yaml:{line}:10: [error]" in run.out, run.out
    assert "(schema)" in run.out
    assert "nothing was written" in run.err
    assert out.read_bytes() == b"last year's workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "targets.xlsx"]


def test_a_folder_without_a_document_writes_nothing(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = tmp_path / "targets.xlsx"
    run = cli("export", EXAMPLES / "sanjia_2024", tmp_path / "empty", "-o", out)
    assert run.code == 1, run.out + run.err
    assert "document.yaml" in run.out and "[error]" in run.out
    assert not out.exists()


def test_a_10000_row_table_with_markup_goes_out_whole(cli: Any, tmp_path: Path) -> None:
    """A table nobody wrote by hand: ten thousand indicators, text full of markup characters."""
    doc = copy_example("sanjia_2024", tmp_path / "doc")
    project = doc / "projects" / "02-zhifa.yaml"
    text = project.read_text(encoding="utf-8")
    head, _sep, _rest = text.partition("indicators:\n")
    rows = "".join(
        f"  - level1: 产出指标\n    level2: 数量指标\n    name: '指标{i} <b>&amp;\"'''\n"
        f"    description: '描述 </Cell><x/> & {i}'\n    value: \"≥{i} 次\"\n"
        "    basis: '<![CDATA[内控]]>'\n"
        for i in range(10_000))
    project.write_text(head + "indicators:\n" + rows, encoding="utf-8")
    out = tmp_path / "big.xlsx"
    assert cli("export", doc, "-o", out, "--lang", "en").code == 0
    cells = data_rows(sheet(out, "绩效指标"))
    mine = [r for r in cells if str(r[6].value).startswith("指标")]
    assert len(mine) == 10_000
    assert mine[-1][6].value == "指标9999 <b>&amp;\"'"
    assert mine[-1][7].value == "描述 </Cell><x/> & 9999"
    assert mine[-1][11].value == "<![CDATA[内控]]>"
    assert (mine[-1][8].value, mine[-1][9].value, mine[-1][10].value) == ("≥", 9999, "次")
