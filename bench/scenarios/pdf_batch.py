"""(b) perfdoc's .docx + PDF, batched, against (c) naive ``soffice --convert-to pdf`` per file."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from context import Batch, Context
from harness import (
    WORK,
    Result,
    Sample,
    aggregate,
    check_ok,
    fresh,
    log_path,
    measure,
    soffice_env,
    stamp_passes,
    toc_filled,
)
from report import Outcome, Section, Target, fmt_mib, fmt_s, ok_text, passes_text, table, toc_text

TARGET_PDF_SPEEDUP = 5.0  # (b) at least 5x faster than (c) at N=50, with the 目录 filled


def method(jobs: int) -> list[str]:
    return [
        f"- **(b)** `perfdoc build WS --force -o OUT --jobs {jobs}`: .docx + PDF. *cold* = "
        "empty OUT (no stamp from an earlier build); *warm* = the same command again over "
        "the cold outputs. LibreOffice passes per document are read from the stamps. "
        "Peak RSS is perfdoc's own `VmHWM`, polled from /proc every 5 ms, which excludes "
        "the LibreOffice converters.",
        "- **(c)** `soffice --headless -env:UserInstallation=<shared, pre-warmed profile> "
        "--convert-to pdf` once per .docx from (a), one after another; perfdoc's fonts.conf "
        "via FONTCONFIG_FILE so both draw the same fonts. Its 目录 stays empty.",
        "- 目录 filled = PDFs whose page-2 contents show a number after every dot leader "
        "(`pdftotext -layout`).",
    ]


def perfdoc_pdf(ctx: Context, ws: Path, out: Path, n_docs: int, *, cold: bool) -> Result:
    """(b) one perfdoc process builds .docx + PDF with --jobs warm converters.

    *cold*: an empty output folder, so no stamp holds the last build's page
    numbers (a build that guesses the 目录 from them may need a second
    LibreOffice pass).  Warm: a --force rebuild over the cold run's outputs,
    as in CI with a cached build/ folder or a user rebuilding after an edit.
    The passes actually taken are read from the stamps either way.
    """
    if cold:
        fresh(out)
    result = Result(expected=2 * n_docs)
    # VmHWM of perfdoc's python only: the converters run in their own session
    # and their memory is LibreOffice's, not perfdoc's.
    result.samples.append(measure(
        [*ctx.perfdoc, "build", str(ws), "--force", "-o", str(out), "--jobs", str(ctx.jobs)],
        timeout=ctx.timeout, poll_hwm=True, log=log_path(out, "cold" if cold else "warm")))
    result.outputs = len(list(out.glob("*.docx"))) + len(list(out.glob("*.pdf")))
    result.passes = stamp_passes(out)
    result.toc_filled, result.toc_checked = toc_filled(sorted(out.glob("*.pdf")))
    check_ok(result, "perfdoc build")
    return result


def soffice_naive(ctx: Context, docx_dir: Path, out: Path, profile: Path) -> Result:
    """(c) one ``soffice --convert-to pdf`` process per .docx, one after another.

    The profile is shared and warmed before timing (a fresh profile would add
    its creation to every call), which is the baseline at its best.  perfdoc's fonts.conf
    is passed so both draw the same fonts and do the same layout work.
    """
    fresh(out)
    files = sorted(docx_dir.glob("*.docx"))
    result = Result(expected=len(files))
    calls: list[Sample] = []
    for docx in files:
        cmd = [ctx.soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out), str(docx)]
        call = measure(cmd, env=soffice_env(), timeout=ctx.timeout)
        if call.returncode != 0 or not (out / f"{docx.stem}.pdf").exists():
            # soffice now and then exits 1 on a file it converts fine the next
            # time; a script would retry too, so the retry's time counts.
            print(f"  (c) retrying {docx.name}: {call.stderr_tail.strip()[-200:]}",
                  file=sys.stderr)
            result.retries += 1
            again = measure(cmd, env=soffice_env(), timeout=ctx.timeout)
            call = Sample(call.wall_s + again.wall_s, again.returncode,
                          max(call.maxrss_kib, again.maxrss_kib), None, again.stderr_tail)
        calls.append(call)
    result.samples.append(aggregate(calls))
    result.per_call_s = [s.wall_s for s in calls]
    result.outputs = len(list(out.glob("*.pdf")))
    result.toc_filled, result.toc_checked = toc_filled(sorted(out.glob("*.pdf")))
    check_ok(result, "soffice --convert-to pdf")
    return result


def docx_for_naive(ctx: Context, batch: Batch) -> Path:
    """The .docx files (c) converts: (a)'s of this run, or an untimed build of the same."""
    if (done := ctx.docx_outputs.get(batch.label)) is not None:
        return done
    out = fresh(WORK / "out" / batch.label / "a-docx")
    print("  (a) not measured in this run: building its .docx for (c), untimed", flush=True)
    measure([*ctx.perfdoc, "build", str(batch.ws), "--format", "docx", "--force", "-o",
             str(out)], timeout=ctx.timeout, log=log_path(out, "untimed"))
    return out


Row = tuple[Batch, list[str], Result | None, Result | None, Result | None]


