import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT = ROOT / "templates" / "default" / "template.docx"


def generate(doc_dir: Path) -> None:
    target = doc_dir / "crowded.docx"
    shutil.copyfile(DEFAULT, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_STORED) as z:
        for i in range(10_001):
            z.writestr(f"customXml/item{i}.xml", b"")
