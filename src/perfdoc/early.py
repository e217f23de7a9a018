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

This module imports nothing heavy: it runs before pydantic and the models are.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfdoc.layout import source_files
from perfdoc.outputs import read_stamp

if TYPE_CHECKING:
    from perfdoc.convert import ConverterPool

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


def start_converters(folders: Sequence[Path], *, outdir: Path | None, fmt: str, force: bool,
                     jobs: int | None, fonts: Path | None) -> ConverterPool | None:
    """Start converters for the documents that will likely need one; ``None`` if none will.

    Only perfdoc's own converters are started early (``--converter`` is
    someone else's server), and nothing at all when LibreOffice is missing:
    the build then says so in its usual words.
    """
    if fmt == "docx" or not folders:
        return None
    count = len(folders) if force else len(likely_stale(folders, outdir, fmt))
    if count == 0:
        return None
    from perfdoc.convert import ConverterPool
    from perfdoc.errors import PerfdocError
    from perfdoc.fonts import prefetch

    pool = ConverterPool(jobs=min(count, jobs or os.cpu_count() or 1), fonts_dir=fonts)
    try:
        pool.__enter__()
    except PerfdocError:
        return None
    pool.prestart(pool.jobs)
    # After the launch: six fontconfig processes starting at once would
    # compete with the converter's helper for the CPU while it starts.
    prefetch(fonts)
    return pool
