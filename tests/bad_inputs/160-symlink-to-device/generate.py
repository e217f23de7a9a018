import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    os.symlink("/dev/zero", doc_dir / "projects" / "03-zero.yaml")
