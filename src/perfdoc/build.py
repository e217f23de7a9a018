"""The build: one named stage after another, for one document or a batch.

    name outputs (clashes refused)  ->  per document: load + validate
      ->  check (rules)  ->  context  ->  render .docx  ->  convert to PDF
      ->  paginate (read the headings' pages, fill the .docx's 目录)
      ->  write the pair atomically

Read ``build_all`` top to bottom to learn the whole build.
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
from typing import TYPE_CHECKING, Literal

from perfdoc import __version__
from perfdoc.check import CheckOptions, check_folder
from perfdoc.context import PART1_ANCHOR, build_context, page_anchors
from perfdoc.document import DOCUMENT_FILE, Document
from perfdoc.errors import (
    INTERNAL_ERROR,
    ConversionError,
    DocumentError,
    EnvironmentProblem,
    OutputError,
    PerfdocError,
)
from perfdoc.i18n import _
from perfdoc.load import load_yaml
from perfdoc.model import DocumentFile
from perfdoc.outputs import (
    OutputSet,
    file_sha256,
    input_hash,
    output_stem,
    read_stamp,
    sha256,
    stamp_bytes,
    write_together,
)
from perfdoc.paginate import fill_toc, printed_pages
from perfdoc.problems import Level, Problem, display_path, has_failures
from perfdoc.render import (
    DEFAULT_DISPLAY,
    DEFAULT_RENDER_TIMEOUT,
    default_template_bytes,
    document_date,
    render_docx,
)
from perfdoc.validate import validate_file
from perfdoc.workspace import (
    CONFIG_FILE,
    Workspace,
    config_location,
    find_workspace,
    is_inside,
    resolve_document_path,
)

if TYPE_CHECKING:
    # The PDF stage's module starts processes and talks to them; a .docx-only
    # build (the common, timed case) never needs it, so it is imported where used.
    from perfdoc.convert import ConverterPool

Format = Literal["all", "docx", "pdf"]
Status = Literal["built", "skipped", "failed", "stale", "fresh", "cancelled"]


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """Everything ``perfdoc build`` can be told."""

    outdir: Path | None = None
    fmt: Format = "all"
    template: Path | None = None
    fonts: Path | None = None
    skip_rules: bool = False
    force: bool = False
    check_only: bool = False
    jobs: int | None = None  # None: perfdoc.toml's [converter] jobs, else one per core
    converter: str | None = None
    pdfa: bool = False
    checks: CheckOptions = field(default_factory=CheckOptions)
    timeout: float | None = None
    restart_after: int | None = None

    @property
    def wants_pdf(self) -> bool:
        """Say whether LibreOffice is needed."""
        return self.fmt in ("all", "pdf")


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
class Job:
    """A document that passed validation and the rules, with its planned outputs."""

    doc: Document
    workspace: Workspace
    template: bytes
    template_display: str
    outputs: OutputSet
    hash: str
    problems: list[Problem]
    render_timeout: float = DEFAULT_RENDER_TIMEOUT


# --------------------------------------------------------------------------- planning


def _template_for(
    doc: Document, ws: Workspace, opts: BuildOptions
) -> tuple[bytes | None, str, list[Problem]]:
    """Pick the template: --template, then the document's, then the workspace's, then ours."""
    meta_file = doc.sources[DOCUMENT_FILE]
    chosen: Path | None = None
    from_config = False
    if opts.template is not None:
        chosen = opts.template  # typed by the user: any path is allowed
    elif doc.meta.settings.template:
        chosen = resolve_document_path(doc.meta.settings.template, document=doc.folder,
                                       workspace=ws)
        if chosen is None:
            return None, "", [meta_file.problem(
                ("settings", "template"),
                _("the template path {path} leads outside the document folder and the "
                  "workspace; copy the template into one of them").format(
                    path=doc.meta.settings.template),
                rule="io")]
    elif ws.config.template and ws.root is not None:
        candidate = ws.root / ws.config.template
        from_config = True
        if Path(ws.config.template).is_absolute() or not is_inside(candidate, ws.root):
            return None, "", [Problem(display_path(ws.root / CONFIG_FILE),
                                      *config_location(ws.root, "template"), Level.ERROR,
                                      "io", _("the template path {path} leads outside the "
                                              "workspace").format(path=ws.config.template))]
        chosen = candidate.resolve()
    if chosen is None:
        return default_template_bytes(), DEFAULT_DISPLAY, []
    try:
        return chosen.read_bytes(), display_path(chosen), []
    except OSError as exc:
        at = ("settings", "template")
        if opts.template is not None:
            return None, "", [Problem(display_path(chosen), 1, 1, Level.ERROR, "io",
                                      _("cannot read the template: {reason}").format(
                                          reason=exc.strerror or exc))]
        if from_config and ws.root is not None:
            return None, "", [Problem(display_path(ws.root / CONFIG_FILE),
                                      *config_location(ws.root, "template"), Level.ERROR, "io",
                                      _("cannot read the template: {reason}").format(
                                          reason=exc.strerror or exc))]
        return None, "", [meta_file.problem(at, _("cannot read the template: {reason}").format(
            reason=exc.strerror or exc), rule="io")]


def _hash(doc: Document, template: bytes, opts: BuildOptions) -> str:
    parts: list[tuple[str, bytes]] = [
        ("perfdoc", __version__.encode()),
        ("format", f"{opts.fmt}:{opts.pdfa}".encode()),
        ("template", template),
        ("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", "").encode()),
    ]
    for path in doc.input_files:
        parts.append((path.relative_to(doc.folder).as_posix(), path.read_bytes()))
    if opts.wants_pdf:
        from perfdoc.convert import libreoffice_version
        from perfdoc.fonts import font_fingerprint

        # The page numbers are LibreOffice's layout with these fonts.
        parts.append(("libreoffice", (libreoffice_version() or "").encode()))
        parts.append(("fonts", font_fingerprint(opts.fonts).encode()))
    return input_hash(parts)


def plan_one(folder: Path, opts: BuildOptions, outputs: OutputSet) -> Job | DocResult:
    """Load, validate and check one document; return its job, or why it failed."""
    doc, ws, problems = check_folder(folder, opts.checks, rules=not opts.skip_rules)
    if doc is None or has_failures(problems):
        return DocResult(folder, "failed", problems, exit_code=1)
    template, template_display, found = _template_for(doc, ws, opts)
    problems += found
    if template is None:
        return DocResult(folder, "failed", problems, exit_code=1)
    # PERFDOC_TIMEOUT (the run's) wins over perfdoc.toml's [render] timeout.
    timeout = opts.timeout or ws.config.render.timeout or DEFAULT_RENDER_TIMEOUT
    return Job(doc, ws, template, template_display, outputs, _hash(doc, template, opts), problems,
               timeout)


def name_outputs(
    folders: Sequence[Path], opts: BuildOptions
) -> tuple[dict[Path, OutputSet], list[DocResult]]:
    """Decide every document's output names, refusing clashes before anything is written.

    Only ``document.yaml`` is read here (the unit and year make the name), so a
    batch of hundreds of documents is never held in memory at once.  A document
    whose ``document.yaml`` is broken gets a placeholder; its full validation
    reports the problem.
    """
    named: dict[Path, OutputSet] = {}
    for folder in folders:
        outdir = opts.outdir if opts.outdir is not None else folder / "build"
        stem = folder.name
        yf, _problems = load_yaml(folder / DOCUMENT_FILE, display_path(folder / DOCUMENT_FILE))
        if yf is not None:
            meta, _problems = validate_file(yf, DocumentFile)
            if meta is not None:
                stem = output_stem(meta.unit, meta.year)
        named[folder] = OutputSet(outdir, stem)
    by_target: dict[Path, list[Path]] = {}
    for folder, outputs in named.items():
        by_target.setdefault(outputs.docx.resolve(), []).append(folder)
    failed: list[DocResult] = []
    for group in by_target.values():
        if len(group) < 2:
            continue
        for folder in group:
            other = next(f for f in group if f != folder)
            failed.append(DocResult(folder, "failed", [Problem(
                display_path(folder / DOCUMENT_FILE), 1, 1, Level.ERROR, "io",
                _("{name} would also be written by {other}; give the documents different units "
                  "or years, or build them without -o").format(
                    name=named[folder].docx.name, other=display_path(other)))], exit_code=1))
            del named[folder]
    return named, failed


# --------------------------------------------------------------------------- one document


def _wanted(job: Job, opts: BuildOptions) -> list[Path]:
    out = job.outputs
    return {"all": [out.docx, out.pdf], "docx": [out.docx], "pdf": [out.pdf]}[opts.fmt]


def _render(job: Job, pages: dict[str, int] | None) -> bytes:
    """Render the .docx; with *pages*, its 目录 carries those printed numbers."""
    meta = job.doc.meta
    docx = render_docx(
        job.template,
        build_context(job.doc),
        template_display=job.template_display,
        title=f"{meta.unit}{meta.year}年{meta.cover.title}",
        author=meta.unit,
        when=document_date(meta.settings.date, meta.year),
        toc_filled=False,
        timeout=job.render_timeout,
    )
    return docx if pages is None else _with_pages(job, docx, pages)


def _with_pages(job: Job, docx: bytes, pages: dict[str, int]) -> bytes:
    """Fill *pages* (heading anchor -> printed page) into a rendered .docx's 目录."""
    return fill_toc(docx, {anchor: pages[anchor] for anchor in page_anchors(job.doc)})


