"""Read the budget system's workbook, or any sheet with the indicator columns.

The budget system exports two sheets: 绩效指标, one row per 三级指标 with the
value split into 计算符号, 指标值 and 计量单位, and 项目, one row per project
with its budget, spending plan and goals.  Hand-made workbooks are accepted
too: any sheet whose header (within its first 10 rows) has 一级指标, 二级指标,
三级指标 and 指标值 is read, its other columns found by their header names,
and project columns (预算数, 绩效目标, …) on the same sheet count as well.

Rows are grouped into projects by 项目编码, else by 项目名称, else all rows
are one project, in the order projects first appear.  A workbook has no
cover, overall goal or measures: ``Draft.document`` and ``Draft.goals`` stay
``None`` and ``placeholder_document`` / ``placeholder_goals`` supply parts
marked 【待填写】 for the caller to use when no .docx gives them.  Every value
that was inferred or is a placeholder carries a Chinese comment; every cell
that has no place in a project file goes to ``_unplaced`` with a warning.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from perfdoc.i18n import Whole, _
from perfdoc.imports.draft import RULE, Draft, Number, Part, Place, Prose
from perfdoc.problems import Level, Problem
from perfdoc.rules.placeholder import MARKER
from perfdoc.values import OPERATORS

#: The header row is looked for in this many rows from the top (titles sit above it).
HEADER_ROWS = 10

#: The columns an indicator sheet must have.
REQUIRED = ("一级指标", "二级指标", "三级指标", "指标值")

#: Indicator columns: one value per row.
INDICATOR_COLUMNS = frozenset(
    {"一级指标", "二级指标", "三级指标", "绩效指标描述", "计算符号", "指标值", "计量单位",
     "指标值确定依据"})

#: Project columns: one value per project, wherever it is written.
PROJECT_COLUMNS = frozenset(
    {"单位编码", "单位名称", "项目编码", "项目名称", "金额单位", "预算数", "财政资金", "其他资金",
     "资金用途", "3月底", "6月底", "10月底", "12月底", "绩效目标"})

# A 序号 column numbers rows for the eye; perfdoc numbers tables itself, so
# it is neither data nor worth a warning on every row.
_IGNORED = frozenset({"序号"})
_KNOWN = INDICATOR_COLUMNS | PROJECT_COLUMNS | _IGNORED

_MONEY = ("预算数", "财政资金", "其他资金")
#: The spending plan's columns, its keys and the placeholder of each.
_PLAN = (("3月底", "mar", "0"), ("6月底", "jun", "0"), ("10月底", "oct", "0"),
         ("12月底", "dec", "100"))

# Units written straight after the number, as perfdoc's examples write them
# (≥95%); every other unit takes a space (>15 次, ≤7 工作日, 5 km).
_TIGHT_UNITS = ("%", "％", "‰", "℃", "°")
# Operator spellings, longest first, to see that a value carries one already.
_OPERATOR_PREFIX = tuple(sorted(OPERATORS, key=len, reverse=True))
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
# A format showing a fixed number of decimals: 0.00, #,##0.00, 0.0%.
_FIXED_DECIMALS = re.compile(r"(?:#,##)?0\.(0+)%?")
_LINE_BREAK = re.compile(r"[ \t\u3000]*(?:\r\n|[\r\n\u2028\u2029])[ \t\u3000]*")
# Excel shows at most 15 significant digits; more in a stored float are
# binary noise from a formula (0.1 + 0.2 is stored 0.30000000000000004).
_EXCEL_DIGITS = 15


def _shortest(x: float) -> str:
    """Write *x* as the shortest plain decimal that reads back as the same number.

    ``repr`` gives the shortest round-trip digits (0.62, not 0.6200000001);
    ``Decimal`` turns its exponent form into plain notation (1e-05 is 0.00001)
    and drops a bare ``.0`` (95.0 is 95).  Past Excel's 15 significant digits
    the digits are a formula's binary noise, and the number is written as
    Excel shows it (0.30000000000000004 is 0.3).
    """
    if not math.isfinite(x):
        return repr(x)
    text = repr(x)
    mantissa = text.lower().split("e")[0]
    if len(re.sub(r"[^0-9]", "", mantissa).strip("0")) > _EXCEL_DIGITS:
        text = format(x, f".{_EXCEL_DIGITS}g")
    return _plain(Decimal(text))


def _plain(d: Decimal) -> str:
    """Write *d* in plain notation without trailing zeros: ``95``, ``0.00001``."""
    if d.is_zero():
        return "0"  # also for -0.0, which would print "-0"
    return format(d.normalize(), "f")


def _padded(text: str, places: int) -> str:
    """Give the plain number *text* at least *places* decimals: ``11`` is ``11.00``.

    Only zeros are added; digits beyond *places* are kept, never rounded away.
    """
    whole, _dot, decimals = text.partition(".")
    if len(decimals) >= places:
        return text
    return f"{whole}.{decimals.ljust(places, '0')}"


def _cell_text(value: Any, number_format: str) -> str:
    """Return a cell's text: a string trimmed, a number as Excel shows its digits.

    A number formatted as a percentage (stored 0.95, shown 95%) is written as
    it is shown.  Codes stored as numbers with a zero-padded format (000123)
    keep their zeros, and amounts with a fixed number of decimals (11 shown
    ``0.00``) keep theirs: 11.00.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return f"{value.year}年{value.month}月{value.day}日"
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if isinstance(value, (int, float)):
        percent = "%" in number_format
        if isinstance(value, int):
            text = str(value)
            if percent:
                text = _plain(Decimal(value) * 100)
            elif re.fullmatch(r"0+", number_format) and value >= 0:
                text = text.zfill(len(number_format))
        else:
            text = _shortest(value)
            if percent and math.isfinite(value):
                text = _plain(Decimal(text) * 100)
        fixed = _FIXED_DECIMALS.fullmatch(number_format)
        if fixed and _PLAIN_NUMBER.fullmatch(text):
            text = _padded(text, len(fixed.group(1)))
        return text + "%" if percent else text
    return str(value).strip()


