"""watch: from a saved YAML file to the finished PDF, with ``perfdoc watch`` running.

``perfdoc watch`` is started on a copy of the example and left to make its
first build.  Then, ``ctx.pairs`` times, one sentence of goals.yaml is changed
and saved (written to a temporary file and renamed over it, as editors save),
and the clock runs until the PDF in the output folder is replaced.  A pause
between saves lets each rebuild finish before the next.  Target: the median
is at most one second.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

from context import Context
from harness import EXAMPLE, WORK, fresh
from report import Outcome, Section, Target, fmt_s, table, verdict_max

TARGET_S = 1.0
#: The sentence that is changed back and forth; it is printed, so the PDF changes.
ORIGINAL, CHANGED = "坚持", "始终坚持"

METHOD = [
    "- **watch** `perfdoc watch DOC -o OUT` on a copy of the example; after its first build, "
    "one sentence of goals.yaml is changed and saved (temporary file renamed over it, as "
    "editors save) and the time runs until OUT's PDF is replaced; median of the saves.",
]


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _wait_for_change(pdf: Path, before: str | None, timeout: float) -> float | None:
    """Poll every 5 ms until *pdf*'s content differs from *before*; return when, or None."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        now = _digest(pdf)
        if now is not None and now != before:
            return time.perf_counter()
        time.sleep(0.005)
    return None


def _save(path: Path, text: str) -> None:
    temp = path.with_name(f".{path.name}.saving")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def run(ctx: Context) -> Outcome:
    base = fresh(WORK / "watch")
    doc, out = base / "doc", base / "out"
    shutil.copytree(EXAMPLE, doc, ignore=shutil.ignore_patterns("build"))
    log = (WORK / "logs").joinpath("watch.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"[watch] {ctx.pairs} saves with perfdoc watch running", flush=True)
    proc = subprocess.Popen([*ctx.perfdoc, "watch", str(doc), "-o", str(out), "-q"],
                            stdin=subprocess.DEVNULL, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    times: list[float] = []
    notes: list[str] = []
    try:
        pdfs = lambda: sorted(out.glob("*.pdf"))  # noqa: E731 - a one-line poll
        deadline = time.monotonic() + ctx.timeout
        while not pdfs() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if not pdfs():
            notes.append("watch: the first build made no PDF (see bench/work/logs/watch.log)")
        else:
            pdf = pdfs()[0]
            goals = doc / "goals.yaml"
            time.sleep(1.0)  # the first round's output is printed; the watch has begun
            for i in range(ctx.pairs):
                text = goals.read_text(encoding="utf-8")
                new = (text.replace(ORIGINAL, CHANGED, 1) if i % 2 == 0
                       else text.replace(CHANGED, ORIGINAL, 1))
                before = _digest(pdf)
                started = time.perf_counter()
                _save(goals, new)
                done = _wait_for_change(pdf, before, ctx.timeout)
                if done is None:
                    notes.append(f"watch: save {i + 1} never replaced the PDF")
                    break
                times.append(done - started)
                print(f"  save {i + 1}: {fmt_s(times[-1])}", flush=True)
                time.sleep(1.0)  # let the round finish (stamp, printing) before the next
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            notes.append("watch: did not stop within 30 s of Ctrl-C")
    if proc.returncode not in (130, -signal.SIGINT):
        notes.append(f"watch: exit code {proc.returncode} after Ctrl-C, not 130")
    median = statistics.median(times) if times else None
    name = "watch: save to finished PDF (example)"
    target = (Target(name, f"{fmt_s(median)} (saves {fmt_s(min(times))}–{fmt_s(max(times))})",
                     f"≤{TARGET_S:g} s", verdict_max(median, TARGET_S, " s"))
              if median is not None else Target(name, "not measured (failed)",
                                                f"≤{TARGET_S:g} s", "—"))
    rows = [[str(i + 1), fmt_s(t)] for i, t in enumerate(times)]
    return Outcome(
        method=METHOD,
        sections=[Section("watch: save to finished PDF", table(("save", "save → PDF"), rows))],
        targets=[target],
        notes=notes,
        raw={"watch": {"saves_s": times, "median_s": median}},
        failed=bool(notes),
    )
