from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "projects" / "03-extra.yaml").mkdir()
