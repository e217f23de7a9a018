"""The command line: parse arguments, call the pipeline, map outcomes to exit codes.

Nothing here knows how a document is built; see ``build.py`` for the stages.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import re
import signal
import stat
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from perfdoc import __version__
from perfdoc.early import start_converters
from perfdoc.errors import INTERNAL_ERROR, EnvironmentProblem, PerfdocError, UsageError
from perfdoc.i18n import (
    _,
    localize_help,
    route_click_messages,
    set_language,
    unknown_language_warning,
)
from perfdoc.layout import DOCUMENT_FILE, MAX_TIMEOUT, find_documents, folder_argument
from perfdoc.problems import (
    Level,
    Problem,
    display_path,
    format_problems,
    has_failures,
    unsuppressed,
)
from perfdoc.shard import pick, shard_line, shard_option

if TYPE_CHECKING:
    from perfdoc.build import BuildReport, DocResult
    from perfdoc.convert import ConverterPool
    from perfdoc.plan import BuildOptions

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = click.Choice(["text", "json", "github"])
LEVELS = click.Choice(["info", "warning", "error"])
# Help texts are translated when a run starts (i18n.localize_help), not at import.
_MIN_LEVEL_HELP = _("Report only problems of this level or above (default: info).", defer=True)
_QUIET_HELP = _("Print only the problems: no summary, no progress.", defer=True)


def _at_least(problems: list[Problem], min_level: str) -> list[Problem]:
    """Keep the problems at *min_level* or above; the rest neither print nor fail the run."""
    order = [Level.INFO, Level.WARNING, Level.ERROR]
    floor = order.index(Level(min_level))
    return [p for p in problems if order.index(p.level) >= floor]


def _kind(path: Path) -> str:
    """Say what *path* is, for a message about a path of the wrong kind."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return _("does not exist")
    except OSError as exc:
        return _("cannot be read ({reason})").format(reason=exc.strerror or exc)
    if stat.S_ISDIR(mode):
        return _("is a folder")
    if stat.S_ISREG(mode):
        return _("is a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("is a device")
    if stat.S_ISFIFO(mode):
        return _("is a named pipe")
    if stat.S_ISSOCK(mode):
        return _("is a socket")
    return _("is not a regular file")


def _wrong_kind(path: str, wanted: str) -> UsageError:
    return UsageError(_("{path} {kind}; {wanted} is needed here").format(
        path=display_path(path), kind=_kind(Path(path)), wanted=wanted))


def _document_folders(dirs: Sequence[str]) -> tuple[list[Path], list[Problem]]:
    """Expand the DIR arguments into document folders; a DIR with none is a problem."""
    folders: list[Path] = []
    problems: list[Problem] = []
    for d in dirs or (".",):
        path = folder_argument(d)
        if path is None:
            raise _wrong_kind(d, _("a document folder"))
        found = find_documents(path)
        if not found:
            problems.append(
                Problem(display_path(path / DOCUMENT_FILE), 1, 1, Level.ERROR, "io",
                        _("no document.yaml here or in any subfolder; "
                          "a document folder must contain document.yaml"))
            )
        folders.extend(f for f in found if f not in folders)
    return folders, problems


def _output_folder(path: str) -> Path:
    """Return *path* as a folder to write into; anything but a folder there is a usage error."""
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise _wrong_kind(path, _("a folder to write into"))
    return target


def _seconds(name: str) -> float | None:
    """Read a number of seconds from the environment variable *name*."""
    value = os.environ.get(name)
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (0 < seconds <= MAX_TIMEOUT):  # NaN fails this too
        raise UsageError(_("{name} must be a number of seconds above 0 and at most {max:g}, "
                           "not {value}").format(name=name, max=MAX_TIMEOUT, value=value))
    return seconds


def _check_source_date_epoch() -> int | None:
    """Refuse a SOURCE_DATE_EPOCH that no date in a .docx can carry; return it."""
    from perfdoc.outputs import source_date_epoch

    try:
        return source_date_epoch()
    except ValueError as exc:
        raise UsageError(_("SOURCE_DATE_EPOCH must be whole seconds since 1970 up to the "
                           "year 9999, not {value}").format(value=exc.args[0])) from None


def _check_converter(addresses: str) -> None:
    """Refuse a --converter list with an entry that is not HOST:PORT."""
    for address in addresses.split(","):
        host, sep, port = address.strip().rpartition(":")
        if not sep or not host or not re.fullmatch(r"[0-9]{1,5}", port) or not (
            0 < int(port) < 65536
        ):
            raise UsageError(_("--converter must be HOST:PORT with a port from 1 to 65535 "
                               "(several separated by commas), not {value}").format(
                value=address))


def _emit(problems: list[Problem], fmt: str) -> None:
    # Only json lists suppressed findings (marked as such).
    shown = problems if fmt == "json" else unsuppressed(problems)
    if shown or fmt == "json":
        click.echo(format_problems(shown, fmt))


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             help=_("Compile a 部门预算绩效文本 from a folder of YAML into Word and PDF.",
                    defer=True))
