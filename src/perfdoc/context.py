"""Stage 4: build the template context, a pure function of the document.

Everything the template shows is decided here (numbering, money formatting,
vertical merges, TOC entries), so templates stay simple and a restyled template
cannot get the numbers wrong.

This is also the only place heading text is made.  Every heading the 目录 lists
(the parts 第一部分/第二部分, the three sections and each project's table
title) comes with an *anchor*: the name of the Word bookmark the template puts
around the heading, and the target of the 目录 entry's ``PAGEREF``.  The
template takes each heading's text and bookmark from ``headings`` (and ``p.title``,
``p.anchor``, ``p.bookmark_id`` for the projects) instead of writing its own.

Page numbers are found by anchor, never by text (see ``perfdoc.paginate``):
LibreOffice exports each bookmark as a PDF named destination under the same
name, whereas matching the PDF outline's titles broke on whitespace
LibreOffice collapses, on titles that occur twice, and on templates that word
a heading differently.  Anchors are letters and digits only (``PerfdocPart1``,
``PerfdocProject3``): LibreOffice writes any other character of a destination
name as a bare hex code (``_TocPerf1`` comes out as ``5FTocPerf1``), and a Word
bookmark name must start with a letter and stay within 40 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypedDict

from perfdoc.document import Document
from perfdoc.fit import Row, fit_columns
from perfdoc.model import DocumentFile, Indicator
from perfdoc.numbering import has_marker, numbered

PART1_TITLE = "第一部分　部门整体绩效目标"
PART2_TITLE = "第二部分　预算项目绩效目标"
OVERALL_TITLE = "一、总体绩效目标"
ITEMIZED_TITLE = "二、分项绩效目标"
MEASURES_TITLE = "三、工作保障措施"

#: The bookmark on the part-1 heading: the first body page, printed as page 1.
PART1_ANCHOR = "PerfdocPart1"

# The fixed headings in document order: context key, text, anchor, 目录 level.
# The 目录 lists the parts (level 1) without a page number.
_FIXED = (
    ("part1", PART1_TITLE, PART1_ANCHOR, 1),
    ("overall", OVERALL_TITLE, "PerfdocOverall", 2),
    ("itemized", ITEMIZED_TITLE, "PerfdocItemized", 2),
    ("measures", MEASURES_TITLE, "PerfdocMeasures", 2),
    ("part2", PART2_TITLE, "PerfdocPart2", 1),
)


class Heading(TypedDict):
    """A heading as the template shows it: its text and the bookmark around it."""

    text: str
    anchor: str  # the bookmark's name (w:name), target of the 目录 entry's PAGEREF
    bookmark_id: str  # the bookmark's w:id, a number unique in the document


class TocEntry(TypedDict):
    """One line of the 目录."""

    text: str
    style: str  # TOC1 for the two parts (no number), TOC2 for sections and tables
    numbered: bool
    page: str  # empty when rendered; filled by paginate.fill_toc
    anchor: str  # the bookmark on the heading; numbered entries PAGEREF it


def paragraphs(prose: str) -> list[str]:
    """Split a prose field into its paragraphs: every non-empty line is one.

    A YAML ``|`` block keeps the author's line breaks; each line becomes a
    paragraph in the body style (with its first-line indent), never a line
    break inside one paragraph.
    """
    return [line for line in prose.splitlines() if line.strip()] or [""]


def cover_title(meta: DocumentFile) -> str:
    """Return the cover's title line: as the unit wrote it, or ``<年度>年<标题>``."""
    return meta.cover.title_line or f"{meta.year}年{meta.cover.title}"


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
    """Return the table title, ``N.<项目名称>绩效目标表``; a name numbered by hand keeps its own."""
    return f"{name}绩效目标表" if has_marker(name) else f"{number}.{name}绩效目标表"


#: The indicator table's column heads, as the default template prints them.
INDICATOR_HEADS = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")
#: The default template's text width in twips (A4 less 28 and 26 mm margins):
#: the width every project's indicator columns are fitted into.
TABLE_WIDTH = 8845


#: A row's bookmark: ``PerfdocRow<project number>x<row index>``.
ROW_ANCHOR = re.compile(r"PerfdocRow([0-9]+)x([0-9]+)")


def row_anchor(project: int, row: int) -> str:
    """Return the bookmark name in indicator row *row* (0-based) of project *project*.

    By these bookmarks perfdoc finds the page each row landed on, to repeat
    the 一级/二级 labels at the top of a continuation page.
    """
    return f"PerfdocRow{project}x{row}"


def continued_rows(doc: Document, tops: Iterable[tuple[int, int]]) -> frozenset[tuple[int, int]]:
    """Return the rows of *tops* whose 一级 label continues from the row before.

    Only at those rows does a page break hide a label: a row that starts a new
    一级 group shows its labels anyway.
    """
    kept = set()
    for project, row in tops:
        if not 1 <= project <= len(doc.projects) or row < 1:
            continue
        indicators = doc.projects[project - 1].model.indicators
        if row < len(indicators) and indicators[row].level1 == indicators[row - 1].level1:
            kept.add((project, row))
    return frozenset(kept)


def indicator_rows(indicators: Sequence[Indicator],
                   page_tops: frozenset[int] = frozenset()) -> list[dict[str, str]]:
    """Return the indicator rows with their vertical merges.

    一级 cells merge over their group; 二级 cells over each run of equal
    consecutive values (the seed has 数量指标 twice, apart, under 产出指标).  A
    change of 一级 always starts a new 二级 run.  A row in *page_tops* begins
    a page in the PDF: both merges start again there, so that the labels show
    at the top of the continuation (a merged cell prints only on its first page).
    """
    rows: list[dict[str, str]] = []
    prev1: str | None = None
    prev2: str | None = None
    for i, ind in enumerate(indicators):
        start1 = ind.level1 != prev1 or i in page_tops
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


