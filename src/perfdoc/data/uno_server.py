r"""perfdoc's converter helper: LibreOffice and unoserver's UnoConverter, private to perfdoc.

perfdoc runs this file (not importable as part of perfdoc) with a Python that can
``import uno`` and unoserver on ``PYTHONPATH``, in a new session:

    python uno_server.py --folder DIR --soffice PATH [--startup-timeout S]

*DIR* is the converter's private folder (mode 0700), made by perfdoc with
``profile/`` (LibreOffice's user profile), ``tmp/`` (everyone's ``TMPDIR``, so
LibreOffice's ``lu*.tmp`` folders land there), ``work/`` (the documents in
conversion) and ``fonts.conf``.

Transport, and why.  Requests and answers travel over this process's stdin and
stdout, which only perfdoc holds; nothing listens on a network port.  The
XML-RPC server this replaced listened on 127.0.0.1, where *any* local user
could ask it to convert (and so read) a file only the build user may read.
Each frame is one JSON line followed by ``size`` raw bytes:

    perfdoc -> helper   {"op": "convert", "size": N, "options": [...], "unnumbered": [1]}
                        + the .docx
    helper -> perfdoc   {"op": "ready", "pgid": P, "sockets": [...]}   once, at start
                        {"ok": true, "size": N} + the PDF, or {"ok": false, "error": "..."}
                        {"op": "failed", "error": "..."}                 start-up failed

LibreOffice's UNO acceptor is a named pipe (a Unix socket), not TCP: LibreOffice
creates it as ``/tmp/OSL_PIPE_<uid>_<name>`` with the umask's permissions, so
with ``umask 077`` no other user can connect, and the random name is not
guessable either.  A TCP acceptor on 127.0.0.1 would hand any local user a UNO
bridge, which is full control of a LibreOffice running as the build user.

Dying with perfdoc.  A thread reads stdin; end of file means perfdoc closed the
pipe or died (even by ``kill -9``: the kernel closes its end).  Then the helper
kills LibreOffice's whole process group, removes the private folder and
LibreOffice's sockets in /tmp, and exits.  ``PR_SET_PDEATHSIG`` would not do:
it fires when the *thread* that forked exits, and reaches only the direct child
(oosplash), not soffice.bin.

Why not the ``unoserver`` command itself:

* it listens on TCP (see above), and its start-up sleeps a fixed seven
  seconds; here the helper is ready as soon as LibreOffice accepts the UNO
  connection (about one second);
* the 目录 lists the two part headings (第一部分, 第二部分) without page
  numbers, as the seed does.  Word's TOC switch for that (``\\n``) is not
  imported by LibreOffice, whose index update would number every line.  Just
  before updating the indexes, this helper removes the page-number tokens
  from the levels perfdoc names.  One LibreOffice pass then gives a PDF whose
  目录 is both true and in the seed's form.

The conversion itself (load, export) is unoserver's ``UnoConverter.convert``,
file to file inside ``work/``; only its Desktop is wrapped, to load hidden
and to update the indexes, and its constructor is replaced to connect
through the pipe.
"""

from __future__ import annotations

# LibreOffice takes over a second to start, and this helper's own imports
# (subprocess, argparse, the framing) about a tenth more that LibreOffice need
# not wait for: only what starting it takes is imported before it is started.
import os
import sys
import time


