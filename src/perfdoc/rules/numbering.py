"""Report lists whose items the author numbered by hand, wholly or in part.

perfdoc numbers the itemized goals, the measures and each project's goals
itself.  A list whose every item already starts with a marker (``1.``,
``1、``, ``（1）``, ``一、``) is printed as written, with no second number: an
info says so once.  A list where some items carry a marker and others do
not is printed as written too, which leaves it half numbered: a warning
points at the first item without one.  ``settings.numbering: false`` turns
perfdoc's own numbering off.  Reported at the list's first (or first
unnumbered) item.

Passing example::

    goals:
      - 对省级驻村工作组进行经费保障
      - 保障工作队正常开展帮扶工作

Failing example::

    goals:
      - 1.对省级驻村工作组进行经费保障
      - 保障工作队正常开展帮扶工作
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from perfdoc.document import GOALS_FILE, Document
from perfdoc.i18n import _
from perfdoc.numbering import has_marker
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext
from perfdoc.yamlfile import Path_, YamlFile

ID = "numbering"
LEVEL = Level.WARNING
Options = NoOptions


def _list(source: YamlFile, items: Sequence[str], at: list[Path_]) -> Iterator[Finding]:
    marked = [has_marker(item) for item in items]
    if not any(marked):
        return
    if all(marked):
        yield Finding(source, at[0], _(
            "these items are numbered already; perfdoc prints them as written and adds no "
            "numbers"), level=Level.INFO)
        return
    first = marked.index(False)
    yield Finding(source, at[first], _(
        "some items of this list carry a number and others do not; perfdoc prints them as "
        "written, so number all of them or none"))


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each list numbered by hand, wholly or in part."""
    goals = doc.sources.get(GOALS_FILE)
    if goals is not None:
        titles = [g.title for g in doc.goals.itemized_goals]
        yield from _list(goals, titles,
                         [("itemized_goals", i, "title") for i in range(len(titles))])
        leads = [m.lead for m in doc.goals.measures]
        yield from _list(goals, leads, [("measures", i, "lead") for i in range(len(leads))])
    for project in doc.projects:
        lines = project.model.goals
        yield from _list(project.source, lines, [("goals", j) for j in range(len(lines))])
