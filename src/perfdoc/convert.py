"""Stage 6: convert .docx to PDF through LibreOffice, driven by unoserver.

perfdoc starts its own converters for the length of a build: each is a helper
process (``data/uno_server.py``) around unoserver's ``UnoConverter``, which
starts soffice and updates the document's indexes before export, so the PDF's
目录 carries true page numbers.  ``--converter HOST:PORT`` uses a stock
``unoserver`` instead; the .docx and the PDF travel as data, so it may be remote.

Private, and gone with perfdoc.  The helper is reached only through its stdin
and stdout, pipes only perfdoc holds: the XML-RPC port on 127.0.0.1 they
replace let any local user have the build user's files converted (so read).
Its LibreOffice accepts UNO on a randomly named pipe made under ``umask 077``,
never on TCP, where a UNO bridge is full control of LibreOffice.  Each
converter keeps everything (profile, ``TMPDIR``, documents, fonts.conf) in one
``perfdoc-lo-*`` folder, in memory where it can (see ``spawn.converter_root``).
When the helper's stdin ends, because ``stop`` closed it or perfdoc died (even
by ``kill -9``), it kills soffice's process group, removes the folder and
LibreOffice's sockets in /tmp, and exits; ``stop`` does that itself should the
helper not be gone within two seconds.

The helper runs under a Python that can ``import uno`` (Debian's
``/usr/bin/python3`` with ``python3-uno``) with perfdoc's copy of unoserver on
``PYTHONPATH``, so perfdoc itself may live in any venv.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from queue import Queue
from typing import TypeVar

from perfdoc.errors import ConversionError, EnvironmentProblem
from perfdoc.fonts import fontconfig_text
from perfdoc.frames import Frame, read_frame, write_frame
from perfdoc.i18n import _
from perfdoc.libreoffice import find_soffice, missing, uno_python_candidates
from perfdoc.spawn import (
    STARTUP_TIMEOUT,
    STOP_GRACE,
    Launch,
    give_profile,
    make_folder,
    start_helper,
)

CONNECT_TIMEOUT = 5.0  # how long ``--converter HOST:PORT`` may take to accept
#: The 目录 levels listed without page numbers: level 1 holds the two parts.
UNNUMBERED_TOC_LEVELS = (1,)

T = TypeVar("T")


def _within(seconds: float, work: Callable[[], T]) -> tuple[bool, T | None, BaseException | None]:
    """Run *work* in a thread; return (finished, its result, its exception)."""
    result: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed to the caller's thread
            error.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        return False, None, None
    return True, (result[0] if result else None), (error[0] if error else None)


def _log_tail(folder: Path | None) -> str:
    with contextlib.suppress(OSError):
        if folder is not None:
            return (folder / "helper.log").read_bytes()[-500:].decode(errors="replace").strip()
    return ""


class _Failed(RuntimeError):
    """A conversion failed or the helper died: worth one fresh LibreOffice."""


@dataclass
class Pythons:
    """The Pythons that may run the helper, likeliest first, shared by a pool's converters.

    None is asked beforehand: the helper itself reports that it cannot
    ``import uno``, and that Python is dropped for the whole pool.
    """

    candidates: list[str]
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def first(self) -> str | None:
        """Return the likeliest Python left, or ``None`` when none is."""
        with self._lock:
            return self.candidates[0] if self.candidates else None

    def drop(self, python: str) -> None:
        """Forget *python*: its helper said it cannot import uno."""
        with self._lock:
            if python in self.candidates:
                self.candidates.remove(python)


def _no_uno() -> EnvironmentProblem:
    return missing(_("no Python that can `import uno` was found (package python3-uno)"))


@dataclass
class Converter:
    """One warm LibreOffice behind perfdoc's helper, reached only through its pipes."""

    pythons: Pythons
    fonts_conf: str  # the fonts.conf text; each converter keeps a copy in its folder
    timeout: float
    restart_after: int
    folder: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    office_pgid: int | None = None  # soffice's process group, as the helper reported it
    sockets: list[str] = field(default_factory=list)  # LibreOffice's, in /tmp
    conversions: int = 0
    closed: threading.Event = field(default_factory=threading.Event)
    _state: threading.Lock = field(default_factory=threading.Lock)
    helper: Path | None = None  # instead of data/uno_server.py: see ConverterPool.helper

    def start(self) -> None:
        """Start the helper (which starts soffice) and wait until it says ready."""
        while not self.ready(self.launch()):
            pass  # that Python had no uno and is dropped: launch with the next

    def launch(self) -> str:
        """Make the private folder and start the helper with the likeliest Python; return it.

        This part is quick (about 30 ms, mostly copying the profile) and
        should run on a thread that is not fighting for the GIL: done on a
        background thread while the main one imports the pipeline, each of its
        file operations waited for the interpreter lock, and LibreOffice
        started 0.3 s later.
        """
        python = self.pythons.first()
        if python is None:
            raise _no_uno()
        with self._state:
            if self.closed.is_set():
                # The build is being stopped: never start a LibreOffice after that.
                raise ConversionError(_("the converters were stopped"))
            self.folder, env = make_folder(self.fonts_conf)
            folder = self.folder
            soffice = find_soffice() or "soffice"
        # Outside the lock: the first start may spend a second making the
        # template, and ``stop`` must not wait for that.
        made = give_profile(folder, soffice, env, template=self.helper is None)
        with self._state:
            if self.closed.is_set() or not made:
                # Stopped meanwhile (``stop`` may have removed the folder too).
                self.folder = None
                shutil.rmtree(folder, ignore_errors=True)
                raise ConversionError(_("the converters were stopped") if self.closed.is_set()
                                      else _("cannot make the converter's private folder"))
            self.process = start_helper(python, self.helper, folder, soffice, env)
        self.conversions = 0
        return python

    def adopt(self, started: Launch) -> str:
        """Take over a helper ``early.run`` started before this converter existed; as ``launch``."""
        with self._state:
            if not self.closed.is_set():
                self.folder, self.process = started.folder, started.process
                self.conversions = 0
                return started.python
        started.discard()
        raise ConversionError(_("the converters were stopped"))

    def ready(self, python: str) -> bool:
        """Wait for the helper *launch* started to say ready; ``False`` if *python* has no uno.

        A Python without uno is dropped for the whole pool, so the next launch
        tries the next one.
        """
        process, folder = self.process, self.folder
        if process is None or process.stdout is None:  # stopped since its launch
            raise ConversionError(_("the converters were stopped"))
        stdout = process.stdout
        done, frame, _error = _within(STARTUP_TIMEOUT + 10, lambda: read_frame(stdout))
        if frame is not None and frame[0].get("op") == "ready":
            self.office_pgid = int(frame[0]["pgid"])
            self.sockets = [str(p) for p in frame[0].get("sockets", [])]
            return True
        if frame is not None and frame[0].get("no_uno"):
            self.stop()
            self.pythons.drop(python)
            return False
        detail = str(frame[0].get("error", "")) if frame is not None else _log_tail(folder)
        self.stop()
        if self.closed.is_set():
            raise ConversionError(_("the converters were stopped"))
        if not done:
            raise ConversionError(_("the converter did not start within {s} s").format(
                s=int(STARTUP_TIMEOUT)))
        raise ConversionError(_("the converter exited while starting: {detail}").format(
            detail=detail))

    def close_input(self) -> None:
        """Close the helper's stdin: at that end of file it cleans up and exits."""
        process = self.process
        if process is not None and process.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                process.stdin.close()

    def stop(self) -> None:
        """Let the helper remove everything, or do it here if it is not gone in time.

        The profile is thrown away, so LibreOffice has nothing to save: it is
        killed, never shut down gracefully, which would cost a second or more.
        """
        self.close_input()
        with self._state:
            process, folder, pgid, sockets = self.process, self.folder, self.office_pgid, \
                self.sockets
            self.process, self.folder, self.office_pgid, self.sockets = None, None, None, []
        if process is not None:
            try:
                process.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(OSError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            with contextlib.suppress(OSError, ValueError):
                process.stdout.close()  # type: ignore[union-attr]
            if process.returncode != 0:
                # The helper was killed or failed: do its cleaning here.
                with contextlib.suppress(OSError, TypeError):
                    os.killpg(pgid, signal.SIGKILL)  # type: ignore[arg-type]
                for path in sockets:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def alive(self) -> bool:
        """Say whether the helper process is still running."""
        return self.process is not None and self.process.poll() is None

    def convert(self, docx: bytes, label: str, options: list[str], *, to: str = "pdf",
                suffix: str = "docx") -> bytes:
        """Convert *docx* and return the PDF, killing the converter if it hangs.

        With ``to="docx"``, the input (a file of type *suffix*, such as ``doc``)
        is saved as a .docx instead: how ``perfdoc import`` reads old formats.
        """
        if not self.alive() or self.conversions >= self.restart_after:
            # LibreOffice degrades over long runs; a fresh one is cheap next to a hang.
            self.stop()
            self.start()
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        stdin, stdout = process.stdin, process.stdout
        request = {"op": "convert", "options": options, "unnumbered": list(UNNUMBERED_TOC_LEVELS),
                   "to": to, "suffix": suffix}

        def work() -> Frame | None:
            write_frame(stdin, request, docx)
            return read_frame(stdout)

        done, frame, error = _within(self.timeout, work)
        self.conversions += 1
        if not done:
            self.stop()
            raise ConversionError(
                _("the conversion of {file} did not finish within {s} s; the converter was "
                  "stopped").format(file=label, s=self.timeout)
            )
        if frame is None:
            raise _Failed(error or f"the converter exited: {_log_tail(self.folder)}")
        if not frame[0].get("ok"):
            raise _Failed(str(frame[0].get("error")))
        return frame[1]


class _EndpointDown(Exception):
    """A unoserver could not be reached or stopped answering: skip it from now on."""


def _remote(address: str, docx: bytes, label: str, options: list[str], timeout: float) -> bytes:
    """Convert through a stock unoserver at *address*, sending and receiving data.

    Raises ``_EndpointDown`` when the server is unreachable or silent, and
    ``ConversionError`` when it answered that the conversion failed.
    """
    import xmlrpc.client

    from unoserver.client import UnoClient

    host, _sep, port = address.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    # unoserver's client retries a refused connection for 40 s; a quick look
    # first makes a wrong address fail at once.
    try:
        with socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT):
            pass
    except OSError as exc:
        raise _EndpointDown(exc or "timed out") from None
    # "remote": the .docx goes as data and the PDF comes back as data, so the
    # server needs no access to perfdoc's files, nor perfdoc to the server's.
    # A stock unoserver cannot leave the part lines unnumbered, so its own
    # index update is not used: perfdoc's cached 目录 is exported as it is.
    client = UnoClient(server=f"[{host}]" if ":" in host else host, port=port,
                       host_location="remote")
    done, pdf, error = _within(timeout, lambda: client.convert(
        indata=docx, convert_to="pdf", filtername="writer_pdf_Export",
        filter_options=options, update_index=False))
    if not done:
        raise _EndpointDown(f"no answer within {timeout:g} s")
    if isinstance(pdf, bytes):
        return pdf
    if isinstance(error, xmlrpc.client.Fault):
        # The server is fine; LibreOffice could not convert this document.
        raise ConversionError(_("LibreOffice failed to convert {file}: {reason}").format(
            file=label, reason=_("the converter at {address} failed: {reason}").format(
                address=address,
                reason=(error.faultString.strip().splitlines() or [str(error)])[-1])))
    raise _EndpointDown(error or "no PDF came back")


