from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "projects" / "01-zhucun.yaml"
    text = path.read_text(encoding="utf-8")
    old = "goals:\n  - 对省级驻村工作组进行经费保障\n"
    assert old in text
    path.write_text(text.replace(old, "goals: " + "[" * 500 + "x" + "]" * 500 + "\n"),
                    encoding="utf-8")
