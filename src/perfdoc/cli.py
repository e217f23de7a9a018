"""The command line: parse arguments, call the pipeline, map outcomes to exit codes.

Nothing here knows how a document is built; see ``build.py`` for the stages.
"""

from __future__ import annotations

import math
import os
import re
import signal
import stat
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from perfdoc import __version__
from perfdoc.document import DOCUMENT_FILE
from perfdoc.errors import INTERNAL_ERROR, EnvironmentProblem, PerfdocError, UsageError
from perfdoc.i18n import _, set_language
from perfdoc.problems import Level, Problem, display_path, format_problems, has_failures
from perfdoc.workspace import find_documents

FORMATS = click.Choice(["text", "json", "github"])
LEVELS = click.Choice(["info", "warning", "error"])
_MIN_LEVEL_HELP = "Report only problems of this level or above (default: info)."


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
        path = Path(d)
        if path.name == DOCUMENT_FILE and path.is_file():
            path = path.parent  # ``perfdoc check sanjia/document.yaml`` means the folder
        elif not path.is_dir():
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
    from perfdoc.workspace import MAX_TIMEOUT

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


def _check_source_date_epoch() -> None:
    """Refuse a SOURCE_DATE_EPOCH that no date in a .docx can carry."""
    from perfdoc.render import source_date_epoch

    try:
        source_date_epoch()
    except ValueError as exc:
        raise UsageError(_("SOURCE_DATE_EPOCH must be whole seconds since 1970 up to the "
                           "year 9999, not {value}").format(value=exc.args[0])) from None


def _check_converter(address: str) -> None:
    host, sep, port = address.rpartition(":")
    if not sep or not host or "," in address or not re.fullmatch(r"[0-9]{1,5}", port) or not (
        0 < int(port) < 65536
    ):
        raise UsageError(_("--converter must be HOST:PORT with a port from 1 to 65535, not "
                           "{value}").format(value=address))


def _emit(problems: list[Problem], fmt: str) -> None:
    if problems or fmt == "json":
        click.echo(format_problems(problems, fmt))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="perfdoc")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Message language (default: PERFDOC_LANG or zh).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def cli(lang: str | None, debug: bool) -> None:
    """Compile a 部门预算绩效文本 from a folder of YAML into Word and PDF."""
    set_language(lang)
    if debug:
        # A batch reports a document's bug and goes on; it shows the traceback too.
        os.environ["PERFDOC_DEBUG"] = "1"


@cli.command()
@click.argument("dirs", nargs=-1)
@click.option("--format", "fmt", type=FORMATS, default="text", help="Output format.")
def validate(dirs: tuple[str, ...], fmt: str) -> int:
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
    if fmt == "text":
        click.echo(_("{valid} document(s) valid, {broken} with errors").format(
            valid=len(folders) - failing, broken=failing + empty), err=True)
    return 1 if has_failures(problems) else 0


@cli.command()
@click.argument("dirs", nargs=-1)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--format", "fmt", type=FORMATS, default="text", help="Output format.")
@click.option("--enable", multiple=True, help="Enable a rule for this run.")
@click.option("--disable", multiple=True, help="Disable a rule for this run.")
@click.option("--min-level", type=LEVELS, default="info", help=_MIN_LEVEL_HELP)
def check(dirs: tuple[str, ...], strict: bool, fmt: str, enable: tuple[str, ...],
          disable: tuple[str, ...], min_level: str) -> int:
    """Check documents against the schema and the domain rules."""
    from perfdoc.check import CheckOptions, check_folder

    folders, problems = _document_folders(dirs)
    opts = CheckOptions(enable=enable, disable=disable)
    for folder in folders:
        problems += check_folder(folder, opts)[2]
    problems = _at_least(problems, min_level)
    _emit(problems, fmt)
    failed = has_failures(problems, strict=strict)
    if fmt == "text":
        counts = {lvl: sum(1 for p in problems if p.level is lvl) for lvl in Level}
        click.echo(
            _("{errors} error(s), {warnings} warning(s), {infos} info(s) "
              "in {n} document(s)").format(
                errors=counts[Level.ERROR], warnings=counts[Level.WARNING],
                infos=counts[Level.INFO], n=len(folders)),
            err=True,
        )
    return 1 if failed else 0


