"""Carry a document over to the next year (``perfdoc next-year SRC DST``).

Next year's 部门预算绩效文本 starts as a copy of this year's: the same unit,
goals, measures and projects, with codes and targets kept.  This module copies
what the document is made of (document.yaml, goals.yaml, the project files and
a template named in ``settings.template`` that lies in the folder) into a new
folder, and nothing else: ``build/``, hidden folders, notes and old drafts stay
behind.  The files are copied byte for byte, comments and formatting included;
only two textual edits are made to document.yaml: the ``year:`` value, and a
``carried_from:`` block appended at the end.

``carried_from`` records, inside the document, where it came from: the
source's unit and year and a fingerprint of every text carried over.  A path
to the source would break the rule that a document reads nothing outside its
folder; fingerprints let the ``stale-year`` rule tell a text nobody has
touched since the carry-over (whose "2024年" is probably stale) from one that
was rewritten for the new year.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from perfdoc.document import (
    DOCUMENT_FILE,
    GOALS_FILE,
    PROJECTS_DIR,
    Document,
    is_inside,
    load_document,
)
from perfdoc.errors import OutputError, UsageError
from perfdoc.i18n import _
from perfdoc.problems import Level, Problem, display_path
from perfdoc.workspace import find_workspace, resolve_document_path
from perfdoc.yamlfile import Path_, YamlFile

#: Hex digits of SHA-256 kept per text: 64 bits tell an edited text from the
#: original, and keep document.yaml short.
FINGERPRINT_CHARS = 16

#: The last year a document may have (the model's bound on ``year``).
MAX_YEAR = 2200

#: Fields that are not the document's prose: configuration, codes (a code is
#: not edited for a new year, and the stale-year rule ignores codes),
#: leftovers of an import, and the record itself.
_NOT_TEXT = frozenset({"settings", "profile", "code", "unit_code", "unplaced", "carried_from"})

#: The comment written above ``carried_from:``.  It names no year, so a
#: document carried over again is recognised and its old block replaced.
COMMENT = (
    "# 结转来源：由 perfdoc next-year 写入，记录上一年度文档的单位、年度和各段文字的指纹。",
    "# 文字未改动（指纹相同）而仍提到往年年份的，perfdoc check 的 stale-year 规则会提示；"
    "改过的文字不再提示。请勿手改。",
)

_SCHEMA_LINE = re.compile(r"^(#\s*yaml-language-server:\s*\$schema=)(\S+)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class CarriedText:
    """One text of a document: its key in ``carried_from.texts``, file, path and value."""

    key: str
    source: YamlFile
    at: Path_
    text: str


def fingerprint(text: str) -> str:
    """Return the fingerprint recorded for *text*: the start of its SHA-256, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def _walk(value: Any, at: Path_) -> Iterator[tuple[Path_, str]]:
    """Yield every non-empty text in *value* (a model, list or str) with its path.

    Walking the models rather than naming fields means a text field added
    later is carried and checked without touching this module.  A default the
    author never wrote (cover.title) is skipped: it is perfdoc's, not last
    year's, text.
    """
    if isinstance(value, str):
        if value.strip():
            yield at, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in _NOT_TEXT and name in value.model_fields_set:
                yield from _walk(getattr(value, name), (*at, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*at, i))


def text_fields(doc: Document) -> Iterator[CarriedText]:
    """Yield every text field of every file of *doc*, keyed ``<file>:<dotted.path>``.

    The file is named as in ``doc.sources`` (``projects/01-zhucun.yaml``), so a
    key stays the same in the copy: relative to the document folder.
    """
    models: list[tuple[str, BaseModel]] = [(DOCUMENT_FILE, doc.meta), (GOALS_FILE, doc.goals)]
    models += [(f"{PROJECTS_DIR}/{p.source.path.name}", p.model) for p in doc.projects]
    for name, model in models:
        source = doc.sources.get(name)
        if source is None:
            continue
        for at, text in _walk(model, ()):
            yield CarriedText(f"{name}:{'.'.join(str(p) for p in at)}", source, at, text)


# --------------------------------------------------------------------------- carrying over


