from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "goals.yaml").mkdir()
    (doc_dir / "goals.yaml" / "itemized_goals.yaml").write_text("x: 1\n", encoding="utf-8")
