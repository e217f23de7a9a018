"""Find a 部门预算绩效文本's parts in a .docx's blocks (import, stage 2).

Everything is recognised by content and structure, never by style names, so
that a draft typed by hand in Word or WPS imports like one perfdoc made:

- the cover is what comes before the 目录 (or before 第一部分): the title line
  carries the year, the lines ending in 编制 and 审核 name the units;
- the 目录 is skipped: its lines sit in a TOC field or end in page numbers;
- 第一部分's sections are found by their headings (一、…总体…, 二、…分项…,
  三、…保障…); an itemized goal is the line before a 绩效目标： paragraph; a
  measure starts with a bold lead or a list marker;
- each project of 第二部分 starts at its title (…绩效目标表) or its first
  table; its tables are read by their labels (项目编码, 预算数, 3月底, 一级指标
  …), whether the header and the indicators share one table or not, and
  whether merged cells are real merges, repeated values or blanks.

Text is taken exactly as found, trimmed.  A list numbered the way perfdoc
numbers it (``1、`` ``2、`` for goals, ``1.`` ``2.`` for measures and project
goals) loses its markers, so perfdoc's numbering prints it the same; any
other numbering stays in the text, which perfdoc then prints as written.
Whatever fits nowhere is kept in ``_unplaced`` and reported.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from perfdoc.i18n import _
from perfdoc.imports.docx import Block, Cell, Para, Table
from perfdoc.imports.draft import Draft, Number, Part, Place, Prose
from perfdoc.numbering import has_marker
from perfdoc.problems import Level, Problem


def squash(text: str) -> str:
    """Return *text* for matching labels: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def clean(text: str) -> str:
    """Return *text* as a value: trimmed, tabs and breaks inside it made spaces."""
    return re.sub(r"[\t\n]+", " ", text).strip()


def lines(text: str) -> list[str]:
    """Return the non-empty lines of *text* (``w:br`` separates paragraphs), trimmed."""
    return [clean(line) for line in text.split("\n") if clean(line)]


_TOC_NUMBER = re.compile(r"(?:\t|\.{2,}|…+|·{2,}|\s{2,})\s*\d+\s*$")
_SECTION = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_PART1 = re.compile(r"^第一部分")
_PART2 = re.compile(r"^第二部分")
# The title line: "2024年部门预算绩效文本", also "二〇二四年度…".
_YEAR_TITLE = re.compile(
    r"^\s*((?:19|20|21)\d\d|[一二][〇零○一二三四五六七八九]{3})\s*年(?:度)?\s*(.+?)\s*$")
_DIGIT_OF = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}
_DRAFT = re.compile(r"^[（(]?\s*(?:草案|征求意见稿|送审稿)\s*[)）]?$")
_GOAL_LABEL = re.compile(r"^\s*(?:年度)?绩效目标\s*[:：]\s*")
_INDICATOR_LABEL = re.compile(r"^\s*绩效指标\s*[:：]\s*")
_MONEY_UNIT = re.compile(r"单位\s*[:：]\s*(\S+)\s*$")
_PERCENT = re.compile(r"^\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[%％]?\s*$")
_AMOUNT = re.compile(r"^\s*-?[0-9][0-9,，]*(?:\.[0-9]+)?\s*$")
_UNIT_CODE = re.compile(r"^\s*([0-9A-Za-z]+)\s+(.+?)\s*$")

#: 101's first-level indicator that the classic framework has not.
_FIRST_LEVEL_101 = "成本指标"


@dataclass
class _Ctx:
    """What recognising one .docx needs besides its blocks."""

    display: str
    draft: Draft
    tables: dict[int, Table] = field(default_factory=dict)

    def place(self, para: Para | None = None, *, table: Table | None = None,
              row: int = 0, col: int = 0, cell: Cell | None = None) -> Place:
        if table is not None and cell is not None:
            return Place(self.display, max(cell.number, 1), 1,
                         f"表 {table.index} 第 {row} 行第 {col} 列")
        number = para.number if para is not None else 1
        return Place(self.display, number, 1, f"第 {number} 段")