@dataclass
class Carried:
    """The outcome: problems to print, the files written, and the exit code."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    texts: int = 0
    source_year: int = 0
    year: int = 0
    exit_code: int = 0


def _decode(yf: YamlFile) -> tuple[str, bool]:
    """Return the text of *yf* as read, and whether it started with a UTF-8 BOM."""
    bom = yf.raw.startswith(b"\xef\xbb\xbf")
    return yf.raw[3 if bom else 0:].decode(yf.encoding), bom


def _encode(text: str, yf: YamlFile, bom: bool) -> bytes:
    # The copy keeps the source's encoding (a GB18030 file keeps its info).
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(yf.encoding)


def _lines(text: str) -> list[str]:
    """Split *text* into lines that keep their own line break.

    Lines are counted as the loader counts them (CR LF, CR and LF each end
    one), so the positions it recorded name these lines.
    """
    out: list[str] = []
    start = 0
    for m in _LINE_BREAK.finditer(text):
        out.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        out.append(text[start:])
    return out


def _set_year(lines: list[str], yf: YamlFile, old: int, new: int) -> None:
    """Replace the ``year:`` value in *lines*, keeping its quotes and any comment."""
    loc = yf.value_locs[("year",)]
    rest = "".join(lines[loc.line - 1:])
    offset = loc.col - 1
    # The first number from the value's position: 2024, "2024", 2024.0.
    m = re.compile(r"[0-9]+").search(rest, offset)
    if m is None or int(m.group()) != old:
        raise RuntimeError(f"year {old} not found at {loc} in {yf.display}")
    rest = rest[:m.start()] + str(new) + rest[m.end():]
    lines[loc.line - 1:] = _lines(rest)


def _drop_carried_from(lines: list[str], yf: YamlFile) -> None:
    """Remove an earlier ``carried_from:`` block (and perfdoc's comment above it)."""
    loc = yf.key_locs.get(("carried_from",))
    if loc is None:
        return
    start = end = loc.line - 1
    end += 1
    # The block goes on while lines are indented or blank; a line at column 0
    # (the next key, or a comment of the author's) ends it.
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1
    while start > 0 and lines[start - 1].rstrip("\r\n") in COMMENT:
        start -= 1
    if start > 0 and not lines[start - 1].strip():
        start -= 1
    del lines[start:end]


def _carried_from_block(doc: Document, texts: dict[str, str], newline: str) -> str:
    from perfdoc.imports.write import scalar

    # Keys and fingerprints are always quoted: a key holds ':' and a
    # fingerprint of digits only would read as a number.
    rows = [f"    {json.dumps(k, ensure_ascii=False)}: {json.dumps(v)}" for k, v in texts.items()]
    block = [*COMMENT, "carried_from:", f"  unit: {scalar(doc.meta.unit)}",
             f"  year: {doc.meta.year}", "  texts:" if rows else "  texts: {}", *rows]
    return newline.join(block) + newline


def _next_document_yaml(text: str, doc: Document, year: int, texts: dict[str, str]) -> str:
    """Return next year's document.yaml: *text* with a new year and ``carried_from``."""
    yf = doc.sources[DOCUMENT_FILE]
    lines = _lines(text)
    _set_year(lines, yf, doc.meta.year, year)
    _drop_carried_from(lines, yf)  # after the year: the block may come before it
    newline = "\r\n" if "\r\n" in text else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    # A blank line sets the block apart.  Blank lines already at the end stay:
    # they may belong to the last value (a ``|+`` block keeps them).
    if lines and lines[-1].strip():
        lines.append(newline)
    return "".join(lines) + _carried_from_block(doc, texts, newline)


class _Schemas:
    """Point a copied file's schema line at schemas an editor can find from DST.

    ``# yaml-language-server: $schema=../../schemas/document.schema.json`` is
    relative to the file; a copy elsewhere would point at nothing, so it is
    pointed at the copy ``perfdoc import`` keeps under the workspace root.
    A line that still works from DST (a sibling folder) is left alone.
    """

    def __init__(self, dst: Path) -> None:
        self.dst = dst
        self.home: Path | None = None

    def fix(self, text: str, src_file: Path, dst_file: Path) -> str:
        m = _SCHEMA_LINE.match(text)
        if m is None:
            return text
        ref = m.group(2)
        if "://" in ref or Path(ref).is_absolute():
            return text

        def lexical(folder: Path) -> Path:
            # DST does not exist yet, so the path is resolved by text alone.
            return Path(os.path.normpath(folder / ref))

        if not lexical(src_file.parent).is_file() or lexical(dst_file.parent).is_file():
            return text
        from perfdoc.imports.write import relative, schema_dir

        if self.home is None:
            self.home = schema_dir(self.dst)
        target = self.home / Path(ref).name
        if not target.is_file():
            return text
        return m.group(1) + relative(target, dst_file.parent) + text[m.end():]


def _template(doc: Document, src: Path, dst: Path, root: Path | None,
              files: dict[Path, bytes]) -> bool:
    """Copy a template named in ``settings.template`` that lies inside SRC.

    One outside SRC (in the workspace root) is shared, not the document's, and
    is not copied.  Returns ``False`` when the setting then names no file from
    DST, which the caller reports.
    """
    written = doc.meta.settings.template
    if not written:
        return True
    from perfdoc.workspace import Workspace

    found = resolve_document_path(written, document=src, workspace=Workspace(root))
    if found is not None and is_inside(found, src) and found.is_file():
        # At the path the setting names, so that it names the copy.
        rel = Path(os.path.normpath(written))
        if rel.is_absolute() or rel.parts[0] == "..":
            rel = found.relative_to(src.resolve())
        files[dst / rel] = found.read_bytes()
        return True
    return Path(os.path.normpath(dst / written)).is_file()


def check_target(dst: Path) -> None:
    """Refuse a DST that is a file, or a folder that is not empty (usage errors)."""
    if dst.exists() and not dst.is_dir():
        raise UsageError(_("{path} is a file; next-year writes a folder").format(
            path=display_path(dst)))
    if dst.is_dir() and any(dst.iterdir()):
        raise UsageError(_("{path} exists and is not empty; next-year writes a new "
                           "document folder").format(path=display_path(dst)))


def carry_over(src: Path, dst: Path, year: int | None = None) -> Carried:
    """Copy the document *src* into the new folder *dst* for *year* (default: next year).

    Nothing is written when SRC does not load; a write that fails midway
    removes what it wrote (exit 3).  The new folder is loaded back before
    the command reports success.
    """
    check_target(dst)
    result = Carried()
    if not (src / DOCUMENT_FILE).is_file():
        result.problems.append(Problem(
            display_path(src / DOCUMENT_FILE), 1, 1, Level.ERROR, "io",
            _("no document.yaml here; next-year copies one document folder")))
        result.exit_code = 1
        return result
    workspace, problems = find_workspace(src)
    doc, found = load_document(src, workspace.root)
    problems += found
    if doc is None:
        result.problems = [p for p in problems if p.level is Level.ERROR]
        result.exit_code = 1
        return result
    result.source_year = doc.meta.year
    result.year = doc.meta.year + 1 if year is None else year
    if result.year <= doc.meta.year:
        raise UsageError(_("--year must be after the source's year {year}").format(
            year=doc.meta.year))
    if result.year > MAX_YEAR:
        raise UsageError(_("the year would be {year}; a document's year is at most {max}")
                         .format(year=result.year, max=MAX_YEAR))

    texts = {t.key: fingerprint(t.text) for t in text_fields(doc)}
    result.texts = len(texts)
    files: dict[Path, bytes] = {}
    schemas = _Schemas(dst)
    for name, yf in doc.sources.items():
        text, bom = _decode(yf)
        if name == DOCUMENT_FILE:
            text = _next_document_yaml(text, doc, result.year, texts)
        files[dst / name] = _encode(schemas.fix(text, yf.path, dst / name), yf, bom)
    template_found = _template(doc, src, dst, workspace.root, files)

    _write(files, dst)
    result.written = list(files)
    again, problems = find_workspace(dst)
    back, found = load_document(dst, again.root)
    errors = [p for p in problems + found if p.level is Level.ERROR]
    result.problems += errors
    if back is None or errors:
        result.exit_code = 1
    elif not template_found:
        result.problems.append(back.sources[DOCUMENT_FILE].problem(
            ("settings", "template"), _(
                "the template {path} lies outside the document folder and was not copied; "
                "from the new folder it names no file: copy it there or correct "
                "settings.template").format(path=doc.meta.settings.template),
            rule="io", level=Level.WARNING))
    return result


def _write(files: dict[Path, bytes], dst: Path) -> None:
    """Write *files*, all or none: a failure removes what this run created."""
    created = not dst.exists()
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    except OSError as exc:
        # DST did not exist or was empty, so everything in it is this run's.
        if created:
            shutil.rmtree(dst, ignore_errors=True)
        elif dst.is_dir():
            for child in dst.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
        raise OutputError(_("cannot write {path}: {reason}").format(
            path=display_path(dst), reason=exc.strerror or exc)) from None
