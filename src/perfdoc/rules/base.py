"""Define what every rule shares: the finding it yields, the context it reads, helpers.

A rule never builds a :class:`~perfdoc.problems.Problem` itself.  It yields
:class:`Finding` objects (where and what), and the runner in ``check.py`` stamps
the rule id and the configured level on them, as yamllint's runner does.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from perfdoc.document import Document, Project
from perfdoc.i18n import Whole, _
from perfdoc.model import Indicator
from perfdoc.problems import Level
from perfdoc.rules.vocab import Vocabulary
from perfdoc.yamlfile import Path_, YamlFile

#: A calendar date or a point in the year: 2024年12月31日, 2024-12-31, 12月底, 6月30日前.
DATE = re.compile(
    r"[0-9]{4}\s*(?:年|[-./])\s*[0-9]{1,2}"
    r"|[0-9]{1,2}\s*月\s*(?:[0-9]{1,2}\s*[日号]|底|末|份|前|中旬|上旬|下旬)"
)

#: Any digit, half- or full-width: a value without one is qualitative.
DIGIT = re.compile("[0-9０-９]")


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: the file, the dotted path in it, and the message."""

    source: YamlFile
    at: Path_
    message: str
    key: bool = False


class RuleOptionError(Exception):
    """Raised by a rule whose configured option cannot be used (e.g. a bad regex)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.message = message


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides the document: its options and the vocabulary."""

    options: Mapping[str, Any] = field(default_factory=dict)
    vocab: Vocabulary = field(default_factory=lambda: Vocabulary.default())

    def number(self, name: str) -> Decimal:
        """Return the numeric option *name* as an exact Decimal."""
        value = self.options[name]
        # str() first: a TOML float such as 90.5 must not become 90.4999…
        return Decimal(str(value))

    def text(self, name: str) -> str:
        """Return the text option *name*."""
        return str(self.options[name])

    def flag(self, name: str) -> bool:
        """Return the true/false option *name*."""
        return bool(self.options[name])

    def names(self, name: str) -> list[str] | None:
        """Return the list option *name*, or ``None`` when it is unset."""
        value = self.options.get(name)
        return None if value is None else [str(v) for v in value]


class Rule(Protocol):
    """The shape of a rule module: ``ID``, ``LEVEL``, ``CONF`` and ``check()``."""

    ID: str
    LEVEL: Level
    CONF: dict[str, Any]

    def check(self, doc: Document, ctx: RuleContext) -> Iterator[Finding]:
        """Yield the findings of this rule over *doc*."""
        ...


def indicators(doc: Document) -> Iterator[tuple[Project, int, Indicator]]:
    """Yield every indicator of every project with its index in the project file."""
    for project in doc.projects:
        for i, indicator in enumerate(project.model.indicators):
            yield project, i, indicator


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """Return ``; did you mean 'x'?`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    if not close:
        return ""
    return _("; did you mean '{suggestion}'?").format(suggestion=close[0])


def listing(names: Iterable[str]) -> Whole:
    """Join *names* for a message, in the order given."""
    return Whole("、".join(names))