def _header(text: str) -> tuple[str, str]:
    """Return a header cell's column name and the bracketed hint after it.

    Full-width forms and spaces anywhere are ignored (``３月底``, ``一级 指标``),
    ``其中：`` before 财政资金 is dropped, and ``预算数（万元）`` is 预算数 with the
    hint 万元.
    """
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    name = re.sub(r"^其中:?", "", name)
    if name in _KNOWN:
        return name, ""
    m = re.fullmatch(r"(.+?)\((.*)\)", name)
    if m and m.group(1) in _KNOWN:
        return m.group(1), m.group(2)
    return name, ""


def _one_line(text: str) -> tuple[str, bool]:
    """Join a cell's lines into one (single-line fields refuse breaks); say if it had several.

    Chinese lines join without a space; a break between two Latin characters
    becomes one.
    """
    def join(m: re.Match[str]) -> str:
        before = m.string[m.start() - 1] if m.start() else ""
        after = m.string[m.end()] if m.end() < len(m.string) else ""
        return " " if before.isascii() and after.isascii() and before and after else ""

    joined = _LINE_BREAK.sub(join, text)
    return joined, joined != text


def _lines(text: str) -> list[str]:
    """Split a cell of several goals, one a line."""
    return [line.strip() for line in _LINE_BREAK.split(text) if line.strip()]


def _number(text: str, *, percent: bool) -> str | None:
    """Return *text* as a plain decimal for a money or percentage field, or ``None``.

    Thousands separators (6,190.00) are dropped, and for a percentage a
    trailing ``%``: neither changes the amount.  Anything else is not a
    number perfdoc could write unquoted.
    """
    text = text.strip()
    if percent:
        text = text.removesuffix("%").removesuffix("％").strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    return text if _PLAIN_NUMBER.fullmatch(text) else None


def _join_value(operator: str, value: str, unit: str) -> str:
    """Return the 指标值 perfdoc writes for 计算符号, 指标值 and 计量单位.

    ``≥`` + ``95`` + ``%`` is ``≥95%``, ``＞`` + ``15`` + ``次`` is ``>15 次``,
    ``＝`` + ``24`` + ``万元`` is ``24 万元``.  A value that already carries an
    operator or ends with its unit gets neither again.  An operator perfdoc
    does not know is kept as written.
    """
    body = value
    if unit and not value.endswith(unit):
        body = value + ("" if unit.startswith(_TIGHT_UNITS) else " ") + unit
    if value.startswith(_OPERATOR_PREFIX):
        return body
    sign = OPERATORS.get(operator, operator)
    return body if sign == "=" else sign + body