@click.version_option(__version__, "--version", prog_name="perfdoc")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help=_("Message language (default: PERFDOC_LANG or zh).", defer=True))
@click.option("--debug", is_flag=True,
              help=_("Show tracebacks of internal errors.", defer=True))
def cli(lang: str | None, debug: bool) -> None:
    """Compile a 部门预算绩效文本 from a folder of YAML into Word and PDF."""
    set_language(lang)
    if debug:
        # A batch reports a document's bug and goes on; it shows the traceback too.
        os.environ["PERFDOC_DEBUG"] = "1"


@cli.command(help=_("Check the YAML against the schema only (default DIR: .).", defer=True))
@click.argument("dirs", nargs=-1)
@click.option("--format", "fmt", type=FORMATS, default="text",
              help=_("Output format.", defer=True))
@click.option("--quiet", "-q", is_flag=True, help=_QUIET_HELP)
def validate(dirs: tuple[str, ...], fmt: str, quiet: bool) -> int:
    """Check the YAML against the schema only (default DIR: .)."""
    from perfdoc.check import CheckOptions, check_folder

    folders, problems = _document_folders(dirs)
    # A DIR without any document counts as one broken document.
    empty, failing = len(problems), 0
    for folder in folders:
        # The schema of every file, perfdoc.toml included; no rules.
        found = check_folder(folder, CheckOptions(), rules=False)[2]
        problems += found
        failing += has_failures(found)
    _emit(problems, fmt)
    if fmt == "text" and not quiet:
        click.echo(_("{valid} document(s) valid, {broken} with errors").format(
            valid=len(folders) - failing, broken=failing + empty), err=True)
    return 1 if has_failures(problems) else 0


@cli.command(help=_("Check documents against the schema and the domain rules.", defer=True))
@click.argument("dirs", nargs=-1)
@click.option("--strict", is_flag=True, help=_("Warnings fail the run too.", defer=True))
@click.option("--format", "fmt", type=FORMATS, default="text",
              help=_("Output format.", defer=True))
@click.option("--enable", multiple=True, help=_("Enable a rule for this run.", defer=True))
@click.option("--disable", multiple=True, help=_("Disable a rule for this run.", defer=True))
@click.option("--min-level", type=LEVELS, default="info", help=_MIN_LEVEL_HELP)
@click.option("--quiet", "-q", is_flag=True, help=_QUIET_HELP)
def check(dirs: tuple[str, ...], strict: bool, fmt: str, enable: tuple[str, ...],
          disable: tuple[str, ...], min_level: str, quiet: bool) -> int:
    """Check documents against the schema and the domain rules."""
    from perfdoc.check import CheckOptions, check_folder

    folders, problems = _document_folders(dirs)
    opts = CheckOptions(enable=enable, disable=disable)
    for folder in folders:
        problems += check_folder(folder, opts)[2]
    problems = _at_least(problems, min_level)
    _emit(problems, fmt)
    failed = has_failures(problems, strict=strict)
    if fmt == "text" and not quiet:
        counts = {lvl: sum(1 for p in unsuppressed(problems) if p.level is lvl) for lvl in Level}
        click.echo(
            _("{errors} error(s), {warnings} warning(s), {infos} info(s) "
              "in {n} document(s)").format(
                errors=counts[Level.ERROR], warnings=counts[Level.WARNING],
                infos=counts[Level.INFO], n=len(folders)),
            err=True,
        )
    return 1 if failed else 0


