"""Report text still marked 【待填写】 and projects whose 预算数 is 0.

``perfdoc import`` writes 【待填写】 where its source had nothing to say (an
.xlsx has no cover and no overall goal) and 0 for a 预算数 it could not read,
so the folder validates and builds while the gaps stay visible.  This rule
lists them: every text field anywhere in the document (document.yaml,
goals.yaml and every project file) that contains 【待填写】, once per field at
that field, and every project whose ``budget.total`` is 0.

Passing example::

    name: 执法工作经费
    goals: [行政执法工作运转保障]

Failing example::

    name: 【待填写】项目名称
    goals: [【待填写】项目绩效目标]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from perfdoc.document import DOCUMENT_FILE, GOALS_FILE, Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext
from perfdoc.yamlfile import Path_, YamlFile

ID = "placeholder"
LEVEL = Level.WARNING
Options = NoOptions

#: The mark ``perfdoc import`` writes into every value it could not find.
MARKER = "【待填写】"


def _texts(value: Any, at: Path_) -> Iterator[tuple[Path_, str]]:
    """Yield every text in *value* (a model, a list or a str) with its path.

    Walking the models rather than naming fields means a text field added
    later is checked without touching this rule.  Mappings (``settings.checks``)
    are configuration, not text of the document, and are skipped.
    """
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*at, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*at, i))


def _marked(source: YamlFile, model: BaseModel) -> Iterator[Finding]:
    for at, text in _texts(model, ()):
        if MARKER in text:
            yield Finding(source, at, _(
                "still holds the placeholder 【待填写】: '{text}'; write the real text").format(
                    text=text))


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each field holding 【待填写】 and each 预算数 of 0."""
    for name, model in ((DOCUMENT_FILE, doc.meta), (GOALS_FILE, doc.goals)):
        source = doc.sources.get(name)
        if source is not None:
            yield from _marked(source, model)
    for project in doc.projects:
        # A value the project leaves to document.yaml is None here, so a
        # placeholder shared through document.yaml is reported once, there.
        yield from _marked(project.source, project.model)
        if project.model.budget.total == 0:
            yield Finding(project.source, ("budget", "total"),
                          _("预算数 is 0; fill in the project's budget"))
