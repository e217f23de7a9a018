"""Find package data: ``templates/`` and ``schemas/`` ship inside the wheel.

A wheel carries them as ``perfdoc/templates`` and ``perfdoc/schemas`` (hatchling
``force-include``).  An editable install does not copy them, so the source
tree's top-level folders are the fallback.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(top: str, *parts: str) -> Traversable:
    """Return ``<top>/<parts…>`` from the installed package or the source tree."""
    packaged = files("perfdoc").joinpath(top, *parts)
    if packaged.is_file() or packaged.is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / top
    return source_tree.joinpath(*parts)


def system_packages(*sections: str) -> list[str]:
    """Return the Debian packages of *sections* (``run``, ``test``) of the one list.

    ``data/system-packages.txt`` is what ``perfdoc doctor --install`` installs
    and what every message about a missing LibreOffice names.
    """
    found: list[str] = []
    section = ""
    text = files("perfdoc").joinpath("data", "system-packages.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
        elif section in sections:
            found.append(line)
    return found
