"""What an import found: the YAML files to write, before they are written.

A source is read into a ``Draft``: one ``Part`` for document.yaml, one for
goals.yaml and one per project file.  A part's ``values`` are in the order the
file is written, with these types:

- ``str``: a single line of text, written exactly as found (trimmed);
- ``Number``: a number as its source wrote it (``6.19``, ``11.00``, ``25``),
  written unquoted so perfdoc reads the same digits;
- ``Prose``: paragraphs, written as a ``|`` block, one line each;
- ``None``: a key written with no value (``other:``);
- ``list`` and ``dict`` of these.

``comments`` says, by key path (``"cover.title"``, ``"indicators.3.level1"``),
which values were inferred rather than read, in Chinese.  Text that could not
be placed goes to ``unplaced`` and becomes the file's ``_unplaced:`` list, and
a ``Problem`` with rule ``import`` says where it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perfdoc.i18n import _
from perfdoc.problems import Level, Problem

#: The rule id of every problem an import reports.
RULE = "import"


class Number(str):
    """A number as written in the source, e.g. ``Number("11.00")``."""

    __slots__ = ()


@dataclass(frozen=True)
class Prose:
    """Paragraphs of a prose field, each one line."""

    paragraphs: tuple[str, ...]


@dataclass
class Part:
    """One YAML file to write."""

    values: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    unplaced: list[str] = field(default_factory=list)

    def note(self, key: str, comment: str) -> None:
        """Say (in Chinese) how the value at *key* was inferred."""
        self.comments[key] = comment


@dataclass
class Place:
    """Where a piece of the source is, for problem messages.

    For a .docx, ``line`` is the paragraph's number in reading order (table
    cells counted in order) and ``col`` is 1; ``where`` reads "第 N 段" or
    "表 T 第 R 行第 C 列".  For an .xlsx, ``line`` is the row and ``col`` the
    column, and ``where`` names the sheet.
    """

    path: str
    line: int
    col: int
    where: str


@dataclass
class Draft:
    """Everything found in the sources of one document."""

    document: Part | None = None
    goals: Part | None = None
    projects: list[Part] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def unplaced(self, part: Part, text: str, place: Place, why: str) -> None:
        """Keep *text* in *part*'s ``_unplaced`` list and report where it was."""
        part.unplaced.append(text)
        # The text is quoted shortened (i18n does it): the file keeps it whole.
        self.warn(place, _("{where}: {why}: {text}").format(where=place.where, why=why, text=text))

    def warn(self, place: Place, message: str) -> None:
        """Report a problem found while importing, as a warning."""
        self.problems.append(Problem(place.path, place.line, place.col, Level.WARNING, RULE,
                                     message))