def _rows(numbers: Sequence[int]) -> str:
    """Write row numbers as ranges: ``5–7、12``."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


# --------------------------------------------------------------------------- sheets


@dataclass(frozen=True)
class _Cell:
    """A cell's text, and whether it was read from a merged range's top-left cell."""

    text: str
    col: int
    merged: bool = False


@dataclass
class _Sheet:
    """A sheet whose header was found: where its columns are and where data starts."""

    ws: Worksheet
    indicators: bool
    first_row: int
    columns: dict[str, int]
    hints: dict[str, str]
    #: Columns that have no place, by number: the header as written.
    extra: dict[int, str]

    @property
    def title(self) -> str:
        """The sheet's name as shown on its tab, trimmed."""
        return self.ws.title.strip()


def _grid(ws: Worksheet) -> list[list[_Cell]]:
    """Read every cell's text, with merged ranges filled down their first column.

    openpyxl reads the cells of a merged range other than the top-left as
    None; a reader sees the top-left's text over the whole range.  A range
    across several columns belongs to its first: copying 满意度指标 into the
    二级指标 column beside it would invent a value.
    """
    grid = [
        [_Cell(_cell_text(cell.value, getattr(cell, "number_format", "General") or "General"),
               col)
         for col, cell in enumerate(row, start=1)]
        for row in ws.iter_rows()
    ]
    for rng in ws.merged_cells.ranges:
        if rng.min_row > len(grid) or rng.min_col > len(grid[rng.min_row - 1]):
            continue
        top = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row + 1, min(rng.max_row, len(grid)) + 1):
            row = grid[r - 1]
            if rng.min_col <= len(row) and top.text:
                row[rng.min_col - 1] = _Cell(top.text, rng.min_col, merged=True)
    return grid


def _header_names(row: Sequence[_Cell]) -> dict[str, tuple[int, str]]:
    """Return the known column names of a header row: column and hint, first of each."""
    names: dict[str, tuple[int, str]] = {}
    for cell in row:
        name, hint = _header(cell.text)
        if name in _KNOWN and name not in names:
            names[name] = (cell.col, hint)
    return names


def _find_sheet(ws: Worksheet, grid: list[list[_Cell]]) -> _Sheet | set[str]:
    """Find the header row of an indicator or project sheet.

    Without one, return the most of REQUIRED that any of its first rows has,
    so the caller can say which columns are missing.
    """
    best: set[str] = set()
    for r, row in enumerate(grid[:HEADER_ROWS], start=1):
        names = _header_names(row)
        has = set(REQUIRED) & names.keys()
        best = max(best, has, key=len)
        indicators = has == set(REQUIRED)
        keyed = "项目编码" in names or "项目名称" in names
        projects = keyed and ("预算数" in names or ws.title.strip() == "项目")
        if not (indicators or projects):
            continue
        header_rows = [row]
        # A two-row header (资金支出计划 over 3月底 … 12月底): the row below names
        # more columns and has nothing of its own under those already found
        # (a header merged down over both rows reads as merged there).
        if r < len(grid):
            below = grid[r]
            cols = {c for c, _hint in names.values()}
            new = {k: v for k, v in _header_names(below).items() if k not in names}
            if new and not any(c.text and not c.merged for c in below if c.col in cols):
                names.update(new)
                header_rows.append(below)
        wanted = _KNOWN if indicators else PROJECT_COLUMNS | _IGNORED
        columns = {k: c for k, (c, _hint) in names.items() if k in wanted}
        used = set(columns.values())
        width = max((len(line) for line in grid), default=0)
        labels: dict[int, list[str]] = {col: [] for col in range(1, width + 1) if col not in used}
        for line in header_rows:
            for cell in line:
                if cell.col in labels and cell.text and cell.text not in labels[cell.col]:
                    labels[cell.col].append(cell.text)
        return _Sheet(ws, indicators, r + len(header_rows), columns,
                      {k: h for k, (_c, h) in names.items() if h},
                      {col: " ".join(texts) for col, texts in labels.items()})
    return best


