"""Cut the seed document into the sentences and cells a build must contain."""

from __future__ import annotations

import re
import unicodedata

from tests.conftest import SEED

_LATEX = re.compile(r"\$\\(geq|leq)\s*([0-9.]+)\s*\\%\s*\$")


def normalize(text: str) -> str:
    """Compare texts modulo whitespace and full/half-width forms (NFKC)."""
    text = _LATEX.sub(lambda m: ("≥" if m.group(1) == "geq" else "≤") + m.group(2) + "%", text)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text)


def seed_units() -> list[str]:
    """Every paragraph and table cell of the seed, normalised.

    目录 lines lose their dot leaders and page numbers (those are checked by the
    PDF tests against the page footers).
    """
    units: list[str] = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        if "....." in raw:
            raw = raw.split(".....")[0]
        for cell in raw.split("\t"):
            unit = normalize(cell)
            if unit:
                units.append(unit)
    return units