def _printed_pages(job: Job, pdf: bytes) -> dict[str, int]:
    """Read from *pdf* the printed page of every heading the 目录 numbers, by its anchor."""
    return printed_pages(pdf, page_anchors(job.doc), PART1_ANCHOR)


def _is_fresh(job: Job, opts: BuildOptions) -> bool:
    stamp = read_stamp(job.outputs.stamp)
    if stamp.get("input_hash") != job.hash:
        return False
    recorded = stamp.get("sha256", {})
    return all(
        path.exists() and file_sha256(path) == recorded.get(path.name)
        for path in _wanted(job, opts)
    )


MAX_PASSES = 3


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


def build_one(
    job: Job, opts: BuildOptions, pool: ConverterPool | None,
    cancelled: threading.Event | None = None,
) -> DocResult:
    """Build one planned document and replace its outputs together.

    When *cancelled* is set (the build was interrupted) nothing is written.
    """
    result = DocResult(job.doc.folder, "built", list(job.problems))
    pages: dict[str, int] | None = None
    passes = 0
    files: dict[Path, bytes] = {}
    if pool is None:
        # Stage: render the .docx; without LibreOffice its 目录 has no numbers yet.
        docx = _render(job, None)
    else:
        # The .docx goes to the converter and the PDF comes back as bytes: no
        # file of the build is written anywhere but its outputs.  The label
        # names the document in the converter's messages.
        label = display_path(job.doc.folder)
        if pool.fills_toc:
            # Stage: one LibreOffice pass.  perfdoc's converter updates the
            # 目录 as it exports (parts unnumbered, as in the seed), so the
            # PDF's numbers are true; paginate reads where each heading
            # landed from the bookmarks and writes the same numbers into
            # the .docx's cached 目录.
            draft = _render(job, None)
            pdf = pool.convert(draft, label=label, pdfa=opts.pdfa)
            passes = 1
            pages = _printed_pages(job, pdf)
            docx = _with_pages(job, draft, pages)
        else:
            # A stock unoserver (--converter) exports the cached 目录 as it
            # is: render the numbers we expect (the last build's), convert,
            # and convert once more when the bookmarks disagree.  The 目录's
            # length does not depend on its numbers, so this settles.
            guess = _recorded_pages(job)
            draft = _render(job, None)
            for passes in range(1, MAX_PASSES + 1):  # noqa: B007 - recorded in the stamp
                docx = draft if guess is None else _with_pages(job, draft, guess)
                pdf = pool.convert(docx, label=label, pdfa=opts.pdfa)
                pages = _printed_pages(job, pdf)
                if pages == guess:
                    break
                guess = pages
            else:
                raise ConversionError(_("the 目录's page numbers did not settle after {n} "
                                        "passes").format(n=MAX_PASSES))
        files[job.outputs.pdf] = pdf
    if opts.fmt != "pdf":
        files[job.outputs.docx] = docx
    stamp = {
        "input_hash": job.hash,
        "perfdoc": __version__,
        "format": opts.fmt,
        "pages": pages,
        "libreoffice_passes": passes,
        "sha256": {path.name: sha256(data) for path, data in files.items()},
    }
    files[job.outputs.stamp] = stamp_bytes(stamp)
    if cancelled is not None and cancelled.is_set():
        raise KeyboardInterrupt
    # Stage: replace the outputs together, never half of them.
    write_together(files)
    result.written = [p for p in files if p != job.outputs.stamp]
    return result


