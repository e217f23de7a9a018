"""Read a built .docx back: its XML parts, paragraphs and tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def part(docx: Path, name: str) -> etree._Element:
    """Parse one XML part of the package."""
    with zipfile.ZipFile(docx) as zf:
        return etree.fromstring(zf.read(name))


def paragraph_texts(root: etree._Element) -> list[str]:
    """Every paragraph's text, in document order, tables and w:sdt included.

    A body paragraph's indent (two ideographic spaces) is left out: it is
    layout, tested on its own in test_docx.
    """
    return ["".join(p.itertext()).removeprefix("\u3000\u3000") for p in root.iter(f"{{{W}}}p")]


def w(name: str) -> str:
    """Qualified WordprocessingML tag or attribute name."""
    return f"{{{W}}}{name}"