@cli.command(help=_("Write the JSON Schemas generated from the models.", defer=True))
@click.option("-o", "--output", "outdir", default="schemas", show_default=True,
              help=_("Folder to write the JSON Schemas into.", defer=True))
def schema(outdir: str) -> int:
    """Write the JSON Schemas generated from the models."""
    from perfdoc.schema import write_schemas

    try:
        written = write_schemas(_output_folder(outdir))
    except OSError as exc:
        raise EnvironmentProblem(_("cannot write the schemas into {path}: {reason}").format(
            path=display_path(outdir), reason=exc.strerror or exc)) from None
    for path in written:
        click.echo(display_path(path))
    return 0


#: The options ``build`` and ``watch`` share, in --help order.
_BUILD_OPTIONS = (
    click.option("-o", "--output", "outdir", default=None,
                 help=_("Write every document's outputs flat into OUTDIR (default: DIR/build/).",
                        defer=True)),
    click.option("--format", "fmt", type=click.Choice(["all", "docx", "pdf"]), default="all",
                 show_default=True,
                 help=_("What to write; docx never needs LibreOffice.", defer=True)),
    click.option("--template", "template", default=None,
                 help=_("A .docx template to use instead.", defer=True)),
    click.option("--fonts", "fonts", default=None,
                 help=_("A folder of real font files (e.g. the Windows fonts) for exact output.",
                        defer=True)),
    click.option("--skip-rules", is_flag=True,
                 help=_("Build even when `check` finds errors.", defer=True)),
    click.option("--force", is_flag=True,
                 help=_("Rebuild even unchanged documents.", defer=True)),
    click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                 help=_("Parallel converters (default: one per core).", defer=True)),
    click.option("--converter", default=None, metavar="HOST:PORT[,HOST:PORT...]",
                 help=_("Use running unoservers instead of starting LibreOffice; documents are "
                        "spread across them.", defer=True)),
    click.option("--pdfa", is_flag=True, help=_("Write PDF/A-2b.", defer=True)),
    click.option("--enable", multiple=True, help=_("Enable a rule for this run.", defer=True)),
    click.option("--disable", multiple=True, help=_("Disable a rule for this run.", defer=True)),
    click.option("--min-level", type=LEVELS, default="info", help=_MIN_LEVEL_HELP),
    click.option("--quiet", "-q", is_flag=True, help=_QUIET_HELP),
)


def _build_options(command: F) -> F:
    for option in reversed(_BUILD_OPTIONS):
        command = option(command)
    return command


@dataclass(frozen=True)
class _BuildArgs:
    """What ``build`` and ``watch`` were told, as typed on the command line."""

    outdir: str | None
    fmt: str
    template: str | None
    fonts: str | None
    skip_rules: bool
    force: bool
    jobs: int | None
    converter: str | None
    pdfa: bool
    enable: tuple[str, ...]
    disable: tuple[str, ...]
    min_level: str
    quiet: bool

    def checked(self) -> _BuildArgs:
        """Refuse wrong paths and addresses before anything starts."""
        if self.template is not None and not Path(self.template).is_file():
            raise _wrong_kind(self.template, _("a .docx template file"))
        if self.fonts is not None and not Path(self.fonts).is_dir():
            raise _wrong_kind(self.fonts, _("a folder of font files"))
        if self.converter is not None:
            _check_converter(self.converter)
        if self.outdir is not None:
            _output_folder(self.outdir)
        _seconds("PERFDOC_TIMEOUT")  # a bad value is refused before LibreOffice starts
        return self

    def options(self, *, check_only: bool = False,
                shard: tuple[int, int] | None = None) -> BuildOptions:
        from perfdoc.check import CheckOptions
        from perfdoc.plan import BuildOptions

        timeout_s = _seconds("PERFDOC_TIMEOUT")
        _check_source_date_epoch()
        return BuildOptions(
            outdir=Path(self.outdir) if self.outdir else None,
            fmt=self.fmt,  # type: ignore[arg-type]
            template=Path(self.template) if self.template else None,
            fonts=Path(self.fonts) if self.fonts else None,
            skip_rules=self.skip_rules, force=self.force, check_only=check_only,
            jobs=self.jobs, converter=self.converter, pdfa=self.pdfa,
            checks=CheckOptions(enable=self.enable, disable=self.disable),
            timeout=timeout_s, shard=shard,
        )

    def show(self, found: list[Problem]) -> list[Problem]:
        """Keep the problems this run prints: unsuppressed, at --min-level or above."""
        return _at_least(unsuppressed(found), self.min_level)


