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
