"""The report as an .xlsx workbook (openpyxl): the page's content as sheets.

Split from ``report.py``, which gathers what the workbook holds.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perfdoc import __version__
from perfdoc.problems import Level, display_path

if TYPE_CHECKING:
    pass

from perfdoc.report import (
    BACK_LOADED,
    LEVEL_LABELS,
    STATE_LABELS,
    Output,
    Report,
)
from perfdoc.report_html import linker, rule_names

# --------------------------------------------------------------------------- XLSX

_AMOUNT_FORMAT = "#,##0.00########"
_PERCENT_FORMAT = "0.##"


def _number(value: Decimal | None) -> float | str | None:
    """Return an amount for a cell: a number whenever the file can hold it exactly.

    A cell holds a double, written as the shortest text that reads back the
    same; for up to 15 significant digits that text is the decimal itself.
    Longer amounts (never seen in a budget) are written as exact text.
    """
    if value is None:
        return None
    digits = len(value.normalize().as_tuple().digits)
    return float(value) if digits <= 15 else f"{value:f}"


def render_xlsx(report: Report) -> bytes:
    """Render the workbook: 汇总, 单位, 项目 and 问题, with the page's content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    href = linker(report.target.parent)
    # Named styles: set by name, a cell's style costs a lookup, not a comparison of fonts.
    for style in (
        NamedStyle("表头", font=Font(bold=True), fill=PatternFill("solid", fgColor="E8EEF7"),
                   alignment=Alignment(vertical="center", wrap_text=True)),
        NamedStyle("链接", font=Font(color="1F4E8C", underline="single")),
        NamedStyle("金额", number_format=_AMOUNT_FORMAT),
        NamedStyle("百分比", number_format=_PERCENT_FORMAT),
        NamedStyle("整数", number_format="0"),
    ):
        wb.add_named_style(style)
    Link = Callable[[int], "str | None"]

    def table(ws: Worksheet, headers: Sequence[tuple[str, int]],
              rows: Iterable[Sequence[Any]], styles: dict[int, str] | None = None,
              links: dict[int, Link] | None = None, filters: bool = True) -> None:
        ws.append([name for name, _width in headers])
        for col, (_name, width) in enumerate(headers, start=1):
            ws.cell(row=1, column=col).style = "表头"
            ws.column_dimensions[get_column_letter(col)].width = width
        for i, values in enumerate(rows):
            ws.append(list(values))
            for col, value in enumerate(values, start=1):
                if isinstance(value, str) and value.startswith("="):
                    # openpyxl takes it for a formula; a name such as "=SUM(…)" is text.
                    ws.cell(row=i + 2, column=col).data_type = "s"
            for col, style in (styles or {}).items():
                ws.cell(row=i + 2, column=col).style = style
            for col, target_of in (links or {}).items():
                target = target_of(i)
                if target:
                    cell = ws.cell(row=i + 2, column=col)
                    cell.hyperlink, cell.style = target, "链接"
        ws.freeze_panes = "A2"
        if filters and ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions

    # 汇总
    summary = wb.active
    assert summary is not None
    summary.title = "汇总"
    total, fiscal, other = report.money()
    rows: list[list[Any]] = [
        ["单位（文档）数", len(report.units)],
        ["项目数", len(report.projects)],
        ["预算数合计（万元）", _number(total)],
        ["其中：财政资金（万元）", _number(fiscal)],
        ["其他资金（万元）", _number(other)],
        ["错误", report.count(Level.ERROR)],
        ["警告", report.count(Level.WARNING)],
        ["提示", report.count(Level.INFO)],
        ["未通过校验的文档（金额未计入）", sum(1 for u in report.units if not u.valid)],
        ["金额单位无法识别的项目（金额未计入）",
         sum(len(u.uncounted) for u in report.units if u.valid)],
        ["生成时间", report.generated.strftime("%Y-%m-%d %H:%M")],
        ["生成工具", f"perfdoc {__version__}"],
    ]
    table(summary, [("汇总项", 36), ("数值", 22)], rows, filters=False)
    for r in (4, 5, 6):
        summary.cell(row=r, column=2).style = "金额"
    notes = [
        "金额均为万元：元 ÷ 10000、亿元 × 10000 精确换算，不四舍五入。",
        "未通过校验的文档列入各表，其问题列入“问题”表，但金额无从读取，不计入合计。",
        "金额单位不是元、万元或亿元的项目单独列出，不计入合计。",
        BACK_LOADED,
        ("满意度指标：一级或二级指标属于所用指标体系中的满意度类"
         "（如 满意度指标、服务对象满意度指标）。"),
        "状态：最新 = 生成后输入未变且文件未改动；已过期 = 输入或文件已变；未生成 = 没有该文件。",
    ]
    start = summary.max_row + 2
    for i, note in enumerate(notes):
        summary.cell(row=start + i, column=1, value=note)
    uncounted = [(u, p) for u in report.units if u.valid for p in u.uncounted]
    if uncounted:
        at = summary.max_row + 2
        summary.cell(row=at, column=1, value="金额单位无法识别的项目").style = "表头"
        for i, (u, p) in enumerate(uncounted, start=1):
            named = summary.cell(row=at + i, column=1, value=f"{u.unit}：{p.name}")
            # A unit's name comes from its YAML: "=…" is text, never a formula.
            named.data_type = "s"
            summary.cell(row=at + i, column=2, value=f"{p.total:f} {p.money_unit}")
    # The findings per rule, as the page's table of rules.
    names = rule_names()
    per_rule: dict[str, Counter[str]] = {}
    for f in report.findings:
        key = "suppressed" if f.problem.suppressed else f.problem.level.value
        per_rule.setdefault(f.problem.rule, Counter())[key] += 1
    at = summary.max_row + 2
    for col, name in enumerate(("规则", "说明", "错误", "警告", "提示", "已屏蔽"), start=1):
        summary.cell(row=at, column=col, value=name).style = "表头"
    for i, (rule, counts) in enumerate(sorted(per_rule.items()), start=1):
        summary.cell(row=at + i, column=1, value=rule)
        summary.cell(row=at + i, column=2, value=names.get(rule, ""))
        for col, key in enumerate(("error", "warning", "info", "suppressed"), start=3):
            summary.cell(row=at + i, column=col, value=counts[key])
    for letter, width in zip("CDEF", (8, 8, 8, 8), strict=True):
        summary.column_dimensions[letter].width = width

    # 单位
    units = wb.create_sheet("单位")
    unit_rows = []
    for u in report.units:
        money = u.money()
        unit_rows.append([
            u.unit, u.display, u.year, len(u.projects) if u.valid else None,
            *(_number(v) for v in (money or (None, None, None))),
            len(u.uncounted), u.count(Level.ERROR), u.count(Level.WARNING),
            u.count(Level.INFO), u.suppressed,
            "；".join(f"{rule} {n}" for rule, n, _level in u.by_rule()),
            STATE_LABELS[u.pdf.state],
            display_path(u.pdf.path) if u.pdf.state != "missing" else None,
            STATE_LABELS[u.docx.state],
            display_path(u.docx.path) if u.docx.state != "missing" else None,
            "通过" if u.valid else "未通过（金额未计入）",
        ])

    def output_link(which: str) -> Link:
        def target(i: int) -> str | None:
            output: Output = getattr(report.units[i], which)
            return None if output.state == "missing" else href(output.path)
        return target

    table(units, [("单位", 30), ("文件夹", 28), ("年度", 7), ("项目数", 8),
                  ("预算数（万元）", 15), ("财政资金（万元）", 15), ("其他资金（万元）", 15),
                  ("金额单位无法识别的项目", 12), ("错误", 7), ("警告", 7), ("提示", 7),
                  ("已屏蔽", 7), ("按规则", 40), ("PDF 状态", 9), ("PDF", 40),
                  ("Word 状态", 9), ("Word", 40), ("校验", 12)],
          unit_rows, styles={5: "金额", 6: "金额", 7: "金额"},
          links={15: output_link("pdf"), 17: output_link("docx")})

    # 项目
    projects = wb.create_sheet("项目")
    project_rows = []
    for u, p in report.projects:
        wan = p.in_wan or (None, None, None)
        project_rows.append([
            u.unit, p.code, p.name, p.file, p.money_unit, _number(p.total),
            *(_number(v) for v in wan),
            "有" if p.satisfaction else "缺", *(_number(v) for v in p.plan),
            "是" if report.back_loaded(p) else "",
        ])
    table(projects, [("单位", 28), ("项目编码", 24), ("项目名称", 40), ("文件", 36),
                     ("金额单位", 8), ("预算数（原单位）", 14), ("预算数（万元）", 14),
                     ("财政资金（万元）", 14), ("其他资金（万元）", 14), ("满意度指标", 10),
                     ("3月底（%）", 9), ("6月底（%）", 9), ("10月底（%）", 9), ("12月底（%）", 9),
                     ("进度偏后", 9)],
          project_rows,
          styles={6: "金额", 7: "金额", 8: "金额", 9: "金额",
                  11: "百分比", 12: "百分比", 13: "百分比", 14: "百分比"},
          links={4: lambda i: href(report.projects[i][1].file)})

    # 问题
    issues = wb.create_sheet("问题")
    finding_rows = []
    for f in report.findings:
        problem = f.problem
        finding_rows.append([
            problem.rule, LEVEL_LABELS[problem.level],
            report.units[f.unit].unit if f.unit is not None else "", problem.path,
            problem.line, problem.col, problem.message, "是" if problem.suppressed else ""])
    table(issues, [("规则", 22), ("级别", 7), ("单位", 28), ("文件", 40), ("行", 6),
                   ("列", 6), ("问题", 90), ("已屏蔽", 8)],
          finding_rows,
          links={4: lambda i: href(report.findings[i].problem.path)})

    when = report.generated.replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = f"perfdoc {__version__}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


