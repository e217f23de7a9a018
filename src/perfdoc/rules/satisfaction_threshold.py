"""Check that a 满意度 target is at least 90%.

Review practice expects satisfaction targets of 90% or more; a lower target
looks like one chosen to be met easily.  Only percentages are checked, and not
upper bounds (``≤5%`` of complaints is another kind of target).  Reported at
``indicators[i].value``.

Options:

- ``threshold``: the lowest acceptable percentage (default: 90).

Passing example::

    indicators:
      - level1: 满意度指标
        level2: 服务对象满意度指标
        name: 群众满意度
        value: "≥95%"

Failing example::

    indicators:
      - level1: 满意度指标
        level2: 服务对象满意度指标
        name: 群众满意度
        value: "≥80%"
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, Number, RuleContext, indicators

ID = "satisfaction-threshold"
LEVEL = Level.WARNING
class Options(BaseModel):
    """Options of satisfaction-threshold."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    threshold: Number = Field(
        Decimal(90), title="满意度门槛（%）",
        description="the lowest 满意度 target accepted, in percent")


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each 满意度 percentage target below the threshold."""
    threshold = ctx.get(Options).threshold
    for project, i, indicator in indicators(doc):
        if "satisfaction" not in ctx.vocab_for(project).kinds(indicator.level1, indicator.level2):
            continue
        parsed = indicator.parsed
        if parsed is None or not parsed.is_percent or parsed.operator in ("≤", "<"):
            continue
        if parsed.number < threshold:
            yield Finding(
                project.source, ("indicators", i, "value"),
                _("满意度 target '{name}' is {value}, below {threshold}%; satisfaction "
                  "targets are usually at least {threshold}%").format(
                    name=indicator.name, value=indicator.value, threshold=threshold
                ),
            )
