"""(a) perfdoc's .docx, one process per batch, against (d) pandoc, one process per document."""

from __future__ import annotations

from pathlib import Path

from context import Batch, Context
from harness import EXAMPLE, WORK, Result, aggregate, check_ok, fresh, log_path, measure
from report import (
    INFORMATION,
    Outcome,
    Section,
    Target,
    fmt_mib,
    fmt_s,
    ok_text,
    table,
    verdict_max,
)

TARGET_MARGINAL_MS = 10.0  # marginal .docx cost per project table in a batch
TARGET_RSS_RATIO = 1.2  # perfdoc's peak RSS at N=200 over N=10

METHOD = [
    "- **(a)** `perfdoc build WS --format docx --force -o OUT`: one process per batch; "
    "median of the repeats. Peak RSS is `ru_maxrss` from `wait4` on the perfdoc process "
    "(it has no children in .docx mode).",
    "- **(d)** `pandoc -f markdown -t docx` once per document, on a markdown rendering "
    "of the same content (headings, paragraphs, pipe tables); sum over documents.",
    "- Synthetic documents: `bench/synth.py`, seeded; 2–40 project tables each "
    "(skewed small), 8–15 indicators per table.",
]


def perfdoc_docx(ctx: Context, ws: Path, out: Path, n_docs: int) -> Result:
    """(a) one perfdoc process builds every document's .docx."""
    result = Result(expected=n_docs)
    for i in range(ctx.repeats):
        fresh(out)  # equal work each time: nothing left from the last repeat
        result.samples.append(measure(
            [*ctx.perfdoc, "build", str(ws), "--format", "docx", "--force", "-o", str(out)],
            timeout=ctx.timeout, poll_hwm=True, log=log_path(out, f"run{i + 1}")))
    result.outputs = len(list(out.glob("*.docx")))
    check_ok(result, "perfdoc build --format docx")
    return result


def pandoc_docx(ctx: Context, md_dir: Path, out: Path) -> Result:
    """(d) one ``pandoc -f markdown -t docx`` process per document."""
    files = sorted(md_dir.glob("*.md"))
    result = Result(expected=len(files))
    for _ in range(ctx.repeats):
        fresh(out)
        # A repeat's wall is the sum over its per-document processes.
        calls = [
            measure([ctx.pandoc, "-f", "markdown", "-t", "docx", "-o",
                     str(out / f"{md.stem}.docx"), str(md)], timeout=ctx.timeout)
            for md in files
        ]
        result.samples.append(aggregate(calls))
        result.per_call_s = [s.wall_s for s in calls]
    result.outputs = len(list(out.glob("*.docx")))
    check_ok(result, "pandoc")
    return result


def targets(rows: dict[int, tuple[Batch, Result, Result]]) -> list[Target]:
    """Marginal cost per table and the RSS ratio (N=10 → 200), plus (a) vs (d) per document."""
    out: list[Target] = []
    s10, s200 = rows.get(10), rows.get(200)
    if s10 and s200 and s10[1].ok and s200[1].ok:
        (b10, a10, _), (b200, a200, _) = s10, s200
        marginal = (a200.wall_s - a10.wall_s) / (b200.projects - b10.projects) * 1000
        out.append(Target("marginal .docx cost per project table, (a) N=10→200",
                          f"{marginal:.1f} ms", f"≤{TARGET_MARGINAL_MS:.0f} ms",
                          verdict_max(marginal, TARGET_MARGINAL_MS, " ms")))
        ratio = a200.maxrss_kib / a10.maxrss_kib
        out.append(Target("perfdoc peak RSS, (a) N=200 / N=10",
                          f"{ratio:.2f}× ({fmt_mib(a200.maxrss_kib)} / "
                          f"{fmt_mib(a10.maxrss_kib)})",
                          f"≤{TARGET_RSS_RATIO}×", verdict_max(ratio, TARGET_RSS_RATIO, "×")))
    else:
        out.append(Target("marginal .docx cost per project table", "not measured (needs N=10 "
                          "and N=200)", f"≤{TARGET_MARGINAL_MS:.0f} ms", "—"))
        out.append(Target("perfdoc peak RSS N=200 / N=10", "not measured",
                          f"≤{TARGET_RSS_RATIO}×", "—"))
    for n, (_, a, d) in sorted(rows.items()):
        if a.ok and d.ok:
            ratio = (d.wall_s / n) / (a.wall_s / n)
            out.append(Target(f"(a) vs (d) per document, N={n}",
                              f"{fmt_s(a.wall_s / n)} vs {fmt_s(d.wall_s / n)} "
                              f"(pandoc/perfdoc time {ratio:.2f}×)", INFORMATION, "—"))
    return out


def run(ctx: Context) -> Outcome:
    # Warm-up, untimed: the first run of anything pays for a cold page cache.
    measure([*ctx.perfdoc, "build", str(EXAMPLE), "--format", "docx", "--force", "-o",
             str(fresh(WORK / "out" / "docx-warmup"))], timeout=ctx.timeout)
    measure([ctx.pandoc, "--version"], timeout=ctx.timeout)
    measured: list[tuple[Batch, Result, Result]] = []
    for batch in ctx.batches():
        out = WORK / "out" / batch.label
        print(f"[{batch.label}] N={batch.n}, {batch.projects} project tables, "
              f"{batch.indicators} indicators: .docx", flush=True)
        a = perfdoc_docx(ctx, batch.ws, out / "a-docx", batch.n)
        print(f"  (a) perfdoc docx        {a.wall_s:8.2f} s", flush=True)
        if a.ok:
            ctx.docx_outputs[batch.label] = out / "a-docx"
        d = pandoc_docx(ctx, batch.md, out / "d-pandoc")
        print(f"  (d) pandoc per file     {d.wall_s:8.2f} s", flush=True)
        measured.append((batch, a, d))
    rows = []
    for b, a, d in measured:
        rows.append((b.label, str(b.n), str(b.projects), ok_text(a, fmt_s(a.wall_s)),
                     fmt_s(a.wall_s / b.n), fmt_s(a.wall_s / b.projects), fmt_mib(a.maxrss_kib),
                     ok_text(d, fmt_s(d.wall_s)), fmt_s(d.wall_s / b.n),
                     f"{(d.wall_s / b.n) / (a.wall_s / b.n):.2f}×"))
    header = ("batch", "docs", "tables", "(a) wall", "(a) per doc", "(a) per table",
              "(a) peak RSS", "(d) wall", "(d) per doc", "(d)/(a) per doc")
    notes = [f"{b.label} {name} failed: {r.note}"
             for b, a, d in measured for name, r in (("(a)", a), ("(d)", d)) if not r.ok]
    return Outcome(
        method=METHOD,
        sections=[Section(".docx: perfdoc (a) vs pandoc per file (d)", table(header, rows))],
        targets=targets({b.n: (b, a, d) for b, a, d in measured if b.synthetic}),
        notes=notes,
        raw={"sizes": [{"label": b.label, "n": b.n, "projects": b.projects,
                        "indicators": b.indicators, "a_docx": a.summary(),
                        "d_pandoc": d.summary()} for b, a, d in measured]},
        failed=bool(notes),
    )
