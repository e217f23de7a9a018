from pathlib import Path


def generate(doc_dir: Path) -> None:
    (doc_dir / "build" / "承德县三家镇人民政府_2024年部门预算绩效文本.docx").mkdir(parents=True)
