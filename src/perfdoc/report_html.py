"""The report as one HTML page: numbers as text, inline SVG charts, the Jinja page.

Split from ``report.py``, which gathers what the page shows.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from perfdoc import __version__
from perfdoc.problems import Level

if TYPE_CHECKING:
    import jinja2

from perfdoc.report import (
    BACK_LOADED,
    CENT,
    LEVEL_LABELS,
    MONTH_LABELS,
    MONTH_NUMBERS,
    SEVERITY,
    STATE_LABELS,
    FindingRow,
    Report,
)

# --------------------------------------------------------------------------- numbers as text


def amount_text(value: Decimal | None) -> str:
    """Show an amount exactly: two decimals at least, more only when it has them."""
    if value is None:
        return "—"
    with localcontext() as ctx:
        ctx.prec = 80
        exact = value.quantize(CENT) if value == value.quantize(CENT) else value.normalize()
    return f"{exact:,f}"


def plain(value: Decimal | int | None) -> str:
    """Write a number as plain decimal text, for data attributes and sorting."""
    if value is None:
        return ""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def percent_text(value: Decimal) -> str:
    """Write a percentage as the plan gives it, e.g. ``25%`` or ``37.5%``."""
    return f"{value:f}%"


def linker(base: Path) -> Callable[[Path | str], str]:
    """Return a function giving the link to a path, relative to the report's folder *base*.

    Relative links keep working when the report and the documents move
    together (a shared folder, a copy on a USB stick).  Paths are taken as
    written, links unresolved, as the browser resolves the page's own path.
    Many findings share a file, so each path is worked out once.
    """
    cwd = os.getcwd()
    root = os.path.abspath(base)
    known: dict[str, str] = {}

    def link(path: Path | str) -> str:
        key = str(path)
        found = known.get(key)
        if found is None:
            target = os.path.join(cwd, key)  # an absolute *key* stays as it is
            try:
                found = quote(os.path.relpath(target, root).replace(os.sep, "/"))
            except ValueError:  # another drive on Windows
                found = Path(target).as_uri()
            known[key] = found
        return found

    return link


# --------------------------------------------------------------------------- charts

#: Colours of the page and the charts (light, distinguishable when printed grey).
FISCAL_COLOUR = "#5b8fd6"
OTHER_COLOUR = "#9fd2b4"
PROJECT_COLOUR = "#8fa3bf"
LATE_COLOUR = "#e08a2c"
MEDIAN_COLOUR = "#1f4e8c"


@dataclass(frozen=True)
class Bar:
    """One unit's bar: 财政资金 then 其他资金, stacked."""

    y: float
    label: str
    title: str
    fiscal_width: float
    other_width: float
    value: str


@dataclass(frozen=True)
class BarChart:
    """Budget by unit, horizontal bars."""

    width: int
    height: int
    left: int
    top: int
    bar_height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]


def _nice_ceiling(value: float) -> float:
    """Round *value* up to a round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
        if value <= step * power * (1 + 1e-12):
            return step * power
    return 10 * power


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(report: Report) -> BarChart:
    """Lay out the budget-by-unit chart: largest budget first."""
    rows = [(u, m) for u in report.units if (m := u.money()) is not None]
    rows.sort(key=lambda row: (-row[1][0], row[0].unit))
    # The year only when the documents are of several years (else the title says it).
    years = {u.year for u, _m in rows}
    left, plot, top, step, bar_height = 250, 560, 34, 22, 14
    scale_max = _nice_ceiling(float(max((m[0] for _u, m in rows), default=Decimal(0))))
    bars = []
    for i, (unit, (total, fiscal, other)) in enumerate(rows):
        label = unit.unit if len(years) < 2 else f"{unit.unit}（{unit.year}）"
        bars.append(Bar(
            y=top + i * step, label=_short(label, 19), title=f"{label}：{amount_text(total)} 万元",
            fiscal_width=round(float(fiscal) / scale_max * plot, 1),
            other_width=round(float(other) / scale_max * plot, 1),
            value=amount_text(total)))
    ticks = [(round(left + plot * k / 4, 1), _tick(scale_max * k / 4)) for k in range(5)]
    return BarChart(width=left + plot + 130, height=top + len(rows) * step + 12, left=left,
                    top=top, bar_height=bar_height, bars=bars, ticks=ticks)


def _tick(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == 0 else f"{value:g}"


@dataclass(frozen=True)
class Line:
    """One project's spending plan as a polyline."""

    points: str
    late: bool
    title: str


