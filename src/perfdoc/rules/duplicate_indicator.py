"""Check that a 三级指标 name appears only once in a project.

Budget systems refuse a project that names the same 三级指标 twice.  The second
occurrence is reported at ``indicators[i].name``, with the line of the first.

Passing example::

    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 开展帮扶活动次数, value: ">15 次"}
      - {level1: 产出指标, level2: 数量指标, name: 受益工作队数量, value: "3 个"}

Failing example::

    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 开展帮扶活动次数, value: ">15 次"}
      - {level1: 产出指标, level2: 质量指标, name: 开展帮扶活动次数, value: "100%"}
"""

from __future__ import annotations

from collections.abc import Iterator

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext

ID = "duplicate-indicator"
LEVEL = Level.WARNING
Options = NoOptions


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each repeated 三级指标 name within one project."""
    for project in doc.projects:
        first: dict[str, int] = {}
        for i, indicator in enumerate(project.model.indicators):
            name = indicator.name.strip()
            if name not in first:
                first[name] = i
                continue
            line = project.source.locate(("indicators", first[name], "name")).line
            yield Finding(
                project.source, ("indicators", i, "name"),
                _("三级指标 '{name}' is given twice in this project (first on line {line})").format(
                    name=name, line=line
                ),
            )
