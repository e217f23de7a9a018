"""Check that a quantified 指标值 reads as operator + number + unit, percentages 0–100.

A value that starts like a number or a comparison sign is meant to be
quantified, so it must read as operator, number and unit (``≥95%``, ``>15 次``,
``≤7 工作日``), without full-width digits or thousands separators, and a
percentage lies between 0 and 100.  Whether the unit is known is
``unknown-unit``'s question (a warning).  Qualitative text (有效提升, 小于等于核定数) is left alone;
quantified-value reports it.  A trailing 以内, 以上, 前 … after the unit and
dates such as 2024年12月31日前 are accepted.  Reported at ``indicators[i].value``.

Passing example::

    indicators:
      - level1: 产出指标
        level2: 质量指标
        name: 工作队员后勤保障率
        value: "≥95%"

Failing example::

    indicators:
      - level1: 产出指标
        level2: 质量指标
        name: 工作队员后勤保障率
        value: "≥120%"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import DATE, Finding, NoOptions, RuleContext, indicators
from perfdoc.values import OPERATORS

ID = "value-format"
LEVEL = Level.ERROR
Options = NoOptions

# Signs that announce a number: the symbol spellings of the operators (not the
# word ones such as 小于, which start ordinary qualitative text) and +/- signs.
_NUMBER_START = tuple(
    sorted({op for op in OPERATORS if not op[0].isalpha()} | {"+", "-", "±", "＋", "－"})
)
_FULL_WIDTH_DIGIT = re.compile("[０-９]")
_HUNDRED = Decimal(100)


def _starts_like_number(text: str) -> bool:
    stripped = text.lstrip()
    return stripped[:1].isdigit() or stripped.startswith(_NUMBER_START)


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each quantified value that is malformed or out of range."""
    for project, i, indicator in indicators(doc):
        value = indicator.value
        at = ("indicators", i, "value")
        if DATE.search(value):
            continue
        parsed = indicator.parsed
        if parsed is None:
            if not _starts_like_number(value):
                continue
            if _FULL_WIDTH_DIGIT.search(value):
                message = _("指标值 '{value}' uses full-width digits; write them as 0–9, "
                            "e.g. ≥95%").format(value=value)
            else:
                message = _("指标值 '{value}' cannot be read as operator + number + unit, "
                            "e.g. ≥95%, >15 次, ≤7 工作日; write a text target in "
                            "words").format(value=value)
            yield Finding(project.source, at, message)
            continue
        if re.match(r"[,，][0-9]", parsed.unit):
            yield Finding(project.source, at, _(
                "指标值 '{value}' has a thousands separator; write the number without one, "
                "e.g. 12000 元").format(value=value))
        elif parsed.is_percent and parsed.number > _HUNDRED:
            yield Finding(
                project.source, at,
                _("指标值 '{value}' is a percentage above 100; a percentage is from 0 "
                  "to 100").format(value=value),
            )