def recognize(blocks: Sequence[Block], properties: dict[str, str], display: str) -> Draft:
    """Return the document found in *blocks* (read from the .docx shown as *display*)."""
    draft = Draft()
    ctx = _Ctx(display, draft)
    items = list(blocks)
    # part1: where 第一部分's blocks begin (after its heading, when it has one).
    part1 = _find_part1(items)
    part2 = _find(items, lambda p: bool(_PART2.match(squash(p.text))) and not _is_toc(p),
                  start=part1 if part1 is not None else 0)
    toc = _find(items, lambda p: squash(p.text) in ("目录", "目次"))
    heading = part1 - 1 if part1 is not None and _is_part1_heading(items, part1 - 1) else part1
    cover_end = min(i for i in (toc, heading, part2, len(items)) if i is not None)
    document = Part()
    goals = Part()
    draft.document, draft.goals = document, goals
    _cover(ctx, items[:cover_end], document, properties)
    if part1 is None:
        draft.problems.append(Problem(display, 1, 1, Level.ERROR, "import", _(
            "no 第一部分 heading found; is this a 部门预算绩效文本?")))
        body_end = part2 if part2 is not None else len(items)
        for block in items[cover_end:body_end]:
            _leftover(ctx, block, document)
        # Placeholders keep the folder loadable, so what was found is not lost.
        from perfdoc.imports.xlsx import placeholder_goals

        document.values["overall_goal"] = Prose(("【待填写】总体绩效目标",))
        document.note("overall_goal", "原文未见第一部分，待填写")
        draft.goals = placeholder_goals()
    else:
        body_end = part2 if part2 is not None else len(items)
        _part1(ctx, items[part1:body_end], document, goals)
    if part2 is not None:
        _part2(ctx, items[part2 + 1:], document)
    _decimals(document, draft.projects)
    _hoist_unit_fields(document, draft.projects)
    return draft


# --------------------------------------------------------------------------- structure


def _find(items: Sequence[Block], test: Callable[[Para], bool], start: int = 0) -> int | None:
    for i in range(start, len(items)):
        block = items[i]
        if isinstance(block, Para) and test(block):
            return i
    return None


def _is_toc(p: Para) -> bool:
    return p.in_toc or bool(_TOC_NUMBER.search(p.text))


def _is_part1_heading(items: Sequence[Block], i: int) -> bool:
    block = items[i] if 0 <= i < len(items) else None
    return isinstance(block, Para) and bool(_PART1.match(squash(block.text)))


def _find_part1(items: Sequence[Block]) -> int | None:
    """Return the index where 第一部分's content begins, after its heading in the body.

    The 目录's line for 第一部分 is not the heading: 目录 lines follow it.
    Without any 第一部分 heading, the content begins at the first 一、…总体…
    heading outside the 目录.
    """
    for i, block in enumerate(items):
        if not (isinstance(block, Para) and _PART1.match(squash(block.text))) or _is_toc(block):
            continue
        following = next((b for b in items[i + 1:] if not isinstance(b, Para) or b.text.strip()),
                         None)
        if isinstance(following, Para) and _is_toc(following):
            continue  # the 目录's entry for 第一部分, followed by more entries
        return i + 1
    for i, block in enumerate(items):
        if (isinstance(block, Para) and not _is_toc(block) and _SECTION.match(squash(block.text))
                and "总体" in block.text):
            return i
    return None


def _leftover(ctx: _Ctx, block: Block, part: Part) -> None:
    """Keep a block that fits nowhere in *part*'s ``_unplaced``."""
    if isinstance(block, Para):
        text = clean(block.text)
        if text:
            ctx.draft.unplaced(part, text, ctx.place(block), _("not part of any section"))
        return
    for r, row in enumerate(block.rows, start=1):
        for c, cell in enumerate(row, start=1):
            if cell.text and cell.merge != "continue":
                ctx.draft.unplaced(part, clean(cell.text), ctx.place(table=block, row=r, col=c,
                                                                     cell=cell),
                                   _("a table outside 第二部分"))


# --------------------------------------------------------------------------- cover


