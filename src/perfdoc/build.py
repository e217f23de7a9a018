"""The build, top to bottom: the same stages for one document or a batch.

    plan      name every document's outputs; a clash is refused before
              anything is written                               (plan.py)
    load      read and validate the document's files            (document.py)
    check     run the rules                                     (check.py)
    render    the .docx from the template                       (context.py, render.py)
    convert   the .docx to PDF through LibreOffice              (convert.py)
    paginate  read each heading's printed page; fill the 目录   (paginate.py)
    write     replace the outputs together, or compare them     (outputs.py)

``build_all`` runs the batch; ``build_document`` takes one document through
load to write.  Read them in that order to learn the whole build.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from perfdoc import __version__
from perfdoc.context import (
    PART1_ANCHOR,
    build_context,
    continued_rows,
    cover_title,
    page_anchors,
)
from perfdoc.early import source_record
from perfdoc.errors import (
    INTERNAL_ERROR,
    DocumentError,
    EnvironmentProblem,
    OutputError,
    PerfdocError,
)
from perfdoc.i18n import _
from perfdoc.layout import read_stamp
from perfdoc.outputs import file_sha256, sha256, stamp_bytes, write_together
from perfdoc.paginate import (
    OnePass,
    PageNumbering,
    UntilSettled,
    fill_toc,
    lay_out,
    load_pdf_reader,
    missing_bookmarks,
)
from perfdoc.pdfmeta import reproducible_pdf
from perfdoc.plan import BuildOptions, Job, Planned, name_outputs, plan_one
from perfdoc.problems import Level, Problem, display_path
from perfdoc.render import document_date, render_docx
from perfdoc.rules import RULES
from perfdoc.workspace import find_workspace

if TYPE_CHECKING:
    # The PDF stage's module starts processes and talks to them; a .docx-only
    # build (the common, timed case) never needs it, so it is imported where used.
    from perfdoc.convert import ConverterPool

Status = Literal["built", "skipped", "failed", "stale", "fresh", "cancelled"]


@dataclass
class DocResult:
    """What happened to one document."""

    folder: Path
    status: Status
    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    message: str = ""
    exit_code: int = 0


@dataclass
class BuildReport:
    """The outcome of a batch."""

    results: list[DocResult]
    seconds: float
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """The highest exit code among the documents."""
        return max((r.exit_code for r in self.results), default=0)

    def count(self, status: Status) -> int:
        """How many documents ended with *status*."""
        return sum(1 for r in self.results if r.status == status)


# --------------------------------------------------------------------------- the batch


def build_all(
    folders: Sequence[Path],
    opts: BuildOptions,
    on_done: Callable[[DocResult], None] | None = None,
    pool: ConverterPool | None = None,
    keep_pool: bool = False,
) -> BuildReport:
    """Build (or with ``check_only`` compare) every document in *folders*.

    Each worker takes one document at a time through every stage and then
    forgets it, so memory stays flat however large the batch.  Whatever
    happens to one document, the others are still built; only an interrupt
    (Ctrl-C, SIGTERM) stops the batch, and the documents it never reached
    are reported as cancelled.

    *pool* is converters started before this call (``early.start_converters``,
    or ``watch``'s warm ones); the caller stops them.  Without it, converters
    are started here on the first document that needs one, and stopped here.
    Either way they are told to start stopping once the last document is
    past its conversion, unless *keep_pool* (``watch`` keeps them warm).
    """
    started = time.monotonic()
    results: list[DocResult] = []
    lock = threading.Lock()
    cancelled = threading.Event()

    def report(r: DocResult) -> None:
        with lock:
            results.append(r)
            if on_done:
                on_done(r)

    # Stage: plan.  Every output is named first; a clash is refused before
    # anything is written.
    named, refused = name_outputs(folders, opts)
    for folder, problems in refused.items():
        report(DocResult(folder, "failed", problems, exit_code=1))

    # Converters for the whole batch.  They start lazily, on
    # the first document that needs a PDF, so a batch of unchanged documents
    # never starts LibreOffice.  The command line wins over perfdoc.toml.
    # Without a PDF one worker suffices: rendering is Python work, which
    # threads do not speed up.
    conf = find_workspace(next(iter(named)))[0].config.converter if named else None
    wants_converter = opts.wants_pdf and not opts.check_only and bool(named)
    # Several unoservers (--converter A,B): one worker per server by default.
    endpoints = len(opts.converter.split(",")) if opts.converter else 0
    converters = (opts.jobs or (conf.jobs if conf else None) or endpoints or os.cpu_count()
                  or 1)
    converters = max(1, min(converters, len(named)))
    workers = converters if wants_converter else 1
    if wants_converter and len(named) > converters:
        # One worker more than converters: while every converter is busy, the
        # next document is loaded, checked and rendered, so no converter waits
        # for Python between two documents.
        workers += 1

    unconverted = len(named)

    def converted() -> None:
        # The last document past its conversion: the converters' cleaning
        # (about 0.05 s) can overlap its writes.
        nonlocal unconverted
        with lock:
            unconverted -= 1
            last = unconverted == 0
        if last and pool is not None and not keep_pool:
            pool.release()

    def work(folder: Path, pool: ConverterPool | None) -> None:
        if cancelled.is_set():
            return
        once = _Once(converted)
        try:
            report(build_document(folder, named[folder], opts, pool, cancelled, once))
        finally:
            once()
        # A rendered document leaves reference cycles (python-docx parts and
        # their package) that hold megabytes of lxml trees the cyclic collector
        # does not count; collect them now so memory stays flat over a batch.
        # A single document's build ends here anyway, so it skips the pause.
        if len(named) > 1:
            gc.collect()

    interrupted = False
    with contextlib.ExitStack() as stack:
        timeout = opts.timeout or (conf.timeout if conf else 120.0)
        restart_after = opts.restart_after or (conf.restart_after if conf else 200)
        if not wants_converter:
            pool = None
        elif pool is not None:
            pool.configure(jobs=converters, timeout=timeout, restart_after=restart_after)
        else:
            from perfdoc.convert import ConverterPool

            pool = stack.enter_context(ConverterPool(
                jobs=converters, timeout=timeout, restart_after=restart_after,
                fonts_dir=opts.fonts, address=opts.converter))
        executor = ThreadPoolExecutor(max_workers=workers)
        try:
            for future in [executor.submit(work, folder, pool) for folder in named]:
                future.result()
        except KeyboardInterrupt:
            # No worker may write from now on, and killing LibreOffice ends the
            # conversions in flight at once.
            interrupted = True
            cancelled.set()
            if pool is not None:
                pool.close()
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
    if interrupted:
        done = {r.folder for r in results}
        for folder in named:
            if folder not in done:
                report(DocResult(folder, "cancelled", exit_code=130))
    return BuildReport(results, time.monotonic() - started, interrupted)


# --------------------------------------------------------------------------- one document


class _Once:
    """Call a function the first time this is called, and never again."""

    def __init__(self, call: Callable[[], None]) -> None:
        self._call: Callable[[], None] | None = call

    def __call__(self) -> None:
        call, self._call = self._call, None
        if call is not None:
            call()


def build_document(folder: Path, planned: Planned, opts: BuildOptions,
                   pool: ConverterPool | None, cancelled: threading.Event,
                   converted: Callable[[], None] = lambda: None) -> DocResult:
    """Take one document from load to write; any failure becomes its result.

    *converted* is called once the document needs no converter any more.
    A bug in one document's build is reported as that document's internal
    error (exit 4), and a batch goes on with the others.
    """
    problems: list[Problem] = []
    try:
        # Stages: load and check.
        job, problems = plan_one(folder, opts, planned)
        if job is None:
            return DocResult(folder, "failed", problems, message=_refused_hint(problems, opts),
                             exit_code=1)
        if opts.check_only:
            return compare(job, opts)
        if not opts.force and _is_fresh(job, opts):
            return DocResult(folder, "skipped", problems)
        # Stage: render.
        draft = render(job)
        files: dict[Path, bytes] = {}
        paginated = None
        if pool is not None:
            _require_bookmarks(job, draft)
            problems += _font_problems(job, opts)
            # Stages: convert and paginate.  The .docx goes to the converter
            # and the PDF comes back as bytes; the label names the document
            # in the converter's messages.
            label = display_path(folder)
            load_pdf_reader()

            def render_with(tops: frozenset[tuple[int, int]]) -> bytes:
                # The draft has no labels repeated; render again only for some.
                return render(job, page_tops=tops) if tops else draft

            paginated = lay_out(
                render_with, _numbering(job, pool),
                lambda docx: pool.convert(docx, label=label, pdfa=opts.pdfa),
                lambda tops: continued_rows(job.doc, tops), guess=_recorded_tops(job))
            converted()
            meta = job.doc.meta
            # Stage: make the PDF reproducible (fixed dates, content-derived ID).
            files[job.outputs.pdf] = reproducible_pdf(
                paginated.pdf, document_date(meta.settings.date, meta.year))
        if opts.fmt != "pdf":
            files[job.outputs.docx] = paginated.docx if paginated else draft
        files[job.outputs.stamp] = stamp_bytes({
            "input_hash": job.hash,
            "perfdoc": __version__,
            "format": opts.fmt,
            "pages": paginated.pages if paginated else None,
            "page_tops": sorted(paginated.page_tops) if paginated else [],
            "libreoffice_passes": paginated.passes if paginated else 0,
            "sha256": {path.name: sha256(data) for path, data in files.items()},
            # For the next build's guess at whether to start LibreOffice early.
            **source_record(folder, job.outputs.folder, {
                name: source.raw for name, source in job.doc.sources.items()}),
        })
        if cancelled.is_set():
            raise KeyboardInterrupt
        # Stage: write.  The outputs are replaced together, never half of them.
        before = read_stamp(job.outputs.stamp)
        write_together(files)
        return DocResult(folder, "built", problems,
                         written=[p for p in files if p != job.outputs.stamp],
                         message=_retire_unmatched(job, opts, before))
    except (KeyboardInterrupt, PerfdocError) as exc:
        # An interrupt kills the converters, which fails the conversions in
        # flight: those documents were cancelled, not broken.
        if cancelled.is_set():
            return DocResult(folder, "cancelled", exit_code=130)
        if isinstance(exc, KeyboardInterrupt):
            raise
        return _failed(folder, problems, exc, opts)
    except Exception:
        if os.environ.get("PERFDOC_DEBUG") == "1":
            traceback.print_exc()
        return DocResult(folder, "failed", problems,
                         message=INTERNAL_ERROR.format(version=__version__), exit_code=4)


def _retire_unmatched(job: Job, opts: BuildOptions, before: dict[str, Any]) -> str:
    """Remove the other half of an older pair that no longer matches the new output.

    ``--format docx`` after a full build would leave last time's PDF beside
    the new .docx.  It is removed only when its hash is the one the old stamp
    recorded, which proves perfdoc wrote it; a file changed or put there by
    someone else stays, with a warning.
    """
    if opts.fmt == "all":
        return ""
    other = job.outputs.pdf if opts.fmt == "docx" else job.outputs.docx
    if not other.exists():
        return ""
    recorded = before.get("sha256", {})
    if isinstance(recorded, dict) and recorded.get(other.name) == file_sha256(other):
        try:
            other.unlink()
        except OSError:
            pass
        else:
            return _("removed {path}: it was built from an earlier input and no longer "
                     "matches the new output").format(path=display_path(other))
    return _("warning: {path} is left as it was; it was not written by this build and may "
             "not match the new output").format(path=display_path(other))


def _refused_hint(problems: list[Problem], opts: BuildOptions) -> str:
    """Say how to build anyway when only the rules' errors stopped the document."""
    blocking = [p for p in problems if p.level is Level.ERROR and not p.suppressed]
    if not blocking or not all(p.rule in RULES for p in blocking):
        return ""  # nothing, or the schema, a file or the template stopped it
    hint: str = _("not built because the rules found errors; `perfdoc build --skip-rules` "
                  "builds anyway")
    if opts.fmt != "docx" and not opts.check_only:
        hint += "\n" + _("`--format docx` builds the .docx without LibreOffice")
    return hint


def _failed(folder: Path, problems: list[Problem], exc: PerfdocError,
            opts: BuildOptions) -> DocResult:
    """Turn a user's or the machine's failure into the document's result."""
    if isinstance(exc, DocumentError):
        return DocResult(folder, "failed", problems + exc.problems, exit_code=1)
    result = DocResult(folder, "failed", problems, message=exc.message, exit_code=exc.exit_code)
    if opts.fmt == "all" and isinstance(exc, EnvironmentProblem) and not isinstance(
            exc, OutputError):
        result.message += "\n" + _(
            "The previous outputs were left as they were. `perfdoc build --format docx` "
            "writes the .docx without LibreOffice (its 目录 then has no page numbers "
            "until Word updates it).")
    return result


def render(job: Job, pages: dict[str, int] | None = None,
           page_tops: frozenset[tuple[int, int]] = frozenset()) -> bytes:
    """Render the .docx; with *pages* (anchor -> printed page), its 目录 carries them.

    *page_tops* are the indicator rows that begin a page, where the 一级/二级
    labels are repeated (see ``paginate.lay_out``).
    """
    meta = job.doc.meta
    docx = render_docx(
        job.template,
        build_context(job.doc, page_tops),
        template_display=job.template_display,
        title=f"{meta.unit}{cover_title(meta)}",
        author=meta.unit,
        when=document_date(meta.settings.date, meta.year),
        toc_filled=False,
        timeout=job.render_timeout,
    )
    return docx if pages is None else fill_toc(docx, pages)


def _font_problems(job: Job, opts: BuildOptions) -> list[Problem]:
    """Warn about each font of the template that the PDF will draw with another face."""
    from perfdoc.fonts import font_warnings

    return [Problem(job.template_display, 1, 1, Level.WARNING, "font", _(
        "the template asks for the font {font}, which this machine lacks and perfdoc's "
        "fonts.conf does not map; the PDF will use {fallback} instead. Install it, pass "
        "--fonts DIR, or choose a font `perfdoc doctor` lists").format(
            font=font, fallback=fallback or _("a fallback face")))
        for font, fallback in font_warnings(job.template, opts.fonts)]


def _require_bookmarks(job: Job, draft: bytes) -> None:
    """Refuse a template that lost a heading's bookmark before LibreOffice is asked.

    Page numbers are found by those bookmarks; without one the PDF cannot
    vouch for the 目录, and that is the template's fault, not the machine's.
    """
    missing = missing_bookmarks(draft, [PART1_ANCHOR, *page_anchors(job.doc)])
    if missing:
        raise DocumentError([Problem(job.template_display, 1, 1, Level.ERROR, "template", _(
            "no heading carries the bookmark {anchor}; a heading's bookmark must keep its "
            "name from the template variables (e.g. {{{{ headings.overall.anchor }}}}), see "
            "docs/template.md").format(anchor=missing[0]))])


def _numbering(job: Job, pool: ConverterPool) -> PageNumbering:
    """Pick how the 目录's numbers are made with *pool*'s kind of converter."""
    anchors = page_anchors(job.doc)
    if pool.fills_toc:
        return OnePass(anchors, PART1_ANCHOR)
    return UntilSettled(anchors, PART1_ANCHOR, guess=_recorded_pages(job))


def _is_fresh(job: Job, opts: BuildOptions) -> bool:
    stamp = read_stamp(job.outputs.stamp)
    if stamp.get("input_hash") != job.hash:
        return False
    recorded = stamp.get("sha256", {})
    return all(
        path.exists() and file_sha256(path) == recorded.get(path.name)
        for path in job.wanted(opts.fmt)
    )


def _recorded_pages(job: Job) -> dict[str, int] | None:
    """Return the page numbers the last build found, if they name the same headings.

    The stamp records anchor -> printed page.  Any other record (an older
    perfdoc's, keyed by heading text, or one for other headings) is ignored.
    """
    pages = read_stamp(job.outputs.stamp).get("pages")
    if (isinstance(pages, dict) and set(pages) == set(page_anchors(job.doc))
            and all(type(v) is int for v in pages.values())):
        return {str(k): v for k, v in pages.items()}
    return None


def _recorded_tops(job: Job) -> frozenset[tuple[int, int]]:
    """Return the rows the last build repeated labels at, if they still make sense.

    They are the first guess of ``lay_out``: when nothing moved, the first
    conversion is then the last.
    """
    tops = read_stamp(job.outputs.stamp).get("page_tops")
    if not isinstance(tops, list) or not all(
            isinstance(t, list) and len(t) == 2 and all(type(n) is int for n in t)
            for t in tops):
        return frozenset()
    return continued_rows(job.doc, [(t[0], t[1]) for t in tops])


def compare(job: Job, opts: BuildOptions) -> DocResult:
    """Compare the outputs with what a build would write, without writing anything."""
    result = DocResult(job.doc.folder, "fresh", list(job.problems))
    stamp = read_stamp(job.outputs.stamp)
    wanted = job.wanted(opts.fmt)
    if stamp.get("input_hash") != job.hash:
        result.stale = list(wanted)
    else:
        pages = _recorded_pages(job)
        tops = _recorded_tops(job)
        for path in wanted:
            if not path.exists():
                result.stale.append(path)
            elif path.suffix == ".docx":
                # The .docx is compared byte for byte with a fresh render.
                if path.read_bytes() != render(job, pages, tops):
                    result.stale.append(path)
            elif file_sha256(path) != stamp.get("sha256", {}).get(path.name):
                # LibreOffice stamps dates into PDFs: the recorded hash stands in.
                result.stale.append(path)
    if result.stale:
        result.status = "stale"
        result.exit_code = 1
    return result