# --------------------------------------------------------------------------- projects


@dataclass
class _Project:
    """What the rows of one project gave, before it becomes a Part."""

    part: Part = field(default_factory=Part)
    #: Project values by column name: text, and the sheet and row it came from.
    values: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    money_hint: str = ""
    indicators: list[dict[str, str]] = field(default_factory=list)
    #: The sheet and row of each indicator, for the comment saying where they came from.
    rows: list[tuple[str, int]] = field(default_factory=list)
    level1: str = ""
    level2: str = ""

    def text(self, name: str) -> str:
        """Return the value read for column *name*, or an empty string."""
        found = self.values.get(name)
        return found[0] if found else ""


class _Projects:
    """Projects in the order they first appear, found by code, else by name."""

    def __init__(self) -> None:
        self.all: list[_Project] = []
        self._by_code: dict[str, _Project] = {}
        self._by_name: dict[str, _Project] = {}
        self._anonymous: _Project | None = None

    def find(self, code: str, name: str) -> _Project:
        """Return the project of *code* and *name*, new if neither was seen."""
        if code:
            found = self._by_code.get(code)
            if found is None and name:
                # The same project named on a sheet without codes, seen first.
                other = self._by_name.get(name)
                if other is not None and not other.text("项目编码"):
                    found = other
            if found is None:
                found = self._new()
            self._by_code[code] = found
            if name:
                self._by_name.setdefault(name, found)
            return found
        if name:
            found = self._by_name.get(name)
            if found is None:
                found = self._by_name[name] = self._new()
            return found
        if self._anonymous is None:
            self._anonymous = self._new()
        return self._anonymous

    def _new(self) -> _Project:
        project = _Project()
        self.all.append(project)
        return project


def _place(display: str, sheet: str, row: int, col: int) -> Place:
    return Place(display, row, col, f"工作表“{sheet}”第 {row} 行第 {col} 列")


