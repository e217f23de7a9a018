"""Report a 指标值 or a 绩效目标 that uses a vague phrase such as 有效提升.

Reviewers send back targets like 明显改善, 进一步提高 or 稳步推进: nobody can
say at the year's end whether they were met.  The phrases are data
(``data/vague_phrases.yaml``); the option ``phrases`` adds a document's own.
Each place is reported once, naming the longest phrase found, at
``indicators[i].value`` or ``goals[j]``.  Indicator names are not checked.

Passing example::

    goals: [行政执法工作运转保障]
    indicators:
      - level1: 效益指标
        level2: 社会效益指标
        name: 纠纷化解率
        value: "≥90%"

Failing example::

    goals: [进一步提高执法水平]
    indicators:
      - level1: 效益指标
        level2: 生态效益指标
        name: 提升村庄清洁度
        value: 明显改善
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib.resources import files

import yaml
from pydantic import BaseModel, ConfigDict, Field

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, RuleContext

ID = "vague-target"
LEVEL = Level.WARNING


class Options(BaseModel):
    """Options of vague-target."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    phrases: list[str] = Field(
        default_factory=list, title="补充模糊用语",
        description="vague phrases to report besides perfdoc's, e.g. [大力推进, 全面提升]")


def _load_phrases() -> tuple[str, ...]:
    text = files("perfdoc").joinpath("data", "vague_phrases.yaml").read_text(encoding="utf-8")
    return tuple(str(p) for p in yaml.safe_load(text)["phrases"])


#: The vague phrases perfdoc knows, from ``data/vague_phrases.yaml``.
PHRASES: tuple[str, ...] = _load_phrases()


def vague_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """Return the longest of *phrases* in *text*, or ``None``."""
    found = [p for p in phrases if p and p in text]
    return max(found, key=len) if found else None


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each 指标值 and 绩效目标 with a vague phrase."""
    phrases = (*PHRASES, *(p.strip() for p in ctx.get(Options).phrases))
    for project in doc.projects:
        for j, goal in enumerate(project.model.goals):
            phrase = vague_phrase(goal, phrases)
            if phrase is not None:
                yield Finding(
                    project.source, ("goals", j),
                    _("绩效目标 '{goal}' is vague ('{phrase}'); reviewers ask for a goal whose "
                      "result can be checked, with an amount or a date").format(
                        goal=goal, phrase=phrase),
                )
        for i, indicator in enumerate(project.model.indicators):
            phrase = vague_phrase(indicator.value, phrases)
            if phrase is not None:
                yield Finding(
                    project.source, ("indicators", i, "value"),
                    _("指标值 '{value}' is vague ('{phrase}'); reviewers ask for a checkable "
                      "target such as ≥95%").format(value=indicator.value, phrase=phrase),
                )
