"""perfdoc benchmark: ``make bench`` (``.venv/bin/python bench/run.py``).

Measures, side by side in one run (the machines are noisy, so the
numbers that matter are ratios between methods measured together):

  (a) ``perfdoc build WS --format docx --force -o OUT``         one process per batch
  (b) ``perfdoc build WS --force -o OUT --jobs 2``              .docx + PDF, warm converters
  (c) ``soffice --headless --convert-to pdf`` per .docx from (a)  naive baseline, empty 目录
  (d) ``pandoc -f markdown -t docx`` per document                 .docx baseline

plus the floor (interpreter + imports) and the example's own .docx build.
Every command runs as a fresh child process, so wall times include
interpreter start, as a user or CI sees them.  Results go to
``bench/results.md`` and ``bench/results.json`` (``--quick``: ``bench/work/``).
"""

from __future__ import annotations

import argparse
import datetime
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
EXAMPLE = ROOT / "examples" / "sanjia_2024"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
PERFDOC = ROOT / ".venv" / "bin" / "perfdoc"
FONTS_CONF = ROOT / "src" / "perfdoc" / "data" / "fonts.conf"

sys.path.insert(0, str(BENCH))
import synth  # noqa: E402  (bench/ is not a package; run.py is run as a script)

FULL_SIZES = (1, 10, 50, 200)
QUICK_SIZES = (1, 10)
FLOOR_IMPORTS = "import click, yaml, pydantic, jinja2, docx, docxtpl"

# Targets (the brief / issue): name -> threshold.
TARGET_PDF_SPEEDUP = 5.0  # (b) at least 5x faster than (c) at N=50, with the 目录 filled
TARGET_MARGINAL_MS = 10.0  # marginal .docx cost per project table in a batch
TARGET_RSS_RATIO = 1.2  # perfdoc's peak RSS at N=200 over N=10
TARGET_EXAMPLE_S = 0.4  # the example's .docx, interpreter start included
TARGET_IMPORT_S = 1.0  # perfdoc import of a 20-project .docx, interpreter start included
IMPORT_PROJECTS = 20


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


def _aggregate(calls: list[Sample]) -> Sample:
    """One Sample for a batch done as one process per file: walls add up."""
    return Sample(
        wall_s=sum(s.wall_s for s in calls),
        returncode=max((s.returncode for s in calls), default=0),
        maxrss_kib=max((s.maxrss_kib for s in calls), default=0),
        hwm_kib=None,
        stderr_tail=next((s.stderr_tail for s in calls if s.returncode), ""),
    )


def _check_ok(result: Result, what: str) -> None:
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


def _log(out: Path, what: str) -> Path:
    """Where a measured perfdoc run's output is kept: bench/work/logs/<size>-<method>-<what>."""
    return WORK / "logs" / f"{out.parent.name}-{out.name}-{what}.log"


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# --------------------------------------------------------------------------- the methods


@dataclass(frozen=True)
class Env:
    """What the methods run: executables and environments."""

    perfdoc: tuple[str, ...]
    perfdoc_python: str  # the interpreter perfdoc is installed in (for the trace)
    soffice: str
    pandoc: str
    jobs: int
    timeout: float


def perfdoc_docx(env: Env, ws: Path, out: Path, n_docs: int, repeats: int) -> Result:
    """(a) one perfdoc process builds every document's .docx."""
    result = Result(expected=n_docs)
    for i in range(repeats):
        _fresh(out)  # equal work each time: nothing left from the last repeat
        result.samples.append(measure(
            [*env.perfdoc, "build", str(ws), "--format", "docx", "--force", "-o", str(out)],
            timeout=env.timeout, poll_hwm=True, log=_log(out, f"run{i + 1}")))
    result.outputs = len(list(out.glob("*.docx")))
    _check_ok(result, "perfdoc build --format docx")
    return result


def perfdoc_pdf(env: Env, ws: Path, out: Path, n_docs: int, *, cold: bool) -> Result:
    """(b) one perfdoc process builds .docx + PDF with --jobs warm converters.

    *cold*: an empty output folder, so no stamp holds the last build's page
    numbers (a build that guesses the 目录 from them may need a second
    LibreOffice pass).  Warm: a --force rebuild over the cold run's outputs,
    as in CI with a cached build/ folder or a user rebuilding after an edit.
    The passes actually taken are read from the stamps either way.
    """
    if cold:
        _fresh(out)
    result = Result(expected=2 * n_docs)
    # VmHWM of perfdoc's python only: the converters run in their own session
    # and their memory is LibreOffice's, not perfdoc's.
    result.samples.append(measure(
        [*env.perfdoc, "build", str(ws), "--force", "-o", str(out), "--jobs", str(env.jobs)],
        timeout=env.timeout, poll_hwm=True, log=_log(out, "cold" if cold else "warm")))
    result.outputs = len(list(out.glob("*.docx"))) + len(list(out.glob("*.pdf")))
    result.passes = _passes(out)
    result.toc_filled, result.toc_checked = _toc_filled(sorted(out.glob("*.pdf")))
    _check_ok(result, "perfdoc build")
    return result