class _Reader:
    """Reads the rows of every recognised sheet into projects."""

    def __init__(self, draft: Draft, display: str) -> None:
        self.draft = draft
        self.display = display
        self.projects = _Projects()

    def sheet(self, sheet: _Sheet, grid: list[list[_Cell]]) -> None:
        """Read the data rows of *sheet*."""
        last: _Project | None = None
        ignored = {sheet.columns[n] for n in _IGNORED if n in sheet.columns}
        for r in range(sheet.first_row, len(grid) + 1):
            row = grid[r - 1]
            cells = {name: row[col - 1] for name, col in sheet.columns.items()
                     if col <= len(row) and row[col - 1].text}
            own = [c for c in row if c.text and not c.merged and c.col not in ignored]
            if not own:
                continue  # blank, or only the rest of a merged range
            code = cells["项目编码"].text if "项目编码" in cells else ""
            name = cells["项目名称"].text if "项目名称" in cells else ""
            # A row naming no project continues the one above it (a name
            # written once over its rows, unmerged); the first such row of a
            # sheet without project columns makes the one unnamed project.
            project = self.projects.find(code, name) if code or name or last is None else last
            last = project
            for column in sorted(PROJECT_COLUMNS & cells.keys(), key=lambda n: cells[n].col):
                self._project_value(project, sheet, r, column, cells[column])
            if sheet.indicators:
                self._indicator(project, sheet, r, cells)
            for cell in own:
                if cell.col in sheet.extra:
                    header = sheet.extra[cell.col]
                    why = (_("column '{header}' has no place in a project file").format(
                        header=header) if header else _("this column has no header"))
                    self.draft.unplaced(project.part,
                                        f"{header}：{cell.text}" if header else cell.text,
                                        _place(self.display, sheet.title, r, cell.col), why)

    def _project_value(self, project: _Project, sheet: _Sheet, row: int, column: str,
                       cell: _Cell) -> None:
        """Keep the first value of a project column; report a later, different one."""
        text = cell.text
        place = _place(self.display, sheet.title, row, cell.col)
        if column in _MONEY or column in {c for c, _k, _d in _PLAN}:
            number = _number(text, percent=column not in _MONEY)
            if number is None:
                self.draft.unplaced(project.part, f"{column}：{text}", place,
                                    _("not a plain number"))
                return
            text = number
        old = project.values.get(column)
        if old is None:
            project.values[column] = (text, sheet.title, row)
            if column in _MONEY and sheet.hints.get(column) and not project.money_hint:
                project.money_hint = sheet.hints[column]
        elif old[0] != text:
            self.draft.unplaced(project.part, f"{column}：{text}", place,
                                _("differs from the value read first ('{value}')").format(
                                    value=old[0]))

    def _indicator(self, project: _Project, sheet: _Sheet, row: int,
                   cells: dict[str, _Cell]) -> None:
        """Add the row's indicator to *project*, or report why it cannot be one."""
        mine = {n: c for n, c in cells.items() if n in INDICATOR_COLUMNS}
        if not any(not c.merged for c in mine.values()):
            return  # a row of project columns only, as a flat sheet's first row may be
        missing = [n for n in ("三级指标", "指标值") if n not in mine]
        if missing:
            text = "；".join(f"{n}：{c.text}" for n, c in sorted(mine.items(),
                                                                 key=lambda nc: nc[1].col))
            col = sheet.columns[missing[0]]
            why = (_("no 三级指标 in this row") if missing[0] == "三级指标"
                   else _("no 指标值 in this row"))
            self.draft.unplaced(project.part, text, _place(self.display, sheet.title, row, col),
                                why)
            return
        i = len(project.indicators)
        part = project.part
        indicator: dict[str, str] = {}
        level1 = mine["一级指标"].text if "一级指标" in mine else ""
        level2 = mine["二级指标"].text if "二级指标" in mine else ""
        if not level1 and project.level1:
            level1 = project.level1
            part.note(f"indicators.{i}.level1", f"一级指标空白，沿用上一行的“{level1}”")
        elif not level1:
            level1 = f"{MARKER}一级指标"
            part.note(f"indicators.{i}.level1", "一级指标空白，待填写")
        # A new 一级指标 starts a new group: the 二级指标 above belongs to the old one.
        if not level2 and project.level2 and level1 == project.level1:
            level2 = project.level2
            part.note(f"indicators.{i}.level2", f"二级指标空白，沿用上一行的“{level2}”")
        elif not level2:
            level2 = f"{MARKER}二级指标"
            part.note(f"indicators.{i}.level2", "二级指标空白，待填写")
        project.level1, project.level2 = level1, level2
        indicator["level1"], indicator["level2"] = level1, level2
        for key, column in (("name", "三级指标"), ("description", "绩效指标描述"),
                            ("value", "指标值"), ("basis", "指标值确定依据")):
            if column not in mine:
                continue
            text = mine[column].text
            if key == "value":
                text = self._value(project, sheet, row, mine, i)
            text, joined = _one_line(text)
            if joined:
                part.note(f"indicators.{i}.{key}", f"“{column}”单元格内的换行已合并为一行")
            indicator[key] = text
        project.indicators.append(indicator)
        project.rows.append((sheet.title, row))

    def _value(self, project: _Project, sheet: _Sheet, row: int, mine: dict[str, _Cell],
               i: int) -> str:
        """Rebuild the 指标值 from 计算符号, 指标值 and 计量单位."""
        value = mine["指标值"].text
        operator = re.sub(r"\s+", "", mine["计算符号"].text) if "计算符号" in mine else ""
        unit = mine["计量单位"].text if "计量单位" in mine else ""
        if operator == "定性":
            # The whole qualitative value is in 指标值; a unit beside it has no place.
            if unit and not value.endswith(unit):
                cell = mine["计量单位"]
                self.draft.unplaced(project.part, f"计量单位：{unit}",
                                    _place(self.display, sheet.title, row, cell.col),
                                    _("a qualitative value takes no 计量单位"))
            return value
        if operator and operator not in OPERATORS:
            project.part.note(f"indicators.{i}.value",
                              f"计算符号“{operator}”不是常用符号，已照原样写在数值前")
        return _join_value(operator, value, unit)


