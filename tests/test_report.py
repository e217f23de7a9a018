"""``perfdoc report``: the bureau's page and workbook over many documents.

The numbers are checked against sums made here from the model, the findings
against the real ``perfdoc check --format json``, the states of the outputs
against real ``--format docx`` builds, and the page in a real browser
(headless Chromium, when it is installed).
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from perfdoc.cli import main
from perfdoc.document import load_document
from perfdoc.problems import display_path
from tests.conftest import EXAMPLE, ROOT, edit

YUNLING = ROOT / "examples" / "yunling_2024"
GENERATED = 50
#: 元, 万元 and 亿元 to 万元, written out here rather than taken from perfdoc.
FACTORS = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))
                 if p), None)
NO_CHROMIUM = "headless Chromium missing (Debian package chromium)"
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


def _synth() -> ModuleType:
    """Import bench/synth.py by its path: bench/ is not a package."""
    spec = importlib.util.spec_from_file_location("perfdoc_bench_synth", ROOT / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(*args: str | Path) -> tuple[int, str, str]:
    """Run ``perfdoc ARGS`` in-process (usable from module-scoped fixtures, unlike ``cli``)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            pytest.raises(SystemExit) as exit_info:
        main(["--lang", "en", *(str(a) for a in args)])
    code = exit_info.value.code
    return code if isinstance(code, int) else 0, out.getvalue(), err.getvalue()


# --------------------------------------------------------------------------- the page, parsed


@dataclass
class Cell:
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Row:
    attrs: dict[str, str]
    cells: list[Cell] = field(default_factory=list)

    def value(self, key: str) -> str:
        """The data-v of the cell whose data-k is *key*."""
        return next(c.attrs["data-v"] for c in self.cells if c.attrs.get("data-k") == key)

    def cell(self, key: str) -> Cell:
        return next(c for c in self.cells if c.attrs.get("data-k") == key)


@dataclass
class Table:
    attrs: dict[str, str]
    rows: list[Row] = field(default_factory=list)


class Page(HTMLParser):
    """Every table's body rows (attributes, cells and their text) and the data-total values."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.totals: dict[str, tuple[str, str]] = {}
        self._open: list[Table] = []
        self._body = False
        self._cell: Cell | None = None
        self._total: list[tuple[str, str, list[str]]] = []
        self.title = ""
        self._in_title = False
        self.svgs = 0
        self._depth = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._open.append(Table(a))
            self.tables.append(self._open[-1])
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body and self._open:
            self._open[-1].rows.append(Row(a))
        elif tag in ("td", "th") and self._body and self._open and self._open[-1].rows:
            self._cell = Cell(a)
            self._open[-1].rows[-1].cells.append(self._cell)
        elif tag == "title" and not self.title:
            self._in_title = True
        elif tag == "svg":
            self.svgs += 1
        if "data-total" in a:
            self._total.append((a["data-total"], a["data-v"], []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._open:
            self._open.pop()
        elif tag == "tbody":
            self._body = False
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "title":
            self._in_title = False
        if self._total and tag in ("div", "span"):
            name, value, text = self._total.pop()
            self.totals[name] = (value, "".join(text).strip())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data
        if self._in_title:
            self.title += data
        for _name, _value, text in self._total:
            text.append(data)

    def table(self, ident: str) -> Table:
        return next(t for t in self.tables if t.attrs.get("id") == ident)

    def findings(self) -> list[Row]:
        return [r for t in self.tables if t.attrs.get("class") == "findings" for r in t.rows]


def shown(text: str) -> Decimal:
    """The number a reader sees, thousands separators and the unit left out."""
    return Decimal(text.replace(",", "").replace("万元", "").strip())


# --------------------------------------------------------------------------- the workspace


def _perturb(ws: Path) -> None:
    """Give some generated documents what real ones have: other units, plans, mistakes."""
    first = {i: sorted((ws / f"u{i:03d}" / "projects").glob("*.yaml"))[0] for i in range(1, 10)}
    edit(first[1], "money_unit: 万元", "money_unit: 元")
    text = first[2].read_text(encoding="utf-8")
    text = re.sub(r"total: [0-9.]+\n  fiscal: [0-9.]+", "total: 0.12\n  fiscal: 0.12", text)
    first[2].write_text(text.replace("money_unit: 万元", "money_unit: 亿元"), encoding="utf-8")
    edit(first[3], "money_unit: 万元", "money_unit: 千元")  # no such money unit: listed apart
    edit(ws / "u003" / "document.yaml", 'unit: "', 'unit: "=HYPERLINK(1)')  # and named "=…"
    edit(first[4], "  mar: 25\n  jun: 50\n  oct: 75", "  mar: 5\n  jun: 15\n  oct: 45")
    text = first[5].read_text(encoding="utf-8")
    total = Decimal(re.search(r"total: ([0-9.]+)", text).group(1))  # type: ignore[union-attr]
    text = re.sub(r"fiscal: [0-9.]+\n  other:", f"fiscal: {total - Decimal('0.50')}\n  other: 0.50",
                  text)
    first[5].write_text(text, encoding="utf-8")
    text = first[6].read_text(encoding="utf-8")
    first[6].write_text(text[:text.index("  - level1: 满意度指标")], encoding="utf-8")
    edit(first[7], "money_unit: 万元", "money_unit: 万元\nbudget_note: 不存在的键")  # fails validation
    text = first[8].read_text(encoding="utf-8")
    first[8].write_text(re.sub(r"(    description: .*)", r"\1  # perfdoc: disable-line="
                               "description-repeats-name", text), encoding="utf-8")
    edit(ws / "u009" / "document.yaml", 'unit: "', 'unit: "<script>alert(1)</script>')
    edit(sorted((ws / "u010" / "projects").glob("*.yaml"))[0], '\nname: "', '\nname: "=SUM(1,2)')
    (ws / "perfdoc.toml").write_text('[checks.vague-target]\nlevel = "info"\n', encoding="utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both examples and 50 generated documents, some of them changed (see ``_perturb``)."""
    ws = tmp_path_factory.mktemp("bureau")
    synth = _synth()
    for i in range(GENERATED):
        synth.write_document(synth.make_document(i, seed=7, example=EXAMPLE), ws)
    for example in (EXAMPLE, YUNLING):
        shutil.copytree(example, ws / example.name, ignore=shutil.ignore_patterns("build"))
    _perturb(ws)
    return ws


