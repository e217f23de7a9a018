"""The PDF build end to end, with a fake converter process instead of LibreOffice.

tests/fixtures/fake_converter.py speaks the converter helper's protocol and
answers with blank-page PDFs whose named destinations sit where the test says
(``FAKE_CONVERTER_LAYOUT``), or fails as told (``FAKE_CONVERTER_MODE``).  Everything
else is real: the pool starts, restarts, times out and stops a real process,
and the build paginates, fills the 目录, stamps and writes.  No LibreOffice, so
none of this carries the ``libreoffice`` marker.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import perfdoc.convert
from perfdoc.build import BuildReport, build_all, render
from perfdoc.context import PART1_ANCHOR, page_anchors
from perfdoc.convert import ConverterPool
from perfdoc.errors import ConversionError
from perfdoc.outputs import OutputSet, sha256
from perfdoc.paginate import UntilSettled, destination_pages
from perfdoc.plan import BuildOptions, name_outputs, plan_one
from perfdoc.problems import display_path
from tests.conftest import EXAMPLE, ROOT, Run
from tests.test_paginate import ANCHORS, SEED_PAGES, cached_numbers

FAKE = ROOT / "tests" / "fixtures" / "fake_converter.py"
STEM = "承德县三家镇人民政府_2024年部门预算绩效文本"
#: Physical pages (1-based) that give the seed's 目录: 1, 1, 3, 5, 6.
SEED_LAYOUT = {"PerfdocPart1": 3, "PerfdocOverall": 3, "PerfdocItemized": 3,
               "PerfdocMeasures": 5, "PerfdocPart2": 7, "PerfdocProject1": 7,
               "PerfdocProject2": 8}
#: The fake's default layout: PerfdocPart1 on page 3, each bookmark after it a page later.
DEFAULT_PAGES = {"PerfdocOverall": 2, "PerfdocItemized": 3, "PerfdocMeasures": 4,
                 "PerfdocProject1": 6, "PerfdocProject2": 7}


class Fake:
    """Drive the fake converter: its mode, its layout, and what it logged.

    While it exists, ``build_all`` gets a ConverterPool that runs the fake.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
        self.monkeypatch = monkeypatch
        self.log = log
        self.pool_options: dict[str, Any] = {}
        monkeypatch.setenv("FAKE_CONVERTER_LOG", str(log))
        monkeypatch.delenv("FAKE_CONVERTER_MODE", raising=False)
        monkeypatch.delenv("FAKE_CONVERTER_LAYOUT", raising=False)

        # build_all imports ConverterPool from perfdoc.convert when it needs one.
        def pool(**kwargs: Any) -> ConverterPool:
            return ConverterPool(**{**kwargs, "helper": FAKE, **self.pool_options})

        monkeypatch.setattr(perfdoc.convert, "ConverterPool", pool)

    def mode(self, mode: str) -> None:
        self.monkeypatch.setenv("FAKE_CONVERTER_MODE", mode)

    def layout(self, pages: dict[str, int]) -> None:
        self.monkeypatch.setenv("FAKE_CONVERTER_LAYOUT", json.dumps(pages))

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        found = [json.loads(line) for line in self.log.read_text().splitlines()]
        return [e for e in found if kind is None or e["event"] == kind]


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Fake]:
    driver = Fake(monkeypatch, tmp_path / "fake.log")
    yield driver
    # Nothing the fake started outlives the build: every process it logged is gone.
    for pid in {e["pid"] for e in driver.events()}:
        assert not _running(pid), f"fake converter {pid} still running"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below *folder*, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(folder: Path, **options: Any) -> BuildReport:
    return build_all([folder], BuildOptions(**options))


def outputs(folder: Path) -> OutputSet:
    return OutputSet(folder / "build", STEM)


