"""``perfdoc report``: a county finance bureau's view of many documents at once.

A bureau collects the documents of its ~80 units every year and reviews them
together.  This module reads every document the way ``perfdoc check`` does,
adds what a reviewer asks of the batch (money in 万元, spending plans against
the workspace, which outputs are built and current) and writes it as one
self-contained HTML page or one .xlsx workbook with the same content.

    survey   one document: its check findings, its projects in 万元 and the
             state of its .docx and PDF                    (one per worker)
    collect  every document, in parallel; the findings of all of them, each
             once; the workspace medians of the spending plans
    render   the page (Jinja2, ``data/report.html.j2``) or the workbook
    write    atomically, through ``outputs.write_together``

Nothing here renders a .docx or starts LibreOffice: a build's state comes
from its stamp (see ``_output_state``).
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import itertools
import os
import statistics
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import Decimal, Inexact, localcontext
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from perfdoc.check import (
    CheckOptions,
    check_document,
    check_folder,
    document_vocabulary,
    project_vocabularies,
)
from perfdoc.document import Document, Project
from perfdoc.errors import UsageError
from perfdoc.i18n import _
from perfdoc.layout import read_stamp
from perfdoc.model import DocumentFile
from perfdoc.outputs import file_sha256, source_date_epoch, write_together
from perfdoc.problems import Level, Problem, display_path, sort_problems
from perfdoc.validate import validate_file
from perfdoc.values import ParsedValue, money_in_wan
from perfdoc.workspace import Workspace
from perfdoc.yamlfile import YamlFile

if TYPE_CHECKING:
    pass

ReportFormat = Literal["html", "xlsx"]
#: A built file: current, built from other inputs (or unverifiable), or absent.
State = Literal["fresh", "stale", "missing"]

#: The suffixes ``-o`` accepts, and the format each one means.
SUFFIXES: dict[str, ReportFormat] = {".html": "html", ".xlsx": "xlsx"}

#: The four points of a spending plan (资金支出计划).
MONTH_LABELS = ("3月底", "6月底", "10月底", "12月底")
MONTH_NUMBERS = (3, 6, 10, 12)

STATE_LABELS: dict[State, str] = {"fresh": "最新", "stale": "已过期", "missing": "未生成"}
LEVEL_LABELS = {Level.ERROR: "错误", Level.WARNING: "警告", Level.INFO: "提示"}
SEVERITY = (Level.ERROR, Level.WARNING, Level.INFO)

#: Below this many documents per worker, forking costs more than it saves.
_MIN_PER_WORKER = 6

CENT = Decimal("0.01")


def report_format(target: str) -> ReportFormat:
    """Return the format the suffix of *target* asks for; any other suffix is a usage error."""
    fmt = SUFFIXES.get(Path(target).suffix.lower())
    if fmt is None:
        raise UsageError(_("{path}: the report is written as FILE.html or FILE.xlsx; the "
                           "suffix decides the format").format(path=display_path(target)))
    return fmt


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Output:
    """One built file of a document and its state."""

    path: Path
    state: State


@dataclass(frozen=True)
class ProjectRow:
    """One project table, its money as written and in 万元."""

    file: str
    code: str
    name: str
    money_unit: str
    total: Decimal
    fiscal: Decimal | None
    other: Decimal | None
    #: 预算数, 财政资金 and 其他资金 in 万元 (an empty part counts as 0, as the
    #: budget-sum rule counts it); ``None`` when the money unit is not 元, 万元 or 亿元.
    in_wan: tuple[Decimal, Decimal, Decimal] | None
    satisfaction: bool
    plan: tuple[Decimal, Decimal, Decimal, Decimal]


@dataclass
class UnitRow:
    """One document: a unit's year."""

    folder: Path
    display: str
    unit: str
    year: int | None
    #: The document passed validation, so its projects (and money) are known.
    valid: bool
    projects: list[ProjectRow]
    #: What ``perfdoc check`` reports for this document, sorted, each once.
    problems: list[Problem]
    docx: Output
    pdf: Output

    @property
    def counted(self) -> list[ProjectRow]:
        """The projects whose money is summed: a recognised money unit."""
        return [p for p in self.projects if p.in_wan is not None]

    @property
    def uncounted(self) -> list[ProjectRow]:
        """The projects whose money unit is not recognised: listed, never summed."""
        return [p for p in self.projects if p.in_wan is None]

    def money(self) -> tuple[Decimal, Decimal, Decimal] | None:
        """预算数, 财政资金 and 其他资金 in 万元; ``None`` for a document that failed validation."""
        if not self.valid:
            return None
        return _sums(p.in_wan for p in self.counted if p.in_wan is not None)

    def count(self, level: Level) -> int:
        """Count the findings of *level*, suppressed ones left out (as ``check`` counts them)."""
        return sum(1 for p in self.problems if p.level is level and not p.suppressed)

    @property
    def suppressed(self) -> int:
        """The findings silenced by a suppression comment."""
        return sum(1 for p in self.problems if p.suppressed)

    def by_rule(self) -> list[tuple[str, int, Level]]:
        """Count the unsuppressed findings per rule id, with the most severe level among them.

        The most severe rules come first, then the most frequent.
        """
        live = [p for p in self.problems if not p.suppressed]
        counts = Counter(p.rule for p in live)
        worst: dict[str, Level] = {}
        for p in live:
            if p.rule not in worst or SEVERITY.index(p.level) < SEVERITY.index(worst[p.rule]):
                worst[p.rule] = p.level
        return sorted(((rule, n, worst[rule]) for rule, n in counts.items()),
                      key=lambda item: (SEVERITY.index(item[2]), -item[1], item[0]))