class Office:
    """LibreOffice's first process, started early with ``posix_spawn`` (see ``launch``)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """Return its exit code, or ``None`` while it runs (as ``Popen.poll``)."""
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        """Wait up to *timeout* seconds for it to exit; return its exit code or ``None``."""
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)  # it was just killed: gone within a few milliseconds
        return self.returncode


class Launched:
    """What ``launch`` started: the process, and the names the helper needs to know."""

    def __init__(self, office: Office, pipe: str, profile_url: str) -> None:
        self.office, self.pipe, self.profile_url = office, pipe, profile_url


def office_program(soffice: str) -> tuple[str, dict[str, str]]:
    """Return what to run for *soffice*, and its environment.

    The ``soffice`` most distributions install is a shell script that sets
    three variables and runs ``oosplash`` beside it, spending about 60 ms in
    ``dirname``, ``sed`` and ``uname`` first.  When that is what *soffice* is,
    ``oosplash`` is run directly with the same variables; anything else is run
    as it is.
    """
    env = dict(os.environ)
    script = os.path.realpath(soffice)
    program = os.path.dirname(script)
    oosplash = os.path.join(program, "oosplash")
    try:
        with open(script, "rb") as fh:
            is_script = fh.read(2) == b"#!"
    except OSError:
        is_script = False
    # A build with an ``ooenv`` beside it (a developer's build) sources it: leave those alone.
    if not (is_script and os.access(oosplash, os.X_OK)) or os.path.exists(
            os.path.join(program, "ooenv")):
        return soffice, env
    env["LO_SAVE_LC_ALL"] = env.get("LC_ALL", "")
    env["LC_ALL"] = "C"
    env["SAL_ENABLE_FILE_LOCKING"] = "1"
    # Only LibreOffice's own folder on the PATH.  On the first document it
    # loads, LibreOffice readies GnuPG for signature checks by running
    # gpgconf three times, found on the PATH: about 0.1 s of the first
    # conversion, for signatures a conversion never checks.  Without the
    # shell script nothing else is looked up on the PATH.
    env["PATH"] = program
    return oosplash, env


def office_args(program: str, profile_url: str, pipe: str) -> list[str]:
    """Return LibreOffice's command line: headless, on *profile_url*, accepting on *pipe*."""
    return [program, "--headless", "--invisible", "--nocrashreport", "--nodefault",
            "--nologo", "--nofirststartwizard", "--norestore",
            f"-env:UserInstallation={profile_url}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]


#: Bytes a file URL's path keeps as they are (RFC 3986's unreserved, and "/").
_URL_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~/")


def profile_url_of(folder: str) -> str:
    """Return the URL of *folder*'s profile, as ``uno.systemPathToFileUrl`` would.

    Percent-encoded here rather than by urllib.parse, whose import (it brings
    ``re``) would cost LibreOffice's early start a fifth of this helper's
    start-up.
    """
    path = os.fsencode(os.path.join(os.path.abspath(folder), "profile"))
    return "file://" + "".join(chr(b) if b in _URL_SAFE else f"%{b:02X}" for b in path)


def has_uno() -> bool:
    """Say whether ``import uno`` would find a module, without importing importlib.util."""
    return any(os.path.exists(os.path.join(entry or ".", name))
               for entry in sys.path for name in ("uno.py", "uno"))


def launch(argv: list[str]) -> Launched | None:
    """Start LibreOffice for the ``--folder`` and ``--soffice`` in *argv*, or return ``None``.

    ``None`` (arguments missing, no ``posix_spawn`` with ``setsid``, a failed
    spawn) leaves the start to ``Helper.start``, which says what went wrong.
    """
    try:
        folder = argv[argv.index("--folder") + 1]
        soffice = argv[argv.index("--soffice") + 1]
    except (ValueError, IndexError):
        return None
    # Before anything is created: LibreOffice's pipe sockets in /tmp take
    # their permissions from the umask, so no other user may connect.
    os.umask(0o077)
    pipe = "perfdoc_" + os.urandom(16).hex()  # unguessable
    profile_url = profile_url_of(folder)
    program, env = office_program(soffice)
    try:
        # Its own session: the helper can kill soffice's whole group (oosplash
        # and soffice.bin) with one signal, and nothing else with it.  Its
        # stdin is /dev/null and its output goes to the log (fd 2): the
        # protocol's pipes on fds 0 and 1 stay the helper's alone.
        pid = os.posix_spawnp(program, office_args(program, profile_url, pipe), env,
                              file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                            (os.POSIX_SPAWN_DUP2, 2, 1)],
                              setsid=True)
    except (OSError, NotImplementedError, AttributeError):
        return None
    return Launched(Office(pid), pipe, profile_url)


_LAUNCHED = launch(sys.argv[1:]) if __name__ == "__main__" and has_uno() else None

import argparse  # noqa: E402 - after LibreOffice's start, on purpose (see above)
import hashlib  # noqa: E402
import importlib.util  # noqa: E402
import queue  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, NoReturn  # noqa: E402

# perfdoc puts its own package folder on PYTHONPATH: the framing is shared.
from perfdoc.frames import Frame, read_frame, write_frame  # noqa: E402

if importlib.util.find_spec("uno") is None:
    # perfdoc starts this file with the likeliest Python without asking it
    # first (that costs a start of its own); this one has no uno, so perfdoc
    # tries the next.  uno itself is imported only once LibreOffice is
    # starting (see Helper.start): the import overlaps LibreOffice's start-up.
    if _LAUNCHED is not None:  # has_uno was wrong: that LibreOffice goes too
        os.killpg(_LAUNCHED.office.pid, signal.SIGKILL)
        _LAUNCHED.office.wait(timeout=2)
    write_frame(sys.stdout.buffer, {"op": "failed", "no_uno": True,
                                    "error": "No module named 'uno'"})
    raise SystemExit(3)

uno: Any = None  # the module, once imported by Helper.start

