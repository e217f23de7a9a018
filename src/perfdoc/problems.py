"""One located problem type and one printer, shared by every stage.

A ``Problem`` is what a user can fix: a schema error, a rule finding, a file
that cannot be read.  Lines and columns are 1-based; the conversion from the
parser's 0-based marks happens once, in ``load``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

from perfdoc.i18n import Whole


class Level(str, Enum):
    """How serious a problem is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=False)
class Problem:
    """A located problem: ``path:line:col: [level] message (rule)``."""

    path: str
    line: int
    col: int
    level: Level
    rule: str
    message: str
    #: Silenced by a ``# perfdoc: disable-line=RULE`` comment: it neither prints
    #: as text nor fails a run, and ``--format json`` lists it marked as such.
    suppressed: bool = False

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Sort by file, then position, so output is stable and readable."""
        return (self.path, self.line, self.col, self.rule, self.message)


# Characters that would break the one-line ``path:line:col:`` format or turn
# the line around on screen: controls, bidi marks and zero-width characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def escape_path(text: str) -> str:
    r"""Write unprintable characters of a path as escapes: a newline as ``\n``."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def display_path(path: Path | str) -> str:
    """Show *path* relative to the working directory when it lies below it, escaped.

    The result is quoted whole in messages: a path cut short is no use.
    """
    p = Path(path)
    try:
        rel = os.path.relpath(p.absolute(), Path.cwd())
    except ValueError:  # another drive on Windows
        return Whole(escape_path(str(p)))
    return Whole(escape_path(str(p) if rel.startswith("..") else rel))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Return *problems* sorted by file and line, duplicates removed."""
    return sorted(set(problems), key=Problem.sort_key)


def has_failures(problems: Iterable[Problem], *, strict: bool = False) -> bool:
    """Say whether *problems* fail a run: errors always, warnings under ``--strict``.

    A suppressed finding never fails a run.
    """
    failing = {Level.ERROR, Level.WARNING} if strict else {Level.ERROR}
    return any(p.level in failing and not p.suppressed for p in problems)


def unsuppressed(problems: Iterable[Problem]) -> list[Problem]:
    """Return the problems that no suppression comment silenced."""
    return [p for p in problems if not p.suppressed]


def _github_escape(text: str, *, prop: bool = False) -> str:
    # GitHub's workflow-command syntax needs %, CR and LF escaped, and in
    # properties also ':' and ','.
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        out = out.replace(":", "%3A").replace(",", "%2C")
    return out


_GITHUB_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def format_problems(problems: Iterable[Problem], fmt: str = "text") -> str:
    """Render *problems* as ``text``, ``json`` or ``github`` output.

    Suppressed findings are left out of ``text`` and ``github``; ``json`` lists
    them with ``"suppressed": true`` (the key is absent on the others).
    """
    items = sort_problems(problems)
    if fmt == "json":
        keys = ["path", "line", "col", "level", "rule", "message"]
        rows = []
        for p in items:
            row = {**asdict(p), "level": p.level.value}
            rows.append({k: row[k] for k in keys + (["suppressed"] if p.suppressed else [])})
        return json.dumps(rows, ensure_ascii=False, indent=2)
    items = unsuppressed(items)
    if fmt == "github":
        return "\n".join(
            f"::{_GITHUB_LEVEL[p.level]} file={_github_escape(p.path, prop=True)},"
            f"line={p.line},col={p.col},title={_github_escape(p.rule, prop=True)}::"
            f"{_github_escape(p.message)}"
            for p in items
        )
    return "\n".join(
        f"{escape_path(p.path)}:{p.line}:{p.col}: [{p.level.value}] {p.message} ({p.rule})"
        for p in items
    )
