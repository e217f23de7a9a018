"""Find LibreOffice and a Python that can drive it, or say what to install.

The PDF stage (``convert.py``) and ``perfdoc doctor`` both ask here; the
answers are cached for the process, since each lookup may start a program.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfdoc.errors import EnvironmentProblem
    from perfdoc.i18n import Whole

# The look-ups below run before perfdoc's pipeline is imported (see
# ``spawn``), so this module imports nothing of perfdoc's at its top: the
# messages' modules (click, gettext) load only when a message is made.


def apt_packages() -> Whole:
    """Return what to install on Debian or Ubuntu (data/system-packages.txt); messages name it."""
    from perfdoc.i18n import Whole
    from perfdoc.resources import system_packages

    return Whole(" ".join(system_packages("run")))


def missing(what: str) -> EnvironmentProblem:
    """Return the environment error for *what* is missing, naming what to install."""
    from perfdoc.errors import EnvironmentProblem
    from perfdoc.i18n import _

    return EnvironmentProblem(
        _("{what}. Install it with `perfdoc doctor --install` (Debian or Ubuntu: "
          "{packages}); `--format docx` builds the .docx without LibreOffice.").format(
            what=what, packages=apt_packages()
        )
    )


@cache
def find_soffice() -> str | None:
    """Return the soffice executable, or ``None``."""
    for candidate in (
        os.environ.get("PERFDOC_SOFFICE"),
        shutil.which("soffice"),
        "/usr/lib/libreoffice/program/soffice",
        "/opt/libreoffice/program/soffice",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@cache
def libreoffice_version() -> str | None:
    """Return LibreOffice's version, read from its ``versionrc`` without starting it."""
    soffice = find_soffice()
    if soffice is None:
        return None
    program = Path(soffice).resolve().parent
    rc = program / "versionrc"
    if rc.is_file():
        lines = rc.read_text(errors="replace").splitlines()
        fields = dict(line.split("=", 1) for line in lines if "=" in line)
        if fields.get("BuildVersion"):
            return fields["BuildVersion"].strip()
    try:
        out = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


@cache
def libreoffice_identity() -> str | None:
    """Return a string that changes whenever the LibreOffice installation does.

    ``libreoffice_version`` may have to start LibreOffice (``soffice
    --version``, a third of a second) when ``versionrc`` lacks the version, as
    Debian's does.  The build's input hash and the profile template only need
    to notice an upgrade: the build id from ``versionrc`` and the size and
    time of ``soffice.bin`` do, read in microseconds.
    """
    soffice = find_soffice()
    if soffice is None:
        return None
    program = Path(soffice).resolve().parent
    parts = []
    with contextlib.suppress(OSError):
        for line in (program / "versionrc").read_text(errors="replace").splitlines():
            if line.startswith(("buildid=", "BuildVersion=")):
                parts.append(line.strip())
    for name in ("soffice.bin", "soffice"):
        with contextlib.suppress(OSError):
            info = (program / name).stat()
            parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
            break
    return " ".join(parts) or None


def _can_import_uno(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30,
            env={**os.environ, "PYTHONPATH": ""},
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def uno_python_candidates() -> list[str]:
    """Return the Pythons that may be able to ``import uno``, most likely first, unasked.

    Asking one (``find_uno_python``) starts it, a tenth of a second; the
    converter instead starts its helper with the first candidate, and the
    helper says so if it cannot import uno (see ``convert.Converter.start``).
    """
    found: list[str] = []
    for candidate in (
        os.environ.get("PERFDOC_UNO_PYTHON"),
        sys.executable,
        "/usr/bin/python3",
        "/usr/lib/libreoffice/program/python",
        shutil.which("python3"),
    ):
        if candidate == sys.executable and importlib.util.find_spec("uno") is None:
            continue  # perfdoc's own Python (a venv, usually) has no uno: no need to ask it
        if candidate and candidate not in found and Path(candidate).exists():
            found.append(candidate)
    return found


@cache
def find_uno_python() -> str | None:
    """Return a Python that can ``import uno``, or ``None``."""
    for candidate in uno_python_candidates():
        if _can_import_uno(candidate):
            return candidate
    return None


def unoserver_path() -> str:
    """Return the folder that holds perfdoc's copy of the unoserver package."""
    import unoserver

    return str(Path(unoserver.__file__).resolve().parent.parent)
