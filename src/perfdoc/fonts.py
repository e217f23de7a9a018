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
import threading
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


# The font look-ups run once per process, possibly first in ``prefetch``'s
# thread: the lock makes a second caller wait for that answer, not ask again.
_lookups = threading.Lock()


def resolve_fonts(fonts_dir: Path | None = None,
                  names: tuple[str, ...] = FONT_NAMES) -> dict[str, str | None]:
    """Return the font file LibreOffice will draw each requested name with."""
    with _lookups:
        return _resolve_fonts(fonts_dir, names)


@cache
def _resolve_fonts(fonts_dir: Path | None, names: tuple[str, ...]) -> dict[str, str | None]:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return dict.fromkeys(names)

    def match(name: str, conf: Path) -> str | None:
        try:
            done = subprocess.run(
                [fc_match, "-f", "%{file}", f"{name}:lang=zh-cn"],
                capture_output=True, text=True, timeout=30,
                env={**os.environ, "FONTCONFIG_FILE": str(conf)},
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() or None

    # Imported here: fontconfig_text runs before the pipeline is imported
    # (see ``spawn``), and concurrent.futures brings logging with it.
    from concurrent.futures import ThreadPoolExecutor

    # One fc-match per name, all at once: each spends most of its 0.1 s
    # loading fontconfig's caches, which the others need not wait for.
    with fontconfig_file(fonts_dir) as conf, ThreadPoolExecutor(len(names) or 1) as pool:
        return dict(zip(names, pool.map(lambda name: match(name, conf), names), strict=True))


def prefetch(fonts_dir: Path | None = None) -> None:
    """Start the font look-ups a PDF build will ask for, in the background.

    The build's input hash needs ``font_fingerprint`` and the ``font`` rule
    needs the installed families; both are fontconfig programs run once per
    process, and started here they run while perfdoc still imports and loads.
    """
    def look_up() -> None:
        with contextlib.suppress(Exception):  # asked again, in the open, when needed
            resolve_fonts(fonts_dir)
            _known_families(fonts_dir)

    threading.Thread(target=look_up, name="perfdoc-fonts", daemon=True).start()


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


# --------------------------------------------------------------------------- a template's fonts

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")


def template_fonts(template: bytes) -> list[str]:
    """Return every font name a .docx template asks for, in its styles and its body.

    python-docx's ``font.name`` sets only the Latin fonts (``w:ascii``,
    ``w:hAnsi``); Chinese text is drawn with ``w:eastAsia``.  All four are read.
    """
    import io
    import zipfile

    from lxml import etree

    found: dict[str, None] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        for part in ("word/styles.xml", "word/document.xml"):
            if part not in z.namelist():
                continue
            root = etree.fromstring(z.read(part), parser)
            for fonts in root.iter(f"{_W}rFonts"):
                for attr in _FONT_ATTRS:
                    name = fonts.get(f"{_W}{attr}")
                    # Jinja-made names ({{ … }}) are not fonts yet.
                    if name and "{" not in name:
                        found.setdefault(name.strip())
    return [name for name in found if name]


def _known_families(fonts_dir: Path | None) -> frozenset[str]:
    """Return the families perfdoc's fonts.conf maps and those installed, per fontconfig."""
    with _lookups:
        return _families(fonts_dir)


@cache
def _families(fonts_dir: Path | None) -> frozenset[str]:
    import re

    known = set(re.findall(r"<alias[^>]*>\s*<family>([^<]+)</family>",
                           fontconfig_text(fonts_dir)))
    fc_list = shutil.which("fc-list")
    if fc_list:
        with fontconfig_file(fonts_dir) as conf:
            try:
                done = subprocess.run([fc_list, "--format", "%{family}\n"], capture_output=True,
                                      text=True, timeout=30,
                                      env={**os.environ, "FONTCONFIG_FILE": str(conf)})
            except (OSError, subprocess.TimeoutExpired):
                return frozenset(known)
        for line in done.stdout.splitlines():
            known.update(part.strip() for part in line.split(",") if part.strip())
    return frozenset(known)


def _fallback(name: str, fonts_dir: Path | None) -> str | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    with fontconfig_file(fonts_dir) as conf:
        try:
            done = subprocess.run([fc_match, "-f", "%{family[0]}", f"{name}:lang=zh-cn"],
                                  capture_output=True, text=True, timeout=30,
                                  env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        except (OSError, subprocess.TimeoutExpired):
            return None
    return done.stdout.strip() or None


def unmapped_fonts(names: list[str], fonts_dir: Path | None = None) -> dict[str, str | None]:
    """Return the *names* that neither perfdoc's fonts.conf maps nor this machine has.

    Each comes with the family fontconfig falls back to, which is what
    LibreOffice will draw it with: often a sans face where a 仿宋 was meant.
    Without fontconfig nothing can be judged, and nothing is returned.
    """
    if not shutil.which("fc-list"):
        return {}
    known = _known_families(fonts_dir)
    return {name: _fallback(name, fonts_dir) for name in names if name not in known}


@cache
def font_warnings(template: bytes, fonts_dir: Path | None) -> tuple[tuple[str, str | None], ...]:
    """Return (font, fallback) for each font of *template* that will be substituted.

    Cached: a batch asks once per template.
    """
    return tuple(unmapped_fonts(template_fonts(template), fonts_dir).items())
