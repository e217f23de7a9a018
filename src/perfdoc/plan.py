"""Plan a build: name every output, then per document load, check and pick the template.

``name_outputs`` runs once for the whole batch, before anything is written, so
that two documents that would write the same file are refused up front; with
``--shard K/N`` it names the whole batch and keeps only the K-th slice.
``plan_one`` turns one document folder into a :class:`Job`: the validated
document, its template and the hash of everything its outputs depend on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from perfdoc import __version__
from perfdoc.check import CheckOptions, check_folder
from perfdoc.document import DOCUMENT_FILE, Document, allowed_bases, is_inside, outside
from perfdoc.i18n import _
from perfdoc.load import load_yaml
from perfdoc.model import DocumentFile
from perfdoc.outputs import OutputSet, input_hash, output_stem
from perfdoc.problems import Level, Problem, display_path, has_failures
from perfdoc.render import DEFAULT_DISPLAY, default_template_bytes
from perfdoc.sandbox import DEFAULT_RENDER_TIMEOUT
from perfdoc.shard import Shard, pick
from perfdoc.validate import validate_file
from perfdoc.workspace import (
    CONFIG_FILE,
    Workspace,
    config_location,
    find_workspace,
    resolve_document_path,
)
from perfdoc.yamlfile import YamlFile

Format = Literal["all", "docx", "pdf"]


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
    timeout: float | None = None  # PERFDOC_TIMEOUT: conversions and template rendering
    restart_after: int | None = None
    shard: Shard | None = None  # --shard K/N: build only the K-th of N slices (shard.py)

    @property
    def wants_pdf(self) -> bool:
        """Say whether LibreOffice is needed."""
        return self.fmt in ("all", "pdf")


@dataclass(frozen=True)
class Planned:
    """Where one document's outputs go, and its document.yaml if it could be read."""

    outputs: OutputSet
    meta_file: YamlFile | None = None


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

    def wanted(self, fmt: Format) -> list[Path]:
        """Return the outputs *fmt* asks for."""
        out = self.outputs
        return {"all": [out.docx, out.pdf], "docx": [out.docx], "pdf": [out.pdf]}[fmt]


# --------------------------------------------------------------------------- names


def name_outputs(
    folders: Sequence[Path], opts: BuildOptions
) -> tuple[dict[Path, Planned], dict[Path, list[Problem]]]:
    """Decide every document's output names, refusing clashes before anything is written.

    Only ``document.yaml`` is read here (the unit and year make the name); it
    is kept for the document's own load, so no file is read twice.  A document
    whose ``document.yaml`` is broken gets a placeholder name; its full
    validation reports the problem.  Returns the planned documents and, for
    each refused one, why.

    With ``opts.shard`` every document of the batch is still named and its
    clashes found, so a document is refused in its slice when it clashes with
    one of another slice; only the slice's documents are returned.
    """
    named: dict[Path, Planned] = {}
    for folder in folders:
        outdir = opts.outdir if opts.outdir is not None else folder / "build"
        path = folder / DOCUMENT_FILE
        stem, meta_file = folder.name, None
        # A document.yaml that links out of the document is not read at all.
        if outside(path, allowed_bases(folder, find_workspace(folder)[0].root)) is None:
            meta_file, _problems = load_yaml(path, display_path(path))
        if meta_file is not None:
            meta, _problems = validate_file(meta_file, DocumentFile)
            if meta is not None:
                stem = output_stem(meta.unit, meta.year)
        named[folder] = Planned(OutputSet(outdir, stem), meta_file)
    by_target: dict[Path, list[Path]] = {}
    for folder, planned in named.items():
        by_target.setdefault(planned.outputs.docx.resolve(), []).append(folder)
    refused: dict[Path, list[Problem]] = {}
    for group in by_target.values():
        if len(group) < 2:
            continue
        for folder in group:
            other = next(f for f in group if f != folder)
            refused[folder] = [Problem(
                display_path(folder / DOCUMENT_FILE), 1, 1, Level.ERROR, "io",
                _("{name} would also be written by {other}; give the documents different units "
                  "or years, or build them without -o").format(
                    name=named[folder].outputs.docx.name, other=display_path(other)))]
    for folder in refused:
        del named[folder]
    if opts.shard is not None:
        mine = set(pick(folders, opts.shard))
        named = {folder: planned for folder, planned in named.items() if folder in mine}
        refused = {folder: found for folder, found in refused.items() if folder in mine}
    return named, refused


