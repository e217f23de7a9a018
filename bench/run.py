"""perfdoc benchmark: ``make bench`` (``.venv/bin/python bench/run.py``).

Runs the scenarios of ``bench/scenarios/`` (all, or ``--only NAME,…``) side by
side in one run; the machines are noisy, so the numbers that matter are ratios
between methods measured together:

  floor   interpreter + imports, against the example's .docx build
  import  ``perfdoc import`` of a 20-project .docx
  docx    (a) ``perfdoc build WS --format docx --force``, one process per batch,
          vs (d) ``pandoc -f markdown -t docx`` per document
  pdf     (b) ``perfdoc build WS --force --jobs 2`` (.docx + PDF), vs (c) naive
          ``soffice --headless --convert-to pdf`` per .docx from (a), empty 目录
  trace   where a cold (b) build's time goes (one extra, unmeasured build)
  single  one document: ``perfdoc build DIR --force`` vs ``soffice --convert-to pdf``
          of its .docx, interleaved pairs

Every command runs as a fresh child process, so wall times include
interpreter start, as a user or CI sees them.  Results go to
``bench/results.md`` and ``bench/results.json`` (``--quick`` or ``--only``:
``bench/work/``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/ is not a package; run.py is run as a script.
from context import Context  # noqa: E402
from harness import (  # noqa: E402
    BENCH,
    PERFDOC,
    VENV_PYTHON,
    WORK,
    hold_lock,
    loadavg,
    machine,
    measure,
    source_revision,
)
from report import Outcome, merge_raw, render_markdown, write_results  # noqa: E402
from scenarios import SCENARIOS  # noqa: E402

FULL_SIZES = (1, 10, 50, 200)
QUICK_SIZES = (1, 10)


def _names(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown scenario {', '.join(unknown) or '(none)'}; choose from "
            f"{', '.join(SCENARIOS)}")
    return names


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true",
                   help="smoke run: N = 1, 10, one repeat; results go to bench/work/")
    p.add_argument("--only", type=_names, metavar="NAME[,NAME]",
                   help=f"run only these scenarios ({', '.join(SCENARIOS)}); results go to "
                        "bench/work/")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x.strip()],
                   help="comma-separated batch sizes (default 1,10,50,200)")
    p.add_argument("--repeats", type=int, help="repeats of (a) and (d) (default 3; quick 1)")
    p.add_argument("--floor-runs", type=int,
                   help="runs of the floor and import commands (default 5; quick 3)")
    p.add_argument("--pairs", type=int,
                   help="timed perfdoc/soffice pairs of `single` (default 5; quick 3)")
    p.add_argument("--pdf-max-n", type=int, default=50,
                   help="run (b) and (c) only up to this N (default 50)")
    p.add_argument("--budget-min", type=float, default=25.0,
                   help="skip (b)/(c) for a size whose estimate would overrun this (default 25)")
    p.add_argument("--jobs", type=int, default=2, help="--jobs for (b) (default 2)")
    p.add_argument("--seed", type=int, default=2024, help="seed of the synthetic documents")
    p.add_argument("--perfdoc", default=str(PERFDOC),
                   help="the perfdoc command to measure (default: .venv/bin/perfdoc)")
    p.add_argument("--results", type=Path,
                   help="folder for results.md/.json (default bench/; quick, only: bench/work/)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    shown_args = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(shown_args)
    lock = hold_lock()  # noqa: F841 - released when the process exits
    # perfdoc runs as a user's does: with its bytecode cached.  A shell that
    # forbids writing .pyc files would make every run compile ~50 modules.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.monotonic()
    soffice, pandoc = shutil.which("soffice"), shutil.which("pandoc")
    if soffice is None or pandoc is None:
        print("soffice and pandoc must be on PATH", file=sys.stderr)
        return 3
    names: list[str] = args.only or list(SCENARIOS)
    ctx = Context(
        perfdoc=tuple(shlex.split(args.perfdoc)), perfdoc_python=str(VENV_PYTHON),
        soffice=soffice, pandoc=pandoc, jobs=args.jobs, timeout=3600.0, started=started,
        sizes=sorted(set(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))),
        repeats=args.repeats or (1 if args.quick else 3),
        floor_runs=args.floor_runs or (3 if args.quick else 5),
        pairs=args.pairs or (3 if args.quick else 5),
        pdf_max_n=args.pdf_max_n, budget_min=args.budget_min, seed=args.seed)
    results_dir: Path = args.results or (WORK if args.quick or args.only else BENCH)
    shutil.rmtree(WORK / "logs", ignore_errors=True)

    info = machine(ctx.perfdoc)
    print("machine: " + "; ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    # Warm-up, untimed: the first run of anything pays for a cold page cache.
    measure([*ctx.perfdoc, "--version"], timeout=ctx.timeout)

    outcomes: list[Outcome] = []
    raw: dict[str, Any] = {}
    for name in names:
        print(f"== {name}", flush=True)
        outcome = SCENARIOS[name](ctx)
        outcomes.append(outcome)
        merge_raw(raw, outcome.raw)

    end = Outcome()
    info["load average at end"] = loadavg()
    # perfdoc is installed editable: a commit during the run changes what is
    # measured halfway, so say so rather than compare two versions silently.
    if (at_end := source_revision()) != info["git"]:
        info["git at end"] = at_end
        end.notes.append(f"perfdoc's source changed during the run ({info['git']} → {at_end}); "
                         "the scenarios measured later ran the newer code. Run again for clean "
                         "ratios.")
    outcomes.append(end)
    total_s = time.monotonic() - started
    report, body = render_markdown(info, shown_args, outcomes, total_s)
    write_results(results_dir, report, {
        "generated": datetime.datetime.now().isoformat(timespec="seconds"),
        "argv": shown_args,
        "seconds": total_s,
        "scenarios": names,
        "machine": info,
        **raw,
        "targets": [asdict(t) for o in outcomes for t in o.targets],
        "notes": [n for o in outcomes for n in o.notes],
    })
    print()
    print(body)
    print(f"wrote {results_dir / 'results.md'} and results.json in {total_s / 60:.1f} min")
    return 1 if any(o.failed for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
