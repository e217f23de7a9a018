from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "projects" / "02-zhifa.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[-2].startswith("    basis: ")
    lines[-2] = lines[-2].replace("    basis: ", "    bassis: ")
    half = len(lines) // 2
    text = "\r\n".join(lines[:half]) + "\r\n" + "\n".join(lines[half:half + 10]) + "\r"
    text += "\n".join(lines[half + 10:])
    path.write_bytes(text.encode("utf-8"))
