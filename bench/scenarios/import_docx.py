"""``perfdoc import`` of a 20-project .docx perfdoc built (target ≤ 1 s)."""

from __future__ import annotations

import shutil
import statistics
from dataclasses import asdict
from typing import Any

import synth
from context import Context
from harness import EXAMPLE, WORK, Sample, fresh, measure
from report import Outcome, Target, fmt_s, verdict_max

TARGET_IMPORT_S = 1.0  # perfdoc import of a 20-project .docx, interpreter start included
IMPORT_PROJECTS = 20


def measure_import(ctx: Context, runs: int) -> dict[str, Any]:
    """``perfdoc import`` of a .docx with IMPORT_PROJECTS projects, median of *runs*.

    The .docx is perfdoc's own build of a synthetic document whose projects
    come from several synthetic units, so it has the shape of a real draft.
    """
    folder = fresh(WORK / "import" / "doc")
    (folder / "projects").mkdir()
    count = 0
    index = 0
    while count < IMPORT_PROJECTS:
        doc = synth.make_document(index, seed=ctx.seed, example=EXAMPLE)
        made = synth.write_document(doc, fresh(WORK / "import" / f"unit{index}"))
        if index == 0:
            for name in ("document.yaml", "goals.yaml"):
                shutil.copy(made / name, folder / name)
        for project in sorted((made / "projects").glob("*.yaml")):
            if count < IMPORT_PROJECTS:
                count += 1
                shutil.copy(project, folder / "projects" / f"{count:02d}-{project.name}")
        index += 1
    built = fresh(WORK / "import" / "built")
    done = measure([*ctx.perfdoc, "build", str(folder), "--format", "docx", "--skip-rules",
                    "-o", str(built)], timeout=ctx.timeout)
    docx = sorted(built.glob("*.docx"))
    if done.returncode != 0 or len(docx) != 1:
        return {"projects": count, "import_s": None, "samples": [], "ok": False,
                "error": f"the build to import exited {done.returncode}: "
                         f"{done.stderr_tail.strip()[-300:]}"}
    samples: list[Sample] = []
    out = WORK / "import" / "out"
    for _ in range(runs):
        samples.append(measure([*ctx.perfdoc, "import", str(docx[0]), "-o", str(out),
                                "--force"], timeout=ctx.timeout))
    failed = [s for s in samples if s.returncode != 0]
    return {"projects": count, "import_s": statistics.median(s.wall_s for s in samples),
            "samples": [asdict(s) for s in samples], "ok": not failed}


def run(ctx: Context) -> Outcome:
    imported = measure_import(ctx, ctx.floor_runs)
    print(f"import of {imported['projects']} projects: {fmt_s(imported['import_s'])}",
          flush=True)
    method = [f"- **import** `perfdoc import DOCX -o OUT --force` of perfdoc's own .docx of "
              f"{imported['projects']} synthetic projects; median of {ctx.floor_runs}."]
    if not imported["ok"]:
        return Outcome(method=method, notes=["perfdoc import failed; see results.json"],
                       raw={"floor": {"import": imported}}, failed=True)
    return Outcome(
        method=method,
        targets=[Target(f"perfdoc import of a {imported['projects']}-project .docx (median)",
                        f"{imported['import_s']:.3f} s", f"≤{TARGET_IMPORT_S} s",
                        verdict_max(imported["import_s"], TARGET_IMPORT_S, " s"))],
        raw={"floor": {"import": imported}},
    )