@cli.command(help=_("Compile documents into the Word draft and PDF.", defer=True))
@click.argument("dirs", nargs=-1)
@_build_options
@click.option("--check", "check_only", is_flag=True,
              help=_("Write nothing; exit 1 and list stale outputs.", defer=True))
@click.option("--shard", default=None, metavar="K/N", callback=shard_option,
              help=_("Build only the K-th of N slices of the documents, one per CI runner; "
                     "output clashes are still checked across all of them.", defer=True))
def build(dirs: tuple[str, ...], check_only: bool, shard: tuple[int, int] | None,
          **raw: Any) -> int:
    """Compile documents into the Word draft and PDF."""
    args = _BuildArgs(**raw)
    folders, problems = _document_folders(dirs)
    if problems:
        _emit(problems, "text")
        return 1
    args.checked()
    # LibreOffice starts now, while the pipeline below is still being imported.
    pool = None if check_only or args.converter else start_converters(
        pick(folders, shard), outdir=Path(args.outdir) if args.outdir else None, fmt=args.fmt,
        force=args.force, jobs=args.jobs, fonts=Path(args.fonts) if args.fonts else None)
    with pool or contextlib.nullcontext():
        return _build(folders, args, check_only, shard, pool)


def _build(folders: list[Path], args: _BuildArgs, check_only: bool,
           shard: tuple[int, int] | None, pool: ConverterPool | None) -> int:
    from perfdoc.build import build_all
    from perfdoc.progress import BuildPrinter

    opts = args.options(check_only=check_only, shard=shard)
    picked = len(pick(folders, shard))  # the documents this run reports
    if shard is not None and not args.quiet:
        click.echo(shard_line(shard, picked, len(folders)), err=True)
    if args.quiet:
        report = build_all(folders, opts, on_done=_quiet_printer(args), pool=pool)
    else:
        printer = BuildPrinter(total=picked, check_only=check_only, show=args.show)
        with printer:
            report = build_all(folders, opts, on_done=printer.done, pool=pool)
        printer.summary(report)
    if report.interrupted:
        raise KeyboardInterrupt  # exit 130, with the same message as anywhere else
    return report.exit_code


def _quiet_printer(args: _BuildArgs) -> Callable[[DocResult], None]:
    """--quiet: print a document's problems and what stopped it; no status lines."""
    def print_quietly(result: DocResult) -> None:
        if shown := args.show(result.problems):
            click.echo(format_problems(shown))
        if result.message:
            click.echo(result.message, err=True)

    return print_quietly


@cli.command(help=_("Build a document, then rebuild it on every save until Ctrl-C.",
                    defer=True))
@click.argument("directory", metavar="DIR")
@_build_options
def watch(directory: str, **raw: Any) -> int:
    """Build, then rebuild on every save, with LibreOffice kept warm."""
    args = _BuildArgs(**raw)
    folders, problems = _document_folders((directory,))
    if problems:
        _emit(problems, "text")
        return 1
    args.checked()
    from perfdoc.progress import BuildPrinter
    from perfdoc.watch import watch as watch_folders

    def one_round(report: BuildReport) -> None:
        if args.quiet:
            for result in report.results:
                _quiet_printer(args)(result)
            return
        printer = BuildPrinter(total=len(report.results), check_only=False, show=args.show)
        with printer:
            for result in report.results:
                printer.done(result)
        printer.summary(report)

    def watching() -> None:
        if not args.quiet:
            click.echo(_("watching {dir} for changes; press Ctrl-C to stop").format(
                dir=display_path(directory)), err=True)

    watch_folders(folders, args.options(), on_round=one_round, on_watching=watching)
    raise KeyboardInterrupt  # only a stop event ends the watch early; treat it as Ctrl-C


@cli.command("import",
             help=_("Import .docx, .doc and .xlsx drafts as one document folder.", defer=True))
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True,
              help=_("The document folder to write.", defer=True))
