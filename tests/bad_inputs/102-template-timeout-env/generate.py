from pathlib import Path

from tests.docxtemplates import template_with


def generate(doc_dir: Path) -> None:
    template_with(doc_dir / "slow.docx", '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}')
