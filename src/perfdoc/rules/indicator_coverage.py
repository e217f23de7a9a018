"""Check that each project has 产出, 效益 and 满意度 indicators, and every kind of 产出.

By default the profile decides what is required: the classic profile asks for
at least one 产出指标, 效益指标 and 满意度指标 and, among the 产出 indicators, at
least one each of 数量指标, 质量指标, 时效指标 and 成本指标; the 101 profile also
asks for a 成本指标 (a first-level category there).  The options replace those
lists.  Aliases count as their standard name.  Reported at the project's
``indicators`` key, one message per missing category.

Options:

- ``require_level1``: the 一级指标 every project needs (default: the profile's).
- ``require_output_kinds``: the 二级指标 every project needs (default: the profile's).

Passing example::

    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 帮扶活动次数, value: ">15 次"}
      - {level1: 产出指标, level2: 质量指标, name: 后勤保障率, value: "100%"}
      - {level1: 产出指标, level2: 时效指标, name: 报账时间, value: "≤7 工作日"}
      - {level1: 产出指标, level2: 成本指标, name: 资金总成本, value: "≤6 万元"}
      - {level1: 效益指标, level2: 社会效益指标, name: 群众收入提升, value: "≥5%"}
      - {level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, value: "≥95%"}

Failing example::

    indicators:
      - {level1: 产出指标, level2: 数量指标, name: 帮扶活动次数, value: ">15 次"}
      - {level1: 效益指标, level2: 社会效益指标, name: 群众收入提升, value: "≥5%"}
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, RuleContext, listing

ID = "indicator-coverage"
LEVEL = Level.ERROR
class Options(BaseModel):
    """Options of indicator-coverage."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    require_level1: list[str] | None = Field(
        None, title="必备一级指标",
        description="一级指标 every project must have; default: the profile's")
    require_output_kinds: list[str] | None = Field(
        None, title="必备产出二级指标",
        description="二级指标 every project must have; default: the profile's")


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each required category a project lacks."""
    options = ctx.get(Options)
    for project in doc.projects:
        vocab = ctx.vocab_for(project)
        need_level1 = options.require_level1
        if need_level1 is None:
            need_level1 = list(vocab.required_level1)
        need_level2 = options.require_output_kinds
        if need_level2 is None:
            need_level2 = list(vocab.required_output_kinds)
        have_level1 = {vocab.canonical(ind.level1) for ind in project.model.indicators}
        have_level2 = {vocab.canonical(ind.level2) for ind in project.model.indicators}
        for name in need_level1:
            if vocab.canonical(name) not in have_level1:
                yield Finding(
                    project.source, ("indicators",),
                    _("the project has no {name}; each project needs at least one "
                      "indicator under each of: {required}").format(
                        name=name, required=listing(need_level1)
                    ),
                    key=True,
                )
        for name in need_level2:
            if vocab.canonical(name) not in have_level2:
                yield Finding(
                    project.source, ("indicators",),
                    _("the project has no {name}; each project needs at least one "
                      "indicator of each of: {required}").format(
                        name=name, required=listing(need_level2)
                    ),
                    key=True,
                )