@click.option("--force", is_flag=True,
              help=_("Replace the document in an existing folder (its project files too).",
                     defer=True))
def import_(files: tuple[str, ...], outdir: str, force: bool) -> int:
    """Import .docx, .doc and .xlsx drafts as one document folder."""
    from perfdoc.imports.run import import_files

    for name in files:
        if not Path(name).is_file():
            raise _wrong_kind(name, _("a .docx, .doc or .xlsx file"))
    done = import_files([Path(f) for f in files], _output_folder(outdir), force=force)
    _emit(done.problems, "text")
    if done.written:
        click.echo(_("wrote {n} file(s) into {path}").format(
            n=len(done.written), path=display_path(outdir)), err=True)
    return done.exit_code


@cli.command("export",
             help=_("Write the projects of documents into the budget system's workbook "
                    "(.xlsx), which `perfdoc import` reads back.", defer=True))
@click.argument("dirs", nargs=-1)
@click.option("-o", "--output", "output", required=True, metavar="FILE.xlsx",
              help=_("The .xlsx file to write (replaced if it exists).", defer=True))
def export(dirs: tuple[str, ...], output: str) -> int:
    """Write the projects of documents into the budget system's workbook (.xlsx)."""
    from perfdoc.export import export_workbook

    target = Path(output)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(_("-o must name an .xlsx file, not {path}").format(
            path=display_path(output)))
    if target.exists() and not target.is_file():
        raise _wrong_kind(output, _("an .xlsx file to write"))
    _check_source_date_epoch()
    folders, problems = _document_folders(dirs)
    if problems:
        _emit(problems, "text")
        return 1
    done = export_workbook(folders, target)
    _emit(done.problems, "text")
    if done.written is None:
        click.echo(_("{broken} document(s) with errors; nothing was written").format(
            broken=done.broken), err=True)
    else:
        click.echo(_("wrote {path}: {projects} project(s), {indicators} indicator(s) from "
                     "{documents} document(s)").format(
            path=display_path(done.written), projects=done.projects,
            indicators=done.indicators, documents=done.documents), err=True)
    return done.exit_code


@cli.command(help=_("Compare two documents year over year: OLD (last year's) with NEW.",
                    defer=True))
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", help=_("Output format.", defer=True))
def diff(old: str, new: str, fmt: str) -> int:
    """Compare two documents year over year: OLD (last year's) with NEW."""
    from perfdoc.diff import compare, load_pair, notes, render

    folders: list[Path] = []
    problems: list[Problem] = []
    for arg in (old, new):
        found, missing = _document_folders((arg,))
        if len(found) > 1:
            raise UsageError(_("{path} holds {n} documents; diff compares one document with "
                               "another").format(path=display_path(arg), n=len(found)))
        folders += found
        problems += missing
    pair = None if problems else load_pair(folders[0], folders[1])
    if pair is None or pair[0] is None:
        # Differences are not failures (exit 0); documents that do not load are.
        _emit(problems if pair is None else pair[1], "json" if fmt == "json" else "text")
        return 1
    result = compare(*pair[0])
    if fmt == "json":
        for note in notes(result):  # stdout stays one JSON document
            click.echo(note, err=True)
    click.echo(render(result, fmt))
    return 0


@cli.command("report",
             help=_("Write one review report over many documents: an HTML page or an .xlsx "
                    "workbook.", defer=True))
@click.argument("dirs", nargs=-1)
@click.option("-o", "--output", "output", required=True, metavar="FILE.html|FILE.xlsx",
              help=_("The report to write; its suffix decides the format.", defer=True))
@click.option("--outputs", "outputs", default=None, metavar="OUTDIR",
              help=_("Look for the built documents in OUTDIR, where `build -o OUTDIR` writes "
                     "them (default: each DIR/build/).", defer=True))
