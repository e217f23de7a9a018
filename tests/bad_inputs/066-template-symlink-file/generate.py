import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    os.symlink("../outside.docx", doc_dir / "house.docx")
