"""The report: what a scenario returns, formatting, results.md and results.json.

A scenario hands back an :class:`Outcome`: bullets for the report's Method
section, its own sections (tables), its :class:`Target` rows, notes, and the
raw numbers for results.json.  :func:`render_markdown` puts them together.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import Result

# ------------------------------------------------------------------- what a scenario returns


@dataclass
class Target:
    """One target line: measured against threshold."""

    name: str
    measured: str
    target: str
    verdict: str


INFORMATION = "(information)"  # the goal of a Target row that is not a target


@dataclass
class Section:
    """One ``## title`` of the report; *late* ones come after the Targets table."""

    title: str
    lines: list[str]
    late: bool = False


@dataclass
class Outcome:
    """What one scenario hands back: report pieces plus raw numbers.

    *raw* is merged into results.json by :func:`merge_raw`: dicts merge key by
    key, lists of ``{"label": …}`` rows merge row by row, other lists extend.
    """

    method: list[str] = field(default_factory=list)  # bullets for ## Method
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    failed: bool = False


def merge_raw(into: dict[str, Any], add: dict[str, Any]) -> None:
    """Merge one scenario's raw numbers into the results.json being built."""
    for key, value in add.items():
        old = into.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merge_raw(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            rows = {r["label"]: r for r in old if isinstance(r, dict) and "label" in r}
            for item in value:
                if isinstance(item, dict) and item.get("label") in rows:
                    merge_raw(rows[item["label"]], item)
                else:
                    old.append(item)
        else:
            into[key] = value


# --------------------------------------------------------------------------- formatting


def fmt_s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f} s" if v >= 1 else f"{v * 1000:.0f} ms"


def fmt_mib(kib: int | None) -> str:
    return "—" if kib is None else f"{kib / 1024:.0f} MiB"


def passes_text(passes: dict[str, int]) -> str:
    """``{"2": 50}`` -> ``50 × 2``: documents × LibreOffice passes each."""
    return ", ".join(f"{docs} × {n}" for n, docs in passes.items()) or "—"


def toc_text(r: Result | None) -> str:
    if r is None or r.toc_checked is None:
        return "—"
    return f"{r.toc_filled}/{r.toc_checked}"


def ok_text(r: Result | None, text: str) -> str:
    return text if r is None or r.ok else f"{text} (FAILED)"


def verdict_max(value: float, limit: float, unit: str) -> str:
    """PASS/MISS for 'value must be at most limit', with the margin."""
    if value <= limit:
        return f"PASS ({(1 - value / limit) * 100:.0f}% under)"
    return f"MISS by {value - limit:.3g}{unit} ({(value / limit - 1) * 100:.0f}% over)"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A markdown table."""
    return ([f"| {' | '.join(header)} |", "|" + "---|" * len(header)]
            + [f"| {' | '.join(row)} |" for row in rows])


# --------------------------------------------------------------------------- writing


METHOD_INTRO = "Every command is a fresh child process; wall times include interpreter start."


def render_markdown(info: dict[str, str], argv: Sequence[str], outcomes: Sequence[Outcome],
                    total_s: float) -> tuple[str, str]:
    """The human report: machine, method, sections, targets, late sections, notes.

    Returns the whole report and its body (what follows ## Method), to print.
    """
    head = ["# perfdoc benchmark results", "",
            f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} by "
            f"`bench/run.py {' '.join(argv)}` in {total_s / 60:.1f} min.", "",
            "## Machine", "", "| | |", "|---|---|"]
    head += [f"| {k} | {v} |" for k, v in info.items()]
    head += ["", "## Method", "", METHOD_INTRO, ""]
    head += [bullet for o in outcomes for bullet in o.method]
    body: list[str] = []

    def add(sections: Sequence[Section]) -> None:
        for s in sections:
            body.extend(["", f"## {s.title}", "", *s.lines])

    add([s for o in outcomes for s in o.sections if not s.late])
    tgts = [t for o in outcomes for t in o.targets]
    # Goals first, then the rows given for information; each group in run order.
    tgts = [t for t in tgts if t.target != INFORMATION] + [
        t for t in tgts if t.target == INFORMATION]
    if tgts:
        add([Section("Targets", table(("target", "measured", "goal", "verdict"),
                                      [(t.name, t.measured, t.target, t.verdict)
                                       for t in tgts]))])
    add([s for o in outcomes for s in o.sections if s.late])
    notes = [n for o in outcomes for n in o.notes]
    if notes:
        add([Section("Notes", [f"- {n}" for n in notes])])
    body_text = "\n".join(body).lstrip("\n") + "\n"
    return "\n".join(head) + "\n\n" + body_text, body_text


def write_results(folder: Path, report: str, raw: dict[str, Any]) -> None:
    """Write results.md and results.json into *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.md").write_text(report, encoding="utf-8")
    (folder / "results.json").write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