def soffice_naive(env: Env, docx_dir: Path, out: Path, profile: Path) -> Result:
    """(c) one ``soffice --convert-to pdf`` process per .docx, one after another.

    The profile is shared and warmed before timing (a fresh profile would add
    its creation to every call), which is the baseline at its best.  perfdoc's fonts.conf
    is passed so both draw the same fonts and do the same layout work.
    """
    _fresh(out)
    files = sorted(docx_dir.glob("*.docx"))
    result = Result(expected=len(files))
    calls: list[Sample] = []
    for docx in files:
        cmd = [env.soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), str(docx)]
        call = measure(cmd, env=_soffice_env(), timeout=env.timeout)
        if call.returncode != 0 or not (out / f"{docx.stem}.pdf").exists():
            # soffice now and then exits 1 on a file it converts fine the next
            # time; a script would retry too, so the retry's time counts.
            print(f"  (c) retrying {docx.name}: {call.stderr_tail.strip()[-200:]}",
                  file=sys.stderr)
            result.retries += 1
            again = measure(cmd, env=_soffice_env(), timeout=env.timeout)
            call = Sample(call.wall_s + again.wall_s, again.returncode,
                          max(call.maxrss_kib, again.maxrss_kib), None, again.stderr_tail)
        calls.append(call)
    result.samples.append(_aggregate(calls))
    result.per_call_s = [s.wall_s for s in calls]
    result.outputs = len(list(out.glob("*.pdf")))
    result.toc_filled, result.toc_checked = _toc_filled(sorted(out.glob("*.pdf")))
    _check_ok(result, "soffice --convert-to pdf")
    return result


def pandoc_docx(env: Env, md_dir: Path, out: Path, repeats: int) -> Result:
    """(d) one ``pandoc -f markdown -t docx`` process per document."""
    files = sorted(md_dir.glob("*.md"))
    result = Result(expected=len(files))
    for _ in range(repeats):
        _fresh(out)
        # A repeat's wall is the sum over its per-document processes.
        calls = [
            measure([env.pandoc, "-f", "markdown", "-t", "docx", "-o",
                     str(out / f"{md.stem}.docx"), str(md)], timeout=env.timeout)
            for md in files
        ]
        result.samples.append(_aggregate(calls))
        result.per_call_s = [s.wall_s for s in calls]
    result.outputs = len(list(out.glob("*.docx")))
    _check_ok(result, "pandoc")
    return result


def _soffice_env() -> dict[str, str]:
    env = dict(os.environ)
    if FONTS_CONF.is_file():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def _passes(out: Path) -> dict[str, int]:
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


def _toc_filled(pdfs: Sequence[Path]) -> tuple[int | None, int | None]:
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


# --------------------------------------------------------------------------- the run


@dataclass
class SizeResult:
    """Everything measured for one batch size."""

    label: str
    n: int
    projects: int
    indicators: int
    docx: Result | None = None  # (a)
    pdf_cold: Result | None = None  # (b), empty output folder
    pdf_warm: Result | None = None  # (b), rebuild over the cold outputs
    naive: Result | None = None  # (c)
    pandoc: Result | None = None  # (d)
    skipped: list[str] = field(default_factory=list)


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
        "load average at start": _loadavg(),
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


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def generate(sizes: Sequence[int], seed: int) -> dict[int, tuple[Path, Path, list[synth.SynthDoc]]]:
    """Write one workspace (and its markdown twins) per size under bench/work/."""
    made: dict[int, tuple[Path, Path, list[synth.SynthDoc]]] = {}
    docs = [synth.make_document(i, seed=seed, example=EXAMPLE) for i in range(max(sizes))]
    for n in sizes:
        ws, md = _fresh(WORK / "ws" / f"n{n}"), _fresh(WORK / "md" / f"n{n}")
        for doc in docs[:n]:
            folder = synth.write_document(doc, ws)
            (md / f"{doc.folder_name}.md").write_text(synth.markdown_for(folder),
                                                     encoding="utf-8")
        made[n] = (ws, md, docs[:n])
    return made


