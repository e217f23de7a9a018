"""Faults a golden cannot show: full disks, read-only file systems, Ctrl-C in a batch.

The bad-input corpus (tests/test_bad_inputs.py) pins what perfdoc prints for
broken documents.  This file checks what happens around the printing: that a
failed write leaves the earlier outputs byte for byte as they were, that -0.0
never reaches the page as "-0.00", that nothing of a file outside the document
is echoed, and that an interrupted batch reports the documents it never built
as cancelled.  Every test uses the real components; only the operating system's
refusal is simulated where a test cannot cause it for real.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, edit, needs_libreoffice
from tests.test_bad_inputs import run_case

STEM = "承德县三家镇人民政府_2024年部门预算绩效文本"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below *folder*, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- failed writes
#
# The tests run as root, where chmod does not stop a write and no small full
# file system is at hand, so the operating system's refusal is simulated at
# the point where perfdoc meets it: the temp file's creation or flush, or the
# rename into place.  Everything else (render, stamp, rollback) is real.


def _refuse(err: int, text: str):
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(err, text)
    return refuse


@pytest.mark.parametrize("where", ["perfdoc.outputs.os.replace", "perfdoc.outputs.os.fsync"])
def test_full_disk_leaves_the_earlier_outputs(cli, example, monkeypatch, where: str) -> None:
    first = cli("build", example, "--format", "docx")
    assert first.code == 0, first.err
    before = snapshot(example / "build")
    assert f"{STEM}.docx" in before

    monkeypatch.setattr(where, _refuse(errno.ENOSPC, "No space left on device"))
    run = cli("build", example, "--format", "docx", "--force")
    assert run.code == 3
    assert "Traceback" not in run.err
    assert "the disk is full" in run.err
    # Byte for byte the same files, and no temp file or backup left behind.
    assert snapshot(example / "build") == before


def test_read_only_file_system_leaves_the_earlier_outputs(cli, example, monkeypatch) -> None:
    first = cli("build", example, "--format", "docx")
    assert first.code == 0, first.err
    before = snapshot(example / "build")

    # A read-only file system refuses the first thing perfdoc creates: the temp file.
    monkeypatch.setattr("perfdoc.outputs.tempfile.mkstemp",
                        _refuse(errno.EROFS, "Read-only file system"))
    run = cli("build", example, "--format", "docx", "--force")
    assert run.code == 3
    assert "Traceback" not in run.err
    assert "Read-only file system" in run.err
    assert snapshot(example / "build") == before


def test_read_only_at_the_rename_leaves_the_earlier_outputs(cli, example, monkeypatch) -> None:
    # The file system turns read-only between writing the temp files and renaming them.
    first = cli("build", example, "--format", "docx")
    assert first.code == 0, first.err
    before = snapshot(example / "build")

    monkeypatch.setattr("perfdoc.outputs.os.replace", _refuse(errno.EROFS, "Read-only file system"))
    run = cli("build", example, "--format", "docx", "--force")
    assert run.code == 3
    assert "Read-only file system" in run.err
    assert snapshot(example / "build") == before


# --------------------------------------------------------------------------- -0.0


def test_negative_zero_prints_as_zero(cli, example) -> None:
    edit(example / "projects" / "01-zhucun.yaml", "  other:\n", "  other: -0.0\n")
    run = cli("build", example, "--format", "docx")
    assert run.code == 0, run.err
    with zipfile.ZipFile(example / "build" / f"{STEM}.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "-0.00" not in xml
    assert ">0.00<" in xml


# --------------------------------------------------------------------------- confinement


@pytest.mark.parametrize("name", [
    "091-symlink-goals-outside",
    "158-symlink-above-workspace",
    "159-symlink-absolute-outside",
    "092-symlink-document-outside",
    "093-symlink-project-outside",
    "094-symlink-projects-folder-outside",
    "095-symlink-chain-leads-outside",
])
def test_a_link_outside_echoes_nothing_of_its_target(tmp_path, cli, monkeypatch,
                                                     name: str) -> None:
    got = run_case(name, tmp_path, cli, monkeypatch)
    assert got.code == 1
    assert "(io)" in got.out
    assert "SECRET" not in got.out + got.err
    assert "root" not in got.out + got.err


# --------------------------------------------------------------------------- time limits


def test_template_timeout_stops_in_time(tmp_path, cli, monkeypatch) -> None:
    started = time.monotonic()
    got = run_case("102-template-timeout-env", tmp_path, cli, monkeypatch)
    elapsed = time.monotonic() - started
    assert got.code == 1
    assert "did not finish within 2 s" in got.out
    # 2 s of rendering, plus preparing the case; far from the 10^10 steps' hours.
    assert elapsed < 10, elapsed


# --------------------------------------------------------------------------- Ctrl-C in a batch


def _perfdoc(args: list[str], cwd: Path, own_tmp: Path) -> subprocess.Popen[str]:
    """Start ``python -m perfdoc ARGS`` with its own TMPDIR, as a user's shell would."""
    env = {**os.environ, "PERFDOC_LANG": "en", "TMPDIR": str(own_tmp),
           "PYTHONPATH": str(ROOT / "src")}
    env.pop("PERFDOC_TIMEOUT", None)
    return subprocess.Popen([sys.executable, "-m", "perfdoc", *args], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # A shell's background job ignores SIGINT, and a child
                            # would inherit that: give perfdoc Python's own handler.
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _interrupt_when(proc: subprocess.Popen[str], ready, seconds: float = 300) -> tuple[str, str]:
    """Send SIGINT once ``ready()`` holds; return stdout and stderr."""
    try:
        deadline = time.monotonic() + seconds
        while not ready():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the moment to interrupt never came"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        return proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def _own_soffice(own_tmp: Path) -> list[str]:
    """The soffice processes whose profile lives in *own_tmp*."""
    out = subprocess.run(["ps", "-ww", "-eo", "args="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "soffice" in line and str(own_tmp) in line]


@needs_libreoffice
def test_interrupted_batch_reports_cancelled(tmp_path) -> None:
    ws = tmp_path / "ws"
    for name in ("a", "b", "c", "d"):
        shutil.copytree(EXAMPLE, ws / name, ignore=shutil.ignore_patterns("build"))
        edit(ws / name / "document.yaml", "unit: 承德县三家镇人民政府", f"unit: 单位{name}")
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    proc = _perfdoc(["build", str(ws), "--force", "--jobs", "1"], tmp_path, own_tmp)
    # Interrupt as soon as the first document is written: the second is being built.
    _out, err = _interrupt_when(proc, lambda: list((ws / "a" / "build").glob("*.pdf")))
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert any(line.endswith(": cancelled") for line in lines), err
    summary = [line for line in lines if " built, " in line]
    assert summary and "cancelled" in summary[-1], err
    # The first document stays built; the last was never reached and not written.
    assert list((ws / "a" / "build").glob("*.pdf"))
    assert not (ws / "d" / "build").exists()


@needs_libreoffice
def test_interrupt_during_a_conversion_reports_cancelled(tmp_path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "doc", ignore=shutil.ignore_patterns("build"))
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    proc = _perfdoc(["build", "doc", "--force"], tmp_path, own_tmp)
    # Converters start first thing, before the document is even loaded; the
    # document is inside its conversion once the helper holds its .docx.
    started: list[float] = []

    def converting() -> bool:
        if not started and list(own_tmp.glob("perfdoc-lo-*/work/*.docx")):
            started.append(time.monotonic())
        return bool(started) and time.monotonic() - started[0] > 0.2

    _out, err = _interrupt_when(proc, converting)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert not (tmp_path / "doc" / "build").exists()
    time.sleep(1)
    assert not _own_soffice(own_tmp)
    lines = err.splitlines()
    assert "doc: cancelled" in lines, err
    assert "doc: failed" not in lines, err
    assert "--format docx" not in err  # no advice about a LibreOffice that works
    summary = [line for line in lines if " built, " in line]
    assert summary and "cancelled" in summary[-1], err
