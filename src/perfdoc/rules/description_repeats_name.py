"""Report a 绩效指标描述 that only repeats its 三级指标 name.

A description such as 经费使用合规率 under the indicator 经费使用合规率 adds
nothing to the table; say what the indicator measures instead (反映经费使用
是否符合财经纪律).  Spaces are ignored in the comparison; an empty description
is not reported.  Reported at ``indicators[i].description``.

Passing example::

    indicators:
      - level1: 产出指标
        level2: 质量指标
        name: 经费使用合规率
        description: 反映经费使用是否符合财经纪律
        value: "100%"

Failing example::

    indicators:
      - level1: 产出指标
        level2: 质量指标
        name: 经费使用合规率
        description: 经费使用 合规率
        value: "100%"
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext, indicators

ID = "description-repeats-name"
LEVEL = Level.INFO
Options = NoOptions

# Half- and full-width spaces, and any other white space.
_SPACE = re.compile(r"\s+")


def _bare(text: str) -> str:
    return _SPACE.sub("", text)


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each description that equals its indicator's name."""
    for project, i, indicator in indicators(doc):
        description = _bare(indicator.description or "")
        if description and description == _bare(indicator.name):
            yield Finding(
                project.source, ("indicators", i, "description"),
                _("绩效指标描述 '{description}' only repeats the 三级指标 name; say what the "
                  "indicator measures").format(description=indicator.description),
            )
