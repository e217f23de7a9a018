"""perfdoc's folder in the user's cache, and whether a folder there can be trusted.

Two things live there: Jinja's compiled templates (``sandbox.py``) and the
pre-initialised LibreOffice profile (``loprofile.py``).  Both are code that
perfdoc runs, so both are used only from folders that belong to the user and
that nobody else may write; anything else is ignored, never repaired.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs


def cache_root() -> Path:
    """Return perfdoc's folder in the user's cache (it may not exist)."""
    return Path(platformdirs.user_cache_dir("perfdoc"))


def is_ours(path: Path, others: int = 0o077) -> bool:
    """Say whether *path* is a real folder (no link) of this user's with none of *others* set.

    The default, 0o077, asks that nobody else may read or write it.
    """
    try:
        info = path.lstat()
        uid = os.getuid()
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows)
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & others


def private_folder(name: str) -> Path | None:
    """Return the folder *name* in perfdoc's cache, made 0700 if new; ``None`` if not ours."""
    folder = cache_root() / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if is_ours(folder) else None
