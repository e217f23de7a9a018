"""Stage 7: convert .docx to PDF through LibreOffice, driven by unoserver.

perfdoc starts its own converters for the length of a build: each one is a
small server (``data/uno_server.py``) around unoserver's ``UnoConverter``, which
starts soffice; it listens on 127.0.0.1 on free ports, uses its own temporary
profile, and runs in its own process group so the whole tree can be killed.
The converter updates the document's indexes before export, so the PDF's 目录
carries LibreOffice's true page numbers.  ``--converter HOST:PORT`` talks to a
stock ``unoserver`` instead.

The server must run under a Python that can ``import uno`` (Debian's
``/usr/bin/python3`` with ``python3-uno``).  perfdoc runs it there with its own
copy of unoserver on ``PYTHONPATH``, so perfdoc itself may live in any venv.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from queue import Queue

from perfdoc.errors import ConversionError, EnvironmentProblem
from perfdoc.i18n import _

#: What to install on Debian or Ubuntu; every environment message names it.
APT_PACKAGES = (
    "libreoffice-writer-nogui python3-uno poppler-utils fonts-noto-cjk "
    "fonts-arphic-gkai00mp fonts-arphic-gbsn00lp"
)
PROFILE_PREFIX = "perfdoc-lo-"
STARTUP_TIMEOUT = 90.0


def _missing(what: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        _("{what}. Install it with `make system-deps` or `sudo apt-get install {packages}`; "
          "`--format docx` builds the .docx without LibreOffice.").format(
            what=what, packages=APT_PACKAGES
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


#: The font names the default template asks for, in the order doctor lists them.
FONT_NAMES = ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体", "Times New Roman")


@cache
def resolve_fonts(fonts_dir: Path | None = None) -> dict[str, str | None]:
    """Return the font file LibreOffice will draw each requested name with."""
    fc_match = shutil.which("fc-match")
    found: dict[str, str | None] = {}
    with fontconfig_file(fonts_dir) as conf:
        for name in FONT_NAMES:
            path: str | None = None
            if fc_match:
                try:
                    done = subprocess.run(
                        [fc_match, "-f", "%{file}", f"{name}:lang=zh-cn"],
                        capture_output=True, text=True, timeout=30,
                        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
                    )
                    path = done.stdout.strip() or None
                except (OSError, subprocess.TimeoutExpired):
                    path = None
            found[name] = path
    return found


def font_fingerprint(fonts_dir: Path | None = None) -> str:
    """Describe the font files in use, for the build's input hash."""
    lines = []
    for name, path in resolve_fonts(fonts_dir).items():
        size = ""
        if path:
            with contextlib.suppress(OSError):
                size = str(Path(path).stat().st_size)
        lines.append(f"{name}={path}:{size}")
    return "\n".join(lines)