# --------------------------------------------------------------------------- parts


def _project_part(project: _Project) -> Part:
    """Write a project's values in the order of a project file, noting every guess."""
    part = project.part
    values = part.values

    def text(column: str, key: str, missing: str) -> None:
        found = project.text(column)
        line, joined = _one_line(found)
        if line:
            values[key] = line
            if joined:
                part.note(key, f"“{column}”单元格内的换行已合并为一行")
        else:
            values[key] = f"{MARKER}{column}"
            part.note(key, missing)

    text("单位编码", "unit_code", "单位编码未知，待填写")
    text("单位名称", "unit_name", "单位名称未知，待填写")
    money_unit = project.text("金额单位")
    if money_unit:
        values["money_unit"] = _one_line(money_unit)[0]
    elif project.money_hint:
        values["money_unit"] = project.money_hint
        part.note("money_unit", f"取自预算数列标题中的“{project.money_hint}”")
    text("项目编码", "code", "项目编码未知，待填写")
    text("项目名称", "name", "项目名称未知，待填写")

    total, fiscal, other = (project.text(c) for c in _MONEY)
    budget: dict[str, Number | None]
    if total:
        budget = {"total": Number(total)}
        where = project.values["预算数"]
        part.note("budget", f"从“{where[1]}”表第 {where[2]} 行读入")
    elif fiscal or other:
        budget = {"total": Number(format(Decimal(fiscal or "0") + Decimal(other or "0"), "f"))}
        part.note("budget.total", "预算数未填，按财政资金与其他资金之和推定，请核对")
    else:
        budget = {"total": Number("0")}
        part.note("budget.total", "预算数未知，待填写")
    budget["fiscal"] = Number(fiscal) if fiscal else None
    budget["other"] = Number(other) if other else None
    values["budget"] = budget

    use = project.text("资金用途")
    if use:
        values["use_of_funds"], joined = _one_line(use)
        if joined:
            part.note("use_of_funds", "“资金用途”单元格内的换行已合并为一行")

    plan: dict[str, Number] = {}
    known = [column for column, _key, _default in _PLAN if project.text(column)]
    for column, key, default in _PLAN:
        written = project.text(column)
        plan[key] = Number(written or default)
        if known and not written:
            part.note(f"funding_plan.{key}", f"{column}未填，暂按 {default} 填写，待核实")
    if not known:
        part.note("funding_plan", "资金支出计划未知，暂按 0、0、0、100 填写，待核实")
    values["funding_plan"] = plan

    goals = _lines(project.text("绩效目标"))
    if goals:
        values["goals"] = goals
    else:
        values["goals"] = [f"{MARKER}项目绩效目标"]
        part.note("goals", "项目绩效目标未知，待填写")

    if project.indicators:
        values["indicators"] = project.indicators
        by_sheet: dict[str, list[int]] = {}
        for sheet, row in project.rows:
            by_sheet.setdefault(sheet, []).append(row)
        part.note("indicators", "从" + "、".join(
            f"“{sheet}”表第 {_rows(rows)} 行" for sheet, rows in by_sheet.items()) + "读入")
    else:
        values["indicators"] = [{
            "level1": f"{MARKER}一级指标", "level2": f"{MARKER}二级指标",
            "name": f"{MARKER}三级指标", "value": f"{MARKER}指标值",
        }]
        part.note("indicators", "未读到绩效指标，待填写")
    return part


def _sheets(workbook: Workbook) -> Iterator[Worksheet]:
    # Chart sheets hold no cells.
    for ws in workbook.worksheets:
        if isinstance(ws, Worksheet):
            yield ws