@dataclass
class _Endpoints:
    """Several unoservers, used least-busy first; one that fails is skipped from then on."""

    addresses: tuple[str, ...]
    warn: Callable[[str], None]
    _busy: dict[str, int] = field(default_factory=dict)
    _down: set[str] = field(default_factory=set)
    _turn: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _take(self, tried: set[str]) -> str | None:
        with self._lock:
            live = [a for a in self.addresses if a not in self._down and a not in tried]
            if not live:
                return None
            # Least busy; among equals, take turns, so a batch spreads evenly.
            self._turn += 1
            order = live[self._turn % len(live):] + live[:self._turn % len(live)]
            chosen = min(order, key=lambda a: self._busy.get(a, 0))
            self._busy[chosen] = self._busy.get(chosen, 0) + 1
            return chosen

    def _give_back(self, address: str, failed: BaseException | None) -> None:
        with self._lock:
            self._busy[address] -= 1
            if failed is None or address in self._down:
                return
            self._down.add(address)
            left = len(self.addresses) - len(self._down)
        self.warn(_("warning: the converter at {address} failed ({reason}); it is skipped "
                    "for the rest of this run, {n} left").format(
            address=address, reason=failed, n=left))

    def convert(self, docx: bytes, label: str, options: list[str], timeout: float) -> bytes:
        tried: set[str] = set()
        last: BaseException | None = None
        while (address := self._take(tried)) is not None:
            tried.add(address)
            try:
                pdf = _remote(address, docx, label, options, timeout)
            except _EndpointDown as exc:
                self._give_back(address, exc)
                last = exc
                continue
            except BaseException:
                self._give_back(address, None)
                raise
            self._give_back(address, None)
            return pdf
        raise ConversionError(_("LibreOffice failed to convert {file}: {reason}").format(
            file=label, reason=_("no converter of --converter {addresses} answered{last}").format(
                addresses=",".join(self.addresses),
                last=f" ({last})" if last is not None else "")))


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class ConverterPool:
    """Up to ``jobs`` warm converters, started on first use and handed out one at a time."""

    jobs: int = 1
    timeout: float = 120.0
    restart_after: int = 200
    fonts_dir: Path | None = None
    address: str | None = None  # HOST:PORT[,HOST:PORT...]: stock unoservers someone else runs
    warn: Callable[[str], None] = _stderr  # how a skipped endpoint is announced
    # Another helper speaking uno_server.py's protocol, run with *python* (by
    # default sys.executable) and without LibreOffice.  It exists for the fake
    # converter of the tests (tests/fixtures/fake_converter.py).
    helper: Path | None = None
    python: str | None = None
    _idle: Queue[Converter] = field(default_factory=Queue)
    _all: list[Converter] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pythons: Pythons = field(default_factory=lambda: Pythons([]))
    _fonts_conf: str = ""
    _closed: threading.Event = field(default_factory=threading.Event)
    _remote: _Endpoints | None = None

    @property
    def fills_toc(self) -> bool:
        """Say whether LibreOffice fills the 目录 itself (perfdoc's own converters)."""
        return self.address is None

    def __enter__(self) -> ConverterPool:
        # Entered twice when the command line started it early: once is enough,
        # and its converters already share this pool's list of Pythons.
        if self.address or self._fonts_conf:
            return self
        if self.helper is not None:  # the tests' fake converter: no LibreOffice, no uno
            self._pythons = Pythons([self.python or sys.executable])
            self._fonts_conf = fontconfig_text(self.fonts_dir)
            return self
        if find_soffice() is None:
            raise missing(_("LibreOffice (soffice) was not found"))
        candidates = uno_python_candidates()
        if not candidates:
            raise _no_uno()
        self._pythons = Pythons(candidates)
        self._fonts_conf = fontconfig_text(self.fonts_dir)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def release(self) -> None:
        """Say that no conversion will be asked for again: every helper starts cleaning up.

        ``close`` still waits for them; begun now, their cleaning overlaps
        the build's last writes instead of following them.
        """
        self._closed.set()  # and nothing starts after this
        with self._lock:
            for conv in self._all:
                conv.close_input()

    def close(self) -> None:
        """Stop every converter; nothing perfdoc started survives."""
        self._closed.set()
        with self._lock:
            # Every helper starts cleaning up at once; then each is waited for.
            for conv in self._all:
                conv.close_input()
            for conv in self._all:
                conv.stop()
            self._all.clear()

    def _endpoints(self) -> _Endpoints:
        with self._lock:
            if self._remote is None:
                assert self.address is not None
                self._remote = _Endpoints(
                    tuple(a.strip() for a in self.address.split(",") if a.strip()), self.warn)
            return self._remote

    def prestart(self, count: int, launched: Sequence[Launch] = ()) -> None:
        """Start up to *count* converters now, in the background, before any document is ready.

        LibreOffice takes over a second to start; started while perfdoc still
        imports, loads, checks and renders, that second is mostly hidden.  A
        converter whose start fails is handed out anyway: its first conversion
        starts it again and reports why it cannot.  The helpers in *launched*
        (started by ``early.run``) are adopted first; any left over are stopped.
        """
        waiting = list(launched)
        try:
            self._prestart(count, waiting)
        finally:
            for started in waiting:
                started.discard()

    def _prestart(self, count: int, waiting: list[Launch]) -> None:
        if self.address:
            return
        for _i in range(count):
            with self._lock:
                if len(self._all) >= self.jobs or self._closed.is_set():
                    return
                conv = self._new()

            # Launched here, waited for on a thread (see Converter.launch).
            try:
                python: str | None = conv.adopt(waiting.pop(0)) if waiting else conv.launch()
            except Exception:  # noqa: BLE001 - its first conversion says why
                python = None

            def start(conv: Converter = conv, python: str | None = python) -> None:
                with contextlib.suppress(Exception):
                    if python is not None and not conv.ready(python):
                        conv.start()  # no uno in that Python: the next one
                self._idle.put(conv)

            threading.Thread(target=start, name="perfdoc-prestart", daemon=True).start()

    def configure(self, *, jobs: int, timeout: float, restart_after: int) -> None:
        """Apply the batch's settings to a pool made before they were known."""
        with self._lock:
            self.jobs, self.timeout, self.restart_after = jobs, timeout, restart_after
            for conv in self._all:
                conv.timeout, conv.restart_after = timeout, restart_after

    def _new(self) -> Converter:
        """Make a converter (not started) and count it; the caller holds ``_lock``."""
        conv = Converter(self._pythons, self._fonts_conf, self.timeout, self.restart_after,
                         closed=self._closed, helper=self.helper)
        self._all.append(conv)
        return conv

    def _acquire(self) -> Converter:
        """Take an idle converter, or start a new one while fewer than ``jobs`` exist.

        Starting on demand, in the calling worker's thread, makes the converters
        start in parallel and never starts one a batch does not need.
        """
        with self._lock:
            if self._idle.empty() and len(self._all) < self.jobs:
                return self._new()
        return self._idle.get()

    def convert(self, docx: bytes, *, label: str, pdfa: bool = False) -> bytes:
        """Convert one document (*label* names it in messages) and return the PDF.

        A crashed converter is restarted once.
        """
        # Bookmarks are how perfdoc finds the headings' pages; as named
        # destinations too, so each heading can be located by name.  A tagged
        # PDF costs about 15% of each conversion and nothing asks for one.
        options = ["ExportBookmarks=true", "ExportBookmarksToPDFDestination=true",
                   "ExportNotes=false"]
        if pdfa:
            options.append("SelectPdfVersion=2")  # PDF/A-2b
        if self.address:
            return self._endpoints().convert(docx, label, options, self.timeout)
        return self._run(docx, label, options, "pdf", "docx")

    def to_docx(self, data: bytes, *, label: str, suffix: str) -> bytes:
        """Save a document LibreOffice reads as Writer (a .doc, .odt, .rtf …) as a .docx."""
        return self._run(data, label, [], "docx", suffix)

    def _run(self, data: bytes, label: str, options: list[str], to: str, suffix: str) -> bytes:
        conv = self._acquire()
        try:
            try:
                return conv.convert(data, label, options, to=to, suffix=suffix)
            except _Failed:
                # A crashed LibreOffice: restart it once and try again.
                conv.stop()
            try:
                return conv.convert(data, label, options, to=to, suffix=suffix)
            except _Failed as exc:
                raise ConversionError(
                    _("LibreOffice failed to convert {file}: {reason}").format(
                        file=label, reason=exc)
                ) from None
        finally:
            self._idle.put(conv)
