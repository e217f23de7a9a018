import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    os.symlink("../../secret.yaml", doc_dir / "projects" / "03-leak.yaml")
