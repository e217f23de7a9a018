import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    os.symlink("..", doc_dir / "styles")