@dataclass(frozen=True)
class PlanChart:
    """Every project's cumulative spending against the workspace median."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    xs: list[tuple[float, str]]
    ys: list[tuple[float, str]]
    lines: list[Line]
    median: list[tuple[float, float, str]]


def plan_chart(report: Report, width: int = 900, height: int = 340) -> PlanChart:
    """Lay out the spending-plan chart: months placed by date, 0–100% upwards."""
    left, right, top, bottom = 56, width - 70, 20, height - 40
    x = _month_x(left, right)

    def y(percent: Decimal | float) -> float:
        return round(bottom - float(percent) / 100 * (bottom - top), 1)

    lines: list[Line] = []
    late_lines: list[Line] = []
    for unit, project in report.projects:
        late = report.back_loaded(project)
        line = Line(" ".join(f"{x[k]},{y(v)}" for k, v in enumerate(project.plan)), late,
                    f"{unit.unit}：{project.name}（"
                    + "，".join(f"{m} {percent_text(v)}"
                               for m, v in zip(MONTH_LABELS, project.plan, strict=True)) + "）")
        (late_lines if late else lines).append(line)
    median = [] if report.medians is None else [
        (x[k], y(v), percent_text(v)) for k, v in enumerate(report.medians)]
    return PlanChart(
        width=width, height=height, left=left, right=right, top=top, bottom=bottom,
        xs=[(x[k], label) for k, label in enumerate(MONTH_LABELS)],
        ys=[(y(p), f"{p}%") for p in range(0, 101, 20)],
        lines=lines + late_lines,  # the late ones drawn last, on top
        median=median)


def _month_x(left: float, right: float) -> list[float]:
    """Return the x of each month, by its place in the year (3 to 12)."""
    first, last = MONTH_NUMBERS[0], MONTH_NUMBERS[-1]
    return [round(left + (m - first) / (last - first) * (right - left), 1) for m in MONTH_NUMBERS]


def spark_points(plan: Sequence[Decimal], width: int = 108, height: int = 30) -> str:
    """Lay out a plan for the small chart in a table cell: the polyline's points."""
    x = _month_x(4, width - 4)
    return " ".join(f"{x[k]},{round(height - 3 - float(v) / 100 * (height - 6), 1)}"
                    for k, v in enumerate(plan))


# --------------------------------------------------------------------------- HTML
#
# The page's rows are worked out here, as text, so that the template only
# places them: a thousand projects and thousands of findings render in a
# fraction of a second.  Every text is still escaped by the template.


@dataclass(frozen=True, slots=True)
class ProjectView:
    """A project's row of the page."""

    unit: str
    name: str
    code: str
    file: str
    href: str
    total: str
    money_unit: str
    #: 预算数, 财政资金, 其他资金 in 万元: (exact value, as shown); ("", "—") when not known.
    wan: tuple[tuple[str, str], ...]
    satisfaction: bool
    #: The four months: (exact value, as shown).
    plan: tuple[tuple[str, str], ...]
    late: bool
    spark: str
    spark_label: str


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding's row of the page."""

    rule: str
    level: str
    level_label: str
    unit: str
    href: str
    path: str
    line: int
    col: int
    message: str
    suppressed: bool