def stamp(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(outputs(folder).stamp.read_text(encoding="utf-8"))
    return data


def docx_numbers(folder: Path) -> dict[str, int]:
    return {a: int(n) for a, n in cached_numbers(outputs(folder).docx.read_bytes()).items()}


# --------------------------------------------------------------------------- builds


def test_the_toc_carries_the_pages_the_converter_laid_out(example: Path, fake: Fake) -> None:
    fake.layout(SEED_LAYOUT)
    report = build(example)
    [result] = report.results
    assert (result.status, result.exit_code, result.message) == ("built", 0, "")
    out = outputs(example)
    assert sorted(result.written) == sorted([out.docx, out.pdf])
    # The .docx's 目录 is the layout the converter was told, counted from PerfdocPart1.
    assert docx_numbers(example) == SEED_PAGES
    headings = {a: p for a, p in destination_pages(out.pdf.read_bytes()).items()
                if not a.startswith("PerfdocRow")}
    assert headings == {a: p - 1 for a, p in SEED_LAYOUT.items()}
    # The stamp records the pages, the one pass, and the files' hashes.
    recorded = stamp(example)
    assert recorded["pages"] == SEED_PAGES
    assert recorded["libreoffice_passes"] == 1
    assert recorded["format"] == "all"
    assert recorded["sha256"] == {p.name: sha256(p.read_bytes()) for p in (out.docx, out.pdf)}
    # One converter, started once, converted the draft once.
    assert len(fake.events("start")) == 1
    [converted] = fake.events("convert")
    assert [b for b in converted["bookmarks"] if not b.startswith("PerfdocRow")] == list(
        SEED_LAYOUT)

    # Unchanged inputs: skipped, and no converter is even started.
    before = snapshot(out.folder)
    again = build(example)
    assert [r.status for r in again.results] == ["skipped"]
    assert again.exit_code == 0
    assert snapshot(out.folder) == before
    assert len(fake.events("start")) == 1


def test_the_default_layout_puts_each_heading_a_page_later(example: Path, fake: Fake) -> None:
    report = build(example, fmt="pdf")
    assert [r.status for r in report.results] == ["built"]
    out = outputs(example)
    assert not out.docx.exists() and out.pdf.exists()
    assert stamp(example)["pages"] == DEFAULT_PAGES
    pages = destination_pages(out.pdf.read_bytes())
    assert pages[PART1_ANCHOR] == 2 and pages["PerfdocPart2"] == 6


def _indicator_labels(docx: bytes, project: int) -> list[tuple[str, str, str, str]]:
    """Return each data row of *project*'s indicator table: (一级 merge, 一级, 二级 merge, 二级)."""
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    tables = [t for t in body.iter(f"{w}tbl")
              if t.find(f"{w}tblPr/{w}tblCaption").get(f"{w}val") == "绩效指标"]
    rows = []
    for tr in tables[project - 1].findall(f"{w}tr")[1:]:
        cells = tr.findall(f"{w}tc")[:2]
        merges = [c.find(f"{w}tcPr/{w}vMerge") for c in cells]
        kinds = ["" if m is None else (m.get(f"{w}val") or "continue") for m in merges]
        texts = ["".join(c.itertext()) for c in cells]
        rows.append((kinds[0], texts[0], kinds[1], texts[1]))
    return rows


def test_labels_repeat_where_a_table_continues_on_a_new_page(example: Path, fake: Fake) -> None:
    # Project 1's sixth row (产出指标 / 质量指标, inside both merges) begins a page.
    fake.layout({**SEED_LAYOUT, "PerfdocRow1x5": 8, "PerfdocProject2": 9})
    [result] = build(example).results
    assert result.status == "built", result.message
    docx = outputs(example).docx.read_bytes()
    rows = _indicator_labels(docx, 1)
    assert rows[4] == ("continue", "", "restart", "质量指标")
    assert rows[5] == ("restart", "产出指标", "restart", "质量指标")
    # The rows after it go on as before; so does the other project.
    assert rows[6] == ("restart", "效益指标", "restart", "经济效益指标")
    assert _indicator_labels(docx, 2)[1][0] == "continue"
    # It took a second conversion, of the .docx with the labels repeated, and
    # the stamp remembers the row, so a rebuild needs one conversion again.
    assert stamp(example)["page_tops"] == [[1, 5]]
    assert stamp(example)["libreoffice_passes"] == 2
    first, second = fake.events("convert")
    assert first["bookmarks"] == second["bookmarks"]
    [again] = build(example, force=True).results
    assert again.status == "built"
    assert stamp(example)["libreoffice_passes"] == 1
    assert outputs(example).docx.read_bytes() == docx
    # build --check renders with the recorded rows and finds the .docx fresh.
    [checked] = build(example, check_only=True).results
    assert checked.status == "fresh", checked.stale


def test_a_row_that_starts_its_group_on_a_new_page_needs_nothing(example: Path,
                                                                 fake: Fake) -> None:
    # Row 6 begins 效益指标: its labels print anyway, so one conversion is enough.
    fake.layout({**SEED_LAYOUT, "PerfdocRow1x6": 8, "PerfdocProject2": 9})
    [result] = build(example).results
    assert result.status == "built", result.message
    assert stamp(example)["page_tops"] == []
    assert stamp(example)["libreoffice_passes"] == 1


def test_a_converter_that_crashes_once_is_restarted(example: Path, fake: Fake) -> None:
    fake.mode("crash-once")
    report = build(example)
    assert [r.status for r in report.results] == ["built"], report.results[0].message
    assert len(fake.events("start")) == 2
    assert len(fake.events("crash")) == 1 and len(fake.events("convert")) == 1
    assert docx_numbers(example) == DEFAULT_PAGES


# --------------------------------------------------------------------------- faults


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example after a good build, made once for the module."""
    folder = tmp_path_factory.mktemp("good") / "sanjia_2024"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        Fake(monkeypatch, folder.parent / "fake.log")
        report = build(folder)
    assert report.exit_code == 0, report.results[0].message
    return folder


@pytest.fixture
def built(good_build: Path, tmp_path: Path) -> Path:
    """A copy of the example with the outputs of a good build, for the fault tests."""
    folder = tmp_path / "sanjia_2024"
    shutil.copytree(good_build, folder)
    return folder


def test_a_crashing_converter_is_restarted_once_then_reported(built: Path, fake: Fake) -> None:
    fake.mode("crash")
    before = snapshot(outputs(built).folder)
    report = build(built, force=True)
    [result] = report.results
    assert (result.status, result.exit_code, report.exit_code) == ("failed", 3, 3)
    assert f"LibreOffice failed to convert {display_path(built)}" in result.message
    assert "the converter exited" in result.message
    assert "fake converter: crash" in result.message  # the helper's log tail
    # Restarted once: two starts, two crashes, then it gave up.
    assert len(fake.events("start")) == 2
    assert len(fake.events("crash")) == 2
    assert snapshot(outputs(built).folder) == before


def test_the_cli_reports_a_crash_with_exit_3(cli: Callable[..., Run], built: Path,
                                             fake: Fake) -> None:
    fake.mode("crash")
    before = snapshot(outputs(built).folder)
    run = cli("build", built, "--force")
    assert run.code == 3
    assert "Traceback" not in run.err
    assert "LibreOffice failed to convert" in run.err and built.name in run.err
    assert snapshot(outputs(built).folder) == before


def test_a_converter_that_answers_an_error_is_reported(built: Path, fake: Fake) -> None:
    fake.mode("error")
    before = snapshot(outputs(built).folder)
    [result] = build(built, force=True).results
    assert (result.status, result.exit_code) == ("failed", 3)
    assert result.message.startswith(f"LibreOffice failed to convert {display_path(built)}: "
                                     "fake converter: error mode\n")
    assert "The previous outputs were left as they were." in result.message
    assert len(fake.events("error")) == 2  # tried on a restarted converter too
    assert snapshot(outputs(built).folder) == before


@pytest.mark.parametrize("mode", ["hang", "hang-hard"])
def test_a_hanging_converter_times_out(built: Path, fake: Fake,
                                       monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    fake.mode(mode)
    fake.pool_options["timeout"] = 0.3
    before = snapshot(outputs(built).folder)
    # hang-hard ignores the end of its stdin: stop() kills it after the grace period.
    monkeypatch.setattr(perfdoc.convert, "STOP_GRACE", 0.2)
    [result] = build(built, force=True).results
    assert (result.status, result.exit_code) == ("failed", 3)
    assert result.message.startswith(f"the conversion of {display_path(built)} did not "
                                     "finish within 0.3 s; the converter was stopped\n")
    assert len(fake.events("hang")) == 1  # a timeout is not retried
    assert snapshot(outputs(built).folder) == before


def test_a_pdf_without_a_heading_is_refused(built: Path, fake: Fake) -> None:
    fake.mode("drop:PerfdocProject2")
    before = snapshot(outputs(built).folder)
    [result] = build(built, force=True).results
    assert (result.status, result.exit_code) == ("failed", 3)
    assert result.message.startswith("the PDF has no bookmark for PerfdocProject2\n")
    assert snapshot(outputs(built).folder) == before


# --------------------------------------------------------------------------- the pool itself


def _draft(folder: Path) -> tuple[bytes, list[str]]:
    opts = BuildOptions()
    named, _refused = name_outputs([folder], opts)
    job, problems = plan_one(folder, opts, named[folder])
    assert job is not None, problems
    return render(job), page_anchors(job.doc)


def test_until_settled_converges_on_a_converter_whose_pages_move(example: Path,
                                                                 fake: Fake) -> None:
    draft, anchors = _draft(example)
    assert anchors == ANCHORS
    # From the process's second conversion on, every heading after PerfdocPart1
    # is a page later.
    moved = {a: n + 1 for a, n in DEFAULT_PAGES.items()}
    fake.mode("shift")
    with ConverterPool(helper=FAKE) as pool:
        def convert(docx: bytes) -> bytes:
            return pool.convert(docx, label="shift")

        done = UntilSettled(anchors, PART1_ANCHOR).paginate(draft, convert)
        assert (done.passes, done.pages) == (3, moved)
        assert cached_numbers(done.docx) == {a: str(n) for a, n in moved.items()}
        # Once settled, the numbers found are the numbers guessed: one pass.
        again = UntilSettled(anchors, PART1_ANCHOR, guess=moved).paginate(draft, convert)
        assert (again.passes, again.pages) == (1, moved)
    with ConverterPool(helper=FAKE) as pool, pytest.raises(ConversionError, match="settle"):
        UntilSettled(anchors, PART1_ANCHOR, max_passes=2).paginate(
            draft, lambda docx: pool.convert(docx, label="shift"))


def test_a_pool_converts_in_parallel_and_stops_every_helper(
        fake: Fake, example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft, _anchors = _draft(example)
    # A pool with a helper needs neither LibreOffice nor a Python with uno.
    monkeypatch.setattr(perfdoc.convert, "find_soffice", lambda: None)
    monkeypatch.setattr(perfdoc.convert, "uno_python_candidates", lambda: [])
    fake.mode("slow:0.1")
    pdfs: list[bytes] = []
    with ConverterPool(jobs=2, helper=FAKE) as pool:
        threads = [threading.Thread(target=lambda: pdfs.append(pool.convert(draft, label="p")))
                   for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(pdfs) == 4
    # Two converters, each started once; the fixture checks both are gone.
    assert len(fake.events("start")) == 2
    assert len({e["pid"] for e in fake.events("convert")}) == 2



def test_a_docx_build_retires_the_older_pdf_it_no_longer_matches(example: Path,
                                                                  fake: Fake) -> None:
    build(example)
    out = outputs(example)
    assert out.pdf.exists()
    edit_goals = example / "goals.yaml"
    edit_goals.write_text(edit_goals.read_text(encoding="utf-8") + "# edited\n",
                          encoding="utf-8")
    [result] = build(example, fmt="docx").results
    assert result.status == "built"
    assert not out.pdf.exists() and out.docx.exists()
    assert "removed" in result.message and out.pdf.name in result.message


def test_a_pdf_perfdoc_did_not_write_is_left_with_a_warning(example: Path, fake: Fake) -> None:
    build(example)
    out = outputs(example)
    out.pdf.write_bytes(out.pdf.read_bytes() + b"%changed by hand\n")
    edit_goals = example / "goals.yaml"
    edit_goals.write_text(edit_goals.read_text(encoding="utf-8") + "# edited\n",
                          encoding="utf-8")
    [result] = build(example, fmt="docx").results
    assert out.pdf.exists()
    assert "warning" in result.message and "not written by this build" in result.message


def test_a_font_the_machine_lacks_is_named_with_its_fallback(example: Path, fake: Fake,
                                                             tmp_path: Path) -> None:
    """A restyled body font no fonts.conf maps would silently become a sans face."""
    from perfdoc.fonts import unmapped_fonts
    from tests.docxtemplates import changed_template

    if not unmapped_fonts(["方正仿宋_GBK"]):
        pytest.skip("fontconfig is not installed")
    template = changed_template(tmp_path / "restyled.docx", {
        "word/styles.xml": lambda xml: xml.replace('w:eastAsia="仿宋_GB2312"',
                                                   'w:eastAsia="方正仿宋_GBK"')})
    [result] = build(example, template=template).results
    assert result.status == "built", (result.message, result.problems)
    [warning] = [p for p in result.problems if p.rule == "font"]
    assert warning.level.value == "warning" and warning.path.endswith("restyled.docx")
    assert "方正仿宋_GBK" in warning.message and "Noto" in warning.message
    # The default template's fonts are all mapped: no warning.
    [plain] = build(example, force=True).results
    assert not [p for p in plain.problems if p.rule == "font"]


def test_doctor_reports_a_templates_fonts(cli: Callable[..., Run], tmp_path: Path) -> None:
    from perfdoc.fonts import unmapped_fonts
    from tests.docxtemplates import changed_template

    if not unmapped_fonts(["方正仿宋_GBK"]):
        pytest.skip("fontconfig is not installed")
    template = changed_template(tmp_path / "restyled.docx", {
        "word/styles.xml": lambda xml: xml.replace('w:eastAsia="仿宋_GB2312"',
                                                   'w:eastAsia="方正仿宋_GBK"')})
    run = cli("doctor", "--template", template, "--fonts", tmp_path)
    assert "  方正仿宋_GBK -> " in run.out
    assert "restyled.docx:1:1: [warning]" in run.err and "(font)" in run.err
    assert cli("doctor", "--template", tmp_path / "missing.docx").code == 2
    (tmp_path / "not.docx").write_text("plain text", encoding="utf-8")
    assert cli("doctor", "--template", tmp_path / "not.docx").code == 2