def _example_md() -> Path:
    md = _fresh(WORK / "md" / "example")
    (md / "sanjia_2024.md").write_text(synth.markdown_for(EXAMPLE), encoding="utf-8")
    return md


def run_size(label: str, env: Env, ws: Path, md: Path, n: int, projects: int, indicators: int,
             *, repeats: int, pdf: bool, profile: Path) -> SizeResult:
    """Measure (a), (d) and, when *pdf*, (b) cold, (b) warm and (c) for one workspace."""
    res = SizeResult(label, n, projects, indicators)
    out = _fresh(WORK / "out" / label)
    print(f"[{label}] N={n}, {projects} project tables, {indicators} indicators", flush=True)
    res.docx = perfdoc_docx(env, ws, out / "a-docx", n, repeats)
    print(f"  (a) perfdoc docx        {res.docx.wall_s:8.2f} s", flush=True)
    res.pandoc = pandoc_docx(env, md, out / "d-pandoc", repeats)
    print(f"  (d) pandoc per file     {res.pandoc.wall_s:8.2f} s", flush=True)
    if not pdf:
        return res
    res.pdf_cold = perfdoc_pdf(env, ws, out / "b-pdf", n, cold=True)
    print(f"  (b) perfdoc pdf, cold   {res.pdf_cold.wall_s:8.2f} s  passes {res.pdf_cold.passes}",
          flush=True)
    res.pdf_warm = perfdoc_pdf(env, ws, out / "b-pdf", n, cold=False)
    print(f"  (b) perfdoc pdf, warm   {res.pdf_warm.wall_s:8.2f} s  passes {res.pdf_warm.passes}",
          flush=True)
    res.naive = soffice_naive(env, out / "a-docx", out / "c-soffice", profile)
    print(f"  (c) soffice per file    {res.naive.wall_s:8.2f} s", flush=True)
    return res


def warm_profile(env: Env, docx: Path) -> Path:
    """Create the shared soffice profile with one untimed conversion."""
    profile = _fresh(WORK / "soffice-profile")
    measure([env.soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
             "--convert-to", "pdf", "--outdir", str(_fresh(WORK / "out" / "warmup")), str(docx)],
            env=_soffice_env(), timeout=env.timeout)
    return profile


def trace_pdf_build(env: Env, label: str, ws: Path) -> dict[str, Any]:
    """One extra, unmeasured cold PDF build with perfdoc's converter stages timed.

    Kept apart from the measured runs so that those are exactly the commands
    a user types; this one only explains where their time goes.
    """
    out, trace = _fresh(WORK / "out" / f"trace-{label}"), WORK / f"trace-{label}.json"
    trace.unlink(missing_ok=True)
    sample = measure([env.perfdoc_python, str(BENCH / "trace_converters.py"), str(trace),
                      "build", str(ws), "--force", "-o", str(out), "--jobs", str(env.jobs)],
                     timeout=env.timeout)
    try:
        raw: dict[str, Any] = json.loads(trace.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"label": label, "error": f"no trace (exit {sample.returncode})"}
    events: list[dict[str, Any]] = raw.get("events", [])

    def of(stage: str) -> list[dict[str, Any]]:
        return [e for e in events if e["stage"] == stage]

    # Stages overlap (converters may start while another converts), so the
    # breakdown is a timeline: before the first conversion, the span of
    # conversions, and after the last one; plus how long each stage took.
    conv, starts = of("convert"), of("start")
    first = min((e["at_s"] for e in conv), default=0.0)
    last = max((e["at_s"] + e["seconds"] for e in conv), default=0.0)
    lead_in = sample.wall_s - float(raw.get("total_s", sample.wall_s))  # interpreter start
    return {
        "label": label, "error": raw.get("error", ""), "wall_s": sample.wall_s,
        "until_first_conversion_s": lead_in + first,
        "conversion_span_s": last - first,
        "after_last_conversion_s": sample.wall_s - lead_in - last,
        "converter_starts": len(starts),
        "start_median_s": statistics.median(e["seconds"] for e in starts) if starts else None,
        "conversions": len(conv),
        "conversion_median_s": statistics.median(e["seconds"] for e in conv) if conv else None,
        "conversion_sum_s": sum(e["seconds"] for e in conv),
        "converter_stops": len(of("stop")), "stop_s": sum(e["seconds"] for e in of("stop")),
        "events": events,
    }


# --------------------------------------------------------------------------- reporting


def _fmt_s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f} s" if v >= 1 else f"{v * 1000:.0f} ms"


def _fmt_mib(kib: int | None) -> str:
    return "—" if kib is None else f"{kib / 1024:.0f} MiB"


