"""report: the bureau's report over a 100-document workspace, without LibreOffice.

``perfdoc report WS -o r.html`` and ``-o r.xlsx`` on 100 synthetic documents
(bench/synth.py), each run as a fresh process, interpreter start included;
median of ``ctx.repeats`` runs.  ``perfdoc check WS`` is measured alongside:
the report reads every document the way check does, so check is its floor.
Target: at most 3 s for each format.
"""

from __future__ import annotations

from pathlib import Path

import synth
from context import Context
from harness import EXAMPLE, WORK, Result, check_ok, fresh, measure
from report import Outcome, Section, Target, fmt_s, ok_text, table, verdict_max

DOCUMENTS = 100
TARGET_S = 3.0

METHOD = [
    f"- **report** `perfdoc report WS -o r.html` and `-o r.xlsx` on {DOCUMENTS} synthetic "
    "documents (no outputs built, so no stamp is read), against `perfdoc check WS` on the "
    "same workspace; fresh processes, medians.",
]


def _workspace(seed: int) -> Path:
    ws = fresh(WORK / "report-ws")
    for index in range(DOCUMENTS):
        synth.write_document(synth.make_document(index, seed=seed, example=EXAMPLE), ws)
    return ws


def run(ctx: Context) -> Outcome:
    print(f"[report] {DOCUMENTS} documents, {ctx.repeats} runs of each", flush=True)
    ws = _workspace(ctx.seed)
    out = fresh(WORK / "out" / "report")
    commands = {
        "report → .html": ([*ctx.perfdoc, "report", str(ws), "-o", str(out / "r.html")], 1),
        "report → .xlsx": ([*ctx.perfdoc, "report", str(ws), "-o", str(out / "r.xlsx")], 1),
        "check (floor)": ([*ctx.perfdoc, "check", str(ws), "-q"], 0),
    }
    results: dict[str, Result] = {name: Result(expected=expected)
                                  for name, (_cmd, expected) in commands.items()}
    for i in range(ctx.repeats):
        for name, (cmd, _expected) in commands.items():
            sample = measure(cmd, timeout=ctx.timeout,
                             log=WORK / "logs" / f"report-{name.split()[-1]}-{i + 1}.log")
            # check exits 0 with only warnings; the synthetic documents have no errors.
            results[name].samples.append(sample)
    for name in ("report → .html", "report → .xlsx"):
        results[name].outputs = len(list(out.glob(f"*{name[-5:]}")))
    results["check (floor)"].outputs = 0
    for name, result in results.items():
        check_ok(result, name)
    rows = [[name, ok_text(r, fmt_s(r.wall_s)), str(len(r.samples))]
            for name, r in results.items()]
    targets = []
    for name in ("report → .html", "report → .xlsx"):
        r = results[name]
        goal = f"≤{TARGET_S:g} s"
        label = f"{name}, {DOCUMENTS} documents, no LibreOffice"
        targets.append(Target(label, fmt_s(r.wall_s), goal, verdict_max(r.wall_s, TARGET_S, " s"))
                       if r.ok else Target(label, "not measured (failed)", goal, "—"))
    notes = [f"report: {name} failed: {r.note}" for name, r in results.items() if not r.ok]
    return Outcome(
        method=METHOD,
        sections=[Section(f"report: {DOCUMENTS} documents",
                          table(("command", "median", "runs"), rows))],
        targets=targets,
        notes=notes,
        raw={"report": {name: r.summary() for name, r in results.items()}},
        failed=bool(notes),
    )