def _cover(ctx: _Ctx, blocks: Sequence[Block], document: Part,
           properties: dict[str, str]) -> None:
    paras = [b for b in blocks if isinstance(b, Para)]
    texts = [(p, line) for p in paras for line in lines(p.text)]
    unit = title = title_line = marker = compiled = reviewed = None
    year: int | None = None
    used: set[int] = set()
    for i, (_p, text) in enumerate(texts):
        m = _YEAR_TITLE.match(text)
        if title is None and m and ("绩效" in text or "预算" in text):
            year = int("".join(_DIGIT_OF.get(c, c) for c in m.group(1)))
            title = m.group(2)
            if text != f"{year}年{title}":
                title_line = text
            used.add(i)
            if unit is None and i > 0 and i - 1 not in used:
                unit = texts[i - 1][1]
                used.add(i - 1)
        elif marker is None and _DRAFT.match(squash(text)):
            marker = text
            used.add(i)
        elif compiled is None and squash(text).endswith("编制"):
            compiled = text
            used.add(i)
        elif reviewed is None and squash(text).endswith("审核"):
            reviewed = text
            used.add(i)
    if unit is None and compiled is not None:
        unit = squash(compiled).removesuffix("编制")
        document.note("unit", "封面未见单位名称行，取自“编制”行")
    if unit is None:
        unit = "【待填写】单位名称"
        document.note("unit", "封面未见单位名称，待填写")
    if year is None:
        year = _year_from(properties)
        document.note("year", "封面未见“××××年”标题行，取自文档属性或下一年度，请核对")
    document.values["unit"] = unit
    document.values["year"] = Number(str(year))
    cover: dict[str, object] = {"title": title or "部门预算绩效文本"}
    if title is None:
        document.note("cover.title", "封面未见标题行，用默认标题")
    if title_line is not None:
        cover["title_line"] = title_line
    cover["draft_marker"] = marker if marker is not None else ""
    if compiled is None:
        compiled = f"{unit}编制"
        document.note("cover.compiled_by", "封面未见“编制”行，按单位名称补写")
    cover["compiled_by"] = compiled
    if reviewed is not None:
        cover["reviewed_by"] = reviewed
    document.values["cover"] = cover
    settings: dict[str, object] = {}
    when = _date_from(properties, year)
    if when is not None:
        settings["date"] = when
        document.note("settings.date", "取自文档属性中的创建日期")
    document.values["settings"] = settings
    for i, (p, text) in enumerate(texts):
        if i not in used:
            ctx.draft.unplaced(document, text, ctx.place(p),
                               _("a cover line perfdoc has no field for"))


def _year_from(properties: dict[str, str]) -> int:
    created = properties.get("created", "")
    if re.match(r"^\d{4}-", created):
        return int(created[:4]) + 1  # budgets are drafted the year before
    return datetime.date.today().year + 1


def _date_from(properties: dict[str, str], year: int) -> str | None:
    """Return the core properties' creation date unless it is perfdoc's default (1 January)."""
    m = re.match(r"^(\d{4})-(\d\d)-(\d\d)", properties.get("created", ""))
    if m is None:
        return None
    try:
        when = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return None if when == datetime.date(year, 1, 1) else when.isoformat()


# --------------------------------------------------------------------------- 第一部分


def _part1(ctx: _Ctx, blocks: Sequence[Block], document: Part, goals: Part) -> None:
    sections: dict[str, int] = {}
    for i, block in enumerate(blocks):
        if isinstance(block, Para) and _SECTION.match(squash(block.text)):
            text = squash(block.text)
            if "总体" in text and "overall" not in sections:
                sections["overall"] = i
            elif "分项" in text and "itemized" not in sections:
                sections["itemized"] = i
            elif ("保障" in text or "措施" in text) and "measures" not in sections:
                sections["measures"] = i
    order = sorted(sections.items(), key=lambda kv: kv[1])
    bounds = {name: (start + 1, order[k + 1][1] if k + 1 < len(order) else len(blocks))
              for k, (name, start) in enumerate(order)}
    for block in blocks[:order[0][1] if order else len(blocks)]:
        _leftover(ctx, block, document)
    overall = _region(blocks, bounds.get("overall"))
    paragraphs = []
    for block in overall:
        if isinstance(block, Para):
            paragraphs += lines(block.text)
        else:
            _leftover(ctx, block, document)
    document.values["overall_goal"] = Prose(tuple(paragraphs) or ("【待填写】总体绩效目标",))
    if not paragraphs:
        document.note("overall_goal", "原文未见总体绩效目标，待填写")
    goals.values["itemized_goals"] = _itemized(ctx, _region(blocks, bounds.get("itemized")),
                                               goals)
    goals.values["measures"] = _measures(ctx, _region(blocks, bounds.get("measures")), goals)