def _passes_text(passes: dict[str, int]) -> str:
    """``{"2": 50}`` -> ``50 × 2``: documents × LibreOffice passes each."""
    return ", ".join(f"{docs} × {n}" for n, docs in passes.items()) or "—"


def _toc(r: Result | None) -> str:
    if r is None or r.toc_checked is None:
        return "—"
    return f"{r.toc_filled}/{r.toc_checked}"


def _ok(r: Result | None, text: str) -> str:
    return text if r is None or r.ok else f"{text} (FAILED)"


@dataclass
class Target:
    """One target line: measured against threshold."""

    name: str
    measured: str
    target: str
    verdict: str


def _verdict_max(value: float, limit: float, unit: str) -> str:
    """PASS/MISS for 'value must be at most limit', with the margin."""
    if value <= limit:
        return f"PASS ({(1 - value / limit) * 100:.0f}% under)"
    return f"MISS by {value - limit:.3g}{unit} ({(value / limit - 1) * 100:.0f}% over)"


def targets(sizes: dict[int, SizeResult], floor: dict[str, Any]) -> list[Target]:
    """Evaluate the four targets, plus (a) vs (d) per document as information."""
    out: list[Target] = []
    s50 = sizes.get(50)
    if s50 and s50.pdf_cold and s50.naive and s50.pdf_cold.ok and s50.naive.ok:
        speed = s50.naive.wall_s / s50.pdf_cold.wall_s
        speed_warm = (s50.naive.wall_s / s50.pdf_warm.wall_s) if s50.pdf_warm else None
        toc = s50.pdf_cold.toc_filled == s50.pdf_cold.toc_checked
        verdict = ("PASS" if speed >= TARGET_PDF_SPEEDUP else
                   f"MISS by {TARGET_PDF_SPEEDUP - speed:.1f}× "
                   f"({(1 - speed / TARGET_PDF_SPEEDUP) * 100:.0f}% short)")
        if not toc:
            verdict = ("MISS (目录 not filled)" if verdict == "PASS"
                       else verdict + "; 目录 not filled")
        warm = f"; warm rebuild {speed_warm:.1f}×" if speed_warm else ""
        out.append(Target("(b) vs (c) at N=50, PDF with 目录 filled",
                          f"{speed:.1f}× faster (cold){warm}; 目录 filled "
                          f"{_toc(s50.pdf_cold)} vs {_toc(s50.naive)}",
                          f"≥{TARGET_PDF_SPEEDUP:.0f}×, 目录 filled", verdict))
    else:
        out.append(Target("(b) vs (c) at N=50", "not measured", f"≥{TARGET_PDF_SPEEDUP:.0f}×", "—"))
    s10, s200 = sizes.get(10), sizes.get(200)
    if s10 and s200 and s10.docx and s200.docx and s10.docx.ok and s200.docx.ok:
        marginal = (s200.docx.wall_s - s10.docx.wall_s) / (s200.projects - s10.projects) * 1000
        out.append(Target("marginal .docx cost per project table, (a) N=10→200",
                          f"{marginal:.1f} ms", f"≤{TARGET_MARGINAL_MS:.0f} ms",
                          _verdict_max(marginal, TARGET_MARGINAL_MS, " ms")))
        ratio = s200.docx.maxrss_kib / s10.docx.maxrss_kib
        out.append(Target("perfdoc peak RSS, (a) N=200 / N=10",
                          f"{ratio:.2f}× ({_fmt_mib(s200.docx.maxrss_kib)} / "
                          f"{_fmt_mib(s10.docx.maxrss_kib)})",
                          f"≤{TARGET_RSS_RATIO}×", _verdict_max(ratio, TARGET_RSS_RATIO, "×")))
    else:
        out.append(Target("marginal .docx cost per project table", "not measured (needs N=10 "
                          "and N=200)", f"≤{TARGET_MARGINAL_MS:.0f} ms", "—"))
        out.append(Target("perfdoc peak RSS N=200 / N=10", "not measured",
                          f"≤{TARGET_RSS_RATIO}×", "—"))
    imported = floor.get("import")
    if imported and imported.get("ok"):
        out.append(Target(f"perfdoc import of a {imported['projects']}-project .docx (median)",
                          f"{imported['import_s']:.3f} s", f"≤{TARGET_IMPORT_S} s",
                          _verdict_max(imported["import_s"], TARGET_IMPORT_S, " s")))
    ex = floor.get("example_docx_s")
    if ex is not None:
        out.append(Target("example .docx, wall incl. interpreter start (median)",
                          f"{ex:.3f} s (floor {floor['imports_s']:.3f} s)",
                          f"≤{TARGET_EXAMPLE_S} s", _verdict_max(ex, TARGET_EXAMPLE_S, " s")))
    for n, s in sorted(sizes.items()):
        if s.docx and s.pandoc and s.docx.ok and s.pandoc.ok:
            ratio = (s.pandoc.wall_s / n) / (s.docx.wall_s / n)
            out.append(Target(f"(a) vs (d) per document, N={n}",
                              f"{_fmt_s(s.docx.wall_s / n)} vs {_fmt_s(s.pandoc.wall_s / n)} "
                              f"(pandoc/perfdoc time {ratio:.2f}×)", "(information)", "—"))
    return out


