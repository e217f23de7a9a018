import os
from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir.parent.parent / "secret.yaml").write_text(
        "root:x:SECRET-CONTENT:0:0:/root:/bin/bash\n", encoding="utf-8")
    (doc_dir / "goals.yaml").unlink()
    os.symlink("../../secret.yaml", doc_dir / "goals.yaml")
