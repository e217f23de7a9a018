"""Open zip packages (.docx, .xlsx) only within sane limits.

A .docx is a zip, and a zip's header may promise a small file that unpacks
to gigabytes: a 1 MB template holding a 1 GB member would otherwise be
inflated into memory and copied into every output.  Every zip perfdoc reads
from a user (templates today, drafts given to ``import`` later) is checked
here first, from the central directory alone, before any member is inflated.
``zipfile`` itself stops reading a member at its declared size and fails on a
CRC mismatch, so a header that lies about the size cannot get past these
limits either.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from perfdoc.i18n import _

#: More members than any real .docx or .xlsx has (a large one has a few hundred).
MAX_MEMBERS = 10_000
#: The largest single member: a document part or an embedded picture.
MAX_MEMBER_BYTES = 50 * 1024 * 1024
#: All members together, uncompressed.
MAX_TOTAL_BYTES = 200 * 1024 * 1024


class ZipRefused(Exception):
    """The file is not a zip package, or it exceeds the limits; ``message`` says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_zip(source: bytes | Path) -> None:
    """Raise ``ZipRefused`` unless *source* is a zip within the member and size limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ZipRefused(_("not a .docx/.xlsx (zip) file: {reason}").format(reason=exc)) from None
    if len(members) > MAX_MEMBERS:
        raise ZipRefused(_("the package holds {n} parts, more than the {limit} allowed").format(
            n=len(members), limit=MAX_MEMBERS))
    total = 0
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise ZipRefused(_("the part {name} unpacks to {size}, more than the {limit} "
                               "allowed for one part").format(
                name=member.filename, size=_mb(member.file_size), limit=_mb(MAX_MEMBER_BYTES)))
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise ZipRefused(_("the package unpacks to {size}, more than the {limit} allowed").format(
            size=_mb(total), limit=_mb(MAX_TOTAL_BYTES)))
