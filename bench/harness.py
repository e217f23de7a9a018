"""What every benchmark scenario shares: running and timing a child, its results.

A scenario (``bench/scenarios/``) measures with :func:`measure` and keeps its
samples in :class:`Result`; ``bench/report.py`` turns what it returns into the
report.  Also here: the machine description and the lock on bench/work/.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"  # git-ignored: workspaces, outputs, soffice profile
EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "sanjia_2024"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PERFDOC = ROOT / ".venv" / "bin" / "perfdoc"
FONTS_CONF = ROOT / "src" / "perfdoc" / "data" / "fonts.conf"


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One child process: wall time and memory."""

    wall_s: float
    returncode: int
    #: ``ru_maxrss`` from wait4 (KiB): the child's peak, or a reaped
    #: descendant's if that was larger.  Exact for a process without children.
    maxrss_kib: int
    #: Peak ``VmHWM`` of the child itself (KiB), polled from /proc while it ran.
    #: Excludes children, so it is perfdoc's own memory even while soffice runs.
    hwm_kib: int | None
    stderr_tail: str = ""  # the end of stdout + stderr, to explain a failure


def _read_hwm(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None  # gone, or a zombie (which has no Vm* lines)


def measure(cmd: Sequence[str], *, env: dict[str, str] | None = None,
            timeout: float = 3600.0, poll_hwm: bool = False, log: Path | None = None) -> Sample:
    """Run *cmd* as a fresh child; return its wall time and peak memory.

    The parent blocks in ``os.wait4`` so the wall time is exact (no polling
    granularity) and ``ru_maxrss`` belongs to this one child, not to every child
    the benchmark ever ran (which is what ``RUSAGE_CHILDREN`` would give).
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # Output goes to a file, not a pipe: nobody reads a pipe while we wait,
        # and a full pipe would stall the child.
        proc = subprocess.Popen(list(cmd), stdin=subprocess.DEVNULL, stdout=err,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
        hwm: list[int] = []  # the highest VmHWM seen, once there is one
        done = threading.Event()

        def poll() -> None:
            # VmHWM only grows, so the last value read before exit is the peak
            # (give or take what happens in the final 5 ms).
            while not done.is_set():
                value = _read_hwm(proc.pid)
                if value is not None:
                    hwm[:] = [max(hwm[0], value) if hwm else value]
                done.wait(0.005)

        def kill() -> None:
            # SIGTERM first so perfdoc can stop the converters it started.
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    return
                if done.wait(10):
                    return

        poller = threading.Thread(target=poll, daemon=True) if poll_hwm else None
        if poller:
            poller.start()
        watchdog = threading.Timer(timeout, kill)
        watchdog.daemon = True
        watchdog.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        watchdog.cancel()
        if poller:
            poller.join()
        proc.returncode = os.waitstatus_to_exitcode(status)  # we reaped it, not Popen
        err.seek(0)
        output = err.read()
        if log is not None:  # the whole output, to read when a number looks wrong
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_bytes(b"$ " + shlex.join(cmd).encode() + b"\n" + output)
        tail = output[-2000:].decode("utf-8", errors="replace")
    return Sample(wall, proc.returncode, usage.ru_maxrss, hwm[0] if hwm else None, tail)


@dataclass
class Result:
    """Repeated samples of one method at one size, with what it produced."""

    samples: list[Sample] = field(default_factory=list)
    outputs: int = 0
    expected: int = 0
    ok: bool = True
    note: str = ""
    #: LibreOffice passes per document, from the stamps: {"1": n, "2": m}.
    passes: dict[str, int] = field(default_factory=dict)
    #: Documents whose PDF 目录 shows page numbers / PDFs inspected.
    toc_filled: int | None = None
    toc_checked: int | None = None
    #: Per-file methods, (c) and (d): each process's wall time in the last repeat.
    per_call_s: list[float] = field(default_factory=list)
    #: (c): conversions that failed once and were run again (both walls count).
    retries: int = 0

    @property
    def wall_s(self) -> float:
        return statistics.median(s.wall_s for s in self.samples)

    @property
    def maxrss_kib(self) -> int:
        return max(s.maxrss_kib for s in self.samples)

    @property
    def hwm_kib(self) -> int | None:
        values = [s.hwm_kib for s in self.samples if s.hwm_kib is not None]
        return max(values) if values else None

    def summary(self) -> dict[str, Any]:
        """Raw samples plus the derived numbers, for results.json."""
        data = asdict(self)
        data.update(wall_s=self.wall_s if self.samples else None,
                    maxrss_kib=self.maxrss_kib if self.samples else None,
                    hwm_kib=self.hwm_kib if self.samples else None)
        return data


def aggregate(calls: list[Sample]) -> Sample:
    """One Sample for a batch done as one process per file: walls add up."""
    return Sample(
        wall_s=sum(s.wall_s for s in calls),
        returncode=max((s.returncode for s in calls), default=0),
        maxrss_kib=max((s.maxrss_kib for s in calls), default=0),
        hwm_kib=None,
        stderr_tail=next((s.stderr_tail for s in calls if s.returncode), ""),
    )


def check_ok(result: Result, what: str) -> None:
    """Mark *result* failed, with a note, if a sample failed or files are missing."""
    bad = [s for s in result.samples if s.returncode != 0]
    if bad:
        result.ok = False
        result.note = (f"{what} exited {bad[0].returncode} (full output in "
                       f"{(WORK / 'logs').relative_to(ROOT)}/): "
                       f"{bad[0].stderr_tail.strip()[-300:]}")
    elif result.outputs != result.expected:
        result.ok = False
        result.note = f"{what} wrote {result.outputs} of {result.expected} files"
    if not result.ok:
        print(f"  !! {result.note}", file=sys.stderr)


def log_path(out: Path, what: str) -> Path:
    """Where a measured perfdoc run's output is kept: bench/work/logs/<size>-<method>-<what>."""
    return WORK / "logs" / f"{out.parent.name}-{out.name}-{what}.log"


def fresh(path: Path) -> Path:
    """Empty *path* (create it if needed) and return it."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def soffice_env() -> dict[str, str]:
    """The environment of a plain soffice call: perfdoc's fonts.conf, so both draw the same."""
    env = dict(os.environ)
    if FONTS_CONF.is_file():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def stamp_passes(out: Path) -> dict[str, int]:
    """Count documents by ``libreoffice_passes`` in the build stamps."""
    counts: Counter[str] = Counter()
    for stamp in out.glob(".*.perfdoc.json"):
        try:
            passes = json.loads(stamp.read_text(encoding="utf-8")).get("libreoffice_passes")
        except (OSError, ValueError):
            continue
        counts[str(passes)] += 1
    return dict(sorted(counts.items()))


_LEADER = re.compile(r"(\.{5,}|…{2,}|·{5,})")
_LEADER_NUMBER = re.compile(r"(\.{5,}|…{2,}|·{5,})\s*\d+\s*$")


def toc_filled(pdfs: Sequence[Path]) -> tuple[int | None, int | None]:
    """Count PDFs whose 目录 (page 2) has a page number after every dot leader."""
    if not pdfs or shutil.which("pdftotext") is None:
        return None, None
    filled = 0
    for pdf in pdfs:
        done = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"],
                              capture_output=True, text=True, timeout=60)
        leaders = [ln for ln in done.stdout.splitlines() if _LEADER.search(ln)]
        if leaders and all(_LEADER_NUMBER.search(ln) for ln in leaders):
            filled += 1
    return filled, len(pdfs)