def _region(blocks: Sequence[Block], bound: tuple[int, int] | None) -> Sequence[Block]:
    return blocks[bound[0]:bound[1]] if bound else []


def _strip_perfdoc_numbers(items: list[tuple[str, str]], separator: str) -> list[str]:
    """Return the items' texts, without their markers when perfdoc would print the same.

    Each item is (auto-number label, text).  perfdoc numbers a list ``1、``,
    ``2、`` … (or ``1.`` …) when no item carries a marker; a list numbered that
    way in the source is written without markers.  Any other numbering is
    kept, label and all, and perfdoc prints it as written.
    """
    def expected(n: int) -> str:
        return f"{n}{separator}"

    if items and all((label or "").strip() == expected(n) and not has_marker(text)
                     for n, (label, text) in enumerate(items, start=1)):
        return [text for _label, text in items]
    if items and all(not label and text.startswith(expected(n)) and text != expected(n)
                     for n, (label, text) in enumerate(items, start=1)):
        stripped = [text[len(expected(n)):].strip() for n, (_l, text) in enumerate(items, 1)]
        if not any(has_marker(s) for s in stripped):
            return stripped
    return [f"{label}{text}" if label else text for label, text in items]


def _itemized(ctx: _Ctx, blocks: Sequence[Block], goals: Part) -> list[dict[str, object]]:
    paras = [b for b in blocks if isinstance(b, Para)]
    for block in blocks:
        if isinstance(block, Table):
            _leftover(ctx, block, goals)
    # Paragraph by paragraph, with w:br breaks made paragraphs of their own.
    flat: list[tuple[Para, str]] = [(p, line) for p in paras for line in lines(p.text)]
    starts = [i for i, (_p, text) in enumerate(flat) if _GOAL_LABEL.match(text)]
    found: list[tuple[str, str, list[str], list[str]]] = []
    for k, start in enumerate(starts):
        title_at = start - 1
        if title_at < 0 or _INDICATOR_LABEL.match(flat[title_at][1]):
            title_para, title = None, "【待填写】分项目标标题"
        else:
            title_para, title = flat[title_at]
        end = (starts[k + 1] - 1) if k + 1 < len(starts) else len(flat)
        goal: list[str] = []
        indicators: list[str] = []
        current = goal
        for i in range(start, end):
            text = flat[i][1]
            if i == start:
                text = _GOAL_LABEL.sub("", text, count=1)
            elif _INDICATOR_LABEL.match(text) and current is goal:
                current = indicators
                text = _INDICATOR_LABEL.sub("", text, count=1)
            if text:
                current.append(text)
        # An auto-number label belongs to a paragraph's first line only.
        first_line = title_at == 0 or flat[title_at - 1][0] is not title_para
        label = title_para.label if title_para is not None and first_line else ""
        found.append((label, clean(title), goal, indicators))
    before = starts[0] - 1 if starts else len(flat)
    for p, text in flat[:max(before, 0)]:
        ctx.draft.unplaced(goals, text, ctx.place(p), _("text before the first 分项绩效目标"))
    titles = _strip_perfdoc_numbers([(label, title) for label, title, _g, _i in found], "、")
    result: list[dict[str, object]] = []
    for n, (title, (_label, _t, goal, indicators)) in enumerate(zip(titles, found, strict=True)):
        item: dict[str, object] = {
            "title": title,
            "goal": Prose(tuple(goal) or ("【待填写】绩效目标",)),
            "indicators": Prose(tuple(indicators) or ("【待填写】绩效指标",)),
        }
        if not indicators:
            goals.note(f"itemized_goals.{n}.indicators", "原文未见“绩效指标：”，待填写")
        result.append(item)
    if not result:
        goals.note("itemized_goals", "原文未见分项绩效目标，待填写")
        result.append({"title": "【待填写】分项目标标题", "goal": Prose(("【待填写】绩效目标",)),
                       "indicators": Prose(("【待填写】绩效指标",))})
    return result


