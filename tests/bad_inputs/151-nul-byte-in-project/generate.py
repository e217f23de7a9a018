from pathlib import Path


def generate(doc_dir: Path) -> None:
    path = doc_dir / "projects" / "01-zhucun.yaml"
    raw = path.read_bytes()
    old = "unit_name: 承德县三家镇".encode()
    assert old in raw
    path.write_bytes(raw.replace(old, old + b"\x00", 1))
