import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DEFAULT = ROOT / "templates" / "default" / "template.docx"


def template_with(target: Path, code: str) -> None:
    """Copy the default template with a paragraph holding *code* first in its body."""
    out = io.BytesIO()
    with zipfile.ZipFile(DEFAULT) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert "<w:body>" in xml
                xml = xml.replace("<w:body>", f"<w:body><w:p><w:r><w:t>{code}</w:t></w:r></w:p>", 1)
                data = xml.encode("utf-8")
            dst.writestr(info, data)
    target.write_bytes(out.getvalue())


def generate(doc_dir: Path) -> None:
    template_with(doc_dir / "slow.docx", '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}')