@dataclass
class Reports:
    html: str
    page: Page
    xlsx: Path
    findings: list[dict[str, Any]]


@pytest.fixture(scope="module")
def reports(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Reports:
    out = tmp_path_factory.mktemp("reports")
    for name in ("report.html", "report.xlsx"):
        code, _out, err = run("report", workspace, "-o", out / name)
        assert code == 0, err
        assert "52 document(s)" in err
    code, stdout, _err = run("check", workspace, "--format", "json")
    assert code == 1  # the broken document
    html = (out / "report.html").read_text(encoding="utf-8")
    return Reports(html, Page(html), out / "report.xlsx", json.loads(stdout))


@dataclass
class Expected:
    """One document's numbers, from the model."""

    projects: int
    money: tuple[Decimal, Decimal, Decimal] | None
    by_file: dict[str, Any]


@pytest.fixture(scope="module")
def expected(workspace: Path) -> dict[str, Expected]:
    """Each document's projects and money in 万元, by display path, summed here."""
    found = {}
    for folder in sorted(p.parent for p in workspace.rglob("document.yaml")):
        doc, _problems = load_document(folder, workspace)
        if doc is None:
            found[display_path(folder)] = Expected(0, None, {})
            continue
        money = [Decimal(0)] * 3
        for project in doc.projects:
            factor = FACTORS.get(project.money_unit)
            if factor is None:
                continue
            budget = project.model.budget
            for k, amount in enumerate((budget.total, budget.fiscal, budget.other)):
                money[k] += (amount or Decimal(0)) * factor
        found[display_path(folder)] = Expected(
            len(doc.projects), (money[0], money[1], money[2]),
            {p.source.display: p for p in doc.projects})
    return found


def _grand(expected: dict[str, Expected]) -> tuple[Decimal, Decimal, Decimal]:
    sums = [Decimal(0)] * 3
    for e in expected.values():
        for k in range(3):
            sums[k] += e.money[k] if e.money else 0
    return sums[0], sums[1], sums[2]


# --------------------------------------------------------------------------- numbers


def test_totals_in_the_page_are_the_exact_sums_of_the_model(reports: Reports,
                                                             expected: dict[str, Expected]) -> None:
    total, fiscal, other = _grand(expected)
    assert total > 0 and other == Decimal("0.50") + Decimal(445)  # u005's and yunling's
    for name, value in (("budget", total), ("fiscal", fiscal), ("other", other)):
        exact, text = reports.page.totals[name]
        assert Decimal(exact) == value, name
        assert shown(text) == value, name
    assert int(reports.page.totals["units"][0]) == 52
    assert int(reports.page.totals["projects"][0]) == sum(e.projects for e in expected.values())


def test_the_units_table_agrees_with_the_model(reports: Reports,
                                              expected: dict[str, Expected]) -> None:
    rows = {r.attrs["data-folder"]: r for r in reports.page.table("units-table").rows}
    assert set(rows) == set(expected)
    live = [f for f in reports.findings if not f.get("suppressed")]
    for folder, want in expected.items():
        row = rows[folder]
        if want.money is None:
            assert row.attrs["data-valid"] == "0" and row.value("budget") == ""
            assert "未通过校验" in row.cell("unit").text
        else:
            assert int(row.value("projects")) == want.projects
            for key, value in zip(("budget", "fiscal", "other"), want.money, strict=True):
                assert Decimal(row.value(key)) == value
                assert shown(row.cell(key).text) == value
        mine = [f for f in live if f["path"].startswith(folder + "/")]
        for key, level in (("errors", "error"), ("warnings", "warning"), ("infos", "info")):
            assert int(row.value(key)) == sum(1 for f in mine if f["level"] == level), (folder, key)
        chips = dict(re.findall(r"([a-z-]+) (\d+)", row.cell("rules").text))
        assert {k: int(v) for k, v in chips.items()} == Counter(f["rule"] for f in mine), folder


def test_the_projects_table_agrees_with_the_model(reports: Reports,
                                                 expected: dict[str, Expected]) -> None:
    rows = {r.attrs["data-file"]: r for r in reports.page.table("projects-table").rows}
    projects = {f: p for e in expected.values() for f, p in e.by_file.items()}
    assert set(rows) == set(projects)
    for file, project in projects.items():
        row = rows[file]
        budget, plan = project.model.budget, project.model.funding_plan
        assert Decimal(row.value("total")) == budget.total
        assert row.cell("total").attrs["data-unit"] == project.money_unit
        factor = FACTORS.get(project.money_unit)
        for key, amount in (("total_wan", budget.total), ("fiscal_wan", budget.fiscal),
                            ("other_wan", budget.other)):
            if factor is None:
                assert row.value(key) == ""
            else:
                assert Decimal(row.value(key)) == (amount or Decimal(0)) * factor
        for key in ("mar", "jun", "oct", "dec"):
            assert Decimal(row.value(key)) == getattr(plan, key)
        has = any(ind.level1 == "满意度指标" for ind in project.model.indicators)
        assert row.value("satisfaction") == ("1" if has else "0")


def test_a_money_unit_that_is_not_recognised_is_listed_apart(reports: Reports) -> None:
    rows = reports.page.table("uncounted-table").rows
    assert len(rows) == 1
    assert rows[0].cells[3].text == "千元"
    assert "1 个项目的金额单位无法识别" in reports.html


def test_back_loaded_and_missing_satisfaction(reports: Reports) -> None:
    # The median is 25/50/75/100: u004's first project (5/15/45) and two of yunling's
    # (10/35/75 and 15/40/80) are below it at 3月底 and 6月底.
    late = [r.cells[1].text for r in reports.page.table("late-table").rows[1:]]
    rows = [r for r in reports.page.table("projects-table").rows if r.attrs["data-late"] == "1"]
    assert len(late) == len(rows) == 3
    assert {(r.value("mar"), r.value("jun"), r.value("oct")) for r in rows} == {
        ("5", "15", "45"), ("10", "35", "75"), ("15", "40", "80")}
    assert len(reports.page.table("no-satisfaction-table").rows) == 1
    assert "进度偏后：3月底、6月底、10月底三个时点中" in reports.html


def test_the_workbook_carries_the_same_numbers(reports: Reports,
                                              expected: dict[str, Expected]) -> None:
    wb = load_workbook(reports.xlsx)
    assert wb.sheetnames == ["汇总", "单位", "项目", "问题"]
    summary = {row[0]: row[1] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)
               if row[0]}
    total, fiscal, other = _grand(expected)
    assert Decimal(str(summary["预算数合计（万元）"])) == total
    assert Decimal(str(summary["其中：财政资金（万元）"])) == fiscal
    assert Decimal(str(summary["其他资金（万元）"])) == other
    assert summary["单位（文档）数"] == 52
    for name in ("单位", "项目", "问题"):
        assert wb[name].freeze_panes == "A2"
        assert wb[name].column_dimensions["A"].width > 10
    units = wb["单位"]
    header = [c.value for c in units[1]]
    for row in units.iter_rows(min_row=2, values_only=True):
        record = dict(zip(header, row, strict=True))
        want = expected[record["文件夹"]]
        if want.money is None:
            assert record["预算数（万元）"] is None
            continue
        assert record["项目数"] == want.projects and isinstance(record["项目数"], int)
        for key, value in zip(("预算数（万元）", "财政资金（万元）", "其他资金（万元）"),
                              want.money, strict=True):
            assert isinstance(record[key], (int, float)) and Decimal(str(record[key])) == value
    projects = wb["项目"]
    header = [c.value for c in projects[1]]
    by_file = {p: e for e in expected.values() for p in e.by_file}
    seen = 0
    for row in projects.iter_rows(min_row=2, values_only=True):
        record = dict(zip(header, row, strict=True))
        project = expected_project(expected, record["文件"])
        assert Decimal(str(record["预算数（原单位）"])) == project.model.budget.total
        assert Decimal(str(record["3月底（%）"])) == project.model.funding_plan.mar
        assert record["文件"] in by_file
        seen += 1
    assert seen == len(by_file)
    # A name starting with "=" is text, never a formula Excel would compute.
    names = [c for c in projects["C"] if str(c.value).startswith("=SUM(1,2)")]
    assert len(names) == 1 and names[0].data_type == "s"
    # So is a unit's name, in 汇总's list of projects whose money unit is unknown too.
    units = [c for row in wb["汇总"].iter_rows() for c in row
             if str(c.value).startswith("=HYPERLINK(1)")]
    assert len(units) == 1 and units[0].data_type == "s"


