"""The one error hierarchy, each class tied to its exit code (docs/cli.md, "Exit codes").

"Your document is wrong" (exit 1, located problems) is kept apart from "the
build could not run" (exit 3, what to do next).  The classes subclass
``click.ClickException`` so the CLI prints them without extra code.
"""

from __future__ import annotations

import click

from perfdoc.problems import Problem

#: What a bug prints (docs/cli.md, "Exit codes"); ``--debug`` adds the traceback.
INTERNAL_ERROR = "internal error — please report (perfdoc {version})"


class PerfdocError(click.ClickException):
    """Base class: a message for the user and an exit code."""

    exit_code = 1

    def show(self, file: object = None) -> None:  # noqa: D102 - click's API
        click.echo(self.format_message(), err=True)


class DocumentError(PerfdocError):
    """The document is wrong; carries the located problems."""

    exit_code = 1

    def __init__(self, problems: list[Problem], message: str = "") -> None:
        super().__init__(message)
        self.problems = problems


class UsageError(PerfdocError):
    """The command line is wrong: an unknown option or a missing folder."""

    exit_code = 2


class EnvironmentProblem(PerfdocError):
    """LibreOffice, an uno-capable Python or a font is missing, or a conversion failed."""

    exit_code = 3


class ConversionError(EnvironmentProblem):
    """A conversion failed, crashed or timed out."""


class OutputError(EnvironmentProblem):
    """An output could not be written: a read-only folder, a folder in the way, a full disk."""


class StaleOutputs(PerfdocError):
    """``build --check`` found outputs that a build would change."""

    exit_code = 1
