"""Starting a converter's helper: the part of stage 6 that runs before the pipeline is imported.

LibreOffice's start (about half a second here once its per-start self-test
is skipped, see ``loprofile``; 1.5 s before) runs beside perfdoc's own
imports, load and render, and every tenth of a second before it begins can
be a tenth on the build.  So the console script starts the converters
before it imports click, pydantic or the models (``early.run``), and this
module, with everything it imports, stays light: the standard library,
``loprofile`` and ``libreoffice``'s look-ups.  ``convert.Converter`` starts its helpers with
the same functions, so a converter started early and one started on demand
are made alike.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

from perfdoc import loprofile
from perfdoc.libreoffice import libreoffice_identity, unoserver_path

PROFILE_PREFIX = "perfdoc-lo-"
STARTUP_TIMEOUT = 90.0
STOP_GRACE = 2.0  # how long a helper may take to clean up before it is killed
#: How much room a memory file system must have left to hold converters' folders.
RAM_FOLDER_ROOM = 512 * 1024 * 1024


@cache
def converter_root() -> str | None:
    """Return the folder converters' private folders go in; ``None`` for tempfile's choice.

    A converter's folder takes LibreOffice's profile, its temporary files and
    the documents in conversion: small files written, and removed with the
    converter.  On this machine's disk (ext4 mounted with ``discard``) the
    removal alone took 25-35 ms, and builds were 0.04-0.2 s slower than with
    the folder on a memory file system.  So, unless the
    user named a ``TMPDIR``, the folder goes to ``$XDG_RUNTIME_DIR`` (the
    user's own, 0700) or ``/dev/shm`` when either is a writable folder with
    room to spare; ``mkdtemp`` makes it private (0700) in either.
    """
    if os.environ.get("TMPDIR"):
        return None
    for candidate in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if not candidate or not os.path.isdir(candidate) or not os.access(
                candidate, os.W_OK | os.X_OK):
            continue
        try:
            info = os.statvfs(candidate)
        except OSError:
            continue
        if info.f_bavail * info.f_frsize >= RAM_FOLDER_ROOM:
            return candidate
    return None


def perfdoc_path() -> str:
    """Return the folder holding the perfdoc package: the helper imports perfdoc.frames."""
    return str(Path(__file__).resolve().parent.parent)


def make_folder(fonts_conf: str) -> tuple[Path, dict[str, str]]:
    """Make a converter's private folder; return it and its helper's environment."""
    folder = Path(tempfile.mkdtemp(prefix=PROFILE_PREFIX, dir=converter_root()))
    try:
        for sub in ("tmp", "work"):
            (folder / sub).mkdir(mode=0o700)
        (folder / "fonts.conf").write_text(fonts_conf, encoding="utf-8")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)  # a full disk leaves no half-made folder
        raise
    path = os.pathsep.join((unoserver_path(), perfdoc_path()))
    env = {**os.environ, "PYTHONPATH": path, "SAL_USE_VCLPLUGIN": "svp",
           "FONTCONFIG_FILE": str(folder / "fonts.conf"),
           "TMPDIR": str(folder / "tmp")}  # so LibreOffice's lu*.tmp land there
    return folder, env


def give_profile(folder: Path, soffice: str, env: dict[str, str], *, template: bool) -> bool:
    """Give the converter its profile: a copy of the private template, else empty.

    *template* is ``False`` for the tests' fake converter, which starts no
    LibreOffice to make one with.
    """
    found = loprofile.template(soffice, libreoffice_identity(), env) if template else None
    if found is not None and loprofile.copy_into(found, folder / "profile"):
        return True
    try:
        (folder / "profile").mkdir(mode=0o700)
    except OSError:
        return False
    return True


def warm_up_document() -> list[str]:
    """Return the helper's ``--warm-up`` argument: perfdoc's default template, if it is a file.

    Once LibreOffice accepts, the helper loads it while perfdoc is still
    rendering: the first document LibreOffice loads pays for loading Writer,
    the .docx filter and the fonts (0.1 s of the first conversion here), and
    LibreOffice is otherwise idle until the .docx arrives.
    """
    from perfdoc.resources import resource

    found = resource("templates", "default", "template.docx")
    return ["--warm-up", str(found)] if isinstance(found, Path) and found.is_file() else []


def start_helper(python: str, script: Path | None, folder: Path, soffice: str,
                 env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the helper (*script*, or the shipped ``data/uno_server.py``) on *folder*."""
    with as_file(files("perfdoc") / "data" / "uno_server.py") as shipped, \
            open(folder / "helper.log", "wb") as log:
        # A new session: a Ctrl-C meant for perfdoc does not reach the
        # helper, which must outlive perfdoc just long enough to clean up.
        return subprocess.Popen(
            [python, str(script or shipped), "--folder", str(folder), "--soffice", soffice,
             "--startup-timeout", str(STARTUP_TIMEOUT), *warm_up_document()],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
            start_new_session=True, cwd=folder,
        )


class Launch:
    """A helper started before its converter existed (``early.run``), waiting to be adopted."""

    def __init__(self, python: str, folder: Path, process: subprocess.Popen[bytes]) -> None:
        self.python, self.folder, self.process = python, folder, process

    def discard(self) -> None:
        """Stop a launch nobody adopted: the helper kills its LibreOffice and cleans up."""
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()  # type: ignore[union-attr]
        try:
            self.process.wait(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(OSError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        with contextlib.suppress(OSError, ValueError):
            self.process.stdout.close()  # type: ignore[union-attr]
        shutil.rmtree(self.folder, ignore_errors=True)


def launch(python: str, soffice: str, fonts_conf: str) -> Launch:
    """Make a private folder and start a helper in it, without its converter (see ``Launch``)."""
    folder, env = make_folder(fonts_conf)
    try:
        if not give_profile(folder, soffice, env, template=True):
            raise OSError("cannot make the converter's profile")
        return Launch(python, folder, start_helper(python, None, folder, soffice, env))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
