"""The framing of the pipe between perfdoc and its converter helper.

A frame is one line of JSON (the header, with ``size``) followed by exactly
``size`` bytes (a .docx going in, a PDF coming out).  The helper runs under
another Python (one that can ``import uno``) and imports this module by path,
so it uses the standard library only.
"""

from __future__ import annotations

import json
from typing import IO, Any

Frame = tuple[dict[str, Any], bytes]


def read_frame(stream: IO[bytes]) -> Frame | None:
    """Read one frame; ``None`` at the end of the stream or of a cut-off frame."""
    line = stream.readline()
    if not line.endswith(b"\n"):
        return None
    header = json.loads(line)
    size = int(header.get("size", 0))
    data = stream.read(size) if size else b""
    return None if len(data) != size else (header, data)


def write_frame(stream: IO[bytes], header: dict[str, Any], data: bytes = b"") -> None:
    """Write one frame and flush it."""
    stream.write(json.dumps({**header, "size": len(data)}).encode() + b"\n" + data)
    stream.flush()
