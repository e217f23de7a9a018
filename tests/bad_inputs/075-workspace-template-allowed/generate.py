import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def generate(doc_dir: Path) -> None:
    shutil.copyfile(ROOT / "templates" / "default" / "template.docx",
                    doc_dir.parent / "shared.docx")
