"""Output names, atomic writes and build stamps (docs/cli.md, "Outputs").

Every output goes to a temporary file in its own folder and is renamed into
place, so a reader never sees half a file and a failed build leaves the
previous outputs as they were.  A stamp beside the outputs records the input
hash, which incremental builds and ``build --check`` compare against.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfdoc.errors import OutputError
from perfdoc.i18n import _
from perfdoc.problems import display_path

# Characters Windows, macOS or Linux refuse in file names.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
TEMP_PREFIX = ".perfdoc-tmp-"
# File systems allow 255 bytes per name; the stamp adds "." and ".perfdoc.json".
MAX_STEM_BYTES = 200


def output_stem(unit: str, year: int) -> str:
    """Return ``<单位名称>_<年度>年部门预算绩效文本`` with unsafe characters replaced.

    A unit name too long for a file name (255 bytes, less room for the
    extension and the stamp's prefix) is cut short and followed by ``~`` and 8
    hex digits of its hash, so two long names that share a beginning still get
    different files; the year part is kept whole.
    """
    tail = f"_{year}年部门预算绩效文本"
    room = MAX_STEM_BYTES - len(tail.encode("utf-8"))
    encoded = unit.encode("utf-8")
    if len(encoded) > room:
        mark = "~" + hashlib.sha256(encoded).hexdigest()[:8]
        unit = encoded[: max(room - len(mark), 0)].decode("utf-8", "ignore") + mark
    stem = f"{unit}{tail}"
    stem = _UNSAFE.sub("_", stem).strip(" .")
    return stem or "document"


@dataclass(frozen=True)
class OutputSet:
    """Where one document's outputs go."""

    folder: Path
    stem: str

    @property
    def docx(self) -> Path:
        """The Word draft."""
        return self.folder / f"{self.stem}.docx"

    @property
    def pdf(self) -> Path:
        """The PDF."""
        return self.folder / f"{self.stem}.pdf"

    @property
    def stamp(self) -> Path:
        """The build stamp: the input hash and what was written."""
        return self.folder / f".{self.stem}.perfdoc.json"


def sha256(data: bytes) -> str:
    """Hex digest of *data*."""
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str | None:
    """Hex digest of a file, or ``None`` when it cannot be read."""
    try:
        return sha256(path.read_bytes())
    except OSError:
        return None


def input_hash(parts: Iterable[tuple[str, bytes]]) -> str:
    """Hash named byte strings in order; names keep ``a``+``bc`` apart from ``ab``+``c``."""
    h = hashlib.sha256()
    for name, data in parts:
        h.update(name.encode("utf-8") + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return h.hexdigest()


def write_together(files: Mapping[Path, bytes]) -> None:
    """Replace several files together: all temp files first, then the renames.

    If writing any temp file fails, none of the targets is touched.  If a
    rename fails after others succeeded, the ones already replaced are put
    back from hard-linked copies, so the pair is never half new.
    """
    at: list[Path] = []
    try:
        _write_together(files, at)
    except OSError as exc:
        raise OutputError(_write_failure(exc, at[-1] if at else None)) from None


def _write_failure(exc: OSError, target: Path | None) -> str:
    """Say in the user's words why an output (*target*) could not be written."""
    # A file standing where a folder should be is named itself.
    in_the_way = exc.errno in (errno.ENOTDIR, errno.EEXIST) and exc.filename
    where = display_path(exc.filename if in_the_way else target or exc.filename or "?")
    if exc.errno == errno.ENOSPC:
        return _("the disk is full; nothing was replaced ({path})").format(path=where)
    if exc.errno in (errno.EISDIR, errno.ENOTEMPTY):
        return _("cannot write {path}: a folder is in the way; move it").format(path=where)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return _("cannot write the outputs: {path} is a file where a folder should be; "
                 "move it").format(path=where)
    return _("cannot write the outputs ({path}): {reason}").format(
        path=where, reason=exc.strerror or exc)


def _write_together(files: Mapping[Path, bytes], at: list[Path]) -> None:
    """Do the work of ``write_together``, appending each target to *at* as it is handled."""
    temps: list[tuple[Path, Path]] = []
    backups: dict[Path, Path] = {}
    replaced: list[Path] = []
    try:
        for target, data in files.items():
            at.append(target)
            if target.is_dir():  # os.replace would fail late, after other renames
                raise IsADirectoryError(errno.EISDIR, "Is a directory", str(target))
            blocking = next((p for p in (target.parent, *target.parent.parents)
                             if p.exists() and not p.is_dir()), None)
            if blocking is not None:
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(blocking))
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
            temp = Path(name)
            temps.append((temp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temp, 0o644)
        for _temp, target in temps:
            at.append(target)
            if target.exists():
                backup = target.parent / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
                os.link(target, backup)  # a second name for the old file, no copy
                backups[target] = backup
        try:
            for temp, target in temps:
                at.append(target)
                os.replace(temp, target)
                replaced.append(target)
        except BaseException:
            for target in replaced:
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    target.unlink()
            raise
    finally:
        for leftover in [t for t, _ in temps] + list(backups.values()):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def stamp_bytes(data: Mapping[str, Any]) -> bytes:
    """Serialise a stamp deterministically."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


#: SOURCE_DATE_EPOCH of 9999-12-31 23:59:59 UTC, the last moment a .docx date can hold.
MAX_EPOCH = 253402300799


def source_date_epoch() -> int | None:
    """Return SOURCE_DATE_EPOCH, or ``None`` when unset.

    Raises ``ValueError`` when the value is no date a .docx can hold.  Kept
    here, with no heavy imports, so that commands check it before any work.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or int(value) > MAX_EPOCH:
        raise ValueError(value)
    return int(value)
