"""Write documents' projects as the budget system's workbook (``perfdoc export``).

The 预算管理一体化系统 takes project targets as a workbook of two sheets, the
same two ``perfdoc import`` reads (``imports/xlsx.py``):

- 绩效指标: one row per 三级指标, its 指标值 split into 计算符号, 指标值 and
  计量单位;
- 项目: one row per project, with its budget, spending plan and goals.

A workbook carries no cover, 总体绩效目标 or measures, so only the projects
go into it.  Values are split by the parser the rules use
(``Indicator.parsed``), so ``export`` and ``check`` never disagree about
which targets are quantified.  Money and percentages are number cells holding
exactly the decimal the YAML wrote, with a number format that shows the
decimals written, so Excel displays 11.00 where the YAML says 11.00.

Every document is loaded and validated as ``perfdoc validate`` does; if any
has errors nothing is written, so a workbook is never missing a document
without anyone noticing.  The file is replaced atomically, and equal input
gives a byte-identical workbook.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from perfdoc.document import Document, Project
from perfdoc.model import Indicator
from perfdoc.problems import Problem, has_failures

#: The sheets, named as the budget system names them (and ``perfdoc import`` reads them).
INDICATOR_SHEET = "绩效指标"
PROJECT_SHEET = "项目"

#: The columns of each sheet, in the budget system's order.
INDICATOR_COLUMNS = ("单位编码", "单位名称", "项目编码", "项目名称", "一级指标", "二级指标",
                     "三级指标", "绩效指标描述", "计算符号", "指标值", "计量单位", "指标值确定依据")
PROJECT_COLUMNS = ("单位编码", "单位名称", "项目编码", "项目名称", "金额单位", "预算数", "财政资金",
                   "其他资金", "资金用途", "3月底", "6月底", "10月底", "12月底", "绩效目标")

#: 计算符号 of a value that is not operator + number + unit.
QUALITATIVE = "定性"

#: The parser's canonical operators (``values.OPERATORS``' values) as 计算符号.
#: The budget system writes the strict comparisons and equality full-width.
SYMBOLS: dict[str, str] = {"≥": "≥", "≤": "≤", ">": "＞", "<": "＜", "=": "＝"}

#: Excel keeps and shows 15 significant digits; a number with more would be
#: shown (and stored) rounded, so it is written as text, exactly.
EXCEL_DIGITS = 15

#: A number cell's value: what openpyxl writes as a number, or the exact text.
CellNumber = int | float | str
#: A row's value before it is written: text, a number as the YAML wrote it, or empty.
RowValue = str | Decimal | None

# Column widths in Excel's units (about one Latin character): a CJK character
# counts two, and no column grows past _MAX_WIDTH (long goals wrap instead).
_MIN_WIDTH = 6
_MAX_WIDTH = 60
_WRAPPED = frozenset({"绩效目标", "资金用途", "项目名称", "绩效指标描述"})

# The time written into the package: a zip entry cannot be dated before 1980,
# and a fixed time keeps equal input byte-identical, as the .docx is.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SplitValue:
    """An 指标值 as the budget system's three columns."""

    symbol: str
    #: The number as the YAML wrote it, or the whole text of a qualitative value.
    value: Decimal | str
    unit: str


def split_value(indicator: Indicator) -> SplitValue:
    """Split *indicator*'s 指标值 into 计算符号, 指标值 and 计量单位.

    ``≥95%`` is ``≥``, 95, ``%``; ``>15 次`` is ``＞``, 15, ``次``; a number
    without a sign is ``＝``.  A value the parser does not read (有效提升) is
    ``定性`` with the text as written and no unit.  So is a date such as
    ``2024 年 11 月底前``: the parser would read 2024 with the unit
    ``年 11 月底前``, and the rules (value-format, unknown-unit) do not treat
    it as a quantity either.
    """
    from perfdoc.rules.base import DATE  # the rules' own test for a date

    parsed = indicator.parsed
    if parsed is None or DATE.search(indicator.value):
        return SplitValue(QUALITATIVE, indicator.value, "")
    return SplitValue(SYMBOLS[parsed.operator], parsed.number, parsed.unit)


