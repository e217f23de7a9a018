"""No other user can reach perfdoc's converters, and nothing of them outlives perfdoc.

The probe (tests/fixtures/probe_listeners.py) runs as user ``nobody`` against
every listener of the converter's processes; the same probe must get into a
deliberately open LibreOffice and socket, or it would prove nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from xmlrpc.server import SimpleXMLRPCServer

import pytest

from perfdoc.convert import ConverterPool
from perfdoc.libreoffice import find_soffice, unoserver_path
from tests.conftest import EXAMPLE, ROOT, edit, needs_libreoffice, soffice_processes

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="runs a probe as another user")
PROBE = ROOT / "tests" / "fixtures" / "probe_listeners.py"
STEM = "承德县三家镇人民政府_2024年部门预算绩效文本"


# --------------------------------------------------------------------------- /proc


def group_pids(pgid: int) -> list[int]:
    """The processes of process group *pgid*."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[2]) == pgid:
                pids.append(int(entry))
    return pids


def pids_mentioning(text: str) -> dict[int, str]:
    """The processes whose command line contains *text* (zombies have none)."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                args = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(
                    errors="replace")
            except OSError:
                continue
            if text in args:
                found[int(entry)] = args
    return found


def listeners(pids: list[int]) -> tuple[list[str], list[int]]:
    """Every listening Unix socket (path, ``@name`` if abstract) and TCP port of *pids*."""
    inodes: set[int] = set()
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
    unix = []
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        cols = line.split(None, 7)  # Num RefCount Protocol Flags Type St Inode Path
        if int(cols[6]) in inodes and int(cols[3], 16) & 0x10000:  # listening
            unix.append(cols[7] if len(cols) == 8 else f"<unnamed {cols[6]}>")
    tcp = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()  # sl local remote st ... uid timeout inode
            if cols[3] == "0A" and int(cols[9]) in inodes:
                tcp.append(int(cols[1].rpartition(":")[2], 16))
    return sorted(unix), sorted(tcp)


def run_probe(unix: list[str], tcp: list[int]) -> dict[str, object]:
    """Run the probe as ``nobody`` under the system Python, which has ``uno``."""
    # nobody can neither run the venv's Python (under /root) nor read this
    # run's TMPDIR, so the probe is copied to a world-readable folder in /tmp.
    folder = Path(tempfile.mkdtemp(prefix="perfdoc-probe-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        probe = folder / "probe.py"
        shutil.copy(PROBE, probe)
        probe.chmod(0o644)
        done = subprocess.run(
            ["/usr/bin/python3", str(probe), json.dumps({"unix": unix, "tcp": tcp})],
            user="nobody", group="nogroup", extra_groups=[], cwd="/", capture_output=True,
            text=True, timeout=300, env={"PATH": "/usr/bin:/bin", "TMPDIR": "/tmp", "HOME": "/tmp"},
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    assert report["uid"] != 0
    return report


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def docx_bytes(cli, example: Path) -> bytes:
    assert cli("build", example, "--format", "docx").code == 0
    return (example / "build" / f"{STEM}.docx").read_bytes()


# --------------------------------------------------------------------------- private


@as_root
def test_nobody_else_can_reach_a_live_converter(cli, example) -> None:
    docx = docx_bytes(cli, example)
    pdfs: list[bytes] = []
    with ConverterPool(jobs=1) as pool:
        assert pool.convert(docx, label="sanjia_2024").startswith(b"%PDF")
        conv = pool._all[0]
        assert conv.process is not None and conv.office_pgid is not None
        helper, office = group_pids(conv.process.pid), group_pids(conv.office_pgid)
        assert helper == [conv.process.pid] and len(office) >= 2  # oosplash, soffice.bin
        unix, tcp = listeners(helper + office)
        modes = {path: os.stat(path).st_mode & 0o777 for path in unix}
        # Probe while the converter works on another document.
        worker = threading.Thread(
            target=lambda: pdfs.append(pool.convert(docx, label="sanjia_2024")))
        worker.start()
        report = run_probe(unix, tcp)
        worker.join(300)
    assert pdfs and pdfs[0].startswith(b"%PDF")
    assert tcp == []  # no network listener at all
    uid = os.getuid()
    assert len(unix) == 2, unix  # the UNO pipe and the single-instance pipe, both in /tmp
    assert {p.rsplit("_", 1)[0] for p in unix} == {
        f"/tmp/OSL_PIPE_{uid}_perfdoc", f"/tmp/OSL_PIPE_{uid}_SingleOfficeIPC"}, unix
    assert set(modes.values()) == {0o700}, modes  # the umask reached LibreOffice
    assert report["probed"] and len(report["probed"]) == 2 * len(unix)
    assert report["succeeded"] == [], report
    assert not [p for p in unix if os.path.exists(p)]  # removed with the converter
    assert soffice_processes() == []


@as_root
def test_the_probe_gets_into_an_open_soffice_and_socket(tmp_path) -> None:
    """The positive control: what the probe reports as closed, it could have opened."""
    port, pipe = free_port(), "perfdoc_open_" + secrets.token_hex(8)
    pipe_path = f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}"
    (tmp_path / "tmp").mkdir()
    office = subprocess.Popen(
        [find_soffice() or "soffice", "--headless", "--invisible", "--norestore", "--nologo",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        umask=0o022, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "TMPDIR": str(tmp_path / "tmp"), "SAL_USE_VCLPLUGIN": "svp"},
    )
    sock_dir = Path(tempfile.mkdtemp(prefix="perfdoc-open-", dir="/tmp"))
    server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True)
    server.register_function(lambda *args: True, "convert")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    office_sockets: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while not (os.path.exists(pipe_path) and listeners(group_pids(office.pid))[1]):
            assert time.monotonic() < deadline and office.poll() is None, "soffice did not start"
            time.sleep(0.1)
        office_sockets = listeners(group_pids(office.pid))[0]
        # A pipe made without a security handle is 0777 in LibreOffice's own code.
        os.chmod(pipe_path, 0o777)
        sock_dir.chmod(0o755)
        open_sock = str(sock_dir / "open.sock")
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(open_sock)
        os.chmod(open_sock, 0o777)
        listener.listen()
        xml_port = server.server_address[1]
        report = run_probe([pipe_path, open_sock], [port, xml_port])
        listener.close()
    finally:
        server.shutdown()
        os.killpg(office.pid, signal.SIGKILL)
        office.wait()
        for path in office_sockets:
            Path(path).unlink(missing_ok=True)
        shutil.rmtree(sock_dir, ignore_errors=True)
    got = set(report["succeeded"])  # type: ignore[arg-type]
    assert {f"unix-connect {pipe_path}", f"unix-uno {pipe_path}", f"unix-connect {open_sock}",
            f"tcp-connect {port}", f"tcp-uno {port}", f"tcp-connect {xml_port}",
            f"tcp-xmlrpc {xml_port}"} <= got, report


# --------------------------------------------------------------------------- dies with perfdoc


def make_batch(root: Path, count: int) -> Path:
    for i in range(1, count + 1):
        folder = root / f"unit{i}"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
        edit(folder / "document.yaml", "unit: 承德县三家镇人民政府", f"unit: 第{i}镇人民政府")
    return root


@pytest.fixture
def private_tmpdir(tmp_path: Path) -> Path:
    """A TMPDIR of its own for a perfdoc subprocess, so its files can be told apart."""
    folder = tmp_path / "perfdoc-tmpdir"
    folder.mkdir()
    return folder


class SocketWatch:
    """Record, while it runs, the listening sockets of every process mentioning a path."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: set[str] = set()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def look(self) -> set[str]:
        now = set(listeners(list(pids_mentioning(self.text)))[0])
        self.seen |= now
        return now

    def _run(self) -> None:
        while not self.stopping.wait(0.02):
            self.look()

    def __enter__(self) -> SocketWatch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()


