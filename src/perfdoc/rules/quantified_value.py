"""Report an 指标值 without a number as a qualitative target.

Guidance prefers quantified targets (``≥95%``, ``≤7 工作日``) because they can be
checked at the year's end; values such as 有效提升 or 持续使用 cannot.  This is
an info, not a fault: some targets are qualitative by nature.  Reported at
``indicators[i].value``.

Passing example::

    indicators:
      - level1: 效益指标
        level2: 社会效益指标
        name: 促进帮扶群众收入提升
        value: "≥5%"

Failing example::

    indicators:
      - level1: 效益指标
        level2: 生态效益指标
        name: 提升村庄清洁度
        value: 有效提升
"""

from __future__ import annotations

from collections.abc import Iterator

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import DIGIT, Finding, NoOptions, RuleContext, indicators

ID = "quantified-value"
LEVEL = Level.INFO
Options = NoOptions


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each 指标值 that contains no number."""
    for project, i, indicator in indicators(doc):
        if DIGIT.search(indicator.value):
            continue
        yield Finding(
            project.source, ("indicators", i, "value"),
            _("指标值 '{value}' is qualitative (it has no number); a quantified target "
              "such as ≥95%, ≤7 工作日 can be checked at the end of the year").format(
                value=indicator.value
            ),
        )