def target(rows: list[Row]) -> Target:
    """(c) / (b) cold at N=50, with the 目录 filled."""
    for batch, _skipped, cold, warm, naive in rows:
        if not (batch.synthetic and batch.n == 50 and cold and naive and cold.ok and naive.ok):
            continue
        speed = naive.wall_s / cold.wall_s
        verdict = ("PASS" if speed >= TARGET_PDF_SPEEDUP else
                   f"MISS by {TARGET_PDF_SPEEDUP - speed:.1f}× "
                   f"({(1 - speed / TARGET_PDF_SPEEDUP) * 100:.0f}% short)")
        if cold.toc_filled != cold.toc_checked:
            verdict = ("MISS (目录 not filled)" if verdict == "PASS"
                       else verdict + "; 目录 not filled")
        warm_text = f"; warm rebuild {naive.wall_s / warm.wall_s:.1f}×" if warm else ""
        return Target("(b) vs (c) at N=50, PDF with 目录 filled",
                      f"{speed:.1f}× faster (cold){warm_text}; 目录 filled "
                      f"{toc_text(cold)} vs {toc_text(naive)}",
                      f"≥{TARGET_PDF_SPEEDUP:.0f}×, 目录 filled", verdict)
    return Target("(b) vs (c) at N=50", "not measured", f"≥{TARGET_PDF_SPEEDUP:.0f}×", "—")


def run(ctx: Context) -> Outcome:
    profile = ctx.soffice_profile()
    rows: list[Row] = []
    notes: list[str] = []
    # Seconds per document of (b) cold + warm + (c), from the largest size run
    # so far, to keep the whole run inside the budget.
    pdf_rate = 0.0
    for batch in ctx.batches():
        skipped: list[str] = []
        if batch.synthetic and batch.n > ctx.pdf_max_n:
            skipped.append(f"N > --pdf-max-n {ctx.pdf_max_n}")
        elif batch.synthetic and pdf_rate and (
                time.monotonic() - ctx.started + pdf_rate * batch.n > ctx.budget_min * 60):
            skipped.append(f"estimated {pdf_rate * batch.n / 60:.0f} min would overrun the "
                           f"{ctx.budget_min:.0f} min budget")
        if skipped:
            notes.append(f"(b) and (c) not run for N={batch.n}: {'; '.join(skipped)}.")
            rows.append((batch, skipped, None, None, None))
            continue
        out = WORK / "out" / batch.label
        print(f"[{batch.label}] N={batch.n}, {batch.projects} project tables: PDF", flush=True)
        cold = perfdoc_pdf(ctx, batch.ws, out / "b-pdf", batch.n, cold=True)
        print(f"  (b) perfdoc pdf, cold   {cold.wall_s:8.2f} s  passes {cold.passes}",
              flush=True)
        warm = perfdoc_pdf(ctx, batch.ws, out / "b-pdf", batch.n, cold=False)
        print(f"  (b) perfdoc pdf, warm   {warm.wall_s:8.2f} s  passes {warm.passes}",
              flush=True)
        naive = soffice_naive(ctx, docx_for_naive(ctx, batch), out / "c-soffice", profile)
        print(f"  (c) soffice per file    {naive.wall_s:8.2f} s", flush=True)
        if batch.synthetic:
            pdf_rate = (cold.wall_s + warm.wall_s + naive.wall_s) / batch.n
        rows.append((batch, skipped, cold, warm, naive))
        notes += [f"{batch.label} {name} failed: {r.note}" for name, r in (
            ("(b) cold", cold), ("(b) warm", warm), ("(c)", naive)) if not r.ok]
    lines = []
    for batch, skipped, b, w, c in rows:
        head = [batch.label, str(batch.n), str(batch.projects)]
        if b is None or w is None or c is None:
            lines.append([*head, "not run: " + "; ".join(skipped), *[""] * 11])
            continue
        cw = c.wall_s
        lines.append([
            *head, ok_text(b, fmt_s(b.wall_s)), fmt_s(b.wall_s / batch.n), passes_text(b.passes),
            toc_text(b), ok_text(w, fmt_s(w.wall_s)), passes_text(w.passes),
            fmt_mib(max(b.hwm_kib or 0, w.hwm_kib or 0) or None),
            ok_text(c, fmt_s(cw)) + (f" ({c.retries} retried)" if c.retries else ""),
            fmt_s(cw / batch.n), toc_text(c), f"{cw / b.wall_s:.1f}×", f"{cw / w.wall_s:.1f}×"])
    header = ("batch", "docs", "tables", "(b) cold wall", "per doc", "docs × passes",
              "目录 filled", "(b) warm wall", "passes", "perfdoc peak RSS", "(c) wall",
              "per doc", "目录 filled", "(c)/(b) cold", "(c)/(b) warm")
    return Outcome(
        method=method(ctx.jobs),
        sections=[Section("PDF: perfdoc batched (b) vs naive soffice per file (c)",
                          table(header, lines))],
        targets=[target(rows)],
        notes=notes,
        raw={"sizes": [{"label": b.label, "n": b.n, "projects": b.projects,
                        "indicators": b.indicators, "skipped": skipped,
                        **{k: (r.summary() if r is not None else None) for k, r in (
                            ("b_pdf_cold", cold), ("b_pdf_warm", warm), ("c_soffice", naive))}}
                       for b, skipped, cold, warm, naive in rows]},
        failed=any("failed" in n for n in notes),
    )