@cli.command()
@click.option("-o", "--output", "outdir", default="schemas", show_default=True,
              help="Folder to write the JSON Schemas into.")
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


@cli.command()
@click.argument("dirs", nargs=-1)
@click.option("-o", "--output", "outdir", default=None,
              help="Write every document's outputs flat into OUTDIR (default: DIR/build/).")
@click.option("--format", "fmt", type=click.Choice(["all", "docx", "pdf"]), default="all",
              show_default=True, help="What to write; docx never needs LibreOffice.")
@click.option("--template", "template", default=None, help="A .docx template to use instead.")
@click.option("--fonts", "fonts", default=None,
              help="A folder of real font files (e.g. the Windows fonts) for exact output.")
@click.option("--skip-rules", is_flag=True, help="Build even when `check` finds errors.")
@click.option("--force", is_flag=True, help="Rebuild even unchanged documents.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 and list stale outputs.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel converters (default: one per core).")
@click.option("--converter", default=None, metavar="HOST:PORT",
              help="Use a running unoserver instead of starting one.")
@click.option("--pdfa", is_flag=True, help="Write PDF/A-2b.")
@click.option("--enable", multiple=True, help="Enable a rule for this run.")
@click.option("--disable", multiple=True, help="Disable a rule for this run.")
@click.option("--min-level", type=LEVELS, default="info", help=_MIN_LEVEL_HELP)
def build(dirs: tuple[str, ...], outdir: str | None, fmt: str, template: str | None,
          fonts: str | None, skip_rules: bool, force: bool, check_only: bool, jobs: int | None,
          converter: str | None, pdfa: bool, enable: tuple[str, ...],
          disable: tuple[str, ...], min_level: str) -> int:
    """Compile documents into the Word draft and PDF."""
    from perfdoc.build import build_all
    from perfdoc.check import CheckOptions
    from perfdoc.plan import BuildOptions
    from perfdoc.report import BuildPrinter

    folders, problems = _document_folders(dirs)
    if problems:
        _emit(problems, "text")
        return 1
    if template is not None and not Path(template).is_file():
        raise _wrong_kind(template, _("a .docx template file"))
    if fonts is not None and not Path(fonts).is_dir():
        raise _wrong_kind(fonts, _("a folder of font files"))
    if converter is not None:
        _check_converter(converter)
    timeout_s = _seconds("PERFDOC_TIMEOUT")
    _check_source_date_epoch()
    opts = BuildOptions(
        outdir=_output_folder(outdir) if outdir else None, fmt=fmt,  # type: ignore[arg-type]
        template=Path(template) if template else None, fonts=Path(fonts) if fonts else None,
        skip_rules=skip_rules, force=force, check_only=check_only,
        jobs=jobs, converter=converter, pdfa=pdfa,
        checks=CheckOptions(enable=enable, disable=disable),
        timeout=timeout_s,
    )
    printer = BuildPrinter(total=len(folders), check_only=check_only,
                           show=lambda found: _at_least(found, min_level))
    with printer:
        report = build_all(folders, opts, on_done=printer.done)
    printer.summary(report)
    if report.interrupted:
        raise KeyboardInterrupt  # exit 130, with the same message as anywhere else
    return report.exit_code


@cli.command("import")
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True,
              help="The document folder to write.")
@click.option("--force", is_flag=True,
              help="Replace the document in an existing folder (its project files too).")
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


@cli.group()
def template() -> None:
    """Work with .docx templates."""


@template.command("export")
@click.argument("directory")
@click.option("--force", is_flag=True, help="Overwrite an existing template.docx.")
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


@cli.command()
@click.option("--install", is_flag=True,
              help="Install LibreOffice and the fonts (Debian/Ubuntu; as root or through sudo).")
@click.option("--with-test-deps", is_flag=True, help="With --install: also what the tests need.")
@click.option("--template", "template_path", default=None,
              help="Report the fonts of this .docx template instead of the default's.")
@click.option("--fonts", "fonts_dir", default=None,
              help="A folder of font files searched first, as `build --fonts` does.")
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
    try:
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
    sys.exit(code if isinstance(code, int) else 0)
