from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "projects" / "01-zhucun.yaml"
    text = path.read_text(encoding="utf-8")
    old = '    value: "有效提升"\n'
    assert old in text
    path.write_text(text.replace(old, "    value: " + "有效提升村庄清洁度" * 40_000 + "\n"),
                    encoding="utf-8")
