"""Load the indicator vocabulary (指标体系) from the YAML profiles in ``data/vocab``.

Both the classic layout (财预〔2020〕10号) and the newer one (财预〔2021〕101号,
where 成本指标 is a first-level category) are in use, so the vocabulary is data:
one YAML file per profile, chosen by ``settings.profile`` or ``perfdoc.toml``.

Each level-1 and level-2 name carries a *kind* (``output``, ``cost``,
``timeliness``, ``satisfaction`` …) so that rules ask "is this a 时效 indicator?"
without hard-coding the names of one profile.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import yaml
from pydantic import BaseModel, ConfigDict, Field

DEFAULT_PROFILE = "default"

# The same fast loader as ``perfdoc.load``; profiles are trusted package data,
# so positions are not needed.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Level1(BaseModel):
    """One first-level indicator and the second-level names allowed under it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str
    level2: dict[str, str] = Field(min_length=1)


class _Coverage(BaseModel):
    """What every project must contain, unless indicator-coverage's options say otherwise."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    level1: list[str]
    output_kinds: list[str]


class _VocabFile(BaseModel):
    """The shape of one ``data/vocab/<profile>.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    level1: dict[str, _Level1] = Field(min_length=1)
    aliases: dict[str, str] = Field(default_factory=dict)
    coverage: _Coverage


@dataclass(frozen=True)
class Vocabulary:
    """One profile: the allowed level-1 → level-2 names, their aliases and kinds."""

    name: str
    title: str
    level2_by_level1: dict[str, tuple[str, ...]]
    aliases: dict[str, str]
    kind_of: dict[str, str]
    parent_of: dict[str, str]
    required_level1: tuple[str, ...]
    required_output_kinds: tuple[str, ...]

    @classmethod
    def default(cls) -> Vocabulary:
        """Return the classic profile."""
        vocab = load_vocabulary(DEFAULT_PROFILE)
        assert vocab is not None, "the default profile ships with perfdoc"
        return vocab

    def canonical(self, name: str) -> str:
        """Return the standard spelling of *name* (aliases resolved, spaces trimmed)."""
        stripped = name.strip()
        return self.aliases.get(stripped, stripped)

    def kinds(self, level1: str, level2: str) -> frozenset[str]:
        """Return the kinds of an indicator, e.g. ``{"output", "timeliness"}``."""
        found = {self.kind_of.get(self.canonical(level1)), self.kind_of.get(self.canonical(level2))}
        return frozenset(k for k in found if k is not None)


def _vocab_dir() -> Traversable:
    return files("perfdoc") / "data" / "vocab"


def available_profiles() -> list[str]:
    """Return the names of the profiles that ship with perfdoc."""
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in _vocab_dir().iterdir()
        if entry.name.endswith(".yaml")
    )


@cache
def load_vocabulary(name: str) -> Vocabulary | None:
    """Load the profile *name*; return ``None`` when there is no such profile."""
    if name not in available_profiles():
        return None
    raw = yaml.load((_vocab_dir() / f"{name}.yaml").read_text(encoding="utf-8"), Loader=_Loader)
    data = _VocabFile.model_validate(raw)
    kind_of: dict[str, str] = {}
    parent_of: dict[str, str] = {}
    for level1, entry in data.level1.items():
        kind_of[level1] = entry.kind
        for level2, kind in entry.level2.items():
            kind_of[level2] = kind
            parent_of[level2] = level1
    return Vocabulary(
        name=name,
        title=data.title,
        level2_by_level1={k: tuple(v.level2) for k, v in data.level1.items()},
        aliases=dict(data.aliases),
        kind_of=kind_of,
        parent_of=parent_of,
        required_level1=tuple(data.coverage.level1),
        required_output_kinds=tuple(data.coverage.output_kinds),
    )
