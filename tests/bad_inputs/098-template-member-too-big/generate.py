import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT = ROOT / "templates" / "default" / "template.docx"


def generate(doc_dir: Path) -> None:
    target = doc_dir / "bomb.docx"
    shutil.copyfile(DEFAULT, target)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = bytes(1024 * 1024)
            for _ in range(60):
                fh.write(chunk)