def expected_project(expected: dict[str, Expected], file: str) -> Any:
    return next(e.by_file[file] for e in expected.values() if file in e.by_file)


# --------------------------------------------------------------------------- findings


def _key(f: dict[str, Any]) -> tuple[Any, ...]:
    return (f["path"], f["line"], f["col"], f["level"], f["rule"], f["message"],
            bool(f.get("suppressed")))


def test_every_finding_of_check_appears_once_in_the_page(reports: Reports) -> None:
    levels = {"错误": "error", "警告": "warning", "提示": "info"}
    found = []
    for row in reports.page.findings():
        path, line, col = row.cells[2].text.rsplit(":", 2)
        level = levels[row.cells[0].text.split()[0]]
        assert level == row.attrs["data-level"]
        found.append((path, int(line), int(col), level, row.attrs["data-rule"],
                      row.cells[3].text, row.attrs["data-suppressed"] == "1"))
    want = Counter(_key(f) for f in reports.findings)
    assert any(k[-1] for k in want)  # u008's comments silenced some
    assert Counter(found) == want
    assert max(want.values()) == 1


def test_every_finding_of_check_appears_once_in_the_workbook(reports: Reports) -> None:
    sheet = load_workbook(reports.xlsx)["问题"]
    levels = {"错误": "error", "警告": "warning", "提示": "info"}
    found = Counter(
        (path, line, col, levels[level], rule, message, suppressed == "是")
        for rule, level, _unit, path, line, col, message, suppressed
        in sheet.iter_rows(min_row=2, values_only=True))
    assert found == Counter(_key(f) for f in reports.findings)
    assert sheet.cell(row=2, column=4).hyperlink is not None


