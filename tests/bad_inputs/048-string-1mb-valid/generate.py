from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "document.yaml"
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("overall_goal:")]
    goal = "促进镇域经济和社会各项事业全面发展。" * 20_000  # 360,000 characters, 1 MB
    path.write_text(head + "overall_goal: " + goal + "\n", encoding="utf-8")