def _project_views(report: Report, link: Callable[[Path | str], str]) -> list[ProjectView]:
    views = []
    for unit, p in report.projects:
        wan = tuple((plain(v), amount_text(v)) for v in p.in_wan) if p.in_wan else (
            ("", "—"),) * 3
        views.append(ProjectView(
            unit=unit.unit, name=p.name, code=p.code, file=p.file, href=link(p.file),
            total=plain(p.total), money_unit=p.money_unit, wan=wan,
            satisfaction=p.satisfaction,
            plan=tuple((plain(v), percent_text(v)) for v in p.plan),
            late=report.back_loaded(p), spark=spark_points(p.plan),
            spark_label="，".join(f"{m} {percent_text(v)}"
                                 for m, v in zip(MONTH_LABELS, p.plan, strict=True))))
    return views


def _finding_groups(report: Report, link: Callable[[Path | str], str]
                    ) -> list[tuple[str, Level, list[FindingView]]]:
    """Group the findings by rule: the most severe rules first, then the most frequent."""
    groups: dict[str, list[FindingRow]] = {}
    for finding in report.findings:
        groups.setdefault(finding.problem.rule, []).append(finding)

    def worst(rows: list[FindingRow]) -> Level:
        return min((r.problem.level for r in rows), key=SEVERITY.index)

    def view(f: FindingRow) -> FindingView:
        p = f.problem
        return FindingView(
            rule=p.rule, level=p.level.value, level_label=LEVEL_LABELS[p.level],
            unit=report.units[f.unit].unit if f.unit is not None else "—",
            href=f"{link(p.path)}#L{p.line}", path=p.path, line=p.line, col=p.col,
            message=p.message, suppressed=p.suppressed)

    ordered = sorted(groups.items(),
                     key=lambda item: (SEVERITY.index(worst(item[1])), -len(item[1]), item[0]))
    return [(rule, worst(rows), [view(f) for f in rows]) for rule, rows in ordered]


def rule_names() -> dict[str, str]:
    """Return the short Chinese name of each problem kind (``data/report_rules.yaml``)."""
    import yaml

    text = files("perfdoc").joinpath("data", "report_rules.yaml").read_text(encoding="utf-8")
    return {str(k): str(v) for k, v in yaml.safe_load(text).items()}


@functools.cache
def page_template() -> jinja2.Template:
    """Return the page's template, compiled once (a tenth of a second)."""
    import jinja2

    source = files("perfdoc").joinpath("data", "report.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(amount=amount_text, plain=plain, percent=percent_text)
    return env.from_string(source)


def render_html(report: Report) -> bytes:
    """Render the page: one self-contained file, every user text escaped."""
    link = linker(report.target.parent)
    total, fiscal, other = report.money()
    with localcontext() as ctx:
        ctx.prec = 80
        unsplit = total - fiscal - other
    projects = _project_views(report, link)
    page = page_template().render(
        r=report, version=__version__, link=link,
        total=total, fiscal=fiscal, other=other, unsplit=unsplit,
        years=sorted({u.year for u in report.units if u.year is not None}),
        invalid=[u for u in report.units if not u.valid],
        uncounted=[(u, p) for u in report.units if u.valid for p in u.uncounted],
        projects=projects,
        no_satisfaction=[p for p in projects if not p.satisfaction],
        late=[p for p in projects if p.late],
        spark_median=spark_points(report.medians) if report.medians else "",
        bars=bar_chart(report), plans=plan_chart(report),
        groups=_finding_groups(report, link), levels=LEVEL_LABELS, states=STATE_LABELS,
        state_order={"missing": 0, "stale": 1, "fresh": 2},
        month_labels=MONTH_LABELS, back_loaded_text=BACK_LOADED, rule_names=rule_names(),
        colours={"fiscal": FISCAL_COLOUR, "other": OTHER_COLOUR, "project": PROJECT_COLOUR,
                 "late": LATE_COLOUR, "median": MEDIAN_COLOUR},
        Level=Level,
    )
    return page.encode("utf-8")