def _measures(ctx: _Ctx, blocks: Sequence[Block], goals: Part) -> list[dict[str, object]]:
    found: list[tuple[str, str, list[str]]] = []  # (label, lead, body lines)
    for block in blocks:
        if isinstance(block, Table):
            _leftover(ctx, block, goals)
            continue
        text = clean(block.text.split("\n")[0]) if block.text.strip() else ""
        if not text:
            continue
        rest_lines = lines(block.text)[1:]
        bold = clean(block.bold_lead)
        starts_item = bool(block.label) or has_marker(text) or (bold and bold != text)
        if starts_item and bold and text.startswith(bold) and bold != text:
            lead, body = bold, text[len(bold):].strip()
        elif starts_item:
            lead, body = _split_lead(text)
        elif not found:
            ctx.draft.unplaced(goals, text, ctx.place(block), _("text before the first measure"))
            continue
        else:
            found[-1][2].extend(lines(block.text))
            continue
        found.append((block.label, lead, [b for b in [body, *rest_lines] if b]))
    leads = _strip_perfdoc_numbers([(label, lead) for label, lead, _b in found], ".")
    result: list[dict[str, object]] = []
    for n, (lead, (_label, _l, body_lines)) in enumerate(zip(leads, found, strict=True)):
        result.append({"lead": lead, "body": Prose(tuple(body_lines) or ("【待填写】措施内容",))})
        if not body_lines:
            goals.note(f"measures.{n}.body", "原文此条只有要点句，正文待填写")
    if not result:
        goals.note("measures", "原文未见工作保障措施，待填写")
        result.append({"lead": "【待填写】措施要点。", "body": Prose(("【待填写】措施内容",))})
    return result


_LEADING_MARKER = re.compile(
    r"^\s*(?:[0-9０-９]+\s*[.、．]|[（(]\s*[0-9０-９一二三四五六七八九十]+\s*[)）]"
    r"|[一二三四五六七八九十]+\s*、)")


def _split_lead(text: str) -> tuple[str, str]:
    """Split a measure typed without bold at its first full stop: lead, body.

    The list marker in front (``1.``) stays with the lead and is not taken for
    the full stop.
    """
    marker = _LEADING_MARKER.match(text)
    start = marker.end() if marker else 0
    m = re.match(r"^(.+?[。！!；;])(.*)$", text[start:])
    if m and m.group(2).strip():
        return text[:start] + m.group(1).strip(), m.group(2).strip()
    return text, ""


# --------------------------------------------------------------------------- 第二部分


@dataclass
class _Project:
    title: Para | None = None
    unit_line: Para | None = None
    tables: list[Table] = field(default_factory=list)
    stray: list[Para] = field(default_factory=list)


def _is_title(text: str) -> bool:
    return squash(text).endswith(("绩效目标表", "绩效目标申报表"))


def _part2(ctx: _Ctx, blocks: Sequence[Block], document: Part) -> None:
    projects: list[_Project] = []
    # Paragraphs since the last table: the next project's title and unit line
    # when a table that starts a project follows, else the last one's strays.
    pending: list[Para] = []

    def settle(into: _Project | None) -> None:
        for para in pending:
            text = clean(para.text)
            if into is None:
                ctx.draft.unplaced(document, text, ctx.place(para),
                                   _("text in 第二部分 before the first project"))
            elif into.unit_line is None and not into.tables and _MONEY_UNIT.search(
                    text.replace("\t", " ")):
                into.unit_line = para
            elif into.title is None and not into.tables:
                into.title = para  # a title worded otherwise: "项目一：…"
            else:
                into.stray.append(para)
        pending.clear()

    for block in blocks:
        if isinstance(block, Para):
            text = clean(block.text)
            if not text or _is_toc(block):
                continue
            if _is_title(text):
                settle(projects[-1] if projects else None)
                projects.append(_Project(title=block))
            else:
                pending.append(block)
            continue
        if not projects or (projects[-1].tables and _starts_project(block)):
            if projects and projects[-1].tables:
                projects.append(_Project())
                settle(projects[-1])
            else:
                if not projects:
                    projects.append(_Project())
                settle(projects[-1])
        else:
            settle(projects[-1])
        projects[-1].tables.append(block)
    settle(projects[-1] if projects else None)
    for number, found in enumerate(projects, start=1):
        part = _project(ctx, found, number)
        if part is not None:
            ctx.draft.projects.append(part)


def _starts_project(table: Table) -> bool:
    first = next((c for row in table.rows for c in row if c.text), None)
    return first is not None and squash(first.text) == "项目编码"


