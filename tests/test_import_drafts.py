"""perfdoc import on drafts typed by hand, not made by perfdoc.

tests/drafts.py writes each example as a unit would type it in Word: direct
formatting only, one or two tables per project, real merges, repeated or
blank 一级/二级 cells, 元 instead of 万元, bold paragraphs for headings,
auto-numbered lists, runs split mid-word, w:br breaks and tabs, blank
paragraphs and section breaks, a text box on the cover.  Each must import with
nothing left unplaced and build back with every sentence and every cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document as Word

from perfdoc.document import Document, load_document
from tests.conftest import ROOT, needs_libreoffice
from tests.drafts import VARIANTS, expected_units, make_draft, make_workbook, save_with_libreoffice
from tests.seedtext import normalize

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "document.yaml").exists())


def example(name: str) -> Document:
    folder = ROOT / "examples" / name
    doc, problems = load_document(folder, folder)
    assert doc is not None, problems
    return doc


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of a .docx, normalised, as one text."""
    word = Word(str(path))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return normalize("\n".join(parts))


def import_and_build(cli: Any, source: Path, tmp_path: Path) -> tuple[Any, Path, str]:
    run = cli("import", source, "-o", tmp_path / "imported")
    assert run.code == 0, run.out + run.err
    built = cli("build", tmp_path / "imported", "--format", "docx", "--skip-rules",
                "-o", tmp_path / "built")
    assert built.code == 0, built.out + built.err
    [docx] = (tmp_path / "built").glob("*.docx")
    return run, docx, docx_text(docx)


def assert_nothing_lost(run: Any, folder: Path, units: list[str], text: str) -> None:
    assert "[warning]" not in run.out and "[error]" not in run.out, run.out
    for path in folder.rglob("*.yaml"):
        assert "_unplaced" not in path.read_text(encoding="utf-8"), path
    missing = [u for u in (normalize(u) for u in units) if u and u not in text]
    assert not missing, missing


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_hand_typed_draft_imports_whole(cli: Any, tmp_path: Path, name: str,
                                          variant: str) -> None:
    doc = example(name)
    draft = tmp_path / f"{name}-{variant}.docx"
    make_draft(doc, draft, VARIANTS[variant])
    run, _docx, text = import_and_build(cli, draft, tmp_path)
    assert_nothing_lost(run, tmp_path / "imported", expected_units(doc), text)
    imported, problems = load_document(tmp_path / "imported", tmp_path / "imported")
    assert imported is not None, problems
    assert len(imported.projects) == len(doc.projects)
    assert [p.model.code for p in imported.projects] == [p.model.code for p in doc.projects]


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_budget_system_workbook_imports_its_projects(cli: Any, tmp_path: Path,
                                                       name: str) -> None:
    doc = example(name)
    book = tmp_path / "targets.xlsx"
    make_workbook(doc, book)
    run = cli("import", book, "-o", tmp_path / "imported")
    assert run.code == 0, run.out + run.err
    imported, problems = load_document(tmp_path / "imported", tmp_path / "imported")
    assert imported is not None, problems
    assert [p.model.code for p in imported.projects] == [p.model.code for p in doc.projects]
    for got, want in zip(imported.projects, doc.projects, strict=True):
        assert [(i.level1, i.level2, i.name, i.value) for i in got.model.indicators] == [
            (i.level1, i.level2, i.name, i.value) for i in want.model.indicators]
        assert got.model.budget.total == want.model.budget.total
    # Without a .docx, the rest is placeholders the placeholder rule lists.
    checked = cli("check", tmp_path / "imported")
    assert "(placeholder)" in checked.out


def test_a_docx_and_a_workbook_make_one_document(cli: Any, tmp_path: Path) -> None:
    sanjia, yunling = example("sanjia_2024"), example("yunling_2024")
    draft = tmp_path / "sanjia.docx"
    make_draft(sanjia, draft, VARIANTS["plain"])
    book = tmp_path / "more.xlsx"
    make_workbook(yunling, book)
    run = cli("import", draft, book, "-o", tmp_path / "imported")
    assert run.code == 0, run.out + run.err
    imported, problems = load_document(tmp_path / "imported", tmp_path / "imported")
    assert imported is not None, problems
    assert imported.meta.unit == sanjia.meta.unit
    assert len(imported.projects) == len(sanjia.projects) + len(yunling.projects)


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["docx", "doc"])
def test_a_draft_saved_by_libreoffice_imports_whole(cli: Any, tmp_path: Path, fmt: str) -> None:
    """A real office suite's file, auto-numbering and all, and the old .doc made from it."""
    doc = example("yunling_2024")
    draft = tmp_path / "typed.docx"
    make_draft(doc, draft, VARIANTS["auto-numbered"])
    saved = save_with_libreoffice(draft, tmp_path / "saved", fmt)
    run, _docx, text = import_and_build(cli, saved, tmp_path)
    assert_nothing_lost(run, tmp_path / "imported", expected_units(doc), text)
