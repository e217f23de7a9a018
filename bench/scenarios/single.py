"""single: what a clerk feels.  One document's default build against a plain soffice.

``perfdoc build examples/X --force -o OUT`` (.docx + PDF, every step of a
default build) and ``soffice --headless --convert-to pdf`` of the .docx that
build wrote, with the same fonts.conf and a warm soffice profile.  The two
are measured in pairs, interleaved (perfdoc, soffice, perfdoc, …), so both
see the same background noise; the ratio of the medians is the result.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from context import Context
from harness import EXAMPLES, WORK, Result, check_ok, fresh, measure, soffice_env, stamp_passes
from harness import toc_filled as count_toc
from report import (
    INFORMATION,
    Outcome,
    Section,
    Target,
    fmt_s,
    ok_text,
    passes_text,
    table,
    toc_text,
    verdict_max,
)

#: The documents, and whether their ratio is a target (else it is information).
DOCUMENTS = (("sanjia_2024", True), ("yunling_2024", False))
TARGET_RATIO = 1.2  # perfdoc build / soffice --convert-to pdf, medians

METHOD = [
    "- **single** `perfdoc build examples/X --force -o OUT` (.docx + PDF, default `--jobs`; "
    "OUT emptied before each build, so nothing is reused from a stamp) against `soffice "
    "--headless -env:UserInstallation=<shared, pre-warmed profile> --convert-to pdf` of the "
    ".docx that build wrote, with perfdoc's fonts.conf via FONTCONFIG_FILE. After one untimed "
    "run of each, measured in interleaved pairs (perfdoc, soffice, perfdoc, …); medians of "
    "the pairs, and perfdoc/soffice = the ratio of the medians.",
    "- **single, engine alone** (information): each pair also times the same soffice command on "
    "a copy of that profile which records its LibreOffice version, as a profile a desktop user "
    "has opened does. Without it LibreOffice runs its graphics self-test at every start "
    "(about 1.3 s here); perfdoc's converters skip it, so this is the soffice that does no "
    "more start-up work than perfdoc's.",
]


@dataclass
class Pairs:
    """One document's interleaved pairs."""

    label: str
    is_target: bool
    perfdoc: Result = field(default_factory=lambda: Result(expected=2))  # .docx + .pdf
    soffice: Result = field(default_factory=lambda: Result(expected=1))
    engine: Result = field(default_factory=lambda: Result(expected=1))  # version recorded

    @property
    def measured(self) -> bool:
        return bool(self.perfdoc.samples and self.soffice.samples and self.engine.samples)

    @property
    def engine_ratio(self) -> float:
        return self.perfdoc.wall_s / self.engine.wall_s

    @property
    def ratio(self) -> float:
        return self.perfdoc.wall_s / self.soffice.wall_s

    @property
    def pair_ratios(self) -> list[float]:
        return [p.wall_s / s.wall_s for p, s in zip(self.perfdoc.samples, self.soffice.samples,
                                                     strict=True)]


def _outputs(out: Path) -> int:
    return len(list(out.glob("*.docx"))) + len(list(out.glob("*.pdf")))


def measure_pairs(ctx: Context, folder: Path, profile: Path, recorded: Path,
                  is_target: bool) -> Pairs:
    """Warm both up once, untimed, then time ``ctx.pairs`` interleaved pairs."""
    res = Pairs(folder.name, is_target)
    base = fresh(WORK / "out" / f"single-{folder.name}")
    out_p, out_s, source = base / "perfdoc", base / "soffice", base / "input"
    logs = WORK / "logs"
    build = [*ctx.perfdoc, "build", str(folder), "--force", "-o", str(out_p)]
    warm = measure(build, timeout=ctx.timeout, log=logs / f"single-{folder.name}-warmup.log")
    docx = sorted(out_p.glob("*.docx"))
    if warm.returncode != 0 or len(docx) != 1:
        res.perfdoc.samples.append(warm)  # reported as the failure it is
        res.perfdoc.outputs = _outputs(out_p)
        check_ok(res.perfdoc, "perfdoc build (warm-up)")
        return res
    # soffice converts a copy: the next builds rewrite OUT.
    fresh(source)
    shutil.copy(docx[0], source / docx[0].name)
    convert = [ctx.soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(out_s), str(source / docx[0].name)]
    fresh(out_s)
    measure(convert, env=soffice_env(), timeout=ctx.timeout)
    out_e = base / "engine"
    engine = [ctx.soffice, "--headless", f"-env:UserInstallation={recorded.as_uri()}",
              "--convert-to", "pdf", "--outdir", str(out_e), str(source / docx[0].name)]
    fresh(out_e)
    measure(engine, env=soffice_env(), timeout=ctx.timeout)
    passes: Counter[str] = Counter()
    made_p, made_s = [], []
    for i in range(ctx.pairs):
        fresh(out_p)
        res.perfdoc.samples.append(measure(
            build, timeout=ctx.timeout, log=logs / f"single-{folder.name}-perfdoc{i + 1}.log"))
        made_p.append(_outputs(out_p))
        passes.update(stamp_passes(out_p))
        fresh(out_s)
        res.soffice.samples.append(measure(
            convert, env=soffice_env(), timeout=ctx.timeout,
            log=logs / f"single-{folder.name}-soffice{i + 1}.log"))
        made_s.append(len(list(out_s.glob("*.pdf"))))
        fresh(out_e)
        res.engine.samples.append(measure(
            engine, env=soffice_env(), timeout=ctx.timeout,
            log=logs / f"single-{folder.name}-engine{i + 1}.log"))
        res.engine.outputs = len(list(out_e.glob("*.pdf")))
        print(f"  pair {i + 1}: perfdoc {fmt_s(res.perfdoc.samples[-1].wall_s)}, "
              f"soffice {fmt_s(res.soffice.samples[-1].wall_s)}, "
              f"engine alone {fmt_s(res.engine.samples[-1].wall_s)}", flush=True)
    res.perfdoc.outputs, res.soffice.outputs = min(made_p), min(made_s)
    res.perfdoc.passes = dict(sorted(passes.items()))  # builds by LibreOffice passes
    res.perfdoc.toc_filled, res.perfdoc.toc_checked = count_toc(sorted(out_p.glob("*.pdf")))
    res.soffice.toc_filled, res.soffice.toc_checked = count_toc(sorted(out_s.glob("*.pdf")))
    check_ok(res.perfdoc, "perfdoc build")
    check_ok(res.soffice, "soffice --convert-to pdf")
    check_ok(res.engine, "soffice --convert-to pdf (version recorded)")
    return res