@dataclass
class _Grid:
    """A project's table rows laid on one grid: each cell with its start column."""

    rows: list[list[tuple[int, Cell]]]
    origin: list[tuple[Table, int]]  # per row: the table and its row number (1-based)


def _grid(tables: Sequence[Table]) -> _Grid:
    rows: list[list[tuple[int, Cell]]] = []
    origin: list[tuple[Table, int]] = []
    for table in tables:
        for r, row in enumerate(table.rows, start=1):
            column = 0
            cells = []
            for cell in row:
                cells.append((column, cell))
                column += cell.span
            rows.append(cells)
            origin.append((table, r))
    return _Grid(rows, origin)


_LABELS = {
    "项目编码": "code", "项目代码": "code", "项目名称": "name",
    "预算数": "total", "预算金额": "total", "项目总额": "total", "年度预算数": "total",
    "其中:财政资金": "fiscal", "其中财政资金": "fiscal", "财政资金": "fiscal", "财政拨款": "fiscal",
    "其他资金": "other",
}
_PLAN = {"3月底": "mar", "6月底": "jun", "10月底": "oct", "12月底": "dec"}
_INDICATOR_HEADS = {
    "一级指标": "level1", "二级指标": "level2", "三级指标": "name", "指标名称": "name",
    "绩效指标描述": "description", "指标描述": "description", "指标解释": "description",
    "指标值": "value", "指标目标值": "value", "目标值": "value", "年度指标值": "value",
    "指标值确定依据": "basis", "确定依据": "basis", "指标值设定依据": "basis",
}
#: Columns read as nothing: a row counter is no content.
_IGNORED_HEADS = ("序号", "编号")
_FUNDS_LABELS = ("预算规模及资金用途", "资金用途")


def _indicator_head(label: str) -> str | None:
    """Return the field an indicator column's head names: exactly, or by its start.

    Heads often carry a gloss: 指标值（包含数字及文字描述）, 三级指标（名称）.
    """
    if label in _INDICATOR_HEADS:
        return _INDICATOR_HEADS[label]
    for head in sorted(_INDICATOR_HEADS, key=len, reverse=True):
        if label.startswith(head) and label[len(head):len(head) + 1] in ("(", "（", "["):
            return _INDICATOR_HEADS[head]
    return None
_GOALS_LABELS = ("绩效目标", "年度绩效目标", "项目绩效目标")


