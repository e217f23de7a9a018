from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "somefile").write_text("not a folder\n", encoding="utf-8")
