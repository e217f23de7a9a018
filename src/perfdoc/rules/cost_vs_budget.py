"""Check that no 成本 indicator exceeds the project's 预算数.

Every amount of money in a 成本指标's value (``24 万元``, ``≤6000 元``) is
converted to 万元 and compared with the 预算数, itself converted from the
project's 金额单位 (``money_unit``: 万元, 元 or 亿元).  A cost larger than the
whole budget is a target the budget cannot support.  Reported at
``indicators[i].value``.

Passing example::

    budget:
      total: 6.19
      fiscal: 6.19
    indicators:
      - level1: 产出指标
        level2: 成本指标
        name: 资金总成本
        value: "≤6.19 万元"

Failing example::

    budget:
      total: 6.19
      fiscal: 6.19
    indicators:
      - level1: 产出指标
        level2: 成本指标
        name: 资金总成本
        value: "24 万元"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext, indicators
from perfdoc.values import ParsedValue, money_in_wan

ID = "cost-vs-budget"
LEVEL = Level.WARNING
Options = NoOptions

# An amount anywhere in the text, so "每村8万元，共24万元" is read in full.
_AMOUNT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*(亿元|万元|元)")


def _in_wan(number: Decimal, unit: str) -> Decimal | None:
    return money_in_wan(ParsedValue("=", number, unit))


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each 成本 value amount larger than the project's 预算数."""
    for project, i, indicator in indicators(doc):
        if "cost" not in ctx.vocab_for(project).kinds(indicator.level1, indicator.level2):
            continue
        budget = project.model.budget.total
        money_unit = project.money_unit.strip()
        budget_wan = _in_wan(budget, money_unit)
        if budget_wan is None:
            continue  # a unit we cannot convert: nothing sound to compare
        for m in _AMOUNT.finditer(indicator.value):
            amount = _in_wan(Decimal(m.group(1)), m.group(2))
            if amount is not None and amount > budget_wan:
                yield Finding(
                    project.source, ("indicators", i, "value"),
                    _("成本指标 '{name}' is {amount}, more than the project's 预算数 of "
                      "{budget} {unit}").format(
                        name=indicator.name, amount=m.group(0), budget=budget, unit=money_unit
                    ),
                )
                break  # one message per value is enough