def _project(ctx: _Ctx, found: _Project, number: int) -> Part | None:
    part = Part()
    grid = _grid(found.tables)
    values: dict[str, object] = {}
    unit_fields: dict[str, str] = {}
    if found.unit_line is not None:
        text = found.unit_line.text.replace("\t", "  ")
        m = _MONEY_UNIT.search(text)
        if m:
            unit_fields["money_unit"] = m.group(1)
            head = clean(text[:m.start()])
            code = _UNIT_CODE.match(head)
            if code:
                unit_fields["unit_code"], unit_fields["unit_name"] = code.group(1), code.group(2)
            elif head:
                unit_fields["unit_name"] = head
    read: dict[str, str] = {}
    plan: dict[str, str] = {}
    goals: list[str] = []
    use_of_funds: str | None = None
    used: set[tuple[int, int]] = set()
    head_row: int | None = None
    columns: dict[int, str] = {}
    ignored: set[int] = set()
    for r, cells in enumerate(grid.rows):
        labels = {squash(c.text): (col, c) for col, c in cells if c.text}
        if {"level1", "name"} <= {_indicator_head(label) for label in labels}:
            head_row = r
            for col, cell in cells:
                key = _indicator_head(squash(cell.text))
                if key:
                    columns[col] = key
                elif squash(cell.text) in _IGNORED_HEADS:
                    ignored.add(col)
                used.add((r, col))
            break
        for k, (col, cell) in enumerate(cells):
            label = squash(cell.text)
            key = _LABELS.get(label)
            if key and k + 1 < len(cells) and key not in read:
                read[key] = clean(cells[k + 1][1].text)
                used.update({(r, col), (r, cells[k + 1][0])})
            elif label in _PLAN:
                below = _cell_at(grid.rows[r + 1], col) if r + 1 < len(grid.rows) else None
                if below is not None:
                    plan[_PLAN[label]] = clean(below[1].text)
                    used.update({(r, col), (r + 1, below[0])})
            elif label in _GOALS_LABELS and k + 1 < len(cells):
                for col2, other in cells[k + 1:]:
                    for p in other.paragraphs:
                        goals += lines(p.text)
                    used.add((r, col2))
                used.add((r, col))
            elif label in _FUNDS_LABELS or (label == "资金支出计划(%)" or label.startswith(
                    "资金支出计划")):
                used.add((r, col))
        # The 资金用途 row: under 预算规模及资金用途, one wide cell that is no label.
        if (use_of_funds is None and cells and squash(cells[0][1].text) in ("", *_FUNDS_LABELS)
                and r > 0 and any(squash(c.text) in _FUNDS_LABELS for _col, c in grid.rows[r - 1])
                and len([c for _col, c in cells[1:] if c.text]) == 1
                and not any(squash(c.text) in _LABELS or squash(c.text) in _PLAN
                            for _col, c in cells)):
            col, cell = next((col, c) for col, c in cells[1:] if c.text)
            use_of_funds = clean(cell.text)
            used.update({(r, cells[0][0]), (r, col)})
    indicators = _indicator_rows(ctx, grid, head_row, columns, used | {
        (r, col) for r in range(len(grid.rows)) for col in ignored}, part) \
        if head_row is not None else []
    # Anything in the tables not read is kept.
    for r, cells in enumerate(grid.rows):
        for col, cell in cells:
            if (r, col) in used or not cell.text or cell.merge == "continue":
                continue
            if head_row is not None and r > head_row:
                continue  # indicator rows report their own leftovers
            table, row = grid.origin[r]
            ctx.draft.unplaced(part, clean(cell.text), ctx.place(table=table, row=row,
                                                                 col=col + 1, cell=cell),
                               _("a project-table cell perfdoc has no field for"))
    for p in found.stray:
        ctx.draft.unplaced(part, clean(p.text), ctx.place(p), _("text between project tables"))
    name = read.get("name")
    if name is None and found.title is not None:
        title = clean(found.title.text)
        name = re.sub(r"(绩效目标表|绩效目标申报表)$", "", title)
        name = re.sub(rf"^{number}\s*[.、．]\s*", "", name)
        part.note("name", "取自表题")
    if not read and not indicators and found.title is None:
        return None
    values.update(unit_fields)
    values["code"] = read.get("code") or "【待填写】项目编码"
    if "code" not in read:
        part.note("code", "表中未见项目编码，待填写")
    values["name"] = name or "【待填写】项目名称"
    values["budget"] = {key: _money(read.get(key), part, f"budget.{key}")
                        for key in ("total", "fiscal", "other")}
    if use_of_funds:
        values["use_of_funds"] = use_of_funds
    values["funding_plan"] = {key: _percent(plan.get(key), part, f"funding_plan.{key}")
                              for key in ("mar", "jun", "oct", "dec")}
    values["goals"] = _strip_perfdoc_numbers([("", g) for g in goals], ".") or [
        "【待填写】项目绩效目标"]
    if not goals:
        part.note("goals", "表中未见绩效目标，待填写")
    values["indicators"] = indicators or [{
        "level1": "产出指标", "level2": "数量指标", "name": "【待填写】三级指标",
        "value": "【待填写】"}]
    if not indicators:
        part.note("indicators", "表中未见绩效指标，待填写")
    if any(str(i.get("level1")) == _FIRST_LEVEL_101 for i in indicators):
        part.values["profile"] = "101"
        part.note("profile", "一级指标中有“成本指标”，按财预〔2021〕101号指标体系")
    part.values.update(values)
    return part


def _cell_at(cells: list[tuple[int, Cell]], column: int) -> tuple[int, Cell] | None:
    """Return the cell of a row that covers grid *column*."""
    for start, cell in cells:
        if start <= column < start + cell.span:
            return start, cell
    return None