def indicator_columns(rows: Sequence[dict[str, str]]) -> list[int]:
    """Return the indicator table's column widths in twips, fitted to *rows*' text."""
    return fit_columns(INDICATOR_HEADS, [
        Row((r["level1"], r["level2"], r["name"], r["description"], r["value"], r["basis"]),
            (r["level1_merge"] == "restart", r["level2_merge"] == "restart",
             True, True, True, True))
        for r in rows
    ], TABLE_WIDTH)


def headings() -> dict[str, Heading]:
    """Return the fixed headings by context key: part1, overall, itemized, measures, part2.

    Bookmark ids count from 1 in document order.
    """
    return {
        key: {"text": text, "anchor": anchor, "bookmark_id": str(n)}
        for n, (key, text, anchor, _level) in enumerate(_FIXED, start=1)
    }


def project_anchor(number: int) -> str:
    """Return the bookmark name on project *number*'s title."""
    return f"PerfdocProject{number}"


def project_heading(number: int, name: str) -> Heading:
    """Return project *number*'s table title and its bookmark.

    Bookmark ids follow the fixed headings' in document order, so every id is
    a different number however many projects there are.
    """
    return {
        "text": project_title(number, name),
        "anchor": project_anchor(number),
        "bookmark_id": str(len(_FIXED) + number),
    }


def toc_entries(doc: Document) -> list[TocEntry]:
    """Return the 目录 lines, one per heading, in document order.

    Their page numbers are empty here: only LibreOffice knows them, and
    ``paginate.fill_toc`` writes them into the rendered .docx afterwards.
    The part lines (level 1) carry their anchor too but no page number.
    """

    def entry(heading: Heading, level: int) -> TocEntry:
        return {"text": heading["text"], "style": f"TOC{level}", "numbered": level > 1,
                "page": "", "anchor": heading["anchor"]}

    fixed = headings()
    levels = {key: level for key, _text, _anchor, level in _FIXED}
    entries = [entry(fixed[key], levels[key]) for key in fixed]
    entries += [entry(project_heading(i, p.model.name), 2)
                for i, p in enumerate(doc.projects, start=1)]
    return entries


def page_anchors(doc: Document) -> list[str]:
    """Return the anchor of every heading the 目录 lists with a page number."""
    return [e["anchor"] for e in toc_entries(doc) if e["numbered"]]


def build_context(doc: Document,
                  page_tops: frozenset[tuple[int, int]] = frozenset()) -> dict[str, Any]:
    """Return the template context for *doc*.

    *page_tops* holds the indicator rows, as (project number, row index), that
    begin a page in the PDF; see ``indicator_rows``.
    """
    meta = doc.meta
    decimals = meta.settings.decimals
    on = meta.settings.numbering
    titles = numbered([g.title for g in doc.goals.itemized_goals], "、", enabled=on)
    leads = numbered([m.lead for m in doc.goals.measures], ".", enabled=on)
    projects = []
    # Row bookmarks are numbered after every heading's.
    bookmark_id = len(_FIXED) + len(doc.projects)
    for i, project in enumerate(doc.projects, start=1):
        m = project.model
        heading = project_heading(i, m.name)
        rows = indicator_rows(m.indicators, frozenset(r for p, r in page_tops if p == i))
        # The widths come from the rows as first laid out, without the labels
        # repeated on continuation pages: repeating them must not move columns.
        columns = indicator_columns(indicator_rows(m.indicators))
        for n, row in enumerate(rows):
            bookmark_id += 1
            row["anchor"] = row_anchor(i, n)
            row["bookmark_id"] = str(bookmark_id)
        projects.append(
            {
                "title": heading["text"],
                "anchor": heading["anchor"],
                "bookmark_id": heading["bookmark_id"],
                "unit_code": project.unit_code,
                "unit_name": project.unit_name,
                "money_unit": project.money_unit,
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
                "goals": numbered(m.goals, ".", enabled=on),
                "rows": rows,
                "columns": columns,
            }
        )
    return {
        "unit": meta.unit,
        "year": meta.year,
        "cover": {
            "title_line": cover_title(meta),
            "draft_marker": meta.cover.draft_marker or "",
            "compiled_by": meta.cover.compiled_by,
            "reviewed_by": meta.cover.reviewed_by or "",
        },
        "headings": headings(),
        "toc": toc_entries(doc),
        # Prose fields come whole (for templates that want them so) and as
        # paragraphs, one per non-empty line, which is what the default prints.
        "overall_goal": meta.overall_goal,
        "overall_goal_paragraphs": paragraphs(meta.overall_goal),
        # .heading and .lead_line are what the default prints: numbered by
        # perfdoc, or as written when the author numbered them (numbering.py).
        "itemized_goals": [
            {"number": n, "title": g.title, "heading": heading_text, "goal": g.goal,
             "indicators": g.indicators, "goal_paragraphs": paragraphs(g.goal),
             "indicators_paragraphs": paragraphs(g.indicators)}
            for n, (g, heading_text) in enumerate(zip(doc.goals.itemized_goals, titles,
                                                      strict=True), start=1)
        ],
        "measures": [
            {"number": n, "lead": m.lead, "lead_line": lead, "body": m.body,
             "body_paragraphs": paragraphs(m.body)}
            for n, (m, lead) in enumerate(zip(doc.goals.measures, leads, strict=True), start=1)
        ],
        "projects": projects,
    }