def read_xlsx(path: Path, data: bytes, display: str) -> Draft:
    """Read a workbook's projects into a Draft with no document or goals part.

    *data* are the file's bytes, already checked against the zip limits;
    *display* is the path problems name.  *path* is the file itself; every
    reader takes the same arguments, and this one needs only the bytes.
    """
    draft = Draft()
    try:
        # openpyxl warns on stderr about extensions it drops (data validation,
        # conditional formats); none of them carries a value.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Normal mode, not read-only: only it knows the merged ranges.
            # data_only: a formula's cached result, which is what the sheet shows.
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True,
                                              keep_links=False)
    except Exception as exc:  # a damaged package raises anything; it is the user's to fix
        draft.problems.append(Problem(display, 1, 1, Level.ERROR, RULE, _(
            "cannot read this workbook: {reason}").format(reason=str(exc) or type(exc).__name__)))
        return draft

    reader = _Reader(draft, display)
    found = False
    best: set[str] = set()
    best_title = ""
    for ws in _sheets(workbook):
        grid = _grid(ws)
        sheet = _find_sheet(ws, grid)
        if isinstance(sheet, set):
            if len(sheet) > len(best):
                best, best_title = sheet, ws.title.strip()
            if ws.sheet_state == "visible" and any(c.text for row in grid for c in row):
                draft.warn(Place(display, 1, 1, f"工作表“{ws.title.strip()}”"), _(
                    "sheet '{sheet}' was not read: it has no indicator or project columns").format(
                        sheet=ws.title.strip()))
            continue
        found = found or sheet.indicators
        reader.sheet(sheet, grid)

    if not found:
        if best:
            message = _("sheet '{sheet}' lacks the columns {columns}; an indicator sheet needs "
                        "一级指标, 二级指标, 三级指标 and 指标值").format(
                sheet=best_title,
                columns=Whole("、".join(name for name in REQUIRED if name not in best)))
        else:
            message = _("no sheet has the columns 一级指标, 二级指标, 三级指标 and 指标值 in its "
                        "first {rows} rows").format(rows=HEADER_ROWS)
        return Draft(problems=[Problem(display, 1, 1, Level.ERROR, RULE, message)])

    draft.projects = [_project_part(project) for project in reader.projects.all]
    return draft


# --------------------------------------------------------------------------- placeholders


def placeholder_document(
    unit: str | None, year: int | None, *, unit_code: str | None = None,
    unit_name: str | None = None, money_unit: str | None = None,
) -> Part:
    """Return a document.yaml that validates, marked 【待填写】 where nothing is known.

    *year* defaults to next calendar year (budgets are drafted the year
    before); *unit* to a placeholder.  The keyword values, when given, are
    written as document.yaml's defaults for every project.
    """
    part = Part()
    values = part.values
    if unit:
        values["unit"] = unit
    else:
        values["unit"] = f"{MARKER}单位名称"
        part.note("unit", "单位名称未知，待填写")
    if year is None:
        year = datetime.date.today().year + 1
        part.note("year", f"年度未知，暂按 {year} 年填写，待核实")
    values["year"] = Number(str(year))
    for key, value in (("unit_code", unit_code), ("unit_name", unit_name),
                       ("money_unit", money_unit)):
        if value:
            values[key] = value
    values["cover"] = {
        "title": "部门预算绩效文本",
        "draft_marker": "（草案）",
        "compiled_by": f"{unit}编制" if unit else f"{MARKER}编制单位",
        "reviewed_by": f"{MARKER}财政局审核",
    }
    if unit:
        part.note("cover.compiled_by", "按单位名称推定，请核对")
    else:
        part.note("cover.compiled_by", "编制单位待填写，如“××人民政府编制”")
    part.note("cover.reviewed_by", "审核单位待填写，如“××县财政局审核”；不印此行可删去")
    values["settings"] = {"decimals": Number("2"), "profile": "default"}
    values["overall_goal"] = Prose((f"{MARKER}总体绩效目标",))
    part.note("overall_goal", "总体绩效目标待填写，每段一行")
    return part


def placeholder_goals() -> Part:
    """Return a goals.yaml that validates: one itemized goal and one measure, to fill in."""
    part = Part()
    part.values["itemized_goals"] = [{
        "title": f"{MARKER}分项绩效目标标题",
        "goal": Prose((f"{MARKER}绩效目标",)),
        "indicators": Prose((f"{MARKER}绩效指标",)),
    }]
    part.note("itemized_goals", "分项绩效目标待填写，可写多项")
    part.values["measures"] = [{
        "lead": f"{MARKER}保障措施要点句。",
        "body": Prose((f"{MARKER}保障措施正文",)),
    }]
    part.note("measures", "工作保障措施待填写，可写多条")
    return part