def check_one(job: Job, opts: BuildOptions) -> DocResult:
    """Compare the outputs with what a build would write, without writing anything."""
    result = DocResult(job.doc.folder, "fresh", list(job.problems))
    stamp = read_stamp(job.outputs.stamp)
    wanted = _wanted(job, opts)
    if stamp.get("input_hash") != job.hash:
        result.stale = [p for p in wanted]
    else:
        pages = _recorded_pages(job)
        for path in wanted:
            if not path.exists():
                result.stale.append(path)
            elif path.suffix == ".docx":
                # The .docx is compared byte for byte with a fresh render.
                if path.read_bytes() != _render(job, pages):
                    result.stale.append(path)
            elif file_sha256(path) != stamp.get("sha256", {}).get(path.name):
                # LibreOffice stamps dates into PDFs: the recorded hash stands in.
                result.stale.append(path)
    if result.stale:
        result.status = "stale"
        result.exit_code = 1
    return result


# --------------------------------------------------------------------------- batches


@dataclass
class BuildReport:
    """The outcome of a batch."""

    results: list[DocResult]
    seconds: float
    interrupted: bool = False

    @property
    def exit_code(self) -> int:
        """The highest exit code among the documents (CONVENTIONS §4)."""
        return max((r.exit_code for r in self.results), default=0)

    def count(self, status: Status) -> int:
        """How many documents ended with *status*."""
        return sum(1 for r in self.results if r.status == status)