_DROP = {"TokenPageNumber", "TokenTabStop"}

#: The export filter for each output the helper makes.
EXPORT_FILTERS = {"pdf": "writer_pdf_Export", "docx": "MS Word 2007 XML"}


class _Desktop:
    """LibreOffice's Desktop as unoserver's converter sees it: every load is hidden.

    For a PDF, the loaded document's indexes are updated at once, the way
    perfdoc wants them (see ``_update_indexes``); the request sets *update*
    and *unnumbered*, the levels of the content index without page numbers.
    """

    def __init__(self, target: Any) -> None:
        self._target = target
        self.update = False
        self.unnumbered: set[int] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)

    def loadComponentFromURL(self, url: str, target: str, flags: int,  # noqa: N802 - UNO's name
                             props: tuple[Any, ...]) -> Any:
        # Hidden: no frame window is made for the document.  Export and the
        # index update lay it out all the same, and the first load is about
        # 0.1 s (a quarter) quicker.
        from com.sun.star.beans import PropertyValue

        props = (*props, PropertyValue(Name="Hidden", Value=True))
        document = self._target.loadComponentFromURL(url, target, flags, props)
        if document is not None and self.update:
            _update_indexes(document, self.unnumbered)
        return document


def _index_shapes(indexes: list[Any]) -> list[str]:
    """Return the indexes' text without its digits: the page numbers, filled in or not."""
    return [re.sub(r"[0-9]+", "", index.getAnchor().getString()) for index in indexes]


def _update_indexes(document: Any, unnumbered: set[int]) -> None:
    """Update the document's indexes (the 目录) so the PDF prints true page numbers.

    unoserver updates twice, in case the first update lengthens an index and
    moves the pages after it.  An index whose text is unchanged but for its
    numbers has the same lines (a number, or none, is right-aligned after a
    tab leader), so nothing moved and the first update's numbers are final.  perfdoc's
    .docx already carries its 目录's entries, so that is the usual case, and
    the second update (0.05 s on the example, 0.2 s on a 19-page document) is
    skipped.
    """
    try:
        found = document.getDocumentIndexes()
    except AttributeError:  # not a text document: nothing to update
        return
    indexes = [found.getByIndex(i) for i in range(found.getCount())]
    if not indexes:
        return
    for index in indexes:
        _unnumber(index, unnumbered)
    before = _index_shapes(indexes)
    for _round in range(2):
        document.refresh()
        for index in indexes:
            index.update()
        if _index_shapes(indexes) == before:
            return
        before = _index_shapes(indexes)


def _token_type(token: Any) -> str:
    for prop in token:
        if prop.Name == "TokenType":
            return str(prop.Value)
    return ""


def _unnumber(index: Any, unnumbered: set[int]) -> None:
    """Drop the tab and page number of the *unnumbered* levels from a TOC."""
    if not unnumbered or not index.supportsService("com.sun.star.text.ContentIndex"):
        return
    levels = index.LevelFormat
    for level in sorted(unnumbered):
        if level >= levels.getCount():
            continue
        kept = tuple(t for t in levels.getByIndex(level) if _token_type(t) not in _DROP)
        # A typed Any must go through uno.invoke: the element type is a
        # sequence of sequences, which pyuno cannot infer from a tuple.
        uno.invoke(levels, "replaceByIndex",
                   (level, uno.Any("[][]com.sun.star.beans.PropertyValue", kept)))
    index.LevelFormat = levels


def _warm_up(converter: Any, path: str) -> None:
    """Load *path* once and close it, while perfdoc is still making the real document.

    LibreOffice loads Writer, the .docx filter and the fonts with the first
    document it opens; done now, that is off the first conversion.  Nothing
    is exported and nothing is kept; a failure here only loses the gain.
    """
    from com.sun.star.beans import PropertyValue

    try:
        # Through the wrapper, which loads hidden; its index update is off
        # until a request turns it on.
        document = converter.desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
            (PropertyValue(Name="ReadOnly", Value=True),))
        if document is not None:
            document.close(True)
    except Exception:  # noqa: BLE001, S110 - a warm-up that fails changes nothing
        pass


