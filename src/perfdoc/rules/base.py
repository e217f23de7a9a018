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
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

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
    """One thing a rule found: the file, the dotted path in it, and the message.

    *level* lets a rule lower one finding below its configured level (a rule
    whose errors and warnings differ in kind); it never raises one.
    """

    source: YamlFile
    at: Path_
    message: str
    key: bool = False
    level: Level | None = None

    def level_under(self, configured: Level) -> Level:
        """Return the level to report: *configured*, or this finding's own when less severe."""
        if self.level is None:
            return configured
        return max(configured, self.level, key=_SEVERITY.index)


#: Levels from most to least severe.
_SEVERITY = (Level.ERROR, Level.WARNING, Level.INFO)


class NoOptions(BaseModel):
    """The options of a rule that has none."""

    model_config = ConfigDict(extra="forbid", frozen=True)


OptionsT = TypeVar("OptionsT", bound=BaseModel)


def _exact(value: Any) -> Any:
    # str() first: a TOML float such as 90.5 must not become 90.4999…
    return str(value) if isinstance(value, float) else value


#: A numeric option: exact, and never NaN or infinite (they compare false with everything).
Number = Annotated[Decimal, BeforeValidator(_exact), Field(allow_inf_nan=False)]


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise PydanticCustomError("regex", "is not a valid regular expression",
                                  {"reason": str(exc)}) from None
    return value


#: A regular-expression option, compiled once to refuse a broken one where it was written.
Pattern = Annotated[str, AfterValidator(_regex)]


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read besides the document: its options and the vocabularies.

    Real documents mix frameworks project by project (a 101 project beside
    classic ones), so a rule asks for the vocabulary of the project at hand.
    """

    options: BaseModel = field(default_factory=NoOptions)
    vocab: Vocabulary = field(default_factory=lambda: Vocabulary.default())
    #: Projects that chose another profile (``profile:`` in the project file), by file.
    project_vocab: Mapping[Path, Vocabulary] = field(default_factory=dict)

    def vocab_for(self, project: Project) -> Vocabulary:
        """Return the vocabulary *project* is written in: its own profile, or the document's."""
        return self.project_vocab.get(project.source.path, self.vocab)

    def get(self, kind: type[OptionsT]) -> OptionsT:
        """Return the options as the rule's own ``Options`` model."""
        if not isinstance(self.options, kind):
            raise TypeError(f"expected {kind.__name__} options, got {type(self.options).__name__}")
        return self.options


class Rule(Protocol):
    """The shape of a rule module: ``ID``, ``LEVEL``, ``Options`` and ``check()``."""

    ID: str
    LEVEL: Level

    @property
    def Options(self) -> type[BaseModel]:  # noqa: N802 - a module's class, read-only here
        """The rule's options: a pydantic model whose defaults are the rule's defaults."""
        ...

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
