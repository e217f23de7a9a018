"""Report a count target below one, such as ``<1 起``: it means zero.

Fewer than one 起 (or 次, 件, 人 …) is none, so ``<1 起``, ``＜1 次`` or
``小于1起`` is better written ``0 起``, which reads as the target it is.  Only
the count units of ``data/units.yaml`` are considered: ``<1 小时`` or
``<1%`` is a real bound.  Reported at ``indicators[i].value``.

Passing example::

    indicators:
      - level1: 效益指标
        level2: 社会效益指标
        name: 安全事故发生数
        value: "0 起"

Failing example::

    indicators:
      - level1: 效益指标
        level2: 社会效益指标
        name: 安全事故发生数
        value: "＜1 起"
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import files

import yaml

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext, indicators

ID = "less-than-one"
LEVEL = Level.INFO
Options = NoOptions


def _count_units() -> frozenset[str]:
    text = files("perfdoc").joinpath("data", "units.yaml").read_text(encoding="utf-8")
    counts = yaml.safe_load(text)["units"]["counts"]
    # 个工作日 is a span of time: "<1 个工作日" is a real bound.
    return frozenset(str(u) for u in counts) - {"个工作日"}


#: The count units, from the ``counts`` group of ``data/units.yaml``.
COUNT_UNITS = _count_units()


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each value "fewer than one" of a count unit."""
    for project, i, indicator in indicators(doc):
        parsed = indicator.parsed
        if parsed is None or parsed.operator != "<" or parsed.number != 1:
            continue
        unit = parsed.unit.strip()
        if unit not in COUNT_UNITS:
            continue
        yield Finding(
            project.source, ("indicators", i, "value"),
            _("指标值 '{value}' means none (fewer than one {unit} is zero); "
              "write '0 {unit}'").format(value=indicator.value, unit=unit),
        )
