"""Floor: interpreter + imports, against the example's own .docx build (target ≤ 0.4 s)."""

from __future__ import annotations

import statistics
import sys
from dataclasses import asdict
from typing import Any

from context import Context
from harness import EXAMPLE, VENV_PYTHON, WORK, Sample, fresh, measure
from report import Outcome, Section, Target, fmt_mib, fmt_s, table, verdict_max

FLOOR_IMPORTS = "import click, yaml, pydantic, jinja2, docx, docxtpl"
TARGET_EXAMPLE_S = 0.4  # the example's .docx, interpreter start included


def measure_floor(ctx: Context, runs: int) -> dict[str, Any]:
    """Interpreter + imports, and the example's .docx build, interleaved.

    Interleaving puts both under the same background noise; the median of
    several runs discards the odd slow one.
    """
    imports: list[Sample] = []
    example: list[Sample] = []
    out = WORK / "out" / "floor"
    for _ in range(runs):
        imports.append(measure([str(VENV_PYTHON), "-c", FLOOR_IMPORTS], timeout=ctx.timeout))
        fresh(out)
        example.append(measure([*ctx.perfdoc, "build", str(EXAMPLE), "--format", "docx",
                                "--force", "-o", str(out)], timeout=ctx.timeout))
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


def run(ctx: Context) -> Outcome:
    floor = measure_floor(ctx, ctx.floor_runs)
    imports_s, example_s = floor["imports_s"], floor["example_docx_s"]
    rss = floor["example_rss_kib"]
    print(f"floor: imports {fmt_s(imports_s)}, example .docx {fmt_s(example_s)}", flush=True)
    runs = str(floor["runs"])
    rows = [
        (f'`python -c "{FLOOR_IMPORTS}"`', fmt_s(imports_s), runs),
        ("example .docx (`perfdoc build examples/sanjia_2024 --format docx --force`)",
         fmt_s(example_s), runs),
        ("difference: perfdoc's own work on the example", fmt_s(example_s - imports_s), ""),
        ("peak RSS of the example .docx build", fmt_mib(rss), ""),
    ]
    return Outcome(
        method=[f'- **floor** `python -c "{FLOOR_IMPORTS}"`, interleaved with the example\'s '
                "`perfdoc build examples/sanjia_2024 --format docx --force -o OUT`; median of "
                f"{runs}."],
        sections=[Section("Floor", table(("what", "median", "runs"), rows))],
        targets=[Target("example .docx, wall incl. interpreter start (median)",
                        f"{example_s:.3f} s (floor {imports_s:.3f} s)",
                        f"≤{TARGET_EXAMPLE_S} s", verdict_max(example_s, TARGET_EXAMPLE_S, " s"))],
        notes=[] if floor["ok"] else ["a floor command failed; see results.json"],
        raw={"floor": floor},
        failed=not floor["ok"],
    )
