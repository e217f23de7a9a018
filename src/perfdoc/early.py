"""Start the converters first thing, while perfdoc is still importing, loading and rendering.

LibreOffice needs over a second to start, and perfdoc's own work before the
first conversion (imports, load, check, render) about as long again.  Done one
after the other they add up; so the command line starts the converters before
it imports the pipeline, and ``build.build_all`` adopts them.

But a build that skips every document must not start LibreOffice at all.  The
real answer (is the input hash the stamp's?) needs the documents loaded, which
is the slow part being hidden; so this module *predicts* it from the stamps
alone: each stamp records the document folder it was built from and the hash
of every source file, and a document whose stamp matches its files today, with
its outputs in place, is predicted to be skipped.  A wrong guess costs time,
never correctness: a document predicted fresh that is not (say, a new
template) starts its converter when it gets there, as before; one predicted
stale that is fresh leaves a converter unused, stopped with the build.

Earlier still: the console script (``run``) reads a plain ``perfdoc build``
command line itself and starts the converters before it imports click and
the command line's modules, which take 0.15 s on a small machine; the build
then adopts those helpers once click has read the same options
(``start_converters``).  A command line this module is not sure of starts
nothing early; the build then starts its converters as before.

This module imports nothing heavy: it runs before click, pydantic and the models are.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfdoc.layout import (
    MAX_TIMEOUT,
    find_documents,
    folder_argument,
    read_stamp,
    source_files,
)

if TYPE_CHECKING:
    from perfdoc.convert import ConverterPool
    from perfdoc.spawn import Launch

#: The stamp's name pattern; ``outputs.OutputSet.stamp`` names each one.
STAMP_GLOB = ".*.perfdoc.json"


def source_record(folder: Path, stamp_dir: Path, raw: dict[str, bytes]) -> dict[str, Any]:
    """Return what a stamp records for the prediction: the folder and its sources' hashes.

    *raw* maps each source's path relative to the folder to the bytes that
    were read.  The folder is kept relative to the stamp's own folder, so a
    workspace that moves keeps its stamps valid.
    """
    return {"folder": Path(os.path.relpath(folder.resolve(), stamp_dir.resolve())).as_posix(),
            "sources": {name: hashlib.sha256(data).hexdigest()
                        for name, data in sorted(raw.items())}}


def _stamps(outdir: Path) -> list[dict[str, Any]]:
    found = []
    try:
        paths = list(outdir.glob(STAMP_GLOB))
    except OSError:
        return []
    for path in paths:
        data = read_stamp(path)
        if data:
            data["_at"] = path.parent
            found.append(data)
    return found


def _matches(stamp: dict[str, Any], folder: Path, fmt: str) -> bool:
    """Say whether *stamp* is *folder*'s and its sources and outputs are as it recorded."""
    where = stamp.get("folder")
    sources = stamp.get("sources")
    recorded = stamp.get("sha256")
    if not isinstance(where, str) or not isinstance(sources, dict) or not isinstance(
            recorded, dict):
        return False
    at: Path = stamp["_at"]
    if os.path.realpath(at / where) != os.path.realpath(folder):
        return False
    now = {p.relative_to(folder).as_posix(): p for p in source_files(folder) if p.is_file()}
    if set(now) != set(sources):
        return False
    for name, path in now.items():
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() != sources[name]:
                return False
        except OSError:
            return False
    # The outputs the build wants are there (their content is checked by the build).
    suffixes = {"all": (".docx", ".pdf"), "docx": (".docx",), "pdf": (".pdf",)}.get(fmt, ())
    wanted = [n for n in recorded if n.endswith(suffixes)]
    return len(wanted) == len(suffixes) and all((at / n).is_file() for n in wanted)


def likely_stale(folders: Sequence[Path], outdir: Path | None, fmt: str) -> list[Path]:
    """Return the folders whose build will probably need LibreOffice."""
    stamps: dict[Path, list[dict[str, Any]]] = {}
    stale = []
    for folder in folders:
        where = outdir if outdir is not None else folder / "build"
        if where not in stamps:
            stamps[where] = _stamps(where)
        if not any(_matches(s, folder, fmt) for s in stamps[where]):
            stale.append(folder)
    return stale


#: ``build``'s options, each with whether it takes a value, as ``cli`` declares
#: them; tests/test_speed.py checks the two agree.
BUILD_OPTIONS = {
    "-o": True, "--output": True, "--format": True, "--template": True, "--fonts": True,
    "--skip-rules": False, "--force": False, "-j": True, "--jobs": True, "--converter": True,
    "--pdfa": False, "--enable": True, "--disable": True, "--min-level": True,
    "-q": False, "--quiet": False, "--check": False, "--shard": True,
}
#: ``perfdoc``'s own options, which may be typed anywhere (``cli._global_options_first``).
GLOBAL_OPTIONS = {"--debug": False, "--lang": True}
_SHORT = {"-o": "--output", "-j": "--jobs", "-q": "--quiet"}

#: What a build asks of its converters: folders, outdir, format, force, jobs, fonts.
Request = tuple[tuple[Path, ...], Path | None, str, bool, int | None, Path | None]

# The helpers ``run`` started, and what for, until ``start_converters`` claims them.
_early: tuple[Request, list[Launch]] | None = None


