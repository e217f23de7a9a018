"""Templates for tests: the default template (or any .docx) with some XML parts changed."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from perfdoc.render import rezip

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEMPLATE = ROOT / "templates" / "default" / "template.docx"

#: Part name -> a function from its XML text to the changed XML text.
Changes = Mapping[str, Callable[[str], str]]


def with_parts(docx: bytes, changes: Changes) -> bytes:
    """Return *docx* with each part named in *changes* passed through its function."""

    def change(name: str, data: bytes) -> bytes:
        return changes[name](data.decode("utf-8")).encode("utf-8") if name in changes else data

    return rezip(docx, change)


def changed_template(target: Path, changes: Changes) -> Path:
    """Write the default template with *changes* applied to *target*."""
    target.write_bytes(with_parts(DEFAULT_TEMPLATE.read_bytes(), changes))
    return target


def template_with(target: Path, code: str) -> Path:
    """Write the default template with a paragraph holding *code* first in its body."""

    def add(xml: str) -> str:
        assert "<w:body>" in xml
        return xml.replace("<w:body>", f"<w:body><w:p><w:r><w:t>{code}</w:t></w:r></w:p>", 1)

    return changed_template(target, {"word/document.xml": add})
