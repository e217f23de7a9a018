"""Check that each 一级指标 and 二级指标 pair is one the profile allows.

The profile (``settings.profile``: ``default`` or ``101``) lists the allowed
二级指标 under each 一级指标, with accepted aliases such as 环境效益指标 for
生态效益指标.  An unknown name is reported with the allowed names and a
did-you-mean; a known 二级指标 under the wrong 一级指标 names its right parent.
Reported at ``indicators[i].level1`` or ``indicators[i].level2``.

Passing example::

    indicators:
      - level1: 效益指标
        level2: 环境效益指标
        name: 村庄清洁度
        value: "≥90%"

Failing example::

    indicators:
      - level1: 产出指标
        level2: 数量指示
        name: 开展帮扶活动次数
        value: ">15 次"
"""

from __future__ import annotations

from collections.abc import Iterator

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext, did_you_mean, indicators, listing

ID = "indicator-hierarchy"
LEVEL = Level.ERROR
Options = NoOptions


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each 一级/二级 name the profile does not allow."""
    for project, i, indicator in indicators(doc):
        vocab = ctx.vocab_for(project)
        allowed_level1 = list(vocab.level2_by_level1)
        level1 = vocab.canonical(indicator.level1)
        if level1 not in vocab.level2_by_level1:
            yield Finding(
                project.source, ("indicators", i, "level1"),
                _("unknown 一级指标 '{name}' in the {profile} profile{hint} (allowed: "
                  "{allowed})").format(
                    name=indicator.level1, profile=vocab.name,
                    hint=did_you_mean(indicator.level1, [*allowed_level1, *vocab.aliases]),
                    allowed=listing(allowed_level1),
                ),
            )
            # The 二级 name cannot be judged without a valid parent.
            continue
        allowed_level2 = vocab.level2_by_level1[level1]
        level2 = vocab.canonical(indicator.level2)
        if level2 in allowed_level2:
            continue
        at = ("indicators", i, "level2")
        parent = vocab.parent_of.get(level2)
        if parent is not None:
            yield Finding(
                project.source, at,
                _("二级指标 '{name}' belongs under 一级指标 '{parent}', not '{level1}', "
                  "in the {profile} profile").format(
                    name=indicator.level2, parent=parent, level1=indicator.level1,
                    profile=vocab.name,
                ),
            )
        elif level2 in vocab.level2_by_level1:
            yield Finding(
                project.source, at,
                _("'{name}' is a 一级指标 in the {profile} profile, not a 二级指标; "
                  "under '{level1}' use one of: {allowed}").format(
                    name=indicator.level2, profile=vocab.name, level1=indicator.level1,
                    allowed=listing(allowed_level2),
                ),
            )
        else:
            yield Finding(
                project.source, at,
                _("unknown 二级指标 '{name}' under '{level1}'{hint} (allowed: {allowed})").format(
                    name=indicator.level2, level1=indicator.level1,
                    hint=did_you_mean(indicator.level2, allowed_level2),
                    allowed=listing(allowed_level2),
                ),
            )