def _pipe_converter(pipe: str) -> Any:
    """Connect unoserver's converter through a named pipe instead of TCP.

    unoserver (3.7) only builds ``uno:socket`` URLs, so this sets the same
    attributes its constructor does, with a ``uno:pipe`` URL.  unoserver is
    imported here, not at the top: LibreOffice is already starting by then,
    and the import (a tenth of a second) overlaps its start-up.
    """
    from unoserver.converter import UnoConverter

    converter = UnoConverter.__new__(UnoConverter)
    converter.local_context = uno.getComponentContext()
    converter.resolver = converter.local_context.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", converter.local_context)
    converter.context = converter.resolver.resolve(
        f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    converter.service = converter.context.ServiceManager
    converter.desktop = converter.service.createInstanceWithContext(
        "com.sun.star.frame.Desktop", converter.context)
    converter.filter_service = converter.service.createInstanceWithContext(
        "com.sun.star.document.FilterFactory", converter.context)
    converter.type_service = converter.service.createInstanceWithContext(
        "com.sun.star.document.TypeDetection", converter.context)
    converter.temp_dir = None
    # unoserver checks the export filter it is given against every export
    # filter LibreOffice has, which it lists over UNO on the first
    # conversion: a round trip per filter, 50-100 ms of every build's one
    # conversion.  The helper only ever exports with these two, so the list
    # it checks against is just them, read by name.
    converter._export_filters = [
        {p.Name: p.Value for p in converter.filter_service.getByName(name)}
        for name in EXPORT_FILTERS.values()]
    converter._import_filters = None
    return converter


def group_pids(pgid: int) -> list[int]:
    """Return the processes of process group *pgid*."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # Fields after the command name: state, ppid, pgrp, ...
            if int(stat.rpartition(")")[2].split()[2]) == pgid:
                pids.append(int(entry))
    return pids


def unix_listeners(pids: list[int]) -> list[str]:
    """Return the paths of the Unix sockets *pids* listen on."""
    inodes = set()
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(int(link[8:-1]))
    paths = []
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        # Num RefCount Protocol Flags Type St Inode Path; flag 0x10000 = listening.
        cols = line.split(None, 7)
        if (len(cols) == 8 and int(cols[6]) in inodes and int(cols[3], 16) & 0x10000
                and cols[7].startswith("/")):
            paths.append(cols[7])
    return paths


class Helper:
    """One LibreOffice, its private folder, and the protocol on private file descriptors."""

    def __init__(self, folder: Path, soffice: str, startup_timeout: float,
                 launched: Launched | None = None) -> None:
        self.folder = folder
        self.soffice = soffice
        self.startup_timeout = startup_timeout
        self.lock = threading.RLock()  # die() may run in a signal handler
        self.dying = False
        # LibreOffice, if ``launch`` started it already.
        self.office: subprocess.Popen[bytes] | Office | None = (
            launched.office if launched else None)
        self.pipe = launched.pipe if launched else "perfdoc_" + secrets.token_hex(16)
        # What uno.systemPathToFileUrl gives, without importing uno yet.
        profile_url = launched.profile_url if launched else profile_url_of(str(folder))
        self.profile_url: str = profile_url
        # Every soffice also listens on /tmp/OSL_PIPE_<uid>_SingleOfficeIPC_<md5
        # of the profile URL as UTF-16, each byte in unpadded hex>; named here
        # so it is removed even if LibreOffice dies before it could be listed.
        digest = hashlib.md5(profile_url.encode("utf-16-le")).digest()
        uid = os.getuid()
        self.sockets = {
            f"/tmp/OSL_PIPE_{uid}_{self.pipe}",
            f"/tmp/OSL_PIPE_{uid}_SingleOfficeIPC_" + "".join(format(b, "x") for b in digest),
        }
        self.requests: queue.Queue[Frame] = queue.Queue()
        # The protocol moves to private descriptors; fd 0 becomes /dev/null and
        # fd 1 the log, so nothing uno or soffice prints can corrupt a frame.
        self.inp = os.fdopen(os.dup(0), "rb")
        self.out = os.fdopen(os.dup(1), "wb")
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.dup2(2, 1)
        sys.stdout = sys.stderr

    def watch(self) -> None:
        """Queue requests; at end of file (perfdoc gone or done) clean up and exit."""
        while True:
            try:
                frame = read_frame(self.inp)
            except (OSError, ValueError):
                frame = None
            if frame is None:
                self.die(0)
            self.requests.put(frame)

    def die(self, code: int, reason: str | None = None) -> NoReturn:
        """Kill LibreOffice's group, remove every trace, exit; safe from any thread."""
        with self.lock:
            self.dying = True  # no soffice starts after this
            office = self.office
        if reason is not None:
            # Start-up failed: perfdoc reads why here, since the log is removed.
            log = self.folder / "helper.log"
            tail = log.read_bytes()[-800:].decode(errors="replace") if log.exists() else ""
            try:
                write_frame(self.out, {"op": "failed", "error": f"{reason}\n{tail}".strip()})
            except OSError:
                pass
        if office is not None:
            try:
                self.sockets.update(unix_listeners(group_pids(office.pid)))
            except OSError:
                pass
            try:
                os.killpg(office.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                office.wait(timeout=2)  # reap oosplash; soffice.bin goes to init
            except subprocess.TimeoutExpired:
                pass
        for path in self.sockets:
            try:
                os.unlink(path)
            except OSError:
                pass
        # A process killed mid-write may still finish that one write: retry.
        for _attempt in range(20):
            shutil.rmtree(self.folder, ignore_errors=True)
            if not self.folder.exists():
                break
            time.sleep(0.025)
        os._exit(code)

    def start(self) -> Any:
        """Start soffice (unless ``launch`` did) and connect to it through the pipe."""
        with self.lock:
            if self.dying:
                self.die(0)  # perfdoc is already gone
            if self.office is None:
                # As ``launch`` would: its own session, stdin /dev/null, output to the log.
                program, env = office_program(self.soffice)
                self.office = subprocess.Popen(
                    office_args(program, self.profile_url, self.pipe),
                    stdin=subprocess.DEVNULL, stdout=2, stderr=2, start_new_session=True,
                    env=env,
                )
        # LibreOffice is on its way; uno loads meanwhile.
        global uno
        import uno as uno_module
        from com.sun.star.connection import NoConnectException

        uno = uno_module
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                converter = _pipe_converter(self.pipe)
                break
            except NoConnectException:
                if self.office.poll() is not None:
                    self.die(3, "LibreOffice exited while starting")
                if time.monotonic() > deadline:
                    self.die(3, "LibreOffice did not accept a connection")
                time.sleep(0.01)  # a refused connect is cheap; LibreOffice is waited for
        converter.desktop = _Desktop(converter.desktop)
        self.sockets.update(unix_listeners(group_pids(self.office.pid)))
        return converter

    def serve(self, converter: Any, warm_up: str | None = None) -> NoReturn:
        """Answer conversion requests, one at a time, until stdin ends."""
        assert self.office is not None
        write_frame(self.out, {"op": "ready", "pgid": self.office.pid,
                               "sockets": sorted(self.sockets)})
        if warm_up and self.requests.empty():
            _warm_up(converter, warm_up)
        count = 0
        while True:
            header, data = self.requests.get()
            count += 1
            # The input keeps its type's suffix (LibreOffice's type detection
            # starts from it); the output is a PDF, or a .docx for an import.
            suffix = str(header.get("suffix", "docx"))
            to = "docx" if header.get("to") == "docx" else "pdf"
            if not suffix.isalnum() or not suffix.isascii() or len(suffix) > 5:
                suffix = "docx"
            src = self.folder / "work" / f"{count}.{suffix}"
            pdf = self.folder / "work" / f"{count}.out.{to}"
            answer: Frame = ({"ok": False, "error": "no answer"}, b"")
            try:
                if header.get("op") != "convert":
                    raise ValueError(f"unknown request {header.get('op')!r}")
                if self.office.poll() is not None:
                    raise RuntimeError("LibreOffice is not running")
                src.write_bytes(data)
                converter.desktop.update = to == "pdf"
                converter.desktop.unnumbered = {int(n) for n in header.get("unnumbered", [])}
                converter.convert(inpath=str(src), outpath=str(pdf), convert_to=to,
                                  filtername=EXPORT_FILTERS[to],
                                  filter_options=list(header.get("options", [])),
                                  update_index=False)  # done by _Desktop on load
                answer = ({"ok": True}, pdf.read_bytes())
            except Exception as exc:  # any failure is the answer, not the helper's end
                answer = ({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, b"")
            # The document and its PDF are removed before perfdoc hears back, so
            # none outlives its conversion even for a moment.
            for path in (src, pdf):
                try:
                    path.unlink()
                except OSError:
                    pass
            write_frame(self.out, *answer)


def main() -> None:
    """Start LibreOffice, say ready, then serve conversions until stdin ends."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--startup-timeout", type=float, default=90.0)
    parser.add_argument("--warm-up", default=None)
    args = parser.parse_args()
    # Before anything is created: LibreOffice's pipe sockets in /tmp take
    # their permissions from the umask, so no other user may connect.
    os.umask(0o077)
    helper = Helper(Path(args.folder), args.soffice, args.startup_timeout, _LAUNCHED)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, lambda *_args: helper.die(1))
    threading.Thread(target=helper.watch, daemon=True).start()
    try:
        helper.serve(helper.start(), args.warm_up)
    except BaseException:  # noqa: BLE001 - whatever happened, leave nothing behind
        traceback.print_exc()
        helper.die(1, "the converter helper failed")


if __name__ == "__main__":
    main()