def _can_import_uno(python: str) -> bool:
    try:
        done = subprocess.run(
            [python, "-c", "import uno"], capture_output=True, timeout=30,
            env={**os.environ, "PYTHONPATH": ""},
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@cache
def find_uno_python() -> str | None:
    """Return a Python that can ``import uno``, or ``None``."""
    candidates = [
        os.environ.get("PERFDOC_UNO_PYTHON"),
        sys.executable,
        "/usr/bin/python3",
        "/usr/lib/libreoffice/program/python",
        shutil.which("python3"),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists() and _can_import_uno(candidate):
            return candidate
    return None


def _unoserver_path() -> str:
    """Return the folder that holds perfdoc's copy of the unoserver package."""
    import unoserver

    return str(Path(unoserver.__file__).resolve().parent.parent)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def fontconfig_file(fonts_dir: Path | None = None) -> Iterator[Path]:
    """Yield perfdoc's fonts.conf, with ``--fonts DIR`` added first when given."""
    with as_file(files("perfdoc") / "data" / "fonts.conf") as shipped:
        if fonts_dir is None:
            yield Path(shipped)
            return
        text = Path(shipped).read_text(encoding="utf-8")
        # Fonts the user supplied come first, so the real faces win over stand-ins.
        from html import escape

        text = text.replace(
            "<!-- PERFDOC_EXTRA_DIRS -->",
            f"<dir>{escape(str(fonts_dir.resolve()), quote=False)}</dir>",
        )
        with tempfile.TemporaryDirectory(prefix="perfdoc-fc-") as tmp:
            conf = Path(tmp) / "fonts.conf"
            conf.write_text(text, encoding="utf-8")
            yield conf


@dataclass
class Converter:
    """One warm LibreOffice behind perfdoc's unoserver-based server on 127.0.0.1."""

    python: str
    fontconfig: Path
    timeout: float
    restart_after: int
    port: int = 0
    uno_port: int = 0
    profile: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    conversions: int = 0
    log: Path | None = None
    closed: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Start the server (which starts soffice) and wait until it answers."""
        if self.closed.is_set():
            # The build is being stopped: never start a LibreOffice after that.
            raise ConversionError(_("the converters were stopped"))
        self.port, self.uno_port = _free_port(), _free_port()
        while self.uno_port == self.port:
            self.uno_port = _free_port()
        self.profile = Path(tempfile.mkdtemp(prefix=PROFILE_PREFIX))
        self.log = self.profile.with_suffix(".log")
        env = {
            **os.environ,
            "PYTHONPATH": _unoserver_path(),
            "FONTCONFIG_FILE": str(self.fontconfig),
            "SAL_USE_VCLPLUGIN": "svp",
        }
        with as_file(files("perfdoc") / "data" / "uno_server.py") as script:
            cmd = [
                self.python, str(script), "--port", str(self.port),
                "--uno-port", str(self.uno_port), "--profile", str(self.profile),
                "--soffice", find_soffice() or "soffice",
                "--startup-timeout", str(STARTUP_TIMEOUT),
            ]
            with open(self.log, "wb") as log:
                # A new session makes the server and its soffice one process group.
                self.process = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                    start_new_session=True,
                )
        self.conversions = 0
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                detail = self.log.read_text(errors="replace")[-500:] if self.log.exists() else ""
                self.stop()
                raise ConversionError(
                    _("the converter exited while starting: {detail}").format(detail=detail)
                )
            try:
                with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}") as proxy:
                    proxy.ping()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.05)
        self.stop()
        raise ConversionError(_("the converter did not start within {s} s").format(
            s=int(STARTUP_TIMEOUT)))

    def stop(self) -> None:
        """Kill the whole process group at once and remove the profile.

        The profile is thrown away, so LibreOffice has nothing to save: a
        graceful shutdown would only cost a second or more per converter.
        """
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            self.process = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            if self.log is not None:
                with contextlib.suppress(OSError):
                    self.log.unlink()
            self.profile = None

    def alive(self) -> bool:
        """Say whether the server process is still running."""
        return self.process is not None and self.process.poll() is None

    def _call(self, docx: Path, pdf: Path, options: list[str]) -> None:
        with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}") as proxy:
            proxy.convert(str(docx), str(pdf), options, list(UNNUMBERED_TOC_LEVELS))

    def convert(self, docx: Path, pdf: Path, options: list[str]) -> None:
        """Convert *docx* to *pdf*, killing the converter if it hangs."""
        if not self.alive() or self.conversions >= self.restart_after:
            # LibreOffice degrades over long runs; a fresh one is cheap next to a hang.
            self.stop()
            self.start()
        error: list[BaseException] = []

        def work() -> None:
            try:
                self._call(docx, pdf, options)
            except BaseException as exc:  # handed to the caller's thread
                error.append(exc)

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(self.timeout)
        self.conversions += 1
        if worker.is_alive():
            self.stop()
            raise ConversionError(
                _("the conversion of {file} did not finish within {s} s; the converter was "
                  "stopped").format(file=docx.name, s=self.timeout)
            )
        if error:
            raise error[0]


#: The 目录 levels listed without page numbers: level 1 holds the two parts.
UNNUMBERED_TOC_LEVELS = (1,)


def _unoserver_convert(host: str, port: int | str, docx: Path, pdf: Path,
                       options: list[str]) -> None:
    from unoserver.client import UnoClient

    client = UnoClient(server=host, port=str(port))
    # A stock unoserver cannot leave the part lines unnumbered, so its own
    # index update is not used: perfdoc's cached 目录 is exported as it is.
    client.convert(inpath=str(docx), outpath=str(pdf), convert_to="pdf",
                   filtername="writer_pdf_Export", filter_options=options,
                   update_index=False)


@dataclass
class ConverterPool:
    """Up to ``jobs`` warm converters, started on first use and handed out one at a time."""

    jobs: int = 1
    timeout: float = 120.0
    restart_after: int = 200
    fonts_dir: Path | None = None
    address: str | None = None  # HOST:PORT of a stock unoserver someone else runs
    _idle: Queue[Converter] = field(default_factory=Queue)
    _all: list[Converter] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _python: str = ""
    _fontconfig: Path | None = None
    _closed: threading.Event = field(default_factory=threading.Event)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    @property
    def fills_toc(self) -> bool:
        """Say whether LibreOffice fills the 目录 itself (perfdoc's own converters)."""
        return self.address is None

    def __enter__(self) -> ConverterPool:
        if self.address:
            return self
        if find_soffice() is None:
            raise _missing(_("LibreOffice (soffice) was not found"))
        python = find_uno_python()
        if python is None:
            raise _missing(_("no Python that can `import uno` was found (package python3-uno)"))
        self._python = python
        self._fontconfig = self._stack.enter_context(fontconfig_file(self.fonts_dir))
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop every converter; nothing perfdoc started survives."""
        self._closed.set()
        with self._lock:
            for conv in self._all:
                conv.stop()
            self._all.clear()
        self._stack.close()

    def _acquire(self) -> Converter:
        """Take an idle converter, or start a new one while fewer than ``jobs`` exist.

        Starting on demand, in the calling worker's thread, makes the converters
        start in parallel and never starts one a batch does not need.
        """
        with self._lock:
            if self._idle.empty() and len(self._all) < self.jobs:
                assert self._fontconfig is not None
                conv = Converter(self._python, self._fontconfig, self.timeout,
                                 self.restart_after, closed=self._closed)
                self._all.append(conv)
                return conv
        return self._idle.get()

    def convert(self, docx: Path, pdf: Path, *, pdfa: bool = False) -> None:
        """Convert one document, restarting a crashed converter once."""
        # Bookmarks are how perfdoc finds the headings' pages.  A tagged PDF
        # costs about 15% of each conversion and nothing asks for one.
        options = ["ExportBookmarks=true", "ExportNotes=false"]
        if pdfa:
            options.append("SelectPdfVersion=2")  # PDF/A-2b
        if self.address:
            self._remote(docx, pdf, options)
            return
        conv = self._acquire()
        try:
            try:
                conv.convert(docx, pdf, options)
            except ConversionError:
                raise
            except (OSError, xmlrpc.client.Error, RuntimeError):
                # A crashed LibreOffice: restart it once and try again.
                conv.stop()
                try:
                    conv.convert(docx, pdf, options)
                except ConversionError:
                    raise
                except Exception as exc:
                    raise ConversionError(
                        _("LibreOffice failed to convert {file}: {reason}").format(
                            file=docx.name, reason=exc)
                    ) from None
        finally:
            self._idle.put(conv)

    def _remote(self, docx: Path, pdf: Path, options: list[str]) -> None:
        assert self.address is not None
        host, _sep, port = self.address.rpartition(":")
        try:
            _unoserver_convert(host or "127.0.0.1", port, docx, pdf, options)
        except (OSError, xmlrpc.client.Error, RuntimeError) as exc:
            raise ConversionError(
                _("the converter at {address} failed: {reason}").format(
                    address=self.address, reason=exc)
            ) from None
