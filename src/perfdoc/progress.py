"""Show a build's progress and summary: a bar on a terminal, plain lines elsewhere."""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

import click

from perfdoc.build import BuildReport, DocResult
from perfdoc.i18n import _
from perfdoc.problems import Problem, display_path, format_problems


class BuildPrinter:
    """Print one line per finished document, or drive a progress bar on a terminal."""

    def __init__(self, *, total: int, check_only: bool,
                 show: Callable[[list[Problem]], list[Problem]] = list) -> None:
        self.show = show
        self.total = total
        self.check_only = check_only
        self.tty = sys.stderr.isatty() and total > 1
        self._bar: Any = None

    def __enter__(self) -> BuildPrinter:
        if self.tty:
            self._bar = click.progressbar(length=self.total, label="perfdoc", file=sys.stderr)
            self._bar.__enter__()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(et, ev, tb)

    def done(self, result: DocResult) -> None:
        """Report one finished document."""
        shown = self.show(result.problems)
        if shown:
            click.echo(format_problems(shown))
        if result.message:
            click.echo(result.message, err=True)
        label = {
            "built": _("built"), "skipped": _("unchanged"), "failed": _("failed"),
            "stale": _("stale"), "fresh": _("up to date"), "cancelled": _("cancelled"),
        }[result.status]
        line = f"{display_path(result.folder)}: {label}"
        for path in result.written:
            line += f"\n  -> {display_path(path)}"
        for path in result.stale:
            line += "\n  " + _("stale: {path}").format(path=display_path(path))
        if self._bar is not None:
            self._bar.update(1)
            if result.status in ("failed", "stale", "cancelled"):
                click.echo(line, err=True)
        else:
            click.echo(line, err=True)

    def summary(self, report: BuildReport) -> None:
        """Print the closing line: built, skipped, failed, time taken."""
        if self.check_only:
            text = _("{fresh} up to date, {stale} stale, {failed} failed in {s:.1f} s").format(
                fresh=report.count("fresh"), stale=report.count("stale"),
                failed=report.count("failed"), s=report.seconds)
        else:
            text = _("{built} built, {skipped} unchanged, {failed} failed in {s:.1f} s").format(
                built=report.count("built"), skipped=report.count("skipped"),
                failed=report.count("failed"), s=report.seconds)
        if report.count("cancelled"):
            text += _(", {n} cancelled").format(n=report.count("cancelled"))
        click.echo(text, err=True)