def report_(dirs: tuple[str, ...], output: str, outputs: str | None) -> int:
    """Write one review report over many documents: an HTML page or an .xlsx workbook."""
    from perfdoc.report import make_report, report_format, report_time

    fmt = report_format(output)
    if Path(output).exists() and not Path(output).is_file():
        raise _wrong_kind(output, _("a file to write the report into"))
    if outputs is not None and Path(outputs).exists() and not Path(outputs).is_dir():
        raise _wrong_kind(outputs, _("a folder of built documents"))
    when = report_time(_check_source_date_epoch())  # checked before any work
    folders, problems = _document_folders(dirs)
    _emit(problems, "text")
    if not folders:
        return 1  # nothing to read, nothing written
    # Findings are the report's content, not a failure: written means exit 0.
    done = make_report(folders, Path(output), fmt, extra=problems, when=when,
                       outdir=Path(outputs) if outputs is not None else None)
    click.echo(_("wrote {path}: {documents} document(s), {projects} project(s), "
                 "{findings} finding(s)").format(
        path=display_path(output), documents=len(done.units), projects=len(done.projects),
        findings=len(done.findings)), err=True)
    return 0


@cli.command("init", help=_("Write a new document folder to fill in, ready to build.",
                           defer=True))
@click.argument("directory", metavar="DIR")
@click.option("--unit", default=None, metavar="NAME",
              help=_("The unit's name (default: a 【待填写】 placeholder).", defer=True))
@click.option("--year", type=click.IntRange(1900, 2200), default=None, metavar="N",
              help=_("The budget year (default: next year).", defer=True))
@click.option("--projects", type=click.IntRange(1, 999), default=None, metavar="N",
              help=_("How many project files to write (default: 1).", defer=True))
@click.option("--force", is_flag=True,
              help=_("Replace the document in an existing folder (its project files too).",
                     defer=True))
def init(directory: str, unit: str | None, year: int | None, projects: int | None,
         force: bool) -> int:
    """Write a new document folder to fill in, ready to build."""
    from perfdoc.init import ask_missing, init_document, refuse_existing, report

    folder = _output_folder(directory)
    refuse_existing(folder, force=force)  # before any question is asked
    # On a terminal, values not given are asked for; a script gets the defaults.
    wanted = ask_missing(unit, year, projects, interactive=sys.stdin.isatty())
    done = init_document(folder, wanted, force=force)
    lines, warnings = report(done)
    click.echo("\n".join(lines))
    for warning in warnings:
        click.echo(warning, err=True)
    _emit(done.problems, "text")
    return 1 if done.problems else 0


@cli.command("next-year",
             help=_("Copy the document SRC into the new folder DST for the next year.",
                    defer=True))
@click.argument("src")
@click.argument("dst")
@click.option("--year", type=click.IntRange(1900, 2200), default=None,
              help=_("The new document's year (default: SRC's year + 1).", defer=True))
def next_year(src: str, dst: str, year: int | None) -> int:
    """Copy the document SRC into the new folder DST for the next year."""
    from perfdoc.carry import carry_over

    source = Path(src)
    if source.name == DOCUMENT_FILE and source.is_file():
        source = source.parent
    elif not source.is_dir():
        raise _wrong_kind(src, _("a document folder"))
    done = carry_over(source, _output_folder(dst), year)
    _emit(done.problems, "text")
    if done.written:
        click.echo(_("wrote {n} file(s) into {path}").format(
            n=len(done.written), path=display_path(dst)), err=True)
        click.echo(_("{n} text(s) carried over from {source} to {year}; `perfdoc check` "
                     "lists those that still mention {source} or earlier (rule stale-year)")
                   .format(n=done.texts, source=done.source_year, year=done.year), err=True)
    return done.exit_code


@cli.group(help=_("Work with .docx templates.", defer=True))
def template() -> None:
    """Work with .docx templates."""


@template.command("export",
                  help=_("Write the default template into DIRECTORY for restyling.", defer=True))
@click.argument("directory")
@click.option("--force", is_flag=True,
              help=_("Overwrite an existing template.docx.", defer=True))
def template_export(directory: str, force: bool) -> int:
    """Write the default template into DIRECTORY for restyling."""
    from perfdoc.render import default_template_bytes

    target = _output_folder(directory)
    out = target / "template.docx"
    if out.exists() and not force:
        # A restyled template is hours of work: never overwritten by accident.
        raise UsageError(_("{path} exists; use --force to overwrite it with the default "
                           "template").format(path=display_path(out)))
    try:
        target.mkdir(parents=True, exist_ok=True)
        out.write_bytes(default_template_bytes())
    except OSError as exc:
        raise EnvironmentProblem(_("cannot write {path}: {reason}").format(
            path=display_path(out), reason=exc.strerror or exc)) from None
    click.echo(display_path(out))
    return 0


