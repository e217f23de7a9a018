"""Check that a 时效 indicator's value names a time.

A 时效指标 says *when*: a date (``2024年12月31日前``, ``12月底``) or a span in
工作日, 天, 日, 周, 月, 季度, 年, 小时 or 分钟.  A value such as 支出进度要求
names no time, so nobody can tell whether the target was met.  Reported at
``indicators[i].value``.

Options:

- ``allow_percent``: accept a percentage, such as 资金拨付及时率 ``100%`` (default: false).

Passing example::

    indicators:
      - level1: 产出指标
        level2: 时效指标
        name: 报账时间
        value: "≤7 工作日"

Failing example::

    indicators:
      - level1: 产出指标
        level2: 时效指标
        name: 按时间进度要求支付使用资金
        value: 支出进度要求
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import DATE, Finding, RuleContext, indicators

ID = "timeliness-value"
LEVEL = Level.WARNING
class Options(BaseModel):
    """Options of timeliness-value."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    allow_percent: StrictBool = Field(
        False, title="允许百分比", description="accept a percentage such as 及时率 100%")

# A lone 时 is left out on purpose: 及时 and 按时 name no time.
_TIME_WORD = re.compile("工作日|小时|分钟|季度|年|月|周|星期|旬|日|天")


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each 时效 indicator whose value names no date or span."""
    allow_percent = ctx.get(Options).allow_percent
    for project, i, indicator in indicators(doc):
        if "timeliness" not in ctx.vocab_for(project).kinds(indicator.level1, indicator.level2):
            continue
        value = indicator.value
        if _TIME_WORD.search(value) or DATE.search(value):
            continue
        parsed = indicator.parsed
        if allow_percent and parsed is not None and parsed.is_percent:
            continue
        yield Finding(
            project.source, ("indicators", i, "value"),
            _("时效指标 '{name}' has the value '{value}', which names no time; give a "
              "date or a span in 工作日, 天, 月, 季度, 年, 小时 or 周").format(
                name=indicator.name, value=value
            ),
        )