def test_finding_locations_are_links_with_the_line(reports: Reports) -> None:
    row = reports.page.findings()[0]
    assert re.search(r'<a href="[^"]+\.yaml#L\d+">', reports.html)
    assert row.cells[2].text.count(":") >= 2


# --------------------------------------------------------------------------- the page itself


def test_the_page_is_self_contained_and_escapes_user_text(reports: Reports) -> None:
    html = reports.html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "http:" not in html and "https:" not in html and "//cdn" not in html
    assert not re.search(r'\b(?:src|href)="//', html)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # the sorting script, and nothing of the user's
    assert "@media print" in html
    assert reports.page.title == "部门预算绩效文本汇总报告"


def test_usage_errors_and_nothing_to_read(tmp_path: Path, workspace: Path) -> None:
    code, _out, err = run("report", EXAMPLE, "-o", tmp_path / "report.pdf")
    assert code == 2 and "FILE.html or FILE.xlsx" in err
    (tmp_path / "folder.html").mkdir()
    assert run("report", EXAMPLE, "-o", tmp_path / "folder.html")[0] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, _err = run("report", empty, "-o", tmp_path / "r.html")
    assert code == 1 and "no document.yaml" in out
    assert not (tmp_path / "r.html").exists()


# --------------------------------------------------------------------------- built or not


