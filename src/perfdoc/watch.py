"""``perfdoc watch``: rebuild on every save, with LibreOffice kept warm.

A clerk edits a YAML file, saves, and looks at the PDF.  Starting LibreOffice
is most of a build's time, so ``watch`` starts the converters once and hands
the same pool to every ``build.build_all``; a rebuild is then load, check,
render and one warm conversion.

What it watches: the document folders, the workspace's perfdoc.toml and a
``--template`` file.  A change inside one document rebuilds that document; a
change to perfdoc.toml or the template rebuilds them all.  The output folders
are never watched, or each build would trigger the next.

Saves come in bursts (an editor writes a temporary file and renames it, or
saves several files), so changes are gathered for a moment before a build
starts: watchfiles' ``step`` is the quiet time that ends a burst, and
``debounce`` the longest a burst may grow.  Its default debounce, 1.6 s, would
be most of the wait, so it is set to 100 ms.

An invalid save fails that build with its problems printed, and the outputs
are left as they were, as for any build.  Ctrl-C stops the watch; the
converters and their folders go with the pool, so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import watchfiles

from perfdoc.build import BuildReport, build_all
from perfdoc.layout import workspace_root
from perfdoc.plan import BuildOptions

#: The longest a burst of changes is gathered before a build starts (ms).
DEBOUNCE_MS = 100
#: The quiet time that ends a burst (ms): a save's rename comes within it.
STEP_MS = 30
#: Files a document build reads; anything else changing (a backup, a lock) is ignored.
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".toml", ".docx"})


class _Filter(watchfiles.DefaultFilter):
    """watchfiles' filter (no editor swap files, no .git), minus outputs and other files."""

    def __init__(self, outputs: Sequence[Path]) -> None:
        super().__init__(ignore_paths=[str(p) for p in outputs])

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return Path(path).suffix.lower() in WATCHED_SUFFIXES and super().__call__(change, path)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def affected(changed: set[Path], folders: Sequence[Path]) -> list[Path]:
    """Return the documents a set of changed files calls for, in *folders*' order.

    A file inside a document folder rebuilds that document; any other watched
    file (perfdoc.toml, the template) rebuilds every document.
    """
    resolved = {f: f.resolve() for f in folders}
    hit: set[Path] = set()
    for path in changed:
        owners = [f for f, r in resolved.items() if _inside(path, r)]
        if not owners:
            return list(folders)
        hit.update(owners)
    return [f for f in folders if f in hit]


def watch(folders: Sequence[Path], opts: BuildOptions, *,
          on_round: Callable[[BuildReport], None],
          on_watching: Callable[[], None] = lambda: None,
          stop: threading.Event | None = None) -> None:
    """Build *folders*, then rebuild what each save touches, until Ctrl-C or *stop*.

    *on_round* is given each build's report; *on_watching* is called once the
    first build is done and changes are being watched.
    """
    outputs = [(opts.outdir or f / "build").resolve() for f in folders]
    roots = {f.resolve() for f in folders}
    extra = [opts.template.resolve()] if opts.template else []
    config_root = workspace_root(folders[0]) if folders else None
    if config_root is not None:
        extra.append(config_root / "perfdoc.toml")
    pool = None
    if opts.wants_pdf and not opts.check_only:
        from perfdoc.convert import ConverterPool

        pool = ConverterPool(jobs=1, fonts_dir=opts.fonts, address=opts.converter)
    with pool if pool is not None else contextlib.nullcontext():
        if pool is not None:
            pool.prestart(1)  # starts while the first document loads
        on_round(build_all(folders, opts, pool=pool, keep_pool=True))
        # Later rounds are incremental: an unchanged document is skipped.
        later = replace(opts, force=False)
        on_watching()
        for changes in watchfiles.watch(
                *sorted(roots), *(p for p in extra if p.exists()),
                watch_filter=_Filter(outputs), debounce=DEBOUNCE_MS, step=STEP_MS,
                stop_event=stop, raise_interrupt=True):
            todo = affected({Path(p).resolve() for _change, p in changes}, folders)
            if todo:
                on_round(build_all(todo, later, pool=pool, keep_pool=True))