def render_markdown(info: dict[str, str], argv: Sequence[str], floor: dict[str, Any],
                    sizes: list[SizeResult], tgts: list[Target], traces: list[dict[str, Any]],
                    notes: list[str], jobs: int, total_s: float) -> str:
    """The human report: machine, method, per-size tables, targets, notes."""
    md = ["# perfdoc benchmark results", "",
          f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} by "
          f"`bench/run.py {' '.join(argv)}` in {total_s / 60:.1f} min.", "",
          "## Machine", "", "| | |", "|---|---|"]
    md += [f"| {k} | {v} |" for k, v in info.items()]
    md += ["", "## Method", "",
           "Every command is a fresh child process; wall times include interpreter start. "
           "Peak RSS of (a) is `ru_maxrss` from `wait4` on the perfdoc process (it has no "
           "children in .docx mode); for (b) it is perfdoc's own `VmHWM`, polled from /proc "
           "every 5 ms, which excludes the LibreOffice converters.",
           "",
           "- **(a)** `perfdoc build WS --format docx --force -o OUT`: one process per batch; "
           "median of the repeats.",
           f"- **(b)** `perfdoc build WS --force -o OUT --jobs {jobs}`: .docx + PDF. *cold* = "
           "empty OUT (no stamp from an earlier build); *warm* = the same command again over "
           "the cold outputs. LibreOffice passes per document are read from the stamps.",
           "- **(c)** `soffice --headless -env:UserInstallation=<shared, pre-warmed profile> "
           "--convert-to pdf` once per .docx from (a), one after another; perfdoc's fonts.conf "
           "via FONTCONFIG_FILE so both draw the same fonts. Its 目录 stays empty.",
           "- **(d)** `pandoc -f markdown -t docx` once per document, on a markdown rendering "
           "of the same content (headings, paragraphs, pipe tables); sum over documents.",
           "- 目录 filled = PDFs whose page-2 contents show a number after every dot leader "
           "(`pdftotext -layout`).",
           "- Synthetic documents: `bench/synth.py`, seeded; 2–40 project tables each "
           "(skewed small), 8–15 indicators per table.",
           "", "## Floor", "",
           "| what | median | runs |", "|---|---|---|",
           f"| `python -c \"{FLOOR_IMPORTS}\"` | {_fmt_s(floor.get('imports_s'))} | "
           f"{floor.get('runs')} |",
           f"| example .docx (`perfdoc build examples/sanjia_2024 --format docx --force`) | "
           f"{_fmt_s(floor.get('example_docx_s'))} | {floor.get('runs')} |",
           f"| difference: perfdoc's own work on the example | "
           f"{_fmt_s(floor.get('example_docx_s', 0) - floor.get('imports_s', 0))} | |",
           f"| peak RSS of the example .docx build | {_fmt_mib(floor.get('example_rss_kib'))} | |",
           "", "## .docx: perfdoc (a) vs pandoc per file (d)", "",
           "| batch | docs | tables | (a) wall | (a) per doc | (a) per table | (a) peak RSS "
           "| (d) wall | (d) per doc | (d)/(a) per doc |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for s in sizes:
        a, d = s.docx, s.pandoc
        if a is None or d is None:
            continue
        md.append(f"| {s.label} | {s.n} | {s.projects} | {_ok(a, _fmt_s(a.wall_s))} | "
                  f"{_fmt_s(a.wall_s / s.n)} | {_fmt_s(a.wall_s / s.projects)} | "
                  f"{_fmt_mib(a.maxrss_kib)} | {_ok(d, _fmt_s(d.wall_s))} | "
                  f"{_fmt_s(d.wall_s / s.n)} | {(d.wall_s / s.n) / (a.wall_s / s.n):.2f}× |")
    md += ["", "## PDF: perfdoc batched (b) vs naive soffice per file (c)", "",
           "| batch | docs | tables | (b) cold wall | per doc | docs × passes | 目录 filled "
           "| (b) warm wall | passes | perfdoc peak RSS | (c) wall | per doc | 目录 filled "
           "| (c)/(b) cold | (c)/(b) warm |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in sizes:
        b, w, c = s.pdf_cold, s.pdf_warm, s.naive
        if b is None or w is None or c is None:
            md.append(f"| {s.label} | {s.n} | {s.projects} | " + " | ".join(
                ["not run: " + "; ".join(s.skipped)] + [""] * 11) + " |")
            continue
        cw = c.wall_s
        md.append(
            f"| {s.label} | {s.n} | {s.projects} | {_ok(b, _fmt_s(b.wall_s))} | "
            f"{_fmt_s(b.wall_s / s.n)} | {_passes_text(b.passes)} | {_toc(b)} | "
            f"{_ok(w, _fmt_s(w.wall_s))} | {_passes_text(w.passes)} | "
            f"{_fmt_mib(max(b.hwm_kib or 0, w.hwm_kib or 0) or None)} | "
            f"{_ok(c, _fmt_s(cw))}{f' ({c.retries} retried)' if c.retries else ''} | "
            f"{_fmt_s(cw / s.n)} | {_toc(c)} | "
            f"{cw / b.wall_s:.1f}× | {cw / w.wall_s:.1f}× |")
    md += ["", "## Targets", "", "| target | measured | goal | verdict |", "|---|---|---|---|"]
    md += [f"| {t.name} | {t.measured} | {t.target} | {t.verdict} |" for t in tgts]
    md += ["", "## Where a cold PDF build's time goes", "",
           "One extra cold (b) build per row, run through `bench/trace_converters.py`, which "
           "times perfdoc's converter start, conversion call and stop (not part of the "
           "measurements above). Stages overlap: a converter may start while another converts.",
           "", "| build | wall | until first conversion | conversions span | after last "
           "conversion | converter starts (median each) | conversions (median each, sum) "
           "| converter stops (sum) |", "|---|---|---|---|---|---|---|---|"]
    for tr in traces:
        if tr.get("error"):
            md.append(f"| {tr['label']} | {tr['error']} | | | | | | |")
            continue
        md.append(f"| {tr['label']} | {_fmt_s(tr['wall_s'])} | "
                  f"{_fmt_s(tr['until_first_conversion_s'])} | {_fmt_s(tr['conversion_span_s'])} "
                  f"| {_fmt_s(tr['after_last_conversion_s'])} | {tr['converter_starts']} "
                  f"({_fmt_s(tr['start_median_s'])}) | {tr['conversions']} "
                  f"({_fmt_s(tr['conversion_median_s'])}, {_fmt_s(tr['conversion_sum_s'])}) | "
                  f"{tr['converter_stops']} ({_fmt_s(tr['stop_s'])}) |")
    if notes:
        md += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    return "\n".join(md) + "\n"


# --------------------------------------------------------------------------- main


def measure_floor(env: Env, runs: int) -> dict[str, Any]:
    """Interpreter + imports, and the example's .docx build, interleaved.

    Interleaving puts both under the same background noise; the median of
    several runs discards the odd slow one.
    """
    imports: list[Sample] = []
    example: list[Sample] = []
    out = WORK / "out" / "floor"
    for _ in range(runs):
        imports.append(measure([str(VENV_PYTHON), "-c", FLOOR_IMPORTS], timeout=env.timeout))
        _fresh(out)
        example.append(measure([*env.perfdoc, "build", str(EXAMPLE), "--format", "docx",
                                "--force", "-o", str(out)], timeout=env.timeout))
    failed = [s for s in imports + example if s.returncode != 0]
    if failed:
        print(f"  !! floor command failed: {failed[0].stderr_tail.strip()[-400:]}",
              file=sys.stderr)
    return {
        "runs": runs,
        "imports_s": statistics.median(s.wall_s for s in imports),
        "example_docx_s": statistics.median(s.wall_s for s in example),
        "example_rss_kib": max(s.maxrss_kib for s in example),
        "imports_samples": [asdict(s) for s in imports],
        "example_samples": [asdict(s) for s in example],
        "ok": not failed,
    }


def measure_import(env: Env, runs: int, seed: int) -> dict[str, Any]:
    """``perfdoc import`` of a .docx with IMPORT_PROJECTS projects, median of *runs*.

    The .docx is perfdoc's own build of a synthetic document whose projects
    come from several synthetic units, so it has the shape of a real draft.
    """
    folder = _fresh(WORK / "import" / "doc")
    (folder / "projects").mkdir()
    count = 0
    index = 0
    while count < IMPORT_PROJECTS:
        doc = synth.make_document(index, seed=seed, example=EXAMPLE)
        made = synth.write_document(doc, _fresh(WORK / "import" / f"unit{index}"))
        if index == 0:
            for name in ("document.yaml", "goals.yaml"):
                shutil.copy(made / name, folder / name)
        for project in sorted((made / "projects").glob("*.yaml")):
            if count < IMPORT_PROJECTS:
                count += 1
                shutil.copy(project, folder / "projects" / f"{count:02d}-{project.name}")
        index += 1
    built = _fresh(WORK / "import" / "built")
    done = measure([*env.perfdoc, "build", str(folder), "--format", "docx", "--skip-rules",
                    "-o", str(built)], timeout=env.timeout)
    [docx] = built.glob("*.docx")
    samples: list[Sample] = []
    out = WORK / "import" / "out"
    for _ in range(runs):
        samples.append(measure([*env.perfdoc, "import", str(docx), "-o", str(out), "--force"],
                               timeout=env.timeout))
    failed = [s for s in [done, *samples] if s.returncode != 0]
    return {"projects": count, "import_s": statistics.median(s.wall_s for s in samples),
            "samples": [asdict(s) for s in samples], "ok": not failed}


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


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true",
                   help="smoke run: N = 1, 10, one repeat; results go to bench/work/")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                   help="comma-separated batch sizes (default 1,10,50,200)")
    p.add_argument("--repeats", type=int, help="repeats of (a) and (d) (default 3; quick 1)")
    p.add_argument("--floor-runs", type=int, help="runs of the floor commands (default 5; quick 3)")
    p.add_argument("--pdf-max-n", type=int, default=50,
                   help="run (b) and (c) only up to this N (default 50)")
    p.add_argument("--budget-min", type=float, default=25.0,
                   help="skip (b)/(c) for a size whose estimate would overrun this (default 25)")
    p.add_argument("--jobs", type=int, default=2, help="--jobs for (b) (default 2)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the synthetic documents")
    p.add_argument("--perfdoc", default=str(PERFDOC),
                   help="the perfdoc command to measure (default: .venv/bin/perfdoc)")
    p.add_argument("--results", type=Path,
                   help="folder for results.md/.json (default bench/; quick: bench/work/)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    lock = hold_lock()  # noqa: F841 - released when the process exits
    started = time.monotonic()
    sizes = sorted(set(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES)))
    repeats = args.repeats or (1 if args.quick else 3)
    floor_runs = args.floor_runs or (3 if args.quick else 5)
    results_dir: Path = args.results or (WORK if args.quick else BENCH)
    soffice, pandoc = shutil.which("soffice"), shutil.which("pandoc")
    if soffice is None or pandoc is None:
        print("soffice and pandoc must be on PATH", file=sys.stderr)
        return 3
    env = Env(perfdoc=tuple(shlex.split(args.perfdoc)), perfdoc_python=str(VENV_PYTHON),
              soffice=soffice, pandoc=pandoc, jobs=args.jobs, timeout=3600.0)
    shutil.rmtree(WORK / "logs", ignore_errors=True)

    info = machine(env.perfdoc)
    print("machine: " + "; ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    made = generate(sizes, args.seed)
    print(f"generated {', '.join(str(n) for n in sizes)} document workspaces under "
          f"{WORK.relative_to(ROOT)}", flush=True)

    # Warm-up, untimed: the first run of anything pays for a cold page cache.
    measure([*env.perfdoc, "--version"], timeout=env.timeout)
    measure([pandoc, "--version"], timeout=env.timeout)
    floor = measure_floor(env, floor_runs)
    floor["import"] = measure_import(env, floor_runs, args.seed)
    print(f"import of {floor['import']['projects']} projects: "
          f"{_fmt_s(floor['import']['import_s'])}", flush=True)
    print(f"floor: imports {_fmt_s(floor['imports_s'])}, example .docx "
          f"{_fmt_s(floor['example_docx_s'])}", flush=True)

    notes: list[str] = []
    results: list[SizeResult] = []
    by_n: dict[int, SizeResult] = {}
    # The real example: all four methods, N=1.  Its .docx also warms the
    # shared soffice profile for (c).
    ex_out = _fresh(WORK / "out" / "example-warmup")
    measure([*env.perfdoc, "build", str(EXAMPLE), "--format", "docx", "--force", "-o",
             str(ex_out)], timeout=env.timeout)
    profile = warm_profile(env, next(ex_out.glob("*.docx")))
    example = run_size("example", env, EXAMPLE, _example_md(), 1,
                       len(list((EXAMPLE / "projects").glob("*.yaml"))),
                       sum(len(re.findall(r"^\s*- level1:", p.read_text(encoding="utf-8"), re.M))
                           for p in (EXAMPLE / "projects").glob("*.yaml")),
                       repeats=repeats, pdf=True, profile=profile)
    results.append(example)

    # Seconds per document of (b) cold + warm + (c), from the largest size run
    # so far, to keep the whole run inside the budget.
    pdf_rate = 0.0
    for n in sizes:
        ws, md, docs = made[n]
        projects = sum(len(d.projects) for d in docs)
        indicators = sum(d.indicator_count for d in docs)
        elapsed = time.monotonic() - started
        want_pdf = n <= args.pdf_max_n
        skipped: list[str] = []
        if not want_pdf:
            skipped.append(f"N > --pdf-max-n {args.pdf_max_n}")
        elif pdf_rate and elapsed + pdf_rate * n > args.budget_min * 60:
            want_pdf = False
            skipped.append(f"estimated {pdf_rate * n / 60:.0f} min would overrun the "
                           f"{args.budget_min:.0f} min budget")
        res = run_size(f"N={n}", env, ws, md, n, projects, indicators, repeats=repeats,
                       pdf=want_pdf, profile=profile)
        res.skipped = skipped
        if skipped:
            notes.append(f"(b) and (c) not run for N={n}: {'; '.join(skipped)}.")
        if res.pdf_cold and res.pdf_warm and res.naive:
            pdf_rate = (res.pdf_cold.wall_s + res.pdf_warm.wall_s + res.naive.wall_s) / n
        results.append(res)
        by_n[n] = res

    # Where (b)'s time goes: the example (one converter) and a small batch.
    traces = [trace_pdf_build(env, "example", EXAMPLE)]
    small = [n for n in sizes if 1 < n <= min(10, args.pdf_max_n)]
    if small:
        traces.append(trace_pdf_build(env, f"N={small[-1]}", made[small[-1]][0]))
    for tr in traces:
        print(f"  trace {tr['label']}: " + (tr["error"] or
              f"first conversion at {tr['until_first_conversion_s']:.1f} s, conversions span "
              f"{tr['conversion_span_s']:.1f} s, then {tr['after_last_conversion_s']:.1f} s "
              "to exit"), flush=True)

    for s in results:
        for name, r in (("(a)", s.docx), ("(b) cold", s.pdf_cold), ("(b) warm", s.pdf_warm),
                        ("(c)", s.naive), ("(d)", s.pandoc)):
            if r is not None and not r.ok:
                notes.append(f"{s.label} {name} failed: {r.note}")
    if not floor["ok"]:
        notes.append("a floor command failed; see results.json")
    info["load average at end"] = _loadavg()
    # perfdoc is installed editable: a commit during the run changes what is
    # measured halfway, so say so rather than compare two versions silently.
    if (at_end := source_revision()) != info["git"]:
        info["git at end"] = at_end
        notes.append(f"perfdoc's source changed during the run ({info['git']} → {at_end}); "
                     "the sizes measured later ran the newer code. Run again for clean ratios.")
    tgts = targets(by_n, floor)
    total_s = time.monotonic() - started
    shown_args = list(sys.argv[1:] if argv is None else argv)
    report = render_markdown(info, shown_args, floor, results, tgts, traces, notes, args.jobs,
                             total_s)
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "results.md").write_text(report, encoding="utf-8")
    raw = {
        "generated": datetime.datetime.now().isoformat(timespec="seconds"),
        "argv": shown_args,
        "seconds": total_s,
        "machine": info,
        "floor": floor,
        "sizes": [
            {"label": s.label, "n": s.n, "projects": s.projects, "indicators": s.indicators,
             "skipped": s.skipped,
             **{k: (r.summary() if r is not None else None) for k, r in (
                 ("a_docx", s.docx), ("b_pdf_cold", s.pdf_cold), ("b_pdf_warm", s.pdf_warm),
                 ("c_soffice", s.naive), ("d_pandoc", s.pandoc))}}
            for s in results
        ],
        "targets": [asdict(t) for t in tgts],
        "pdf_traces": traces,
        "notes": notes,
    }
    (results_dir / "results.json").write_text(json.dumps(raw, ensure_ascii=False, indent=2)
                                              + "\n", encoding="utf-8")
    print()
    print(report[report.index("## Floor"):])
    print(f"wrote {results_dir / 'results.md'} and results.json in {total_s / 60:.1f} min")
    return 1 if any("failed" in n for n in notes) else 0


if __name__ == "__main__":
    sys.exit(main())
