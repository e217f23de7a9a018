"""Report projects of one document that disagree on the unit's code or name.

Every table of a document carries the same unit line (``912001
承德县三家镇人民政府本级``); a project that names another 单位编码 or 单位名称 was
usually copied from another unit's document.  Set them once in document.yaml
to avoid the question.  ``unit_name`` is not compared with the cover's
``unit`` ("…本级" legitimately differs), and ``money_unit`` may differ per
project, since amounts are converted.  Reported at the later project's key,
naming the first project.

Passing example::

    unit_code: "912001"
    unit_name: 承德县三家镇人民政府本级
    ---
    unit_code: "912001"
    unit_name: 承德县三家镇人民政府本级

Failing example::

    unit_code: "912001"
    unit_name: 承德县三家镇人民政府本级
    ---
    unit_code: "912002"
    unit_name: 承德县三家镇人民政府本级
"""

from __future__ import annotations

from collections.abc import Iterator

from perfdoc.document import Document, Project
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext

ID = "unit-consistency"
LEVEL = Level.WARNING
Options = NoOptions

_FIELDS = {"unit_code": "单位编码 (unit_code)", "unit_name": "单位名称 (unit_name)"}


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each project whose unit line differs from the first project's."""
    first: dict[str, Project] = {}
    for project in doc.projects:
        for name, label in _FIELDS.items():
            seen = first.setdefault(name, project)
            if getattr(project, name) == getattr(seen, name):
                continue
            yield Finding(project.source, (name,), _(
                "{field} is '{value}' here but '{first}' in {file}; every table of one "
                "document carries the same unit (set it once in document.yaml)").format(
                field=label, value=getattr(project, name), first=getattr(seen, name),
                file=seen.source.display))
