"""Split a batch into N slices, so that N CI runners build a province together.

``perfdoc build WS --shard K/N`` builds the K-th slice.  Every runner must
agree on the slices whatever its checkout path, so a document is known by
its folder's path relative to its workspace root (the folder of
``perfdoc.toml``; without one, the current folder), written with ``/``.  The
documents are ordered by the SHA-256 of that path and dealt out in turn, the
first to slice 1, the second to slice 2, and so on: the slices are disjoint,
cover the batch, and differ in size by at most one document.

Only the building is sliced: ``plan.name_outputs`` still names every
document of the batch, so a name clash with a document of another slice is
refused in both slices.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePath

import click

from perfdoc.i18n import _
from perfdoc.layout import workspace_root

#: K and N of ``--shard K/N``: build the K-th of N slices, 1 ≤ K ≤ N.
Shard = tuple[int, int]

_SHARD = re.compile(r"([0-9]+)/([0-9]+)")


def parse_shard(text: str) -> Shard:
    """Read ``K/N``; raise ``ValueError`` with the message for the user otherwise."""
    m = _SHARD.fullmatch(text.strip())
    try:
        index, count = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    except ValueError:  # more digits than int() accepts
        index, count = 0, 0
    if not 1 <= index <= count:
        raise ValueError(_("{value!r} is not K/N, two whole numbers with 1 ≤ K ≤ N such as "
                           "2/3 (the second of three slices)").format(value=text))
    return index, count


def shard_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    """Read ``--shard`` (a click callback): ``K/N``, anything else a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def shard_key(folder: Path) -> str:
    """Name *folder* the same way on every machine: its path from the workspace root.

    The root is the folder of the nearest ``perfdoc.toml``; without one, the
    current folder (a CI job runs in its checkout).  Separators are ``/``.
    """
    resolved = folder.resolve()
    # Only the root is needed: perfdoc.toml itself is read by the build.
    root = workspace_root(folder)
    if root is not None:
        return resolved.relative_to(root).as_posix()
    try:
        relative = os.path.relpath(resolved, Path.cwd().resolve())
    except ValueError:  # another drive on Windows: no relative path exists
        return resolved.as_posix()
    return PurePath(relative).as_posix()


def assign(folders: Sequence[Path], count: int) -> dict[Path, int]:
    """Return the slice (1 to *count*) of each folder in *folders*.

    Ordered by the SHA-256 of their keys (ties, such as the same relative
    path in two workspaces, keep the batch's order) and dealt out in turn.
    """
    keys = {folder: shard_key(folder) for folder in folders}
    ordered = sorted(keys, key=lambda f: (hashlib.sha256(keys[f].encode("utf-8")).digest(),
                                          keys[f]))
    return {folder: i % count + 1 for i, folder in enumerate(ordered)}


def pick(folders: Sequence[Path], shard: Shard | None) -> list[Path]:
    """Return the folders of slice *shard*, in the batch's order; all of them without one."""
    if shard is None:
        return list(folders)
    index, count = shard
    slices = assign(folders, count)
    return [folder for folder in folders if slices[folder] == index]


def shard_line(shard: Shard, picked: int, total: int) -> str:
    """Say which slice this run builds, before its documents are reported."""
    return _("shard {index}/{count}: {picked} of {total} document(s)").format(
        index=shard[0], count=shard[1], picked=picked, total=total)