@cli.command(help=_("Report LibreOffice, the uno-capable Python and the fonts in use.",
                    defer=True))
@click.option("--install", is_flag=True,
              help=_("Install LibreOffice and the fonts (Debian/Ubuntu; as root or through "
                     "sudo).", defer=True))
@click.option("--with-test-deps", is_flag=True,
              help=_("With --install: also what the tests need.", defer=True))
@click.option("--template", "template_path", default=None,
              help=_("Report the fonts of this .docx template instead of the default's.",
                     defer=True))
@click.option("--fonts", "fonts_dir", default=None,
              help=_("A folder of font files searched first, as `build --fonts` does.",
                     defer=True))
def doctor(install: bool, with_test_deps: bool, template_path: str | None,
           fonts_dir: str | None) -> int:
    """Report LibreOffice, the uno-capable Python and the fonts in use."""
    from perfdoc.doctor import install_system_packages, run_doctor

    if with_test_deps and not install:
        raise UsageError(_("--with-test-deps goes with --install"))
    template = None
    if template_path is not None:
        if not Path(template_path).is_file():
            raise _wrong_kind(template_path, _("a .docx template"))
        data = Path(template_path).read_bytes()
        from perfdoc.safezip import ZipRefused, check_zip

        try:
            check_zip(data)
        except ZipRefused as exc:
            raise UsageError(f"{display_path(template_path)}: {exc.message}") from None
        template = (data, display_path(template_path))
    if fonts_dir is not None and not Path(fonts_dir).is_dir():
        raise _wrong_kind(fonts_dir, _("a folder of fonts"))
    if install:
        code = install_system_packages(with_test_deps=with_test_deps)
        if code:
            return code
    return run_doctor(template, Path(fonts_dir) if fonts_dir else None)


def _global_options_first(args: list[str]) -> tuple[list[str], str | None]:
    """Move ``--lang X`` and ``--debug`` to the front, wherever they were typed.

    They are options of ``perfdoc`` itself, and ``perfdoc check DIR --lang en``
    must work as well.  Nothing after ``--`` moves.  Returns the arguments and
    the language asked for, when it is one ``--lang`` accepts.
    """
    front: list[str] = []
    rest: list[str] = []
    lang: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg == "--debug":
            front.append(arg)
        elif arg == "--lang":
            if i + 1 == len(args):
                raise click.BadOptionUsage(arg, _("Option {name!r} requires an argument.")
                                           .format(name=arg))
            lang = args[i + 1]
            front += [arg, lang]
            i += 1
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest, lang if lang in ("zh", "en") else None


def _wants_debug(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("PERFDOC_DEBUG") == "1"


def _terminate(signum: int, frame: object) -> None:
    # SIGTERM unwinds like Ctrl-C, so every ``with`` block runs: converters are
    # killed, temp files removed, and no output is left half-written.
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and turn every outcome into one of the documented exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    # The language is known before click parses anything, so its usage errors
    # and the help texts are in it too.
    set_language(None)
    route_click_messages()
    try:
        args, lang = _global_options_first(args)
        if lang is not None:
            set_language(lang)
        elif warning := unknown_language_warning():
            click.echo(warning, err=True)
        localize_help(cli)
        code = cli.main(args=args, prog_name="perfdoc", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.UsageError as exc:  # unknown option, bad choice: exit 2
        exc.show()
        code = 2
    except PerfdocError as exc:
        exc.show()
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except (KeyboardInterrupt, click.Abort):
        click.echo(_("interrupted; earlier outputs were left as they were"), err=True)
        code = 130
    except Exception:  # a bug: one line, traceback only on request
        if _wants_debug(args):
            traceback.print_exc()
        click.echo(INTERNAL_ERROR.format(version=__version__), err=True)
        code = 4
    # The interpreter's last collection walks every object the pipeline's
    # libraries made (pydantic's schemas, lxml proxies): about 0.15 s, a fifth
    # of a .docx build, spent only to free memory the OS takes back anyway.
    # Frozen objects are skipped by it; finalizers and atexit still run.  Only
    # when run as the program (no *argv*): a caller in the same process, such
    # as the tests, keeps a collector that can still free what was made.
    if argv is None:
        gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)