def _engine_target(p: Pairs) -> Target:
    name = (f"single document ({p.label}): `perfdoc build` / soffice on a profile that "
            "records its version (the engine alone)")
    if not (p.measured and p.perfdoc.ok and p.engine.ok):
        return Target(name, "not measured (failed)", INFORMATION, "—")
    return Target(name, f"{fmt_s(p.perfdoc.wall_s)} / {fmt_s(p.engine.wall_s)} = "
                  f"{p.engine_ratio:.2f}×", INFORMATION, "—")


def _target(p: Pairs) -> Target:
    name = (f"single document ({p.label}): `perfdoc build` .docx + PDF / "
            "`soffice --convert-to pdf` of its .docx")
    goal = f"≤{TARGET_RATIO}×" if p.is_target else INFORMATION
    if not (p.measured and p.perfdoc.ok and p.soffice.ok):
        return Target(name, "not measured (failed)", goal, "—")
    ratios = p.pair_ratios
    measured = (f"{fmt_s(p.perfdoc.wall_s)} / {fmt_s(p.soffice.wall_s)} = {p.ratio:.2f}× "
                f"(pairs {min(ratios):.2f}–{max(ratios):.2f}×)")
    return Target(name, measured, goal,
                  verdict_max(p.ratio, TARGET_RATIO, "×") if p.is_target else "—")


def run(ctx: Context) -> Outcome:
    profile, recorded = ctx.soffice_profile(), ctx.soffice_profile_recorded()
    measured: list[Pairs] = []
    for name, is_target in DOCUMENTS:
        print(f"[single {name}] {ctx.pairs} pairs: perfdoc build, soffice --convert-to pdf",
              flush=True)
        measured.append(measure_pairs(ctx, EXAMPLES / name, profile, recorded, is_target))
    rows = []
    for p in measured:
        if not p.measured:
            rows.append([p.label, "0", ok_text(p.perfdoc, "—"), *[""] * 8])
            continue
        ratios = p.pair_ratios
        rows.append([p.label, str(len(ratios)), ok_text(p.perfdoc, fmt_s(p.perfdoc.wall_s)),
                     passes_text(p.perfdoc.passes), toc_text(p.perfdoc),
                     ok_text(p.soffice, fmt_s(p.soffice.wall_s)), toc_text(p.soffice),
                     f"{p.ratio:.2f}×", f"{min(ratios):.2f}–{max(ratios):.2f}×",
                     ok_text(p.engine, fmt_s(p.engine.wall_s)), f"{p.engine_ratio:.2f}×"])
    header = ("document", "pairs", "perfdoc build (median)", "builds × passes", "目录 filled",
              "soffice (median)", "目录 filled", "perfdoc/soffice", "per pair",
              "soffice, version recorded (median)", "perfdoc/that")
    notes = [f"single {p.label} {name} failed: {r.note}"
             for p in measured for name, r in (("perfdoc", p.perfdoc), ("soffice", p.soffice),
                                               ("soffice, version recorded", p.engine))
             if not r.ok]
    return Outcome(
        method=METHOD,
        sections=[Section("Single document: perfdoc build vs soffice --convert-to pdf",
                          table(header, rows))],
        targets=[*(_target(p) for p in measured), *(_engine_target(p) for p in measured
                                                     if p.is_target)],
        notes=notes,
        raw={"single": [{"label": p.label, "target": p.is_target,
                         "pairs": len(p.soffice.samples),
                         "perfdoc": p.perfdoc.summary(), "soffice": p.soffice.summary(),
                         "soffice_version_recorded": p.engine.summary(),
                         "ratio": p.ratio if p.measured else None,
                         "engine_ratio": p.engine_ratio if p.measured else None,
                         "pair_ratios": p.pair_ratios if p.measured else []}
                        for p in measured]},
        failed=bool(notes),
    )
