from pathlib import Path


def generate(doc_dir: Path) -> None:
    text = (doc_dir / "projects" / "01-zhucun.yaml").read_text(encoding="utf-8")
    assert "  total: 6.19\n" in text
    (doc_dir / "projects" / "03-a\nb.yaml").write_text(
        text.replace("  total: 6.19\n", "  total: 六点一九\n"), encoding="utf-8")
