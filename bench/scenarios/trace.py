"""Where a cold PDF build's time goes: one extra build through bench/trace_converters.py."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from context import Context
from harness import BENCH, EXAMPLE, WORK, fresh, measure
from report import Outcome, Section, fmt_s, table


def trace_pdf_build(ctx: Context, label: str, ws: Path) -> dict[str, Any]:
    """One extra, unmeasured cold PDF build with perfdoc's converter stages timed.

    Kept apart from the measured runs so that those are exactly the commands
    a user types; this one only explains where their time goes.
    """
    out, trace = fresh(WORK / "out" / f"trace-{label}"), WORK / f"trace-{label}.json"
    trace.unlink(missing_ok=True)
    sample = measure([ctx.perfdoc_python, str(BENCH / "trace_converters.py"), str(trace),
                      "build", str(ws), "--force", "-o", str(out), "--jobs", str(ctx.jobs)],
                     timeout=ctx.timeout)
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


def run(ctx: Context) -> Outcome:
    # The example (one converter) and a small batch.
    traces = [trace_pdf_build(ctx, "example", EXAMPLE)]
    small = [b for n, b in sorted(ctx.sized().items()) if 1 < n <= min(10, ctx.pdf_max_n)]
    if small:
        traces.append(trace_pdf_build(ctx, small[-1].label, small[-1].ws))
    rows = []
    for tr in traces:
        print(f"  trace {tr['label']}: " + (tr["error"] or
              f"first conversion at {tr['until_first_conversion_s']:.1f} s, conversions span "
              f"{tr['conversion_span_s']:.1f} s, then {tr['after_last_conversion_s']:.1f} s "
              "to exit"), flush=True)
        if tr.get("error"):
            rows.append([tr["label"], tr["error"], *[""] * 6])
            continue
        rows.append([tr["label"], fmt_s(tr["wall_s"]), fmt_s(tr["until_first_conversion_s"]),
                     fmt_s(tr["conversion_span_s"]), fmt_s(tr["after_last_conversion_s"]),
                     f"{tr['converter_starts']} ({fmt_s(tr['start_median_s'])})",
                     f"{tr['conversions']} ({fmt_s(tr['conversion_median_s'])}, "
                     f"{fmt_s(tr['conversion_sum_s'])})",
                     f"{tr['converter_stops']} ({fmt_s(tr['stop_s'])})"])
    header = ("build", "wall", "until first conversion", "conversions span",
              "after last conversion", "converter starts (median each)",
              "conversions (median each, sum)", "converter stops (sum)")
    intro = ["One extra cold (b) build per row, run through `bench/trace_converters.py`, which "
             "times perfdoc's converter start, conversion call and stop (not part of the "
             "measurements above). Stages overlap: a converter may start while another "
             "converts.", ""]
    return Outcome(sections=[Section("Where a cold PDF build's time goes",
                                     intro + table(header, rows), late=True)],
                   raw={"pdf_traces": traces})