# --------------------------------------------------------------------------- the machine


def machine(perfdoc: Sequence[str]) -> dict[str, str]:
    """Describe the machine; every field is best effort."""

    def run(cmd: Sequence[str]) -> str:
        try:
            return subprocess.run(list(cmd), capture_output=True, text=True, timeout=120,
                                  cwd=ROOT).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"

    def field_of(path: str, key: str, sep: str) -> str:
        try:
            for line in Path(path).read_text(errors="replace").splitlines():
                k, _s, v = line.partition(sep)
                if k.strip() == key:
                    return v.strip().strip('"')
        except OSError:
            pass
        return "?"

    mem_kib = field_of("/proc/meminfo", "MemTotal", ":").split()[0]
    return {
        "cpu": field_of("/proc/cpuinfo", "model name", ":"),
        "cores": str(os.cpu_count()),
        "memory": f"{int(mem_kib) / 1024 / 1024:.1f} GiB" if mem_kib.isdigit() else "?",
        "os": field_of("/etc/os-release", "PRETTY_NAME", "="),
        "kernel": platform.release(),
        "python": run([str(VENV_PYTHON), "--version"]),
        "libreoffice": run(["soffice", "--version"]),
        "pandoc": run(["pandoc", "--version"]).splitlines()[0] if shutil.which("pandoc") else "?",
        "perfdoc": run([*perfdoc, "--version"]),
        # Other work on a 2-core machine skews every number; record how busy it was.
        "load average at start": loadavg(),
        "git": source_revision(),
    }


def source_revision() -> str:
    """The commit perfdoc is built from, flagged when src/ or templates/ are edited."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], capture_output=True, text=True, timeout=60,
                                  cwd=ROOT).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"

    dirty = git("status", "--porcelain", "--", "src", "templates")
    return git("rev-parse", "--short", "HEAD") + (
        " + uncommitted changes in src/ or templates/" if dirty else "")


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages, as /proc/loadavg gives them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def hold_lock() -> IO[str]:
    """Hold bench/work/.lock for the whole run, waiting if another run has it.

    Two runs at once would delete each other's workspaces and outputs (every
    run regenerates bench/work/) and share two cores, spoiling both.
    """
    WORK.mkdir(exist_ok=True)
    handle = open(WORK / ".lock", "a+")  # noqa: SIM115 - held until the process exits
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("another bench/run.py holds bench/work/.lock; waiting for it to finish",
              file=sys.stderr, flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)
    return handle
