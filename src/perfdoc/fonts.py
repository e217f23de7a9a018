"""The fonts LibreOffice draws the document with: perfdoc's fonts.conf and ``--fonts DIR``.

perfdoc's converters run LibreOffice with ``FONTCONFIG_FILE`` pointing at
perfdoc's own fonts.conf, which maps the Windows font names of the template to
free faces.  ``perfdoc doctor`` and the build's input hash ask fontconfig the
same question LibreOffice will, through ``fc-match``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from html import escape
from importlib.resources import as_file, files
from pathlib import Path

#: The font names the default template asks for, in the order doctor lists them.
FONT_NAMES = ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体", "Times New Roman")


def fontconfig_text(fonts_dir: Path | None = None) -> str:
    """Return perfdoc's fonts.conf, with ``--fonts DIR`` added first when given."""
    text = (files("perfdoc") / "data" / "fonts.conf").read_text(encoding="utf-8")
    if fonts_dir is None:
        return text
    # Fonts the user supplied come first, so the real faces win over stand-ins.
    return text.replace(
        "<!-- PERFDOC_EXTRA_DIRS -->",
        f"<dir>{escape(str(fonts_dir.resolve()), quote=False)}</dir>",
    )


@contextlib.contextmanager
def fontconfig_file(fonts_dir: Path | None = None) -> Iterator[Path]:
    """Yield a fonts.conf file for the length of the ``with`` block.

    Used for short ``fc-match`` calls only: the converters write their own copy
    into their private folder, which their helper removes even when perfdoc is
    killed, so no fonts.conf outlives a build.
    """
    if fonts_dir is None:
        with as_file(files("perfdoc") / "data" / "fonts.conf") as shipped:
            yield Path(shipped)
        return
    with tempfile.TemporaryDirectory(prefix="perfdoc-fc-") as tmp:
        conf = Path(tmp) / "fonts.conf"
        conf.write_text(fontconfig_text(fonts_dir), encoding="utf-8")
        yield conf


@cache
def resolve_fonts(fonts_dir: Path | None = None) -> dict[str, str | None]:
    """Return the font file LibreOffice will draw each requested name with."""
    fc_match = shutil.which("fc-match")
    found: dict[str, str | None] = {}
    with fontconfig_file(fonts_dir) as conf:
        for name in FONT_NAMES:
            path: str | None = None
            if fc_match:
                try:
                    done = subprocess.run(
                        [fc_match, "-f", "%{file}", f"{name}:lang=zh-cn"],
                        capture_output=True, text=True, timeout=30,
                        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
                    )
                    path = done.stdout.strip() or None
                except (OSError, subprocess.TimeoutExpired):
                    path = None
            found[name] = path
    return found


def font_fingerprint(fonts_dir: Path | None = None) -> str:
    """Describe the font files in use, for the build's input hash."""
    lines = []
    for name, path in resolve_fonts(fonts_dir).items():
        size = ""
        if path:
            with contextlib.suppress(OSError):
                size = str(Path(path).stat().st_size)
        lines.append(f"{name}={path}:{size}")
    return "\n".join(lines)