def leftovers(tmpdir: Path) -> dict[str, object]:
    return {
        "processes": pids_mentioning(str(tmpdir)),
        "folders": sorted(p.name for p in tmpdir.glob("perfdoc-lo-*")),
        "lu": sorted(p.name for p in tmpdir.glob("lu*.tmp")),
    }


def test_kill_9_of_perfdoc_leaves_nothing(tmp_path, private_tmpdir) -> None:
    ws = make_batch(tmp_path / "ws", 3)
    env = {**os.environ, "TMPDIR": str(private_tmpdir)}
    proc = subprocess.Popen([sys.executable, "-m", "perfdoc", "build", str(ws), "--force",
                             "--jobs", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        with SocketWatch(str(private_tmpdir)) as watch:
            deadline = time.monotonic() + 90
            # Until a LibreOffice of this build is up, with both of its sockets.
            while not any("OSL_PIPE" in p and "SingleOfficeIPC" not in p for p in watch.look()):
                assert time.monotonic() < deadline and proc.poll() is None, "no soffice seen"
                time.sleep(0.02)
            assert any("soffice" in args for args in pids_mentioning(str(private_tmpdir)).values())
            proc.kill()  # SIGKILL: perfdoc runs no code of its own after this
            proc.wait()
        killed = time.monotonic()
        while any(leftovers(private_tmpdir).values()) and time.monotonic() - killed < 5:
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert leftovers(private_tmpdir) == {"processes": {}, "folders": [], "lu": []}
    assert time.monotonic() - killed < 5
    assert any("SingleOfficeIPC" in p for p in watch.seen), watch.seen
    assert [p for p in watch.seen if os.path.exists(p)] == []


def test_a_normal_build_leaves_nothing(tmp_path, private_tmpdir) -> None:
    ws = make_batch(tmp_path / "ws", 2)
    env = {**os.environ, "TMPDIR": str(private_tmpdir)}
    with SocketWatch(str(private_tmpdir)) as watch:
        done = subprocess.run([sys.executable, "-m", "perfdoc", "build", str(ws), "--jobs", "2"],
                              env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert list((ws / "unit1" / "build").glob("*.pdf"))
    assert list(private_tmpdir.iterdir()) == []  # no lu*.tmp, no perfdoc-lo-*, nothing
    assert pids_mentioning(str(private_tmpdir)) == {}
    assert any("SingleOfficeIPC" in p for p in watch.seen), watch.seen
    assert [p for p in watch.seen if os.path.exists(p)] == []


def test_a_killed_helper_is_cleaned_up_by_stop(cli, example) -> None:
    docx = docx_bytes(cli, example)
    with ConverterPool(jobs=1) as pool:
        pool.convert(docx, label="sanjia_2024")
        conv = pool._all[0]
        assert conv.process is not None and conv.office_pgid is not None
        folder, sockets, office = conv.folder, list(conv.sockets), conv.office_pgid
        conv.process.kill()  # the helper cannot clean up: perfdoc must
        conv.process.wait()
        assert group_pids(office)  # its LibreOffice is still running
    assert group_pids(office) == [] or all(
        Path(f"/proc/{pid}/cmdline").read_bytes() == b"" for pid in group_pids(office))
    assert folder is not None and not folder.exists()
    assert [p for p in sockets if os.path.exists(p)] == []
    assert soffice_processes() == []


# --------------------------------------------------------------------------- --converter


def test_unreachable_converter_fails_fast(example) -> None:
    port = free_port()
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "perfdoc", "--lang", "en", "build", str(example),
                           "--converter", f"127.0.0.1:{port}"], capture_output=True, text=True,
                          timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert elapsed < 5, elapsed
    assert f"127.0.0.1:{port}" in done.stderr and "sanjia_2024" in done.stderr
    assert "draft.docx" not in done.stderr


@contextlib.contextmanager
def running_unoserver(folder: Path, log: Path | None = None
                      ) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A stock unoserver (XML-RPC and UNO on 127.0.0.1), as a user would run one.

    With *log*, it logs every request there (``--verbose``).
    """
    port, uno_port = free_port(), free_port()
    (folder / "lo-tmp").mkdir(parents=True)
    server = subprocess.Popen(
        ["/usr/bin/python3", "-m", "unoserver.server", "--port", str(port), "--uno-port",
         str(uno_port), "--user-installation", str(folder / "lo-profile"),
         *(["--verbose"] if log is not None else [])],
        env={**os.environ, "PYTHONPATH": unoserver_path(), "TMPDIR": str(folder / "lo-tmp"),
             "SAL_USE_VCLPLUGIN": "svp"},
        start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log is not None else subprocess.DEVNULL, cwd=folder,
    )
    sockets: list[str] = []
    try:
        import xmlrpc.client

        deadline = time.monotonic() + 120
        while True:  # it sleeps about seven seconds before it serves
            assert server.poll() is None and time.monotonic() < deadline, "unoserver did not start"
            try:
                with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}") as proxy:
                    proxy.info()
                break
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.2)
        sockets = listeners(group_pids(server.pid))[0]
        yield port, server
    finally:
        with contextlib.suppress(OSError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()
        for path in sockets:
            Path(path).unlink(missing_ok=True)


@pytest.fixture
def stock_unoserver(tmp_path: Path) -> Iterator[int]:
    """The port of a stock unoserver running for the length of the test."""
    with running_unoserver(tmp_path) as (port, _server):
        yield port


def test_stock_unoserver_converter_makes_the_pdf(cli, example, stock_unoserver) -> None:
    run = cli("build", example, "--converter", f"127.0.0.1:{stock_unoserver}")
    assert run.code == 0, run.out + run.err
    pdf = example / "build" / f"{STEM}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "部门整体绩效目标" in text
