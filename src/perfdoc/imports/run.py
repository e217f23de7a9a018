"""Import files into one document folder: read, recognise, merge, write, load back.

All the FILEs make one document: a .docx gives the cover, 第一部分 and its
projects; an .xlsx adds projects.  Without any .docx the folder gets
placeholder text marked 【待填写】, which the ``placeholder`` rule lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from perfdoc.document import DOCUMENT_FILE, GOALS_FILE, PROJECTS_DIR, load_document
from perfdoc.errors import UsageError
from perfdoc.i18n import _
from perfdoc.imports.docx import read_docx
from perfdoc.imports.draft import RULE, Draft, Part
from perfdoc.imports.recognize import recognize
from perfdoc.imports.write import relative, render_part, schema_dir
from perfdoc.problems import Level, Problem, display_path
from perfdoc.rules.placeholder import MARKER
from perfdoc.safezip import ZipRefused, check_zip

#: Formats LibreOffice opens as Writer documents, converted to .docx first.
WRITER_SUFFIXES = ("doc", "odt", "rtf", "wps", "dot", "docm", "dotx", "fodt")
#: The largest file perfdoc imports; drafts are a few MB at most.
MAX_SOURCE_BYTES = 100 * 1024 * 1024


@dataclass
class Imported:
    """The outcome: problems to print, the files written, and the exit code."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    exit_code: int = 0


def import_files(sources: Sequence[Path], out: Path, *, force: bool,
                 converter: object | None = None) -> Imported:
    """Import *sources* into the folder *out*; see the module's docstring.

    *converter* is a ``ConverterPool`` for formats that need LibreOffice; one
    is started when such a file comes and none was given.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(_("{path} is a file; import writes a folder").format(
            path=display_path(out)))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(_("{path} exists and is not empty; use --force to replace its "
                           "document").format(path=display_path(out)))
    result = Imported()
    drafts: list[Draft] = []
    for source in sources:
        draft = _read(source, result, converter)
        if draft is not None:
            drafts.append(draft)
            result.problems += draft.problems
    merged = _merge(drafts)
    if merged is None:
        result.problems.append(Problem(
            display_path(sources[0]) if sources else "-", 1, 1, Level.ERROR, RULE,
            _("nothing usable found: no 部门预算绩效文本 and no indicator table")))
        result.exit_code = 1
        return result
    result.written = _write(merged, out, [s.name for s in sources])
    # The folder must load as perfdoc reads it: a problem here is the import's.
    doc, problems = load_document(out, out)
    result.problems += [p for p in problems if p.level is Level.ERROR]
    if doc is None or any(p.level is Level.ERROR for p in problems):
        result.exit_code = 1
    return result


def _read(source: Path, result: Imported, converter: object | None) -> Draft | None:
    shown = display_path(source)

    def refuse(message: str) -> None:
        result.problems.append(Problem(shown, 1, 1, Level.ERROR, "io", message))
        result.exit_code = 1

    try:
        if source.stat().st_size > MAX_SOURCE_BYTES:
            refuse(_("larger than {mb} MB; not a draft perfdoc can import").format(
                mb=MAX_SOURCE_BYTES // 2**20))
            return None
        data = source.read_bytes()
    except OSError as exc:
        refuse(_("cannot be read: {reason}").format(reason=exc.strerror or exc))
        return None
    suffix = source.suffix.lower().lstrip(".")
    if suffix in WRITER_SUFFIXES:
        data = _to_docx(data, shown, suffix, converter)
        suffix = "docx"
    if suffix not in ("docx", "xlsx", "xlsm"):
        refuse(_("not a .docx, .doc or .xlsx file"))
        return None
    try:
        check_zip(data)
    except ZipRefused as exc:
        refuse(exc.message)
        return None
    try:
        if suffix == "docx":
            blocks, properties = read_docx(data)
            return recognize(blocks, properties, shown)
        from perfdoc.imports.xlsx import read_xlsx

        return read_xlsx(source, data, shown)
    except (KeyError, ValueError, OSError, etree.XMLSyntaxError) as exc:
        refuse(_("cannot be read as a {kind} file: {reason}").format(kind=suffix, reason=exc))
        return None


def _to_docx(data: bytes, shown: str, suffix: str, converter: object | None) -> bytes:
    """Save an old Word file (or any Writer format) as .docx with perfdoc's converter."""
    from perfdoc.convert import ConverterPool

    if isinstance(converter, ConverterPool):
        return converter.to_docx(data, label=shown, suffix=suffix)
    with ConverterPool(jobs=1) as pool:
        return pool.to_docx(data, label=shown, suffix=suffix)


def _merge(drafts: Sequence[Draft]) -> Draft | None:
    """Join the drafts of all sources: the first document and goals, every project."""
    if not drafts:
        return None
    merged = Draft()
    for draft in drafts:
        if merged.document is None and draft.document is not None:
            merged.document, merged.goals = draft.document, draft.goals
        merged.projects += draft.projects
    if merged.document is None and not merged.projects:
        return None
    if merged.document is None:
        from perfdoc.imports.xlsx import placeholder_document, placeholder_goals

        unit = next((str(p.values["unit_name"]) for p in merged.projects
                     if p.values.get("unit_name")
                     and not str(p.values["unit_name"]).startswith(MARKER)), None)
        merged.document, merged.goals = placeholder_document(unit, None), placeholder_goals()
    if merged.goals is None:
        from perfdoc.imports.xlsx import placeholder_goals

        merged.goals = placeholder_goals()
    return merged


def _write(draft: Draft, out: Path, names: Sequence[str]) -> list[Path]:
    projects_dir = out / PROJECTS_DIR
    projects_dir.mkdir(parents=True, exist_ok=True)
    schemas = schema_dir(out)
    source = "、".join(names)
    written = []

    def write(part: Part, path: Path, schema: str, title: str) -> None:
        rel = relative(schemas / f"{schema}.schema.json", path.parent)
        path.write_text(render_part(part, rel, title), encoding="utf-8")
        written.append(path)

    assert draft.document is not None and draft.goals is not None
    write(draft.document, out / DOCUMENT_FILE, "document",
          f"文档基本信息：由 perfdoc import 从 {source} 导入")
    write(draft.goals, out / GOALS_FILE, "goals",
          "部门整体绩效目标：分项绩效目标与工作保障措施")
    names_taken: set[str] = set()
    for n, part in enumerate(draft.projects, start=1):
        name = _file_name(n, str(part.values.get("code", "")), names_taken)
        write(part, projects_dir / name, "project",
              f"预算项目绩效目标表：{part.values.get('name', '')}")
    # --force: a project file the import did not write would join the document.
    for stale in projects_dir.glob("*.yaml"):
        if stale not in written:
            stale.unlink()
    return written


def _file_name(number: int, code: str, taken: set[str]) -> str:
    """Return ``NN-<项目编码>.yaml`` (file-name order is the projects' order)."""
    stem = re.sub(r"[^0-9A-Za-z_-]+", "", code)[:40]
    name = f"{number:02d}-{stem}.yaml" if stem else f"{number:02d}.yaml"
    while name in taken:
        name = name.replace(".yaml", "-1.yaml")
    taken.add(name)
    return name
