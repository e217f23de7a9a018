"""Check that 预算数 equals 财政资金 plus 其他资金.

The amounts are exact decimals, so the check is exact to the cent (and beyond).
An empty 其他资金 or 财政资金 counts as 0; a budget that gives neither is not
checked, because it states no split.  Reported at ``budget.total``.

Passing example::

    budget:
      total: 11.00
      fiscal: 8.00
      other: 3.00

Failing example::

    budget:
      total: 7.19
      fiscal: 6.19
      other:
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext

ID = "budget-sum"
LEVEL = Level.ERROR
Options = NoOptions


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each project whose parts do not add up to its 预算数."""
    for project in doc.projects:
        budget = project.model.budget
        if budget.fiscal is None and budget.other is None:
            continue
        fiscal = budget.fiscal if budget.fiscal is not None else Decimal(0)
        other = budget.other if budget.other is not None else Decimal(0)
        if fiscal + other != budget.total:
            yield Finding(
                project.source, ("budget", "total"),
                _("预算数 (budget.total) is {total}, but 财政资金 {fiscal} + 其他资金 {other} "
                  "= {sum}").format(
                    total=budget.total, fiscal=fiscal, other=other, sum=fiscal + other
                ),
            )