def build_all(
    folders: Sequence[Path],
    opts: BuildOptions,
    on_done: Callable[[DocResult], None] | None = None,
) -> BuildReport:
    """Build (or with ``check_only`` compare) every document in *folders*.

    Documents are handled one at a time per worker (load, check, render,
    convert, write, forget), so memory stays flat however large the batch.
    Whatever happens to one document, the others are still built; only an
    interrupt (Ctrl-C, SIGTERM) stops the batch, and the documents it never
    reached are reported as cancelled.
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

    # Stage: name every output first; a clash is refused before anything is written.
    named, clashes = name_outputs(folders, opts)
    for r in clashes:
        report(r)

    def process(folder: Path, pool: ConverterPool | None) -> None:
        if cancelled.is_set():
            return
        report(_guarded(folder, opts, named[folder], pool, cancelled))
        # A rendered document leaves reference cycles (python-docx parts and
        # their package) that hold megabytes of lxml trees the cyclic collector
        # does not count; collect them now so memory stays flat over a batch.
        # A single document's build ends here anyway, so it skips the pause.
        if len(named) > 1:
            gc.collect()

    # Stage: warm converters, one per job, for the whole batch.  They start
    # lazily, on the first document that needs a PDF, so a batch of unchanged
    # documents never starts LibreOffice.  The command line wins over the
    # workspace's [converter] settings.  Without a PDF one worker suffices:
    # rendering is Python work, which threads do not speed up.
    conf = find_workspace(next(iter(named)))[0].config.converter if named else None
    wants_converter = opts.wants_pdf and not opts.check_only
    converters = opts.jobs or (conf.jobs if conf else None) or os.cpu_count() or 1
    workers = max(1, min(converters if wants_converter else 1, len(named)))
    interrupted = False
    with contextlib.ExitStack() as stack:
        pool: ConverterPool | None = None
        if wants_converter and named:
            from perfdoc.convert import ConverterPool

            pool = stack.enter_context(ConverterPool(
                jobs=workers, timeout=opts.timeout or (conf.timeout if conf else 120.0),
                restart_after=opts.restart_after or (conf.restart_after if conf else 200),
                fonts_dir=opts.fonts, address=opts.converter))
        ex = ThreadPoolExecutor(max_workers=workers)
        try:
            for future in [ex.submit(process, folder, pool) for folder in named]:
                future.result()
        except KeyboardInterrupt:
            # No worker may write from now on, and killing LibreOffice ends the
            # conversions in flight at once.
            interrupted = True
            cancelled.set()
            if pool is not None:
                pool.close()
        finally:
            ex.shutdown(wait=True, cancel_futures=True)
    if interrupted:
        done = {r.folder for r in results}
        for folder in named:
            if folder not in done:
                report(DocResult(folder, "cancelled", exit_code=130))
    return BuildReport(results, time.monotonic() - started, interrupted)


def _guarded(folder: Path, opts: BuildOptions, outputs: OutputSet, pool: ConverterPool | None,
             cancelled: threading.Event) -> DocResult:
    """Plan and build (or compare) one document; any failure becomes its result.

    A bug in one document's build is reported as that document's internal
    error (exit 4) and the batch goes on with the others.
    """
    problems: list[Problem] = []
    try:
        # Stage: load, validate and check this document.
        job = plan_one(folder, opts, outputs)
        if isinstance(job, DocResult):
            return job
        if opts.check_only:
            return check_one(job, opts)
        if not opts.force and _is_fresh(job, opts):
            return DocResult(folder, "skipped", list(job.problems))
        problems = job.problems
        return build_one(job, opts, pool, cancelled)
    except KeyboardInterrupt:
        if cancelled.is_set():
            return DocResult(folder, "cancelled", exit_code=130)
        raise
    except DocumentError as exc:
        return DocResult(folder, "failed", problems + exc.problems, exit_code=1)
    except PerfdocError as exc:
        r = DocResult(folder, "failed", list(problems), message=exc.message,
                      exit_code=exc.exit_code)
        if opts.fmt == "all" and isinstance(exc, EnvironmentProblem) and not isinstance(
                exc, OutputError):
            r.message += "\n" + _(
                "The previous outputs were left as they were. `perfdoc build --format docx` "
                "writes the .docx without LibreOffice (its 目录 then has no page numbers "
                "until Word updates it).")
        return r
    except Exception:
        if os.environ.get("PERFDOC_DEBUG") == "1":
            traceback.print_exc()
        return DocResult(folder, "failed", message=INTERNAL_ERROR.format(version=__version__),
                         exit_code=4)
