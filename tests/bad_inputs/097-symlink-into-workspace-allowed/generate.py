import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "goals.yaml").rename(doc_dir.parent / "shared-goals.yaml")
    os.symlink("../shared-goals.yaml", doc_dir / "goals.yaml")
