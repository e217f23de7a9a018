"""The command line: parse arguments, call the pipeline, map outcomes to exit codes.

Nothing here knows how a document is built; see ``build.py`` for the stages.
"""

from __future__ import annotations

import os
import sys
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
    for folder in folders:
        _doc, found = load_document(folder)
        problems += found
    _emit(problems, fmt)
    failed = has_failures(problems)
    if fmt == "text":
        click.echo(
            (_("{n} document(s) have errors") if failed else _("{n} document(s) valid")).format(
                n=len(folders)
            ),
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


def _wants_debug(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("PERFDOC_DEBUG") == "1"


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and turn every outcome into one of the documented exit codes."""
    args = list(sys.argv[1:] if argv is None else argv)
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
        click.echo(_("interrupted"), err=True)
        code = 130
    except Exception:  # a bug: one line, traceback only on request
        if _wants_debug(args):
            traceback.print_exc()
        click.echo(f"internal error — please report (perfdoc {__version__})", err=True)
        code = 4
    sys.exit(code if isinstance(code, int) else 0)
