"""Compare two documents year over year: what ``perfdoc diff OLD NEW`` reports.

Projects are matched by 项目编码, then the ones left over by 项目名称 (a code
that changed between years still finds its project); indicators are matched by
their 一级/二级/三级 names.  Within each match the indicator values, their
描述 and 依据, and the three budget amounts are compared.  A changed value
says which way its number moved and whether the target became stricter or
looser; that is only decided when operator and unit are the same on both sides,
because "≥95%" → ">90 次" has no honest answer.

The comparison is plain data (:class:`Comparison`); :func:`render` turns it
into the text, Markdown or JSON the command prints.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, TypeVar

from perfdoc.document import Document, Project
from perfdoc.i18n import Whole, _
from perfdoc.model import Indicator, ProjectFile
from perfdoc.problems import Problem, has_failures
from perfdoc.validate import field_label
from perfdoc.values import ParsedValue, money_in_wan, parse_value

T = TypeVar("T")

Kind = Literal["added", "removed", "changed"]
#: Which way a number moved; "same" is kept apart from ``None`` (not numeric)
#: for the text, while JSON's ``direction`` knows only up, down and null.
Trend = Literal["up", "down", "same"]
Strictness = Literal["stricter", "looser"]
IndicatorKey = tuple[str, str, str]
FORMATS = ("text", "json", "markdown")

#: Operators under which a larger number is the more demanding target.
_HIGHER_IS_STRICTER = frozenset({"≥", ">"})
#: Operators under which a smaller number is the more demanding target.
_LOWER_IS_STRICTER = frozenset({"≤", "<"})
_BUDGET_FIELDS = ("total", "fiscal", "other")


@dataclass(frozen=True)
class ProjectRef:
    """A project as a report names it: its code and name (the new year's when matched)."""

    code: str
    name: str


@dataclass(frozen=True)
class Change:
    """One difference between the two documents."""

    kind: Kind
    project: ProjectRef
    #: (一级, 二级, 三级) of the indicator; ``None`` for project-level changes.
    indicator: IndicatorKey | None = None
    #: ``value``, ``description``, ``basis``, ``budget.total``, ``code``, …;
    #: ``None`` for an added or removed project or indicator.
    field: str | None = None
    old: str | None = None
    new: str | None = None
    trend: Trend | None = None
    strictness: Strictness | None = None
    #: Budget changes: new minus old in 万元, when both amounts convert.
    difference: Decimal | None = None
    #: Added or removed projects: 预算数 as written and the number of indicators,
    #: for the text and Markdown reports (JSON leaves old/new null for them).
    size: tuple[str, int] | None = None

    @property
    def direction(self) -> Literal["up", "down"] | None:
        """The direction as JSON reports it: a number that stayed put is ``None``."""
        return None if self.trend == "same" else self.trend


@dataclass(frozen=True)
class Unchanged:
    """A value (indicator value or budget amount) that is the same in both years."""

    project: ProjectRef
    indicator: IndicatorKey | None
    field: str
    value: str


@dataclass(frozen=True)
class Side:
    """What identifies one of the two documents."""

    unit: str
    year: int


@dataclass
class Comparison:
    """Everything ``perfdoc diff`` reports, in report order."""

    old: Side
    new: Side
    #: Every project in report order: the new document's order, then the removed ones.
    projects: list[ProjectRef] = field(default_factory=list)
    #: The projects present in both years (the rows of the Markdown unchanged table).
    matched: list[ProjectRef] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: list[Unchanged] = field(default_factory=list)


# --------------------------------------------------------------------------- loading


def load_pair(old: Path, new: Path) -> tuple[tuple[Document, Document] | None, list[Problem]]:
    """Load and validate both folders exactly as ``perfdoc validate`` does.

    Returns the two documents, or ``None`` and every problem when either
    fails; infos and warnings of documents that load are not diff's business.
    """
    from perfdoc.check import CheckOptions, check_folder

    docs: list[Document | None] = []
    problems: list[Problem] = []
    for folder in (old, new):
        doc, _ws, found = check_folder(folder, CheckOptions(), rules=False)
        docs.append(doc)
        problems += found
    first, second = docs
    if first is None or second is None or has_failures(problems):
        return None, problems
    return (first, second), []


# --------------------------------------------------------------------------- matching


def match(old: Sequence[T], new: Sequence[T],
          keys: Sequence[Callable[[T], Hashable]]) -> list[tuple[T | None, T | None]]:
    """Pair the items of *old* and *new*: by the first key, the leftovers by the next, ….

    Equal keys pair in order of appearance, so two indicators sharing a name
    (a ``duplicate-indicator`` warning, not an error) still pair one to one.
    Returns ``(old, new)`` pairs in *new*'s order, ``old`` being ``None`` for an
    added item, then ``(old, None)`` for each removed item in *old*'s order.
    """
    partner: dict[int, int] = {}  # index in new -> index in old
    for key in keys:
        taken = set(partner.values())
        free: defaultdict[Hashable, deque[int]] = defaultdict(deque)
        for i, item in enumerate(old):
            if i not in taken:
                free[key(item)].append(i)
        for j, item in enumerate(new):
            queue = free.get(key(item))
            if j not in partner and queue:
                partner[j] = queue.popleft()
    taken = set(partner.values())
    pairs: list[tuple[T | None, T | None]] = [
        (old[partner[j]] if j in partner else None, item) for j, item in enumerate(new)]
    pairs += [(item, None) for i, item in enumerate(old) if i not in taken]
    return pairs


def _indicator_key(indicator: Indicator) -> IndicatorKey:
    return (indicator.level1, indicator.level2, indicator.name)


def _ref(project: Project) -> ProjectRef:
    return ProjectRef(project.model.code, project.model.name)


# --------------------------------------------------------------------------- values


def _same_unit(a: ParsedValue, b: ParsedValue) -> bool:
    # Full- and half-width percent signs are one unit.
    return a.unit.replace("％", "%") == b.unit.replace("％", "%")


def compare_values(old: str, new: str) -> tuple[bool, Trend | None, Strictness | None]:
    """Compare two indicator values: ``(unchanged, trend, strictness)``.

    A value merely respelt (``>=95%`` → ``≥95%``, ``24 万元`` → ``240000 元``)
    is unchanged: the target is the same.  The number's trend is known when
    both sides are numeric in one unit (money converted between 元, 万元 and
    亿元); strictness only when operator and unit are also equal and the
    operator has a direction: under "=" a larger number is not plainly more
    demanding (more 受益村 yes, more 成本 no), so it stays ``None``.
    """
    if old == new:
        return True, None, None
    a, b = parse_value(old), parse_value(new)
    if a is None or b is None:
        return False, None, None  # a qualitative value: nothing to measure
    same_unit = _same_unit(a, b)
    x, y = (a.number, b.number) if same_unit else (money_in_wan(a), money_in_wan(b))
    if x is None or y is None:
        return False, None, None  # 7 工作日 against 1 月: numbers in different units
    if x == y and a.operator == b.operator:
        return True, None, None
    trend: Trend = "up" if y > x else "down" if y < x else "same"
    strictness: Strictness | None = None
    if same_unit and a.operator == b.operator and trend != "same":
        if a.operator in _HIGHER_IS_STRICTER:
            strictness = "stricter" if trend == "up" else "looser"
        elif a.operator in _LOWER_IS_STRICTER:
            strictness = "stricter" if trend == "down" else "looser"
    return False, trend, strictness


def _money(amount: Decimal | None, unit: str) -> str | None:
    """Write a budget amount as the document does, with its money unit."""
    return None if amount is None else f"{amount:f} {unit}"


def _in_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    # An empty amount (其他资金 left blank) is no money at all.
    return money_in_wan(ParsedValue("=", amount or Decimal(0), unit))


def _compare_budget(old: Project, new: Project, ref: ProjectRef
                    ) -> tuple[list[Change], list[Unchanged]]:
    changes: list[Change] = []
    unchanged: list[Unchanged] = []
    for name in _BUDGET_FIELDS:
        a, b = getattr(old.model.budget, name), getattr(new.model.budget, name)
        if a is None and b is None:
            continue
        at = f"budget.{name}"
        written_old, written_new = _money(a, old.money_unit), _money(b, new.money_unit)
        wa, wb = _in_wan(a, old.money_unit), _in_wan(b, new.money_unit)
        difference: Decimal | None = None
        if wa is not None and wb is not None:
            x, y = wa, wb
            difference = wb - wa
        elif old.money_unit == new.money_unit:
            x, y = a or Decimal(0), b or Decimal(0)  # a unit diff cannot convert, but shared
        else:
            changes.append(Change("changed", ref, None, at, written_old, written_new))
            continue
        if x == y and (a is None) == (b is None):
            # The same amount, perhaps in another unit: 6.19 万元 is 61900 元.
            unchanged.append(Unchanged(ref, None, at, written_new or ""))
            continue
        trend: Trend = "up" if y > x else "down" if y < x else "same"
        changes.append(Change("changed", ref, None, at, written_old, written_new, trend,
                              None, difference))
    return changes, unchanged


def _compare_indicators(old: Project, new: Project, ref: ProjectRef
                        ) -> tuple[list[Change], list[Unchanged]]:
    changes: list[Change] = []
    unchanged: list[Unchanged] = []
    pairs = match(old.model.indicators, new.model.indicators, [_indicator_key])
    for before, after in pairs:
        if before is None and after is not None:
            changes.append(Change("added", ref, _indicator_key(after), new=after.value))
        elif after is None and before is not None:
            changes.append(Change("removed", ref, _indicator_key(before), old=before.value))
        elif before is not None and after is not None:
            key = _indicator_key(after)
            same, trend, strictness = compare_values(before.value, after.value)
            if same:
                unchanged.append(Unchanged(ref, key, "value", after.value))
            else:
                changes.append(Change("changed", ref, key, "value", before.value, after.value,
                                      trend, strictness))
            for text in ("description", "basis"):
                if getattr(before, text) != getattr(after, text):
                    changes.append(Change("changed", ref, key, text, getattr(before, text),
                                          getattr(after, text)))
    return changes, unchanged


def _size(project: Project) -> tuple[str, int]:
    return (_money(project.model.budget.total, project.money_unit) or "",
            len(project.model.indicators))


def compare(old: Document, new: Document) -> Comparison:
    """Compare *old* (last year's document) with *new*."""
    result = Comparison(Side(old.meta.unit, old.meta.year), Side(new.meta.unit, new.meta.year))
    pairs = match(old.projects, new.projects,
                  [lambda p: p.model.code, lambda p: p.model.name])
    for before, after in pairs:
        if after is None and before is not None:
            ref = _ref(before)
            result.changes.append(Change("removed", ref, size=_size(before)))
        elif before is None and after is not None:
            ref = _ref(after)
            result.changes.append(Change("added", ref, size=_size(after)))
        elif before is not None and after is not None:
            ref = _ref(after)
            result.matched.append(ref)
            for name in ("code", "name"):
                if getattr(before.model, name) != getattr(after.model, name):
                    result.changes.append(Change("changed", ref, None, name,
                                                 getattr(before.model, name),
                                                 getattr(after.model, name)))
            for part in (_compare_budget, _compare_indicators):
                changes, unchanged = part(before, after, ref)
                result.changes += changes
                result.unchanged += unchanged
        else:  # pragma: no cover - match never pairs two Nones
            continue
        result.projects.append(ref)
    return result


# --------------------------------------------------------------------------- JSON


def _signed(amount: Decimal) -> str:
    """Write a difference in 万元 with its sign; money keeps at least two decimals."""
    cents = amount.quantize(Decimal("0.01"))
    shown = cents if cents == amount else amount.normalize()
    return f"{shown:+f}"


def _ref_json(ref: ProjectRef) -> dict[str, str]:
    return {"code": ref.code, "name": ref.name}


def to_json(result: Comparison) -> dict[str, object]:
    """Return the JSON document ``perfdoc diff --format json`` prints (docs/cli.md)."""
    changes: list[dict[str, object]] = []
    for c in result.changes:
        row: dict[str, object] = {
            "kind": c.kind, "project": _ref_json(c.project),
            "indicator": list(c.indicator) if c.indicator else None,
            "field": c.field, "old": c.old, "new": c.new,
            "direction": c.direction, "strictness": c.strictness,
        }
        if c.field is not None and c.field.startswith("budget."):
            # One more key, as check's JSON adds "suppressed": only where it means something.
            row["difference"] = None if c.difference is None else _signed(c.difference)
        changes.append(row)
    return {
        "old": {"unit": result.old.unit, "year": result.old.year},
        "new": {"unit": result.new.unit, "year": result.new.year},
        "changes": changes,
        "unchanged": [
            {"project": _ref_json(u.project),
             "indicator": list(u.indicator) if u.indicator else None,
             "field": u.field, "value": u.value}
            for u in result.unchanged
        ],
    }


# --------------------------------------------------------------------------- text and Markdown
#
# Every value quoted below is wrapped in ``Whole``: a message shortens long
# quotes to protect logs from pasted megabytes, but a comparison that cut two
# long descriptions to the same 80 characters would hide the very change it
# reports.


def notes(result: Comparison) -> list[str]:
    """Return what a reader should know before trusting the comparison."""
    found = []
    if result.old.unit != result.new.unit:
        found.append(_("note: the units differ ({old}, {new}); compared anyway").format(
            old=Whole(result.old.unit), new=Whole(result.new.unit)))
    if result.new.year < result.old.year:
        found.append(_("note: NEW's year {new} is before OLD's {old}; were they swapped?")
                     .format(new=result.new.year, old=result.old.year))
    return found


def _title(result: Comparison) -> str:
    return _("Comparing {old} ({old_year}) with {new} ({new_year})").format(
        old=Whole(result.old.unit), old_year=result.old.year,
        new=Whole(result.new.unit), new_year=result.new.year)


def _summary(result: Comparison) -> str:
    return _("{changes} change(s), {unchanged} value(s) unchanged").format(
        changes=len(result.changes), unchanged=len(result.unchanged))


def _label(at: str) -> str:
    """Name a field both ways, as problem messages do: ``预算数 (budget.total)``."""
    if at in ("value", "description", "basis"):
        return field_label(Indicator, (at,))
    return field_label(ProjectFile, tuple(at.split(".")))


def _path(key: IndicatorKey) -> str:
    return " / ".join(key)


def _trend_word(trend: Trend | None) -> str:
    return {"up": _("up"), "down": _("down"), "same": _("same number"), None: "—"}[trend]


def _strictness_word(strictness: Strictness | None) -> str:
    return {"stricter": _("stricter"), "looser": _("looser"),
            None: _("not comparable")}[strictness]


def _number(change: Change) -> str:
    """Return the number column: the trend, and for money the difference in 万元."""
    word = _trend_word(change.trend)
    if change.difference is not None and change.trend in ("up", "down"):
        return f"{word} {_signed(change.difference)} 万元"
    return word


def _details(change: Change) -> str:
    """Return the parenthesis after a changed value: trend and strictness, or amount.

    The message ids start with a space that the Chinese full-width brackets drop.
    """
    if change.field == "value":
        if change.trend is None:
            return _(" ({first})").format(first=_strictness_word(None))
        return _(" ({first}; {second})").format(first=_trend_word(change.trend),
                                               second=_strictness_word(change.strictness))
    if change.field is not None and change.field.startswith("budget."):
        if change.trend is None:
            return _(" ({first})").format(first=_strictness_word(None))
        return _(" ({first})").format(first=_number(change))
    return ""


def _what(change: Change | Unchanged) -> str:
    """Name what changed: the indicator and the field, or the project field."""
    # An indicator's value is what the report is mostly about: its path alone
    # names it, and only 描述 and 依据 changes carry their field's name.
    label = _label(change.field) if change.field and change.field != "value" else ""
    if change.indicator is None:
        return label
    return f"{_path(change.indicator)} {label}".rstrip()


def _shown(value: str | None) -> str:
    return _("(empty)") if value is None or value == "" else value


def _size_text(change: Change) -> str:
    total, count = change.size or ("", 0)
    return _("budget {total}, {n} indicator(s)").format(total=Whole(total), n=count)


def _text_line(change: Change) -> str:
    """One change as a line of the text report, marked + (added), - (removed) or ~."""
    if change.kind != "changed":
        if change.indicator is None:
            label = _("added project") if change.kind == "added" else _("removed project")
            body = _("{what}: {value}").format(what=label, value=Whole(_size_text(change)))
        else:
            label = _("added indicator") if change.kind == "added" else _("removed indicator")
            value = change.new if change.kind == "added" else change.old
            body = _("{what}: {value}").format(
                what=Whole(f"{label} {_path(change.indicator)}"), value=Whole(_shown(value)))
        return ("+ " if change.kind == "added" else "- ") + body
    body = _("{what}: {old} → {new}").format(
        what=Whole(_what(change)), old=Whole(_shown(change.old)), new=Whole(_shown(change.new)))
    return "~ " + body + _details(change)


def _by_project(result: Comparison) -> dict[ProjectRef, tuple[list[Change], list[Unchanged]]]:
    groups: dict[ProjectRef, tuple[list[Change], list[Unchanged]]] = {
        ref: ([], []) for ref in result.projects}
    for change in result.changes:
        groups[change.project][0].append(change)
    for same in result.unchanged:
        groups[same.project][1].append(same)
    return groups


def to_text(result: Comparison) -> str:
    """Return the text report: a header, then each project's changes and unchanged values."""
    lines = [_title(result), *notes(result), _summary(result)]
    for ref, (changes, unchanged) in _by_project(result).items():
        lines.append("")
        lines.append(_("Project {code} {name}").format(code=Whole(ref.code),
                                                       name=Whole(ref.name)))
        if not changes:
            lines.append("  " + _("no changes"))
        lines += ["  " + _text_line(c) for c in changes]
        if ref in result.matched:
            lines.append("  " + _("{n} value(s) unchanged").format(n=len(unchanged)))
            lines += ["    = " + _("{what}: {value}").format(what=Whole(_what(u)),
                                                             value=Whole(u.value))
                      for u in unchanged]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Make *text* safe in a Markdown table cell: pipes escaped, never empty."""
    return text.replace("\\", "\\\\").replace("|", "\\|") or "—"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_row(header), "|" + "---|" * len(header), *(_row(r) for r in rows)]


def _markdown_row(change: Change) -> list[str]:
    indicator = _path(change.indicator) if change.indicator else ""
    if change.kind != "changed":
        if change.indicator is None:
            what = _("added project") if change.kind == "added" else _("removed project")
            old = _size_text(change) if change.kind == "removed" else ""
            new = _size_text(change) if change.kind == "added" else ""
        else:
            what = _("added indicator") if change.kind == "added" else _("removed indicator")
            old, new = change.old or "", change.new or ""
        return [change.project.code, change.project.name, indicator, what, old, new, "", ""]
    target = _strictness_word(change.strictness) if change.field == "value" else ""
    number = _number(change) if change.field == "value" or (
        change.field or "").startswith("budget.") else ""
    return [change.project.code, change.project.name, indicator, _label(change.field or ""),
            _shown(change.old), _shown(change.new), number, target]


def to_markdown(result: Comparison) -> str:
    """Return a review memo's tables: the changes, then unchanged counts per project."""
    lines = ["## " + _title(result), ""]
    for note in notes(result):
        lines += ["> " + note, ""]
    lines += [_summary(result), "", "### " + _("Changes ({n})").format(n=len(result.changes)),
              ""]
    if result.changes:
        lines += _table([_("Project code"), _("Project"), _("Indicator"), _("Change"),
                         _("Old"), _("New"), _("Number"), _("Strictness")],
                        [_markdown_row(c) for c in result.changes])
    else:
        lines.append(_("No changes."))
    groups = _by_project(result)
    lines += ["", "### " + _("Unchanged values by project ({n})").format(
        n=len(result.unchanged)), ""]
    rows = [[ref.code, ref.name, str(len(groups[ref][1]))] for ref in result.matched]
    rows.append([_("Total"), "", str(len(result.unchanged))])
    lines += _table([_("Project code"), _("Project"), _("Unchanged")], rows)
    return "\n".join(lines)


def render(result: Comparison, fmt: str) -> str:
    """Render *result* as ``text``, ``json`` or ``markdown``."""
    if fmt == "json":
        return json.dumps(to_json(result), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return to_markdown(result)
    return to_text(result)
