"""Word's style inheritance, read from ``word/styles.xml``: one reader for every stage.

A paragraph or run takes a property from its own formatting, else from its
style, else from the style that one is ``w:basedOn``, and so on; paragraphs
without a style use the default paragraph style.  Rendering (``symbols.py``,
which needs a run's East Asian font) and import (``imports/docx.py``, which
needs bold and list numbering) both walk that chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class StyleSheet:
    """The styles of a document by id, and the chain each inherits along."""

    def __init__(self, root: Any) -> None:
        self._by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id:
                self._by_id[style_id] = style
                if (style.get(f"{W}type") == "paragraph"
                        and style.get(f"{W}default") in ("1", "true", "on")):
                    self.default_paragraph = style_id

    def chain(self, style_id: str | None) -> Iterator[Any]:
        """Yield *style_id*'s style, then each style it is based on (a loop ends it)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