@dataclass(frozen=True)
class FindingRow:
    """One finding of ``perfdoc check``, and the document it was found in."""

    problem: Problem
    #: Index into ``Report.units``; ``None`` for a DIR without any document.
    unit: int | None


@dataclass
class Report:
    """Everything the page and the workbook show."""

    units: list[UnitRow]
    findings: list[FindingRow]
    #: The median cumulative % at each month over every project of valid documents.
    medians: tuple[Decimal, Decimal, Decimal, Decimal] | None
    generated: datetime.datetime
    target: Path = field(default_factory=Path)

    @cached_property
    def projects(self) -> list[tuple[UnitRow, ProjectRow]]:
        """Every project of every valid document, with its unit."""
        return [(u, p) for u in self.units if u.valid for p in u.projects]

    def money(self) -> tuple[Decimal, Decimal, Decimal]:
        """预算数, 财政资金 and 其他资金 in 万元 over every valid document."""
        return _sums(m for u in self.units if (m := u.money()) is not None)

    def back_loaded(self, project: ProjectRow) -> bool:
        """Say whether *project* spends later than the workspace (see ``BACK_LOADED``)."""
        if self.medians is None:
            return False
        below = sum(1 for own, median in zip(project.plan[:3], self.medians[:3], strict=True)
                    if own < median)
        return below >= 2

    def count(self, level: Level) -> int:
        """Count the unsuppressed findings of *level* over the whole report."""
        return sum(1 for f in self.findings
                   if f.problem.level is level and not f.problem.suppressed)


#: The definition the page and the workbook print: keep it in step with ``back_loaded``.
BACK_LOADED = ("进度偏后：3月底、6月底、10月底三个时点中，至少有两个时点的累计支出比例"
               "低于全部项目在该时点的中位数。")


def _sums(rows: Iterable[tuple[Decimal, Decimal, Decimal]]) -> tuple[Decimal, Decimal, Decimal]:
    """Add amounts exactly: a wide context that raises rather than rounds."""
    total = fiscal = other = Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 80
        ctx.traps[Inexact] = True
        for t, f, o in rows:
            total, fiscal, other = total + t, fiscal + f, other + o
    return total, fiscal, other


def in_wan(amount: Decimal, money_unit: str) -> Decimal | None:
    """Convert *amount* in *money_unit* to 万元 exactly; ``None`` for an unknown unit."""
    with localcontext() as ctx:
        ctx.prec = 80
        ctx.traps[Inexact] = True
        return money_in_wan(ParsedValue("=", amount, money_unit.strip()))


# --------------------------------------------------------------------------- one document


def survey(folder: Path, outdir: Path | None) -> UnitRow:
    """Read one document as ``perfdoc check`` does, and find the state of its outputs.

    Runs in a worker process: it returns plain data, never the document.
    """
    where = folder / "build" if outdir is None else outdir
    meta_file: YamlFile | None = None
    if where.is_dir():
        doc, ws, problems, docx, pdf, meta_file = _survey_built(folder, outdir)
    else:
        # Nothing was ever built there: no output to name, no stamp to read,
        # and the build's modules are not even imported.
        doc, ws, problems = check_folder(folder, CheckOptions())
        docx = pdf = Output(where, "missing")
    if doc is None or ws is None:
        unit, year = _name_of(folder, meta_file)
        return UnitRow(folder, display_path(folder), unit, year, False, [],
                       sort_problems(problems), docx, pdf)
    return UnitRow(folder, display_path(folder), doc.meta.unit, doc.meta.year, True,
                   _project_rows(doc, ws), sort_problems(problems), docx, pdf)


