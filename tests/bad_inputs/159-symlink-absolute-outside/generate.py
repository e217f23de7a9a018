import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    os.symlink((doc_dir.parent / "secret.yaml").resolve(), doc_dir / "projects" / "03-abs.yaml")
