"""The command line: parse arguments, call the pipeline, map outcomes to exit codes.

Nothing here knows how a document is built; see ``build.py`` for the stages.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from perfdoc import __version__
from perfdoc.errors import PerfdocError, UsageError
from perfdoc.i18n import _, set_language
from perfdoc.problems import Level, Problem, display_path, format_problems, has_failures
from perfdoc.validate import DOCUMENT_FILE, load_document
from perfdoc.workspace import find_documents

FORMATS = click.Choice(["text", "json", "github"])


def _document_folders(dirs: Sequence[str]) -> tuple[list[Path], list[Problem]]:
    """Expand the DIR arguments into document folders; a DIR with none is a problem."""
    folders: list[Path] = []
    problems: list[Problem] = []
    for d in dirs or (".",):
        path = Path(d)
        if not path.is_dir():
            raise UsageError(_("folder does not exist: {path}").format(path=d))
        found = find_documents(path)
        if not found:
            problems.append(
                Problem(display_path(path / DOCUMENT_FILE), 1, 1, Level.ERROR, "io",
                        _("no document.yaml here or in any subfolder; "
                          "a document folder must contain document.yaml"))
            )
        folders.extend(f for f in found if f not in folders)
    return folders, problems


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


@cli.command()
@click.argument("dirs", nargs=-1)
@click.option("--format", "fmt", type=FORMATS, default="text", help="Output format.")
def validate(dirs: tuple[str, ...], fmt: str) -> int:
    """Check the YAML against the schema only (default DIR: .)."""
    folders, problems = _document_folders(dirs)
    broken = 1 if problems else 0
    for folder in folders:
        _doc, found = load_document(folder)
        problems += found
        broken += has_failures(found)
    _emit(problems, fmt)
    if fmt == "text":
        click.echo(_("{valid} document(s) valid, {broken} with errors").format(
            valid=len(folders) - broken, broken=broken), err=True)
    return 1 if has_failures(problems) else 0


@cli.command()
@click.argument("dirs", nargs=-1)
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--format", "fmt", type=FORMATS, default="text", help="Output format.")
@click.option("--enable", multiple=True, help="Enable a rule for this run.")
@click.option("--disable", multiple=True, help="Disable a rule for this run.")
def check(dirs: tuple[str, ...], strict: bool, fmt: str, enable: tuple[str, ...],
          disable: tuple[str, ...]) -> int:
    """Check documents against the schema and the domain rules."""
    from perfdoc.check import CheckOptions, check_folder

    folders, problems = _document_folders(dirs)
    opts = CheckOptions(enable=enable, disable=disable)
    for folder in folders:
        problems += check_folder(folder, opts)[2]
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

    for path in write_schemas(Path(outdir)):
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
def build(dirs: tuple[str, ...], outdir: str | None, fmt: str, template: str | None,
          fonts: str | None, skip_rules: bool, force: bool, check_only: bool, jobs: int | None,
          converter: str | None, pdfa: bool, enable: tuple[str, ...],
          disable: tuple[str, ...]) -> int:
    """Compile documents into the Word draft and PDF."""
    from perfdoc.build import BuildOptions, build_all
    from perfdoc.check import CheckOptions
    from perfdoc.report import BuildPrinter

    folders, problems = _document_folders(dirs)
    if problems:
        _emit(problems, "text")
        return 1
    if template is not None and not Path(template).is_file():
        raise UsageError(_("template not found: {path}").format(path=template))
    if fonts is not None and not Path(fonts).is_dir():
        raise UsageError(_("fonts folder not found: {path}").format(path=fonts))
    if converter is not None and not converter.rpartition(":")[2].isdigit():
        raise UsageError(_("--converter must be HOST:PORT, not {value}").format(value=converter))
    timeout = os.environ.get("PERFDOC_TIMEOUT")
    try:
        timeout_s = float(timeout) if timeout else None
    except ValueError:
        raise UsageError(_("PERFDOC_TIMEOUT must be a number of seconds, not {value}").format(
            value=timeout)) from None
    opts = BuildOptions(
        outdir=Path(outdir) if outdir else None, fmt=fmt,  # type: ignore[arg-type]
        template=Path(template) if template else None, fonts=Path(fonts) if fonts else None,
        skip_rules=skip_rules, force=force, check_only=check_only,
        jobs=jobs, converter=converter, pdfa=pdfa,
        checks=CheckOptions(enable=enable, disable=disable),
        timeout=timeout_s,
    )
    printer = BuildPrinter(total=len(folders), check_only=check_only)
    with printer:
        report = build_all(folders, opts, on_done=printer.done)
    printer.summary(report)
    return report.exit_code


@cli.group()
def template() -> None:
    """Work with .docx templates."""


@template.command("export")
@click.argument("directory")
def template_export(directory: str) -> int:
    """Write the default template into DIRECTORY for restyling."""
    from perfdoc.render import default_template_bytes

    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    out = target / "template.docx"
    out.write_bytes(default_template_bytes())
    click.echo(display_path(out))
    return 0


@cli.command()
def doctor() -> int:
    """Report LibreOffice, the uno-capable Python and the fonts in use."""
    from perfdoc.doctor import run_doctor

    return run_doctor()


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
        click.echo(f"internal error — please report (perfdoc {__version__})", err=True)
        code = 4
    sys.exit(code if isinstance(code, int) else 0)