def _survey_built(folder: Path, outdir: Path | None) -> tuple[
        Document | None, Workspace | None, list[Problem], Output, Output, YamlFile | None]:
    """Survey a document whose output folder exists: check it, and compare its outputs."""
    from perfdoc.plan import BuildOptions, Planned, name_outputs, plan_one

    # The outputs are named as ``build`` names them.  One folder never clashes;
    # two documents naming the same file under ``--outputs`` each compare the
    # stamp with their own inputs, so at most one of them is fresh.
    planned = name_outputs([folder], BuildOptions(outdir=outdir))[0][folder]
    outputs = planned.outputs
    stamp = read_stamp(outputs.stamp)
    doc: Document | None = None
    ws: Workspace | None = None
    hashes: set[str] = set()
    problems: list[Problem] = []
    fmt = stamp.get("format")
    if fmt in ("all", "docx", "pdf"):
        # Built before: the input hash is plan_one's, for the format of that build.
        # The rules are left to check_document below, so a document built with
        # --skip-rules is judged by its inputs like any other.  ``Planned`` goes
        # without document.yaml: read again, its load problems are kept.
        opts = BuildOptions(outdir=outdir, fmt=fmt, skip_rules=True)
        job, _found = plan_one(folder, opts, Planned(outputs))
        if job is not None:
            doc, ws = job.doc, job.workspace
            problems = job.problems + check_document(doc, ws, CheckOptions())
            hashes.add(job.hash)
            if job.hash != stamp.get("input_hash") and opts.wants_pdf:
                # The stamp does not record --pdfa, which is part of the hash.
                from perfdoc.plan import build_hash

                hashes.add(build_hash(doc, job.template, replace(opts, pdfa=True)))
    if doc is None:
        # Never built, or its inputs cannot be planned: the findings are check's.
        doc, ws, problems = check_folder(folder, CheckOptions())
    current = stamp.get("input_hash") in hashes
    docx, pdf = (Output(path, _output_state(path, stamp, current))
                 for path in (outputs.docx, outputs.pdf))
    return doc, ws, problems, docx, pdf, planned.meta_file


def _output_state(path: Path, stamp: dict[str, Any], current: bool) -> State:
    """Say whether *path* is what a build of the current inputs would write.

    As ``build`` decides to skip a document (``build._is_fresh``): the stamp's
    input hash is the one the inputs give now, and the file is the one the
    stamp recorded (its sha256).  ``build --check`` goes further for the
    .docx and renders it again to compare the bytes; a report over eighty
    documents does not, because the recorded hash of the file written from
    the same input hash says the same thing unless someone edited the .docx
    without touching its stamp, and rendering would take seconds.
    """
    if not path.is_file():
        return "missing"
    recorded = stamp.get("sha256")
    if current and isinstance(recorded, dict) and recorded.get(path.name) == file_sha256(path):
        return "fresh"
    return "stale"


def _name_of(folder: Path, meta_file: YamlFile | None) -> tuple[str, int | None]:
    """Return the unit and year of a document that failed validation, if its document.yaml says."""
    if meta_file is None:
        # Read as name_outputs reads it for a name: a link out of the folder is refused.
        from perfdoc.plan import BuildOptions, name_outputs

        meta_file = name_outputs([folder], BuildOptions())[0][folder].meta_file
    if meta_file is not None:
        meta, _problems = validate_file(meta_file, DocumentFile)
        if meta is not None:
            return meta.unit, meta.year
    return folder.name, None


def _project_rows(doc: Document, ws: Workspace) -> list[ProjectRow]:
    """Return the projects of *doc*, with the vocabulary the rules use for each."""
    # The profile as check.py picks it: the project's own, else the document's,
    # the workspace's or the default.  Its problems are check's to report.
    vocab = document_vocabulary(doc, ws)[0]
    own = project_vocabularies(doc)[0]
    rows = []
    for project in doc.projects:
        kinds = own.get(project.source.path, vocab).kinds
        satisfaction = any("satisfaction" in kinds(ind.level1, ind.level2)
                           for ind in project.model.indicators)
        rows.append(_project_row(project, satisfaction))
    return rows


def _project_row(project: Project, satisfaction: bool) -> ProjectRow:
    model = project.model
    budget, plan = model.budget, model.funding_plan
    # The money unit as the table prints it: the project's, else document.yaml's, else 万元.
    unit = project.money_unit
    # An empty 财政资金 or 其他资金 counts as 0, as the budget-sum rule counts it.
    total, fiscal, other = (in_wan(amount, unit) for amount in (
        budget.total, budget.fiscal or Decimal(0), budget.other or Decimal(0)))
    wan = None
    if total is not None and fiscal is not None and other is not None:
        wan = (total, fiscal, other)
    return ProjectRow(
        file=project.source.display, code=model.code, name=model.name, money_unit=unit,
        total=budget.total, fiscal=budget.fiscal, other=budget.other,
        in_wan=wan,
        satisfaction=satisfaction, plan=(plan.mar, plan.jun, plan.oct, plan.dec))