def read_build_argv(argv: Sequence[str]) -> tuple[list[str], dict[str, list[str]]] | None:
    """Split a ``perfdoc build`` command line into its DIRs and its options' values.

    ``None`` unless it is plainly one: another command, ``--help``, an option
    this module does not know, or a short option with its value attached.
    Click reads the same line later; this reading only decides whether to
    start LibreOffice early.
    """
    args = list(argv)
    if "build" not in args:
        return None
    known = {**BUILD_OPTIONS, **GLOBAL_OPTIONS}
    dirs: list[str] = []
    options: dict[str, list[str]] = {}
    command = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            if not command:
                return None
            dirs += args[i:]
            break
        if not arg.startswith("-") or arg == "-":
            if command:
                dirs.append(arg)
            elif arg == "build":
                command = True
            else:
                return None  # another command
            continue
        name, eq, value = arg.partition("=")
        if name not in known or (eq and (not name.startswith("--") or not known[name])):
            return None
        if not command and name in BUILD_OPTIONS:
            return None  # a build option before the command: click refuses it
        if known[name] and not eq:
            if i == len(args):
                return None
            value = args[i]
            i += 1
        options.setdefault(_SHORT.get(name, name), []).append(value)
    return (dirs, options) if command else None


def _request(argv: Sequence[str]) -> Request | None:
    """Return what the command line's build will ask of the converters, if sure of it."""
    read = read_build_argv(argv)
    if read is None:
        return None
    dirs, options = read
    if {"--check", "--converter", "--shard"} & set(options):
        return None  # no converters of perfdoc's own, or a slice this module cannot pick

    def last(name: str) -> str | None:
        return options[name][-1] if name in options else None

    fmt = last("--format") or "all"
    jobs_text, outdir, fonts = last("--jobs"), last("--output"), last("--fonts")
    if fmt not in ("all", "pdf") or (jobs_text is not None and not jobs_text.isdigit()):
        return None
    jobs = int(jobs_text) if jobs_text is not None else None
    if jobs == 0 or (fonts is not None and not os.path.isdir(fonts)) or (
            outdir is not None and os.path.exists(outdir) and not os.path.isdir(outdir)):
        return None
    timeout = os.environ.get("PERFDOC_TIMEOUT")
    if timeout:
        try:
            if not 0 < float(timeout) <= MAX_TIMEOUT:
                return None
        except ValueError:
            return None
    folders: list[Path] = []
    for d in dirs or (".",):
        path = folder_argument(d)
        if path is None:
            return None
        found = find_documents(path)
        if not found:
            return None
        folders.extend(f for f in found if f not in folders)
    return (tuple(folders), Path(outdir) if outdir else None, fmt, "--force" in options, jobs,
            Path(fonts) if fonts else None)


def run() -> None:
    """Run the console script: start a build's converters, then the command line.

    The converters start before click and the command line's modules are
    imported, so LibreOffice's start-up overlaps that too.
    """
    import sys

    global _early
    try:
        request = _request(sys.argv[1:])
        if request is not None:
            _early = (request, [])
            _launch(request, _early[1])
    except Exception:  # noqa: BLE001 - the build starts its converters itself, and says why
        pass
    from perfdoc.cli import main

    try:
        main()
    finally:
        _discard_early()


def _wanted(folders: Sequence[Path], outdir: Path | None, fmt: str, force: bool,
            jobs: int | None) -> int:
    """Return how many converters a build of *folders* will likely use."""
    count = len(folders) if force else len(likely_stale(folders, outdir, fmt))
    return min(count, jobs or os.cpu_count() or 1)


def _launch(request: Request, launched: list[Launch]) -> None:
    """Start the helpers *request*'s build will likely need into *launched*.

    As ``start_converters`` would; each is added as soon as it is started,
    so that one failing leaves the others to be adopted or stopped.
    """
    folders, outdir, fmt, force, jobs, fonts = request
    count = _wanted(folders, outdir, fmt, force, jobs)
    if count == 0:
        return
    from perfdoc.fonts import fontconfig_text
    from perfdoc.libreoffice import find_soffice, uno_python_candidates
    from perfdoc.spawn import launch

    soffice, pythons = find_soffice(), uno_python_candidates()
    if soffice is None or not pythons:
        return  # the build says what is missing
    conf = fontconfig_text(fonts)
    for _i in range(count):
        launched.append(launch(pythons[0], soffice, conf))


def _discard_early() -> None:
    """Stop the early helpers no build claimed (click refused the line, say)."""
    global _early
    if _early is not None:
        for started in _early[1]:
            started.discard()
        _early = None


def _claim(request: Request) -> list[Launch]:
    """Return the early helpers if they were started for *request*; stop them otherwise."""
    global _early
    if _early is None:
        return []
    asked, launched = _early
    if asked == request:
        _early = None
        return launched
    _discard_early()
    return []


def start_converters(folders: Sequence[Path], *, outdir: Path | None, fmt: str, force: bool,
                     jobs: int | None, fonts: Path | None) -> ConverterPool | None:
    """Start converters for the documents that will likely need one; ``None`` if none will.

    Only perfdoc's own converters are started early (``--converter`` is
    someone else's server), and nothing at all when LibreOffice is missing:
    the build then says so in its usual words.  Helpers ``run`` started for
    this same build are adopted instead of started again.
    """
    # Helpers started early were counted by ``_wanted`` for this same request
    # (a .docx build or no folders never starts any): no second look at the stamps.
    launched = _claim((tuple(folders), outdir, fmt, force, jobs, fonts))
    if fmt == "docx" or not folders:
        return None
    count = len(launched) or _wanted(folders, outdir, fmt, force, jobs)
    if count == 0:
        return None
    from perfdoc.convert import ConverterPool
    from perfdoc.errors import PerfdocError
    from perfdoc.fonts import prefetch

    pool = ConverterPool(jobs=count, fonts_dir=fonts)
    try:
        pool.__enter__()
    except PerfdocError:
        for started in launched:
            started.discard()
        return None
    pool.prestart(pool.jobs, launched)
    # After the launch: six fontconfig processes starting at once would
    # compete with the converter's helper for the CPU while it starts.
    prefetch(fonts)
    return pool
