from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "projects" / "01-zhucun.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[4] == "money_unit: 万元"
    lines[4] = "money_unt: 万元"
    path.write_bytes("\r".join(lines).encode("utf-8"))
