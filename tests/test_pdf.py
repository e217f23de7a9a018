"""The PDF and a 目录 with true page numbers, through the real LibreOffice."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from perfdoc.convert import ConverterPool
from tests.conftest import EXAMPLE, RUN_TMP, edit, needs_libreoffice, soffice_processes
from tests.docxtext import NS, part, w
from tests.seedtext import normalize

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]
STEM = "承德县三家镇人民政府_2024年部门预算绩效文本"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example once, with the real converter, for the read-only tests."""
    folder = tmp_path_factory.mktemp("pdf") / "sanjia_2024"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    done = subprocess.run([sys.executable, "-m", "perfdoc", "build", str(folder)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder / "build"


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def toc_entries(pdf: Path) -> list[tuple[str, int]]:
    """The numbered lines of the 目录 page: (normalised title, number)."""
    toc = pages_text(pdf)[1]
    assert "目" in toc and "录" in toc
    entries: list[tuple[str, int]] = []
    pending = ""
    for line in toc.splitlines()[1:]:
        m = re.match(r"^\s*(.*?)\.{5,}\s*(\d+)\s*$", line)
        if m:
            entries.append((normalize(pending + m.group(1)), int(m.group(2))))
            pending = ""
        elif line.strip() and not line.strip().startswith("第"):
            pending += line.strip()  # a long title wraps onto a second line
    return entries


def footer_number(page: str) -> int | None:
    m = re.search(r"—\s*(\d+)\s*—\s*$", page.strip())
    return int(m.group(1)) if m else None


def test_toc_numbers_match_the_page_footers(built) -> None:
    pages = pages_text(built / f"{STEM}.pdf")
    entries = toc_entries(built / f"{STEM}.pdf")
    assert [n for _t, n in entries] == [1, 1, 3, 5, 6]  # the seed's own 目录
    for title, number in entries:
        # The heading's page: the first page after the 目录 whose text holds it.
        where = next(i for i, p in enumerate(pages) if i > 1 and title in normalize(p))
        assert footer_number(pages[where]) == number, title
    # Cover and 目录 carry no number; the part lines are listed without one.
    assert footer_number(pages[0]) is None and footer_number(pages[1]) is None
    assert re.search(r"第一部分\s+部门整体绩效目标\s*$", pages[1].splitlines()[3])


def test_docx_cached_toc_equals_the_pdf(built) -> None:
    body = part(built / f"{STEM}.docx", "word/document.xml")
    cached = []
    for p in body.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        if style is not None and style.get(w("val")) == "TOC2":
            texts = [t.text for t in p.iter(w("t")) if t.text]
            cached.append((normalize(texts[0]), int(texts[-1])))
    assert cached == toc_entries(built / f"{STEM}.pdf")
    # Numbers filled in: Word need not (and is not asked to) update the field.
    assert part(built / f"{STEM}.docx", "word/settings.xml").find("w:updateFields", NS) is None


def test_all_fonts_embedded_and_cjk_faces_used(built) -> None:
    out = subprocess.run(["pdffonts", str(built / f"{STEM}.pdf")], capture_output=True,
                         text=True, check=True).stdout.splitlines()[2:]
    assert out
    for line in out:
        assert re.search(r"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line
    names = " ".join(out)
    assert "FandolFang" in names or "NotoSerifCJK" in names  # 仿宋 body, no Kai fallback
    assert "NotoSansCJK" in names  # 黑体 headings


def test_bookmarks_and_metadata(built) -> None:
    reader = PdfReader(str(built / f"{STEM}.pdf"))

    def titles(outline) -> list[str]:
        out = []
        for item in outline:
            out += titles(item) if isinstance(item, list) else [item.title]
        return out

    found = titles(reader.outline)
    for expected in ("第一部分　部门整体绩效目标", "一、总体绩效目标", "三、工作保障措施",
                     "第二部分　预算项目绩效目标", "2.执法工作经费绩效目标表"):
        assert expected in found
    assert reader.metadata.title == "承德县三家镇人民政府2024年部门预算绩效文本"
    assert reader.metadata.author == "承德县三家镇人民政府"


def test_no_converter_survives() -> None:
    assert soffice_processes() == []


def test_incremental_check_and_force(cli, example) -> None:
    run = cli("build", example, "--check")
    assert run.code == 1 and "stale" in run.err  # no outputs yet
    assert not (example / "build").exists()
    assert cli("build", example).code == 0
    docx = example / "build" / f"{STEM}.docx"
    before = docx.stat().st_mtime_ns
    run = cli("build", example)
    assert run.code == 0 and "1 unchanged" in run.err.replace("1 个未变", "1 unchanged")
    assert docx.stat().st_mtime_ns == before
    assert cli("build", example, "--check").code == 0
    edit(example / "projects" / "01-zhucun.yaml", "  total: 6.19", "  total: 6.20")
    edit(example / "projects" / "01-zhucun.yaml", "  fiscal: 6.19", "  fiscal: 6.20")
    run = cli("build", example, "--check")
    assert run.code == 1 and f"{STEM}.docx" in run.err and f"{STEM}.pdf" in run.err
    assert docx.stat().st_mtime_ns == before  # --check writes nothing
    assert cli("build", example, "--force").code == 0
    assert cli("build", example, "--check").code == 0
    # A hand-edited output is stale too.
    docx.write_bytes(docx.read_bytes() + b"\0")
    assert cli("build", example, "--check").code == 1


def test_failed_pdf_step_keeps_the_previous_pair(cli, example, monkeypatch) -> None:
    assert cli("build", example).code == 0
    out = example / "build"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(example / "document.yaml", "承德县财政局审核", "承德县财政局复核")
    # Enough for the template (about 0.1 s), far too little for any conversion.
    monkeypatch.setenv("PERFDOC_TIMEOUT", "0.5")
    run = cli("build", example)
    assert run.code == 3
    assert "--format docx" in run.err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert soffice_processes() == []


def test_crashed_converter_is_restarted(tmp_path, cli, example) -> None:
    assert cli("build", example, "--format", "docx").code == 0
    docx = (example / "build" / f"{STEM}.docx").read_bytes()
    with ConverterPool(jobs=1) as pool:
        assert pool.convert(docx, label="sanjia_2024").startswith(b"%PDF")
        conv = pool._all[0]
        first = conv.folder
        os.killpg(conv.office_pgid, signal.SIGKILL)  # LibreOffice dies between documents
        assert pool.convert(docx, label="sanjia_2024").startswith(b"%PDF")
        assert conv.folder != first and not first.exists()  # a fresh converter took over
    assert soffice_processes() == []


def test_pdfa(cli, example) -> None:
    assert cli("build", example, "--format", "pdf", "--pdfa").code == 0
    pdf = example / "build" / f"{STEM}.pdf"
    assert b"pdfaid:part" in pdf.read_bytes()
    assert not (example / "build" / f"{STEM}.docx").exists()


def test_sigterm_during_build_leaves_nothing_behind(example) -> None:
    out = example / "build"
    assert subprocess.run([sys.executable, "-m", "perfdoc", "build", str(example)],
                          capture_output=True, timeout=600).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(example / "document.yaml", "承德县财政局审核", "承德县财政局复核")
    # Forty tables make the conversion last long enough to be interrupted in it.
    for i in range(3, 43):
        # Each copy its own 项目编码: duplicate-project refuses a repeated one.
        text = (example / "projects" / "02-zhifa.yaml").read_text(encoding="utf-8")
        (example / "projects" / f"{i:02d}-x.yaml").write_text(
            text.replace("13082124P00011110021J", f"13082124P0009990{i:02d}J"), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "perfdoc", "build", str(example)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not soffice_processes() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert soffice_processes(), "the build never started LibreOffice"
    time.sleep(1.0)  # LibreOffice is loading or laying out the document now
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert soffice_processes() == []
    # No temp files: no profile, no build folder, no half-written output.
    assert not list(RUN_TMP.glob("perfdoc-lo-*")) and not list(RUN_TMP.glob("perfdoc-build-*"))
    assert not list(out.glob(".perfdoc-tmp-*"))


def _docx_of(tmp_path: Path) -> Path:
    folder = tmp_path / "doc"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    subprocess.run([sys.executable, "-m", "perfdoc", "build", str(folder), "--format", "docx"],
                   check=True, capture_output=True)
    return folder / "build" / f"{STEM}.docx"


def test_converter_keeps_everything_in_one_private_folder(tmp_path) -> None:
    with ConverterPool(jobs=1) as pool:
        assert pool._all == []  # converters start on first use
        pdf = pool.convert(_docx_of(tmp_path).read_bytes(), label="doc")
        assert pdf.startswith(b"%PDF")
        conv = pool._all[0]
        folder = conv.folder
        assert folder is not None and folder.parent == RUN_TMP
        assert folder.name.startswith("perfdoc-lo-") and folder.stat().st_mode & 0o777 == 0o700
        assert {p.name for p in folder.iterdir()} >= {"profile", "tmp", "work", "fonts.conf"}
        assert list((folder / "work").iterdir()) == []  # the documents are removed
        assert list((folder / "tmp").glob("lu*.tmp"))  # LibreOffice's own temp folder
        sockets = conv.sockets
        assert len(sockets) == 2 and all(os.path.exists(p) for p in sockets)
        stopped = time.monotonic()
    assert time.monotonic() - stopped < 1.0  # stopping is quick
    assert not folder.exists() and not any(os.path.exists(p) for p in sockets)
    assert soffice_processes() == []


def test_docx_shows_its_numbers_without_a_field_update(built, tmp_path) -> None:
    """A plain `soffice --convert-to pdf` (no index update) prints the .docx's cached 目录."""
    from perfdoc.fonts import fontconfig_file

    src = tmp_path / "plain.docx"
    src.write_bytes((built / f"{STEM}.docx").read_bytes())
    with fontconfig_file() as conf:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/perfdoc-lo-plain", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
            check=True, capture_output=True, timeout=300,
            env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        )
    assert toc_entries(tmp_path / "plain.pdf") == toc_entries(built / f"{STEM}.pdf")


def test_two_builds_give_byte_identical_pdfs(cli, example, monkeypatch, tmp_path) -> None:
    """Dates, the /ID and LibreOffice's own bookmark names no longer vary."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli("build", example, "-o", first).code == 0
    assert cli("build", example, "-o", second, "--force").code == 0
    [a], [b] = first.glob("*.pdf"), second.glob("*.pdf")
    assert a.read_bytes() == b.read_bytes()
    info = subprocess.run(["pdfinfo", str(a)], capture_output=True, text=True).stdout
    assert "Nov 14 22:13:20 2023 UTC" in info
    # The 目录's page numbers still come from the named destinations.
    assert cli("build", example, "-o", second, "--check").code == 0
