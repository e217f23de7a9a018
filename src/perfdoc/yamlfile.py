"""What loading a YAML file gives: its data, and where every key and value was.

Every later stage reads these types: the models take numbers as the text they
were typed as, and problems are located through :class:`YamlFile`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfdoc.problems import Level, Problem

Path_ = tuple[str | int, ...]


class _Written:
    """A number that remembers the text it was written as (mixed into int, Decimal, float).

    Codes such as ``unit_code: 912001`` are read by YAML as numbers; keeping
    the text lets the model treat them as the string the author typed, and
    lets money refuse YAML 1.1 forms (``010`` is octal 8, ``0x10`` is 16,
    ``1:30`` is 90) instead of printing a number nobody typed.
    """

    text: str

    def __new__(cls, value: Any, text: str) -> Any:  # noqa: D102
        # super() is the number type (int, Decimal or float) the subclass mixes in.
        obj = super().__new__(cls, value)  # type: ignore[call-arg]
        obj.text = text
        return obj


class SourceInt(_Written, int):
    """An ``int`` with the text it was written as."""


class SourceDecimal(_Written, Decimal):
    """A ``Decimal`` read from a YAML float, with the text it was written as."""


class SourceFloat(_Written, float):
    """A YAML float Decimal cannot read (``.inf``, ``.nan``), with its text."""


def written(value: Any) -> str | None:
    """Return the text a YAML number was typed as, or ``None`` for other values."""
    return value.text if isinstance(value, _Written) else None


@dataclass(frozen=True)
class Loc:
    """A 1-based position in a file."""

    line: int
    col: int


@dataclass
class YamlFile:
    """One YAML file's data and the position of every key and value in it."""

    path: Path
    display: str
    data: Any
    key_locs: dict[Path_, Loc] = field(default_factory=dict)
    value_locs: dict[Path_, Loc] = field(default_factory=dict)
    encoding: str = "utf-8"
    raw: bytes = b""  # the file's bytes as read: the build hashes these, reading nothing twice

    def locate(self, at: Path_, *, key: bool = False) -> Loc:
        """Return the position of *at*, or of its nearest known ancestor.

        With ``key=True`` a mapping member is located at its key, which is where
        an editor should put the cursor for a misspelt or unwanted key.
        """
        probe = tuple(at)
        while True:
            table = (self.key_locs, self.value_locs) if key else (self.value_locs, self.key_locs)
            for t in table:
                if probe in t:
                    return t[probe]
            if not probe:
                return Loc(1, 1)
            probe = probe[:-1]

    def problem(
        self, at: Path_, message: str, *, rule: str, level: Level = Level.ERROR, key: bool = False
    ) -> Problem:
        """Build a problem located at *at* in this file."""
        loc = self.locate(at, key=key)
        return Problem(self.display, loc.line, loc.col, level, rule, message)
