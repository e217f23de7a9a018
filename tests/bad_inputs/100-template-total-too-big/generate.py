import shutil
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT = ROOT / "templates" / "default" / "template.docx"


def generate(doc_dir: Path) -> None:
    target = doc_dir / "styles" / "heavy.docx"
    target.parent.mkdir()
    shutil.copyfile(DEFAULT, target)
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for i in range(5):
            with z.open(f"word/media/zeros{i}.bin", "w", force_zip64=True) as fh:
                for _ in range(45):
                    fh.write(chunk)
