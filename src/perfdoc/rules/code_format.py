"""Check 单位编码 and 项目编码 against their patterns and the document's year.

单位编码 is six digits (``912001``).  项目编码 follows the budget system's
pattern, e.g. ``13082124P00011110021J``: the six-digit region code 130821, the
two-digit year 24, ``P``, a serial number and a closing letter.  The year in
the code should be the document's year; a code from another year usually means
the table was copied from last year's document.  Reported at ``unit_code`` or
``code``.

Options:

- ``unit_code_pattern``: a regular expression 单位编码 must match (default ``^[0-9]{6}$``).
- ``code_pattern``: a regular expression 项目编码 must match; a group named
  ``year`` marks the two-digit year (default
  ``^(?P<region>[0-9]{6})(?P<year>[0-9]{2})P[0-9]+[A-Z]$``).
- ``max_years_back``: how many years before the document's a code's year may be,
  for projects that continue from earlier years (default: 0).

Passing example::

    unit_code: "912001"
    code: 13082124P00011110021J

Failing example::

    unit_code: "912001"
    code: 13082123P00007010010J
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from perfdoc.document import DOCUMENT_FILE, Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, Pattern, RuleContext
from perfdoc.rules.placeholder import MARKER

ID = "code-format"
LEVEL = Level.WARNING
class Options(BaseModel):
    """Options of code-format."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unit_code_pattern: Pattern = Field(
        r"^[0-9]{6}$", title="单位编码格式",
        description="单位编码 must match this regular expression")
    code_pattern: Pattern = Field(
        r"^(?P<region>[0-9]{6})(?P<year>[0-9]{2})P[0-9]+[A-Z]$", title="项目编码格式",
        description="项目编码 must match this regular expression; a `year` group marks the "
                    "two-digit year")
    max_years_back: int = Field(
        0, ge=0, title="编码年份可早于年度的年数",
        description="how many years before the document's year a 项目编码's year may be")


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each malformed code and each code from another year."""
    options = ctx.get(Options)
    unit_pattern = re.compile(options.unit_code_pattern)
    code_pattern = re.compile(options.code_pattern)
    years_back = options.max_years_back
    year = doc.meta.year
    for project in doc.projects:
        model = project.model
        # A code still to fill in (【待填写】) is the placeholder rule's to report.
        if MARKER not in project.unit_code and not unit_pattern.search(project.unit_code):
            # A code given once in document.yaml is reported there (once).
            shared = "unit_code" in project.from_document
            yield Finding(
                doc.sources[DOCUMENT_FILE] if shared else project.source, ("unit_code",),
                _("单位编码 (unit_code) '{code}' does not match the pattern {pattern}").format(
                    code=project.unit_code, pattern=unit_pattern.pattern
                ),
            )
        if MARKER in model.code:
            continue
        m = code_pattern.search(model.code)
        if m is None:
            yield Finding(
                project.source, ("code",),
                _("项目编码 (code) '{code}' does not match the pattern {pattern}").format(
                    code=model.code, pattern=code_pattern.pattern
                ),
            )
            continue
        written = m.groupdict().get("year")
        if not written or not written.isdigit():
            continue
        # Two digits name a year in the document's century.
        code_year = year // 100 * 100 + int(written) if len(written) == 2 else int(written)
        if not year - years_back <= code_year <= year:
            yield Finding(
                project.source, ("code",),
                _("项目编码 (code) '{code}' carries the year {code_year}, but the document is "
                  "for {year}").format(code=model.code, code_year=code_year, year=year),
            )