def _indicator_rows(ctx: _Ctx, grid: _Grid, head: int, columns: dict[int, str],
                    used: set[tuple[int, int]], part: Part) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    last = {"level1": "", "level2": ""}
    heads = {squash(k) for k in _INDICATOR_HEADS}
    for r in range(head + 1, len(grid.rows)):
        cells = grid.rows[r]
        texts = {squash(c.text) for _col, c in cells if c.text}
        if texts and all(t in heads or _indicator_head(t) or t in _IGNORED_HEADS
                         for t in texts):
            continue  # the head row again (a table that repeats it)
        row: dict[str, str] = {}
        for start, key in columns.items():
            found = _cell_at(cells, start)
            if found is None:
                continue
            col, cell = found
            used.add((r, col))
            text = "" if cell.merge == "continue" else clean(cell.text)
            row[key] = text
        if not any(row.values()):
            continue
        # 一级 and 二级 fill forward: a merge's continuation, or a blank cell.
        # A new 一级 group starts a new 二级 run.
        if row.get("level1"):
            if row["level1"] != last["level1"]:
                last["level2"] = ""
            last["level1"] = row["level1"]
        if row.get("level2"):
            last["level2"] = row["level2"]
        row["level1"], row["level2"] = last["level1"], last["level2"]
        table, number = grid.origin[r]
        if not row.get("name") or not row.get("value") or not row["level1"] or not row["level2"]:
            text = " | ".join(v for v in row.values() if v)
            first = next((c for _col, c in cells if c.text), cells[0][1] if cells else None)
            if first is not None:
                ctx.draft.unplaced(part, text, ctx.place(table=table, row=number, col=1,
                                                         cell=first),
                                   _("an indicator row without its 三级指标, 指标值 or levels"))
            continue
        item: dict[str, object] = {"level1": row["level1"], "level2": row["level2"],
                                   "name": row["name"]}
        if row.get("description"):
            item["description"] = row["description"]
        item["value"] = row["value"]
        if row.get("basis"):
            item["basis"] = row["basis"]
        rows.append(item)
        for col, cell in cells:
            if (r, col) not in used and cell.text and cell.merge != "continue":
                ctx.draft.unplaced(part, clean(cell.text), ctx.place(
                    table=table, row=number, col=col + 1, cell=cell),
                    _("an indicator cell under no known column"))
    return rows


def _money(text: str | None, part: Part, key: str) -> Number | None:
    if text is None or not text.strip():
        return None if not key.endswith("total") else _zero(part, key)
    plain = text.strip()
    if not _AMOUNT.match(plain):
        part.unplaced.append(plain)
        part.note(key, f"原文“{plain}”不是数字，待填写")
        return _zero(part, key) if key.endswith("total") else None
    if "," in plain or "，" in plain:
        part.note(key, "去掉了千位分隔符")
        plain = plain.replace(",", "").replace("，", "")
    return Number(plain)


def _zero(part: Part, key: str) -> Number:
    part.note(key, "原文未见预算数，待填写")
    return Number("0")


def _percent(text: str | None, part: Part, key: str) -> Number:
    m = _PERCENT.match(text or "")
    if m is None:
        part.note(key, "原文未见此时点的支出比例，待填写")
        if text and text.strip():
            part.unplaced.append(text.strip())
        return Number("100" if key.endswith("dec") else "0")
    return Number(m.group(1))


# --------------------------------------------------------------------------- document-wide


def _decimals(document: Part, projects: Sequence[Part]) -> None:
    """Set settings.decimals to the decimals the amounts were printed with."""
    places = set()
    for project in projects:
        budget = project.values.get("budget", {})
        for value in budget.values() if isinstance(budget, dict) else ():
            if isinstance(value, Number):
                places.add(len(value.split(".")[1]) if "." in value else 0)
    settings = document.values.setdefault("settings", {})
    assert isinstance(settings, dict)
    decimals = max(places) if places else 2
    settings_in_order = {"decimals": Number(str(decimals)), **settings}
    document.values["settings"] = settings_in_order
    if len(places) > 1:
        document.note("settings.decimals", "各项目金额的小数位数不一，取最多者")


def _hoist_unit_fields(document: Part, projects: Sequence[Part]) -> None:
    """Write unit_code, unit_name and money_unit once in document.yaml when all projects agree."""
    if not projects:
        return
    moved = {}
    for key in ("unit_code", "unit_name", "money_unit"):
        seen = {p.values.get(key) for p in projects}
        if len(seen) == 1 and None not in seen:
            moved[key] = seen.pop()
            for p in projects:
                del p.values[key]
    if not moved:
        return
    values = document.values
    ordered: dict[str, object] = {}
    for key in ("unit", "year"):
        if key in values:
            ordered[key] = values[key]
    ordered.update(moved)
    ordered.update({k: v for k, v in values.items() if k not in ordered})
    document.values = ordered