def decimal_places(number: Decimal) -> int:
    """Return how many decimals *number* was written with: 2 for 11.00, 0 for 25."""
    exponent = number.as_tuple().exponent
    # Only finite numbers reach here (the model refuses NaN and infinity).
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def number_cell(number: Decimal) -> tuple[CellNumber, str]:
    """Return the cell value and number format that show *number* exactly as written.

    An integral number is an ``int`` (11.00 is 11, shown ``0.00``), any other
    a ``float`` whose shortest form is the decimal (6.19 is 6.19, not
    6.1900000000000004).  A number of more than 15 significant digits cannot
    be a cell Excel shows exactly; it is written as text (format ``@``), so
    nothing is rounded without a word.
    """
    places = decimal_places(number)
    significant = 0 if number.is_zero() else len(number.normalize().as_tuple().digits)
    if significant > EXCEL_DIGITS:
        return format(number, "f"), "@"
    fmt = "0." + "0" * places if places else "0"
    if number == number.to_integral_value():
        return int(number), fmt
    return float(number), fmt


def _optional(text: str | None) -> str | None:
    """Return *text*, or ``None`` for an empty one: an empty cell, as the system leaves it."""
    return text or None


def indicator_rows(project: Project) -> list[list[RowValue]]:
    """Return the 绩效指标 rows of *project*, one per indicator, every cell filled in.

    一级 and 二级 are repeated on each row rather than merged: the budget
    system reads rows, and a merged cell reads as empty below its first row.
    """
    model = project.model
    rows: list[list[RowValue]] = []
    for indicator in model.indicators:
        split = split_value(indicator)
        rows.append([project.unit_code, project.unit_name, model.code, model.name,
                     indicator.level1, indicator.level2, indicator.name,
                     _optional(indicator.description), split.symbol, split.value,
                     _optional(split.unit), _optional(indicator.basis)])
    return rows


def project_row(project: Project) -> list[RowValue]:
    """Return the 项目 row of *project*; the unit line as resolved with document.yaml."""
    model = project.model
    budget, plan = model.budget, model.funding_plan
    return [project.unit_code, project.unit_name, model.code, model.name, project.money_unit,
            budget.total, budget.fiscal, budget.other, _optional(model.use_of_funds),
            plan.mar, plan.jun, plan.oct, plan.dec, "\n".join(model.goals)]


def _write_row(ws: Worksheet, r: int, row: Sequence[RowValue]) -> None:
    """Write *row* as row *r* of *ws*, each Decimal as a number cell shown as written.

    The row number is given, not read from ``ws.max_row``, which openpyxl
    works out by looking at every cell: per row, that made a large table
    take quadratic time.
    """
    for column, value in enumerate(row, start=1):
        if value is None:
            continue  # an empty cell, not an empty string
        if isinstance(value, Decimal):
            number, fmt = number_cell(value)
            ws.cell(r, column, number).number_format = fmt
        else:
            cell = ws.cell(r, column, value)
            # openpyxl takes text starting with "=" for a formula; a value such
            # as "=有效提升" is text, and Excel must neither compute nor drop it.
            cell.data_type = "s"


def _display_width(text: str) -> int:
    """Return the width of *text*'s longest line, a CJK character counting two."""
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in text.split("\n")), default=0)


