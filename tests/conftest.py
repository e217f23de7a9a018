"""Shared helpers: run the real CLI in-process, and locate the example."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from perfdoc.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sanjia_2024"
# The text of the real document the example reproduces (a 2024 draft of
# 承德县三家镇人民政府), extracted from its PDF.
SEED = ROOT / "tests" / "fixtures" / "seed_sanjia_2024.txt"

# Every temporary file of this test run, including LibreOffice profiles made by
# perfdoc processes the tests start, lives under one folder.  That tells this
# run's converters apart from any other perfdoc running on the machine.
RUN_TMP = Path(tempfile.mkdtemp(prefix="perfdoc-tests-"))
os.environ["TMPDIR"] = str(RUN_TMP)
tempfile.tempdir = str(RUN_TMP)
atexit.register(shutil.rmtree, RUN_TMP, ignore_errors=True)


@dataclass
class Run:
    """What a CLI run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Golden messages are English; tests/test_i18n.py covers the Chinese default."""
    monkeypatch.setenv("PERFDOC_LANG", "en")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run ``perfdoc ARGS`` in-process, exactly as the console script does."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        code = exit_info.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)

    return run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example document, without outputs."""
    target = tmp_path / "sanjia_2024"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build"))
    return target


def libreoffice_available() -> bool:
    """Say whether real PDF conversion can run here."""
    from perfdoc.libreoffice import find_soffice, find_uno_python

    return find_soffice() is not None and find_uno_python() is not None


NO_LIBREOFFICE = "LibreOffice or python3-uno missing"
needs_libreoffice = pytest.mark.skipif(not libreoffice_available(), reason=NO_LIBREOFFICE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs LibreOffice ``libreoffice``: `make test-fast` leaves them out."""
    for item in items:
        if any(m.kwargs.get("reason") == NO_LIBREOFFICE for m in item.iter_markers("skipif")):
            item.add_marker(pytest.mark.libreoffice)


def _perfdoc_soffice() -> dict[int, str]:
    out = subprocess.run(["ps", "-ww", "-eo", "pid=,args="], capture_output=True,
                         text=True).stdout
    found = {}
    for line in out.splitlines():
        pid, _sep, args = line.strip().partition(" ")
        if "soffice" in args and f"{RUN_TMP}/perfdoc-lo-" in args:
            found[int(pid)] = args
    return found


def soffice_processes() -> list[str]:
    """Return soffice processes with a perfdoc profile that these tests started."""
    return list(_perfdoc_soffice().values())


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace *old* by *new* in a file, failing loudly when *old* is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def lines(text: str) -> Sequence[str]:
    """Non-empty output lines."""
    return [line for line in text.splitlines() if line.strip()]
