"""The build: one named stage after another, for one document or a batch.

    load + validate  ->  check (rules)  ->  plan outputs  ->  context
      ->  render .docx  ->  convert to PDF  ->  paginate (TOC numbers)
      ->  render .docx again with the numbers  ->  write the pair atomically

Read ``build_all`` top to bottom to learn the whole build.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from perfdoc import __version__
from perfdoc.check import CheckOptions, check_document
from perfdoc.context import build_context, heading_texts
from perfdoc.convert import ConverterPool, font_fingerprint, libreoffice_version
from perfdoc.errors import ConversionError, DocumentError, PerfdocError
from perfdoc.i18n import _
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
from perfdoc.paginate import printed_pages
from perfdoc.problems import Level, Problem, display_path, has_failures
from perfdoc.render import default_template_bytes, document_date, render_docx
from perfdoc.validate import DOCUMENT_FILE, Document, load_document
from perfdoc.workspace import (
    CONFIG_FILE,
    Workspace,
    config_location,
    find_workspace,
    is_inside,
    resolve_document_path,
)

Format = Literal["all", "docx", "pdf"]
Status = Literal["built", "skipped", "failed", "stale", "fresh"]


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
        return default_template_bytes(), "<default template>", []
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
        # The page numbers are LibreOffice's layout with these fonts.
        parts.append(("libreoffice", (libreoffice_version() or "").encode()))
        parts.append(("fonts", font_fingerprint(opts.fonts).encode()))
    return input_hash(parts)


def plan(folders: Sequence[Path], opts: BuildOptions) -> tuple[list[Job], list[DocResult]]:
    """Load, validate and check every document, and decide where its outputs go."""
    jobs: list[Job] = []
    failed: list[DocResult] = []
    for folder in folders:
        ws, problems = find_workspace(folder)
        doc, found = load_document(folder)
        problems += found
        if doc is None or has_failures(problems):
            failed.append(DocResult(folder, "failed", problems, exit_code=1))
            continue
        if not opts.skip_rules:
            problems += check_document(doc, ws, opts.checks)
            if has_failures(problems):
                failed.append(DocResult(folder, "failed", problems, exit_code=1))
                continue
        template, template_display, found = _template_for(doc, ws, opts)
        problems += found
        if template is None:
            failed.append(DocResult(folder, "failed", problems, exit_code=1))
            continue
        outdir = opts.outdir if opts.outdir is not None else folder / "build"
        outputs = OutputSet(outdir, output_stem(doc.meta.unit, doc.meta.year))
        jobs.append(Job(doc, ws, template, template_display, outputs,
                        _hash(doc, template, opts), problems))
    # Two documents writing the same file is an error before anything is written.
    by_target: dict[Path, list[Job]] = {}
    for job in jobs:
        by_target.setdefault(job.outputs.docx.resolve(), []).append(job)
    clashing = {id(j) for group in by_target.values() if len(group) > 1 for j in group}
    for job in [j for j in jobs if id(j) in clashing]:
        others = [j for j in by_target[job.outputs.docx.resolve()] if j is not job]
        job.problems.append(Problem(
            display_path(job.doc.folder / DOCUMENT_FILE), 1, 1, Level.ERROR, "io",
            _("{name} would also be written by {other}; give the documents different units "
              "or years, or build them without -o").format(
                name=job.outputs.docx.name, other=display_path(others[0].doc.folder))))
        failed.append(DocResult(job.doc.folder, "failed", job.problems, exit_code=1))
    return [j for j in jobs if id(j) not in clashing], failed


# --------------------------------------------------------------------------- one document


def _wanted(job: Job, opts: BuildOptions) -> list[Path]:
    out = job.outputs
    return {"all": [out.docx, out.pdf], "docx": [out.docx], "pdf": [out.pdf]}[opts.fmt]


def _render(job: Job, pages: dict[str, int] | None) -> bytes:
    meta = job.doc.meta
    return render_docx(
        job.template,
        build_context(job.doc, pages),
        template_display=job.template_display,
        title=f"{meta.unit}{meta.year}年{meta.cover.title}",
        author=meta.unit,
        when=document_date(meta.settings.date, meta.year),
        toc_filled=pages is not None,
    )


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
    """Return the page numbers the last build found, if they name the same headings."""
    pages = read_stamp(job.outputs.stamp).get("pages")
    if isinstance(pages, dict) and set(pages) == set(heading_texts(job.doc)):
        return {str(k): int(v) for k, v in pages.items()}
    return None


def build_one(job: Job, opts: BuildOptions, pool: ConverterPool | None) -> DocResult:
    """Build one planned document and replace its outputs together."""
    result = DocResult(job.doc.folder, "built", list(job.problems))
    pages: dict[str, int] | None = None
    passes = 0
    files: dict[Path, bytes] = {}
    if pool is None:
        # Stage: render the .docx; without LibreOffice its 目录 has no numbers yet.
        docx = _render(job, None)
    else:
        # Stage: paginate.  Render with the numbers we expect (the last build's),
        # convert, and read where each heading landed from the PDF's bookmarks.
        # When the guess was right, that one LibreOffice pass is the PDF; when
        # not (a first build), render the true numbers and convert once more.
        # LibreOffice shows a 目录 field's cached entries as they are, and
        # their number of lines does not depend on the numbers, so the second
        # pass always settles.  (Its own index update would renumber the two
        # part lines, which the seed lists without numbers.)
        guess = _recorded_pages(job)
        with tempfile.TemporaryDirectory(prefix="perfdoc-build-") as tmp:
            src, pdf_path = Path(tmp) / "draft.docx", Path(tmp) / "draft.pdf"
            for passes in range(1, MAX_PASSES + 1):  # noqa: B007 - recorded in the stamp
                docx = _render(job, guess)
                src.write_bytes(docx)
                pool.convert(src, pdf_path, pdfa=opts.pdfa)
                pages = printed_pages(pdf_path, heading_texts(job.doc))
                if pages == guess:
                    break
                guess = pages
            else:
                raise ConversionError(_("the 目录's page numbers did not settle after {n} "
                                        "passes").format(n=MAX_PASSES))
            files[job.outputs.pdf] = pdf_path.read_bytes()
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
        pages = stamp.get("pages")
        for path in wanted:
            if not path.exists():
                result.stale.append(path)
            elif path.suffix == ".docx":
                # The .docx is compared byte for byte with a fresh render.
                if path.read_bytes() != _render(job, pages if isinstance(pages, dict) else None):
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
    """Build (or with ``check_only`` compare) every document in *folders*."""
    started = time.monotonic()
    # Stage: validate and check everything first; problems are reported together.
    jobs, results = plan(folders, opts)
    for r in results:
        if on_done:
            on_done(r)
    if opts.check_only:
        for job in jobs:
            r = check_one(job, opts)
            results.append(r)
            if on_done:
                on_done(r)
        return BuildReport(results, time.monotonic() - started)

    todo = jobs if opts.force else [j for j in jobs if not _is_fresh(j, opts)]
    for job in jobs:
        if job not in todo:
            r = DocResult(job.doc.folder, "skipped", list(job.problems))
            results.append(r)
            if on_done:
                on_done(r)
    if not todo:
        return BuildReport(results, time.monotonic() - started)

    lock = threading.Lock()

    def run(job: Job, pool: ConverterPool | None) -> None:
        try:
            r = build_one(job, opts, pool)
        except DocumentError as exc:
            r = DocResult(job.doc.folder, "failed", job.problems + exc.problems, exit_code=1)
        except PerfdocError as exc:
            r = DocResult(job.doc.folder, "failed", list(job.problems), message=exc.message,
                          exit_code=exc.exit_code)
            if opts.fmt == "all":
                r.message += "\n" + _(
                    "The previous outputs were left as they were. `perfdoc build --format docx` "
                    "writes the .docx without LibreOffice (its 目录 then has no page numbers "
                    "until Word updates it).")
        with lock:
            results.append(r)
            if on_done:
                on_done(r)

    if opts.wants_pdf:
        # Stage: start warm converters, one per job, for the whole batch.  The
        # command line wins over the workspace's [converter] settings.
        conf = todo[0].workspace.config.converter
        converters = opts.jobs or conf.jobs or os.cpu_count() or 1
        workers = max(1, min(converters, len(todo)))
        with ConverterPool(jobs=workers, timeout=opts.timeout or conf.timeout,
                           restart_after=opts.restart_after or conf.restart_after,
                           fonts_dir=opts.fonts, address=opts.converter) as pool:
            with ThreadPoolExecutor(max_workers=workers) as ex:
                list(ex.map(lambda j: run(j, pool), todo))
    else:
        for job in todo:
            run(job, None)
    return BuildReport(results, time.monotonic() - started)


def problems_of(report: BuildReport) -> list[Problem]:
    """Every problem of every document in the batch."""
    return [p for r in report.results for p in r.problems]
