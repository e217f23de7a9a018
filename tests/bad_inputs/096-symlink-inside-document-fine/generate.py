import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "parts").mkdir()
    (doc_dir / "goals.yaml").rename(doc_dir / "parts" / "goals.yaml")
    os.symlink("parts/goals.yaml", doc_dir / "goals.yaml")
    (doc_dir / "projects" / "02-zhifa.yaml").rename(doc_dir / "parts" / "02-zhifa.yaml")
    os.symlink("../parts/02-zhifa.yaml", doc_dir / "projects" / "02-zhifa.yaml")
