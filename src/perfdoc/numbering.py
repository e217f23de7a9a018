"""Number list items the way the unit would, and never twice.

perfdoc numbers the itemized goals (``1、``), the measures (``1.``) and each
project's goals (``1.``).  Many units paste items that already carry a marker
(``1.``, ``1、``, ``（1）``, ``一、``); printing another in front would read
``1.1.…``.  So a list is numbered only when none of its items carries a
marker, and ``settings.numbering: false`` switches numbering off entirely.
The ``numbering`` rule says which lists were left as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# 1. 1、 1． （1） (1) 一、 — at the very start, after any spaces.
_MARKER = re.compile(
    r"^\s*(?:[0-9０-９]+\s*[.、．]|[（(]\s*[0-9０-９一二三四五六七八九十]+\s*[)）]"
    r"|[一二三四五六七八九十]+\s*、)"
)


def has_marker(text: str) -> bool:
    """Say whether *text* starts with a list marker the author typed."""
    return _MARKER.match(text) is not None


def numbers_items(items: Sequence[str], *, enabled: bool = True) -> bool:
    """Say whether perfdoc numbers this list: enabled, and no item numbered by hand."""
    return enabled and not any(has_marker(item) for item in items)


def numbered(items: Sequence[str], separator: str, *, enabled: bool = True) -> list[str]:
    """Return *items* as printed: ``1、item`` … when perfdoc numbers them, else as written."""
    if not numbers_items(items, enabled=enabled):
        return list(items)
    return [f"{n}{separator}{item}" for n, item in enumerate(items, start=1)]