def _shown(cell: Cell | MergedCell) -> str:
    """Return roughly what Excel shows in *cell*, to size its column."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        places = cell.number_format.partition(".")[2].count("0")
        return f"{value:.{places}f}"
    return str(value)


def _header(ws: Worksheet, columns: Sequence[str]) -> None:
    """Write the header row in bold and keep it in view while scrolling."""
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "A2"


def _finish(ws: Worksheet, columns: Sequence[str]) -> None:
    """Size every column to its widest cell, and wrap the long text columns."""
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = [row[0] for row in ws.iter_rows(min_col=index, max_col=index)]
        widest = max((_display_width(_shown(c)) for c in cells), default=0)
        ws.column_dimensions[letter].width = min(max(widest + 2, _MIN_WIDTH), _MAX_WIDTH)
        if name in _WRAPPED:
            for cell in cells[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(documents: Sequence[Document]) -> Workbook:
    """Build the workbook of *documents*' projects, one document after another."""
    book = Workbook()
    indicators = book.active
    assert isinstance(indicators, Worksheet)  # a new workbook has one worksheet
    indicators.title = INDICATOR_SHEET
    projects = book.create_sheet(PROJECT_SHEET)
    _header(indicators, INDICATOR_COLUMNS)
    _header(projects, PROJECT_COLUMNS)
    every = [project for doc in documents for project in doc.projects]
    # Row 1 is the header.
    for r, row in enumerate((row for p in every for row in indicator_rows(p)), start=2):
        _write_row(indicators, r, row)
    for r, project in enumerate(every, start=2):
        _write_row(projects, r, project_row(project))
    _finish(indicators, INDICATOR_COLUMNS)
    _finish(projects, PROJECT_COLUMNS)
    return book


def workbook_bytes(documents: Sequence[Document], when: datetime.datetime) -> bytes:
    """Return the .xlsx of *documents*, dated *when*, the same bytes for the same input.

    openpyxl's ``save`` stamps the current time into the properties and every
    zip entry; here the properties say *when* and the entries a fixed time.
    """
    book = workbook(documents)
    book.properties.creator = "perfdoc"
    book.properties.created = book.properties.modified = when
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(written) as source, \
            zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info))
    return fixed.getvalue()


@dataclass
class Exported:
    """The outcome: problems to print, what was written, and the exit code."""

    problems: list[Problem] = field(default_factory=list)
    written: Path | None = None
    documents: int = 0
    projects: int = 0
    indicators: int = 0
    #: Documents that failed validation; when there are any, nothing is written.
    broken: int = 0
    exit_code: int = 0


def load_documents(folders: Sequence[Path]) -> tuple[list[Document], list[Problem], int]:
    """Load and validate *folders* as ``perfdoc validate`` does (no rules).

    Returns the documents that passed, every problem found, and how many
    documents failed.
    """
    from perfdoc.check import CheckOptions, check_folder

    documents: list[Document] = []
    problems: list[Problem] = []
    broken = 0
    for folder in folders:
        # perfdoc.toml is checked too, exactly as validate checks it.
        doc, _workspace, found = check_folder(folder, CheckOptions(), rules=False)
        problems += found
        if doc is None or has_failures(found):
            broken += 1
        else:
            documents.append(doc)
    return documents, problems, broken


def export_workbook(folders: Sequence[Path], target: Path) -> Exported:
    """Write the projects of the documents in *folders* into the workbook *target*.

    Nothing is written when any document fails validation: a workbook that
    silently lacks a document would be uploaded as complete.  Raises
    ``OutputError`` (exit 3) when the file cannot be written.
    """
    from perfdoc.outputs import write_together
    from perfdoc.render import document_date

    documents, problems, broken = load_documents(folders)
    done = Exported(problems=problems, documents=len(documents), broken=broken)
    if broken or not documents:
        done.exit_code = 1
        return done
    first = documents[0].meta
    # The .docx's rule for its date: settings.date, SOURCE_DATE_EPOCH, or 1 January.
    when = document_date(first.settings.date, first.year)
    write_together({target: workbook_bytes(documents, when)})
    done.written = target
    done.projects = sum(len(doc.projects) for doc in documents)
    done.indicators = sum(len(p.model.indicators) for doc in documents for p in doc.projects)
    return done
