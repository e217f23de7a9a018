"""Check that no two project files of a document share a 项目编码 or a 项目名称.

A 项目编码 identifies one project in the budget system, so two files with the
same code are an error: one of them was copied and not changed.  The same
项目名称 under two different codes is reported as a warning only (a rule may
lower a finding below its configured level, never raise it): it is likely a
copying mistake, though two years' funds may share a name.  The second file
(in file-name order) is reported at ``code`` or ``name``, naming the first.

Each example is two project files, separated by ``---``.

Passing example::

    code: 13082124P00011110021J
    name: 执法工作经费
    ---
    code: 13082124P00011110022J
    name: 执法车辆购置经费

Failing example::

    code: 13082124P00011110021J
    name: 执法工作经费
    ---
    code: 13082124P00011110021J
    name: 执法车辆购置经费
"""

from __future__ import annotations

from collections.abc import Iterator

from perfdoc.document import Document, Project
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext

ID = "duplicate-project"
LEVEL = Level.ERROR
Options = NoOptions


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each repeated 项目编码, and each 项目名称 under another code."""
    by_code: dict[str, Project] = {}
    by_name: dict[str, Project] = {}
    for project in sorted(doc.projects, key=lambda p: p.source.path.name):
        code, name = project.model.code.strip(), project.model.name.strip()
        first = by_code.setdefault(code, project)
        if first is not project:
            yield Finding(
                project.source, ("code",),
                _("项目编码 '{code}' is also the code of {file}; each project needs its "
                  "own code").format(code=code, file=first.source.path.name),
            )
            continue
        first = by_name.setdefault(name, project)
        if first is not project:
            yield Finding(
                project.source, ("name",),
                _("项目名称 '{name}' is also the name of {file} (项目编码 '{code}'); two "
                  "projects with one name are likely a mistake").format(
                    name=name, file=first.source.path.name, code=first.model.code.strip()),
                level=Level.WARNING,
            )
