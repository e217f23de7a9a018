from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "goals.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "k" * 1_000_000 + ": 1\n", encoding="utf-8")
