"""Report a quantified 指标值 whose unit perfdoc does not know.

The known units are data (``data/units.yaml``): counts, areas and lengths,
weights, power, money, time and rates, each also with a 万 or 亿 prefix
(42 万亩), a bracketed alternative (≥120 万头（只）) or joined by ``/``
(元/人).  A unit outside them may be a typing mistake, or simply a unit of the
unit's trade, so this is a warning, not an error; the option ``units`` adds
a document's own.  A replacement is suggested only when it cannot change the
amount: never 亩 for 万亩.  Reported at ``indicators[i].value``.

Passing example::

    indicators:
      - level1: 产出指标
        level2: 数量指标
        name: 生猪出栏量
        value: "≥120 万头（只）"

Failing example::

    indicators:
      - level1: 产出指标
        level2: 数量指标
        name: 开展帮扶活动次数
        value: ">15 欠"
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import DATE, Finding, RuleContext, did_you_mean, indicators
from perfdoc.values import KNOWN_UNITS, is_known_unit

ID = "unknown-unit"
LEVEL = Level.WARNING


class Options(BaseModel):
    """Options of unknown-unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    units: list[str] = Field(
        default_factory=list, title="补充计量单位",
        description="units this document uses besides perfdoc's, e.g. [标准箱, 羽份]")


# Words after a unit that bound the value the way an operator does ("7 工作日内",
# "95%以上"); they are good Chinese, so the unit before them is what counts.
QUALIFIER = re.compile(r"(?:及?以[内上下前]|之[内前]|底前|[内前底末]|左右)$")
# A suggestion that adds or drops one of these would change the amount.
_MAGNITUDE = set("万亿千百十兆")


def _same_magnitude(unit: str, candidate: str) -> bool:
    return not (set(unit) ^ set(candidate)) & _MAGNITUDE


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each quantified value whose unit is not known."""
    extra = frozenset(ctx.get(Options).units)
    for project, i, indicator in indicators(doc):
        parsed = indicator.parsed
        if parsed is None or DATE.search(indicator.value):
            continue
        unit = QUALIFIER.sub("", parsed.unit).strip()
        # "12,000 元": value-format reports the thousands separator.
        if is_known_unit(unit, extra) or re.match(r"[,，][0-9]", parsed.unit):
            continue
        candidates = [u for u in sorted(KNOWN_UNITS | extra) if u and _same_magnitude(unit, u)]
        yield Finding(
            project.source, ("indicators", i, "value"),
            _("unknown unit '{unit}' in 指标值 '{value}'").format(
                unit=parsed.unit, value=indicator.value) + did_you_mean(unit, candidates)
            + _("; if it is right, add it to the unknown-unit rule's units option"),
        )
