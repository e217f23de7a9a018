"""Every .docx perfdoc writes is valid OOXML: zero errors from openxml-audit (Office 2016).

WordprocessingML fixes the order of the children of most elements (pPr, rPr,
tcPr, tblPr, sectPr, settings…), and Word may repair or refuse a file that
breaks it, though LibreOffice opens it silently.  So the documents perfdoc
builds are checked against the schemas: both examples as ``--format docx``
drafts (no LibreOffice needed) and as full builds whose 目录 the PDF filled,
documents from the property-test generator, and the default template itself,
whose only findings may be the Jinja tags standing in its attributes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator, ValidationSeverity

from perfdoc.build import render
from perfdoc.context import page_anchors
from perfdoc.document import load_document
from perfdoc.outputs import OutputSet
from perfdoc.plan import Job
from perfdoc.render import DEFAULT_DISPLAY, default_template_bytes, set_update_fields
from perfdoc.workspace import Workspace
from tests.conftest import ROOT, edit, needs_libreoffice
from tests.docxtext import part
from tests.test_properties import _Dumper, documents

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "document.yaml").exists())
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def audit(docx: Path) -> list[Any]:
    """Return every finding openxml-audit makes in *docx* at the Office 2016 level."""
    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2016, max_errors=0)
    return list(validator.validate(docx).errors)


def errors(findings: list[Any]) -> list[Any]:
    return [f for f in findings if f.severity is ValidationSeverity.ERROR]


def report(docx: Path, findings: list[Any]) -> str:
    return f"{docx.name}: {len(findings)} finding(s)\n" + "\n".join(
        f"  {f}\n    path: {getattr(f, 'path', '')}" for f in findings)


def assert_valid(docx: Path) -> None:
    findings = audit(docx)
    assert not errors(findings), report(docx, findings)


def copy_example(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, folder, ignore=shutil.ignore_patterns("build"))
    return folder


def build(folder: Path, *extra: str) -> Path:
    done = subprocess.run([sys.executable, "-m", "perfdoc", "build", str(folder), *extra],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    [docx] = (folder / "build").glob("*.docx")
    return docx


# --------------------------------------------------------------------------- the examples


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_draft_of_each_example_is_valid(name: str, tmp_path: Path) -> None:
    # The draft asks Word to update its fields: w:updateFields in its place.
    assert_valid(build(copy_example(name, tmp_path), "--format", "docx"))


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", EXAMPLES)
def test_full_build_of_each_example_is_valid(name: str, tmp_path: Path) -> None:
    # The .docx of a PDF build: its 目录 numbers filled in by paginate.fill_toc.
    folder = copy_example(name, tmp_path)
    docx = build(folder)
    assert list((folder / "build").glob("*.pdf"))
    assert_valid(docx)


def test_symbols_in_bold_and_numbering_off_stay_valid(tmp_path: Path) -> None:
    # ≥ in a bold lead line: symbols.py gives it its own run and an rFonts,
    # which must go before w:b in the run's w:rPr.
    folder = copy_example("sanjia_2024", tmp_path)
    edit(folder / "goals.yaml", "  - lead: 加强组织领导，完善绩效制度。",
         "  - lead: 加强组织领导，完善绩效制度≥95%。")
    edit(folder / "document.yaml", "settings:\n", "settings:\n  numbering: false\n")
    docx = build(folder, "--format", "docx")
    body = part(docx, "word/document.xml")
    fonts = body.findall(f".//{{{W_NS}}}rPr/{{{W_NS}}}b/../{{{W_NS}}}rFonts")
    assert fonts, "no bold run got its own rFonts"
    assert_valid(docx)


# --------------------------------------------------------------------------- generated documents


def _write(data: dict[str, Any], folder: Path) -> None:
    (folder / "projects").mkdir()
    files = {"document.yaml": data["document.yaml"], "goals.yaml": data["goals.yaml"]}
    files |= {f"projects/{i:02d}-p.yaml": p for i, p in enumerate(data["projects"], start=1)}
    for name, content in files.items():
        (folder / name).write_text(yaml.dump(content, Dumper=_Dumper, allow_unicode=True),
                                   encoding="utf-8")


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_are_valid(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write(data, folder)
        doc, problems = load_document(folder)
        assert doc is not None, problems
        job = Job(doc, Workspace(None), default_template_bytes(), DEFAULT_DISPLAY,
                  OutputSet(folder / "build", "x"), "", [])
        # As a draft, and as a PDF build leaves it: numbers in the 目录 and
        # the labels repeated where a table continues on a new page.
        pages = {anchor: n for n, anchor in enumerate(page_anchors(doc), start=1)}
        for n, built in enumerate((render(job), render(job, pages, frozenset({(1, 1)})))):
            out = folder / f"x{n}.docx"
            out.write_bytes(built)
            assert_valid(out)


# --------------------------------------------------------------------------- parts


def test_the_default_template_is_valid_but_for_its_jinja_tags(tmp_path: Path) -> None:
    template = tmp_path / "template.docx"
    template.write_bytes(default_template_bytes())
    findings = audit(template)
    # Tags such as w:id="{{ p.bookmark_id }}" cannot be valid before rendering;
    # everything else (style and settings order, the theme part) must be.
    untagged = [f for f in findings if "{{" not in f.description and "{%" not in f.description]
    assert findings and not untagged, report(template, untagged)


SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{W_NS}">'
    '<w:zoom w:percent="100"/><w:characterSpacingControl w:val="doNotCompress"/>{}'
    '<w:themeFontLang w:val="en-US"/></w:settings>'
)


@pytest.mark.parametrize("tail", [
    "", "<w:compat/>", "<w:compat/><w:rsids/>",
    '<w14:docId xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" w14:val="1"/>',
])
def test_update_fields_goes_at_its_schema_position(tail: str) -> None:
    xml = SETTINGS.format(tail).encode()
    on = set_update_fields(xml, update_fields=True)
    names = [etree.QName(child).localname for child in etree.fromstring(on)]
    assert names[:3] == ["zoom", "characterSpacingControl", "updateFields"], names
    # Once, however often it is asked for, and gone again when not.
    assert set_update_fields(on, update_fields=True) == on
    off = set_update_fields(on, update_fields=False)
    assert b"updateFields" not in off
    assert set_update_fields(xml, update_fields=False) == xml