def _states(target: Path) -> dict[str, tuple[str, str]]:
    page = Page(target.read_text(encoding="utf-8"))
    return {r.attrs["data-folder"]: (r.cell("docx").attrs["data-state"],
                                     r.cell("pdf").attrs["data-state"])
            for r in page.table("units-table").rows}


def test_fresh_stale_and_not_built(tmp_path: Path) -> None:
    built, never = tmp_path / "sanjia_2024", tmp_path / "yunling_2024"
    shutil.copytree(EXAMPLE, built, ignore=shutil.ignore_patterns("build"))
    shutil.copytree(YUNLING, never, ignore=shutil.ignore_patterns("build"))
    assert run("build", built, "--format", "docx")[0] == 0
    target = tmp_path / "out" / "report.html"
    assert run("report", built, never, "-o", target)[0] == 0
    states = _states(target)
    assert states[display_path(built)] == ("fresh", "missing")
    assert states[display_path(never)] == ("missing", "missing")
    docx = next((built / "build").glob("*.docx"))
    assert f'href="../sanjia_2024/build/{quote(docx.name)}"' in target.read_text(encoding="utf-8")

    edit(built / "projects" / "01-zhucun.yaml", "total: 6.19", "total: 6.20")
    assert run("report", built, never, "-o", target)[0] == 0
    assert _states(target)[display_path(built)] == ("stale", "missing")


def test_outputs_of_a_build_with_o(tmp_path: Path) -> None:
    doc = tmp_path / "sanjia_2024"
    shutil.copytree(EXAMPLE, doc, ignore=shutil.ignore_patterns("build"))
    out = tmp_path / "built"
    assert run("build", doc, "--format", "docx", "-o", out)[0] == 0
    target = tmp_path / "report.html"
    assert run("report", doc, "-o", target)[0] == 0
    assert _states(target)[display_path(doc)] == ("missing", "missing")
    assert run("report", doc, "-o", target, "--outputs", out)[0] == 0
    assert _states(target)[display_path(doc)] == ("fresh", "missing")
    # A .docx changed by hand after the build no longer matches its stamp.
    docx = next(out.glob("*.docx"))
    docx.write_bytes(docx.read_bytes() + b"\0")
    assert run("report", doc, "-o", target, "--outputs", out)[0] == 0
    assert _states(target)[display_path(doc)] == ("stale", "missing")


# --------------------------------------------------------------------------- a real browser


def chromium(*args: str, page: Path) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium once on *page*."""
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *args,
                           page.as_uri()], capture_output=True, text=True, timeout=120)


def console_errors(stderr: str) -> list[str]:
    """The lines Chromium logs for the page's console: an uncaught error, or any message.

    Chromium logs every console message as ``INFO:CONSOLE(line)] "text", source: …``
    (console.error too), and an uncaught exception as ``"Uncaught …"``.  The
    report logs nothing, so any such line is a problem.
    """
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def browsed(reports: Reports, tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    page = tmp_path_factory.mktemp("browser") / "report.html"
    page.write_text(reports.html, encoding="utf-8")
    return chromium("--enable-logging=stderr", "--v=0", "--dump-dom", page=page)


@needs_chromium
@pytest.mark.chromium
def test_chromium_shows_the_title_and_the_charts(browsed: subprocess.CompletedProcess[str]) -> None:
    dom = Page(browsed.stdout)
    assert dom.title == "部门预算绩效文本汇总报告"
    assert 'id="budget-chart"' in browsed.stdout and 'id="plan-chart"' in browsed.stdout
    assert dom.svgs >= 2
    # The script ran: it marked the sortable headers.
    assert "sortable-head" in browsed.stdout


@needs_chromium
@pytest.mark.chromium
def test_chromium_logs_no_console_errors(browsed: subprocess.CompletedProcess[str]) -> None:
    assert console_errors(browsed.stderr) == []


@needs_chromium
@pytest.mark.chromium
def test_the_console_check_catches_a_broken_script(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>x'
                    "</title></head><body><script>notDefined();</script></body></html>",
                    encoding="utf-8")
    done = chromium("--enable-logging=stderr", "--v=0", "--dump-dom", page=page)
    assert any("Uncaught ReferenceError" in line for line in console_errors(done.stderr))


@needs_chromium
@pytest.mark.chromium
def test_chromium_takes_a_screenshot(reports: Reports, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(reports.html, encoding="utf-8")
    shot = tmp_path / "report.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars", page=page)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    assert len(data) > 50_000  # a page, not a blank