# --------------------------------------------------------------------------- one document


def plan_one(folder: Path, opts: BuildOptions,
             planned: Planned) -> tuple[Job | None, list[Problem]]:
    """Load, validate and check one document and pick its template.

    Returns its job, or ``None`` and the problems that stop it.
    """
    read = {planned.meta_file.path: planned.meta_file} if planned.meta_file else None
    doc, ws, problems = check_folder(folder, opts.checks, rules=not opts.skip_rules, read=read)
    if doc is None or has_failures(problems):
        return None, problems
    template, template_display, found = _template_for(doc, ws, opts)
    problems += found
    if template is None:
        return None, problems
    # PERFDOC_TIMEOUT (the run's) wins over perfdoc.toml's [render] timeout.
    timeout = opts.timeout or ws.config.render.timeout or DEFAULT_RENDER_TIMEOUT
    return Job(doc, ws, template, template_display, planned.outputs,
               build_hash(doc, template, opts), problems, timeout), problems


def _template_for(
    doc: Document, ws: Workspace, opts: BuildOptions
) -> tuple[bytes | None, str, list[Problem]]:
    """Pick the template: --template, then the document's, then the workspace's, then ours."""
    meta_file = doc.sources[DOCUMENT_FILE]
    where: Callable[[str], Problem]  # where a problem with the chosen template is reported
    if opts.template is not None:
        chosen: Path = opts.template  # typed by the user: any path is allowed

        def where(message: str) -> Problem:
            return Problem(display_path(chosen), 1, 1, Level.ERROR, "io", message)
    elif doc.meta.settings.template:
        def where(message: str) -> Problem:
            return meta_file.problem(("settings", "template"), message, rule="io")

        resolved = resolve_document_path(doc.meta.settings.template, document=doc.folder,
                                         workspace=ws)
        if resolved is None:
            if ws.root is None:
                # Documents side by side share a template through a workspace.
                message = _("the template path {path} leads outside the document folder; copy "
                            "the template into it, or put a perfdoc.toml in a folder above both "
                            "to make that folder the workspace")
            else:
                message = _("the template path {path} leads outside the document folder and "
                            "the workspace; copy the template into one of them")
            return None, "", [where(message.format(path=doc.meta.settings.template))]
        chosen = resolved
    elif ws.config.template and ws.root is not None:
        root = ws.root

        def where(message: str) -> Problem:
            return Problem(display_path(root / CONFIG_FILE), *config_location(root, "template"),
                           Level.ERROR, "io", message)

        candidate = root / ws.config.template
        if Path(ws.config.template).is_absolute() or not is_inside(candidate, root):
            return None, "", [where(_("the template path {path} leads outside the "
                                      "workspace").format(path=ws.config.template))]
        chosen = candidate.resolve()
    else:
        return default_template_bytes(), DEFAULT_DISPLAY, []
    try:
        return chosen.read_bytes(), display_path(chosen), []
    except OSError as exc:
        return None, "", [where(_("cannot read the template: {reason}").format(
            reason=exc.strerror or exc))]


def build_hash(doc: Document, template: bytes, opts: BuildOptions) -> str:
    """Hash everything the outputs depend on; an unchanged hash means nothing to build."""
    parts: list[tuple[str, bytes]] = [
        ("perfdoc", __version__.encode()),
        ("format", f"{opts.fmt}:{opts.pdfa}".encode()),
        ("template", template),
        ("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH", "").encode()),
    ]
    for source in sorted(doc.sources.values(), key=lambda yf: yf.path):
        # The bytes the loader read: what was validated is what is hashed.
        parts.append((source.path.relative_to(doc.folder).as_posix(), source.raw))
    if opts.wants_pdf:
        from perfdoc.fonts import font_fingerprint
        from perfdoc.libreoffice import libreoffice_identity

        # The page numbers are LibreOffice's layout with these fonts.
        parts.append(("libreoffice", (libreoffice_identity() or "").encode()))
        parts.append(("fonts", font_fingerprint(opts.fonts).encode()))
    return input_hash(parts)
