from pathlib import Path

from tests.docxtemplates import template_with


def generate(doc_dir: Path) -> None:
    template_with(doc_dir / "huge.docx", "{{ 'x' * 999999999 }}")
