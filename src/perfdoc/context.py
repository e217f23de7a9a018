"""Stage 4: build the template context, a pure function of the document.

Everything the template shows is decided here (numbering, money formatting,
vertical merges, TOC entries), so templates stay simple and a restyled template
cannot get the numbers wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypedDict

from perfdoc.model import Indicator
from perfdoc.validate import Document

PART1_TITLE = "第一部分　部门整体绩效目标"
PART2_TITLE = "第二部分　预算项目绩效目标"
SECTION_TITLES = ("一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施")


class TocEntry(TypedDict):
    """One line of the 目录."""

    text: str
    style: str  # TOC1 for the two parts (no number), TOC2 for sections and tables
    numbered: bool
    page: str  # empty when rendered; filled by paginate.fill_toc
    anchor: str  # the bookmark on the heading, target of the entry's PAGEREF


def format_money(value: Decimal | None, decimals: int) -> str:
    """Render money with the document's decimals: ``11.00`` stays ``11.00``."""
    if value is None:
        return ""
    return f"{value.quantize(Decimal(1).scaleb(-decimals)):f}"


def format_percent(value: Decimal) -> str:
    """Render a percentage number as ``25%``."""
    text = f"{value.normalize():f}"
    return f"{text}%"


def project_title(number: int, name: str) -> str:
    """Return the table title, ``N.<项目名称>绩效目标表``."""
    return f"{number}.{name}绩效目标表"


def indicator_rows(indicators: Sequence[Indicator]) -> list[dict[str, str]]:
    """Return the indicator rows with their vertical merges.

    一级 cells merge over their group; 二级 cells over each run of equal
    consecutive values (the seed has 数量指标 twice, apart, under 产出指标).  A
    change of 一级 always starts a new 二级 run.
    """
    rows: list[dict[str, str]] = []
    prev1: str | None = None
    prev2: str | None = None
    for ind in indicators:
        start1 = ind.level1 != prev1
        start2 = start1 or ind.level2 != prev2
        rows.append(
            {
                "level1_merge": "restart" if start1 else "continue",
                "level1": ind.level1 if start1 else "",
                "level2_merge": "restart" if start2 else "continue",
                "level2": ind.level2 if start2 else "",
                "name": ind.name,
                "description": ind.description,
                "value": ind.value,
                "basis": ind.basis,
            }
        )
        prev1, prev2 = ind.level1, ind.level2
    return rows


def toc_entries(doc: Document) -> list[TocEntry]:
    """Return the 目录 lines.

    Their page numbers are empty here: only LibreOffice knows them, and
    ``paginate.fill_toc`` writes them into the rendered .docx afterwards.
    """

    def numbered(text: str, anchor: str) -> TocEntry:
        return {"text": text, "style": "TOC2", "numbered": True, "page": "", "anchor": anchor}

    def part(text: str) -> TocEntry:
        return {"text": text, "style": "TOC1", "numbered": False, "page": "", "anchor": ""}

    entries: list[TocEntry] = [part(PART1_TITLE)]
    entries += [numbered(t, f"_TocPerf{n}") for n, t in enumerate(SECTION_TITLES, start=1)]
    entries.append(part(PART2_TITLE))
    entries += [
        numbered(project_title(i, p.model.name), project_anchor(i))
        for i, p in enumerate(doc.projects, start=1)
    ]
    return entries


def project_anchor(number: int) -> str:
    """Return the bookmark name on project *number*'s title."""
    return f"_TocPerfP{number}"


def build_context(doc: Document) -> dict[str, Any]:
    """Return the template context for *doc*."""
    meta = doc.meta
    decimals = meta.settings.decimals
    projects = []
    for i, project in enumerate(doc.projects, start=1):
        m = project.model
        projects.append(
            {
                "title": project_title(i, m.name),
                "anchor": project_anchor(i),
                # Bookmark ids must be unique numbers; 1–3 are the sections'.
                "bookmark_id": str(100 + i),
                "unit_code": m.unit_code,
                "unit_name": m.unit_name,
                "money_unit": m.money_unit,
                "code": m.code,
                "name": m.name,
                "total": format_money(m.budget.total, decimals),
                "fiscal": format_money(m.budget.fiscal, decimals),
                "other": format_money(m.budget.other, decimals),
                "use_of_funds": m.use_of_funds or "",
                "plan": {
                    k: format_percent(getattr(m.funding_plan, k))
                    for k in ("mar", "jun", "oct", "dec")
                },
                "goals": [f"{n}.{line}" for n, line in enumerate(m.goals, start=1)],
                "rows": indicator_rows(m.indicators),
            }
        )
    return {
        "unit": meta.unit,
        "year": meta.year,
        "cover": {
            "title_line": f"{meta.year}年{meta.cover.title}",
            "draft_marker": meta.cover.draft_marker or "",
            "compiled_by": meta.cover.compiled_by,
            "reviewed_by": meta.cover.reviewed_by or "",
        },
        "toc": toc_entries(doc),
        "overall_goal": meta.overall_goal,
        "itemized_goals": [
            {"number": n, "title": g.title, "goal": g.goal, "indicators": g.indicators}
            for n, g in enumerate(doc.goals.itemized_goals, start=1)
        ],
        "measures": [
            {"number": n, "lead": m.lead, "body": m.body}
            for n, m in enumerate(doc.goals.measures, start=1)
        ],
        "projects": projects,
    }


def heading_texts(doc: Document) -> list[str]:
    """Return every heading that the 目录 lists with a page number."""
    return [e["text"] for e in toc_entries(doc) if e["numbered"]]
