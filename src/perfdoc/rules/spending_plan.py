"""Check that 资金支出计划 is cumulative percentages reaching 100 by 12月底.

Each of 3月底, 6月底, 10月底 and 12月底 is a cumulative share of the budget:
it lies between 0 and 100, never falls from one date to the next, and 12月底
is 100.  Reported at the offending ``funding_plan`` key.  A value already
reported as out of range is not compared again, so one typo gives one message.

Passing example::

    funding_plan:
      mar: 25
      jun: 50
      oct: 75
      dec: 100

Failing example::

    funding_plan:
      mar: 25
      jun: 120
      oct: 75
      dec: 100
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext

ID = "spending-plan"
LEVEL = Level.ERROR
Options = NoOptions

#: The plan's dates in order, with the Chinese column heads of the table.
MONTHS: tuple[tuple[str, str], ...] = (
    ("mar", "3月底"), ("jun", "6月底"), ("oct", "10月底"), ("dec", "12月底"),
)
_HUNDRED = Decimal(100)


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each out-of-range, falling or unfinished spending percentage."""
    for project in doc.projects:
        plan = project.model.funding_plan
        previous: tuple[str, Decimal] | None = None
        for key, title in MONTHS:
            value: Decimal = getattr(plan, key)
            field = f"{title} (funding_plan.{key})"
            at = ("funding_plan", key)
            if not Decimal(0) <= value <= _HUNDRED:
                yield Finding(
                    project.source, at,
                    _("{field} is {value}; a cumulative spending percentage must be "
                      "from 0 to 100").format(field=field, value=value),
                    key=True,
                )
                continue
            if previous is not None and value < previous[1]:
                yield Finding(
                    project.source, at,
                    _("{field} is {value}, less than {before} at {earlier}; the plan is "
                      "cumulative, so it may not fall").format(
                        field=field, value=value, before=previous[1], earlier=previous[0]
                    ),
                    key=True,
                )
            elif key == "dec" and value != _HUNDRED:
                yield Finding(
                    project.source, at,
                    _("{field} is {value}; by the end of the year the whole budget is "
                      "spent, so it must be 100").format(field=field, value=value),
                    key=True,
                )
            previous = (title, value)
