import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    os.symlink("../elsewhere", doc_dir / "projects")
