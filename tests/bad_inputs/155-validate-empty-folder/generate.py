from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "emptydir").mkdir()