# --------------------------------------------------------------------------- every document


def collect(folders: Sequence[Path], outdir: Path | None = None, *,
            extra: Sequence[Problem] = (), when: datetime.datetime | None = None,
            jobs: int | None = None, meanwhile: Callable[[], object] | None = None) -> Report:
    """Survey every document of *folders* and put the report together.

    *extra* are problems that belong to no document (a DIR without any), as
    ``perfdoc check`` prints them too.  *meanwhile* runs while worker
    processes read the documents (the renderer's own preparations).
    """
    if any((outdir or folder / "build").is_dir() for folder in folders):
        import perfdoc.plan  # noqa: F401  (once, before the workers are forked)
    with _fewer_collections():
        units = _survey_all(folders, outdir, jobs, meanwhile or (lambda: None))
    # Every finding once, as ``check`` prints them: a perfdoc.toml problem that
    # each of its documents reports is one finding, of the first document.
    owner: dict[Problem, int | None] = {p: None for p in extra}
    for i, unit in enumerate(units):
        for problem in unit.problems:
            owner.setdefault(problem, i)
    findings = [FindingRow(p, owner[p]) for p in sort_problems(owner)]
    plans = [p.plan for u in units if u.valid for p in u.projects]
    medians = None
    if plans:
        m = [statistics.median(plan[k] for plan in plans) for k in range(4)]
        medians = (m[0], m[1], m[2], m[3])
    return Report(units, findings, medians, when or report_time(source_date_epoch()))


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Spare the cyclic garbage collector's time while documents are read.

    Reading a document allocates hundreds of thousands of small objects that
    reference counting frees; the collector would still walk every object
    alive each time, the imported modules included, which was a sixth of the
    time of a batch.  The objects alive now are set aside (``gc.freeze``, which
    also spares forked workers from copying the pages the walk would touch),
    and collections run less often.  Both are undone at the end.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _survey_all(folders: Sequence[Path], outdir: Path | None, jobs: int | None,
                meanwhile: Callable[[], object]) -> list[UnitRow]:
    """Survey *folders* in order, in worker processes when there are enough of them.

    Loading is Python work that threads do not speed up; forked workers
    inherit the imported modules and start at once.  Where fork is not the
    way (Windows, macOS, a process running threads) the documents are read
    one after the other.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(jobs or cores or 1, len(folders) // _MIN_PER_WORKER)
    # Forking a process that runs other threads can copy a lock some thread holds.
    if workers < 2 or not sys.platform.startswith("linux") or threading.active_count() > 1:
        meanwhile()
        return [survey(folder, outdir) for folder in folders]
    import multiprocessing

    chunk = max(1, len(folders) // (workers * 4))
    pool = ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("fork"))
    try:
        # map() forks the workers and hands them every document at once; the
        # results are collected after *meanwhile*, which no worker inherits.
        results = pool.map(survey, folders, itertools.repeat(outdir), chunksize=chunk)
        meanwhile()
        return list(results)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: The last second of the year 9999, as render.py allows for SOURCE_DATE_EPOCH.


def report_time(epoch: int | None) -> datetime.datetime:
    """Return the report's time: *epoch* (SOURCE_DATE_EPOCH, for reproducible reports), else now."""
    if epoch is None:
        return datetime.datetime.now().astimezone()
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)


# --------------------------------------------------------------------------- write


def prepare(fmt: ReportFormat) -> None:
    """Get ready to render *fmt*: compile the page's template, or import openpyxl."""
    if fmt == "html":
        from perfdoc.report_html import page_template

        page_template()
    else:
        import openpyxl  # noqa: F401


def make_report(folders: Sequence[Path], target: Path, fmt: ReportFormat, *,
                outdir: Path | None = None, extra: Sequence[Problem] = (),
                when: datetime.datetime | None = None) -> Report:
    """Survey *folders* and write the report to *target* as *fmt*; return what it holds."""
    report = collect(folders, outdir, extra=extra, when=when, meanwhile=lambda: prepare(fmt))
    write_report(report, target, fmt)
    return report


def write_report(report: Report, target: Path, fmt: ReportFormat) -> None:
    """Render *report* as *fmt* and put it at *target* atomically (or not at all)."""
    report.target = target.absolute()
    from perfdoc.report_html import render_html
    from perfdoc.report_xlsx import render_xlsx

    with _fewer_collections():
        data = render_html(report) if fmt == "html" else render_xlsx(report)
    write_together({target: data})
