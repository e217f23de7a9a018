"""Stage 2: validate loaded files against the pydantic models.

Pydantic's errors are turned into located problems that name the field both
ways, in Chinese and as a dotted path, e.g. ``预算数 (budget.total)``; a
misspelt key gets a did-you-mean.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from perfdoc.i18n import _
from perfdoc.load import YamlFile, load_yaml
from perfdoc.model import DocumentFile, GoalsFile, ProjectFile
from perfdoc.problems import Level, Problem, display_path

M = TypeVar("M", bound=BaseModel)

DOCUMENT_FILE = "document.yaml"
GOALS_FILE = "goals.yaml"
PROJECTS_DIR = "projects"


@dataclass
class Project:
    """One project table with the file it came from."""

    source: YamlFile
    model: ProjectFile

    @property
    def stem(self) -> str:
        """The file name without extension, e.g. ``01-zhucun``."""
        return self.source.path.stem


@dataclass
class Document:
    """A validated document folder."""

    folder: Path
    meta: DocumentFile
    goals: GoalsFile
    projects: list[Project]
    sources: dict[str, YamlFile] = field(default_factory=dict)

    @property
    def input_files(self) -> list[Path]:
        """Every file the document was read from, in a stable order."""
        return sorted(yf.path for yf in self.sources.values())


# --------------------------------------------------------------------------- model walking


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Return the models an annotation can hold: ``list[X]``, ``X | None``, ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found


def _field_info(
    model: type[BaseModel], loc: Sequence[str | int]
) -> tuple[type[BaseModel] | None, str | None]:
    """Walk *loc* through *model*; return the model holding the last key and that key's title."""
    current: type[BaseModel] | None = model
    title: str | None = None
    parts = list(loc)
    i = 0
    while i < len(parts):
        part = parts[i]
        if isinstance(part, int):
            i += 1
            continue
        if current is None:
            return None, None
        info = current.model_fields.get(part)
        if info is None:
            return (current if i == len(parts) - 1 else None), None
        title = info.title
        if i == len(parts) - 1:
            return current, title
        if typing.get_origin(info.annotation) is dict:
            i += 1  # the next part is a dict key such as a rule id, not a field
        inner = _models_in(info.annotation)
        current = inner[0] if inner else None
        i += 1
    return current, title


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """Return the model type of the value at *loc* (``()`` is *model* itself)."""
    loc = list(loc)
    while loc and isinstance(loc[-1], int):
        loc.pop()  # an item of ``list[X]`` is an X, which the list's field names
    if not loc:
        return model
    holder, _title = _field_info(model, loc)
    key = loc[-1]
    if holder is not None and isinstance(key, str) and key in holder.model_fields:
        inner = _models_in(holder.model_fields[key].annotation)
        return inner[0] if inner else None
    # A key of a ``dict[str, X]`` field, such as a rule id under ``checks``: an X.
    container, (outer, _t) = loc[:-1], _field_info(model, loc[:-1])
    name = container[-1] if container else None
    if outer is not None and isinstance(name, str) and name in outer.model_fields and (
        typing.get_origin(outer.model_fields[name].annotation) is dict
    ):
        return _model_at(model, container)
    return None


def dotted(loc: Sequence[str | int]) -> str:
    """Format a location as ``indicators[3].value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _clean_loc(
    data: Any, loc: tuple[str | int, ...], kind: str = "missing"
) -> tuple[str | int, ...]:
    """Drop the union-member tags pydantic puts into a location."""
    out: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, dict) and part in current:
            current = current[part]
            out.append(part)
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
            out.append(part)
        elif last and kind == "missing":
            out.append(part)  # the missing field's name
        # otherwise: a tag such as 'RuleSetting' or 'bool'; skip it
    return tuple(out)


_MAPPING_KINDS = ("model_type", "model_attributes_type", "dict_type")


def _union_noise(
    errors: list[tuple[Any, tuple[str | int, ...]]],
) -> set[int]:
    """Return the indexes of union members' errors that only say "not this member".

    ``checks: {value-format: {level: fatal}}`` fails both ``RuleSetting`` (at
    ``level``) and ``bool`` (at the value itself); an error deeper in the data
    shows which member the author meant, so the value-level one is noise.
    """
    deeper = {loc[:n] for _err, loc in errors for n in range(len(loc))}
    return {
        i for i, (err, loc) in enumerate(errors)
        if err["loc"] and (not loc or err["loc"][-1] != loc[-1]) and loc in deeper
    }


def _suggest(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    names = list(model.model_fields)
    titles = {info.title: name for name, info in model.model_fields.items() if info.title}
    if key in titles:
        return titles[key]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return close[0]
    close = difflib.get_close_matches(key, list(titles), n=1, cutoff=0.5)
    return titles[close[0]] if close else ""


def _field_label(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    _, title = _field_info(model, loc)
    path = dotted(loc)
    return f"{title} ({path})" if title else path


#: Longer values are shortened when a message quotes them.
MAX_QUOTED = 60


def _shorten(value: Any) -> Any:
    """Cut a long text to its start, so a message never repeats a megabyte of input."""
    if isinstance(value, str) and len(value) > MAX_QUOTED:
        return value[:MAX_QUOTED] + "…"
    return value


def _message(model: type[BaseModel], err: Any, loc: tuple[str | int, ...]) -> str:
    kind = err["type"]
    label = _field_label(model, loc)
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = _shorten(given)
    if kind == "missing":
        return _("missing required field {field}").format(field=label)
    if given is None and kind.endswith("_type"):
        # ``name:`` with nothing after it: YAML reads null, not the wrong type.
        return _("{field} must not be empty").format(field=label)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = _suggest(key, _model_at(model, loc[:-1]))
        msg = _("unknown key '{key}'").format(key=_shorten(key))
        if hint:
            msg += _("; did you mean '{suggestion}'?").format(suggestion=hint)
        return msg
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type"):
        number = _leading_number(given)
        if isinstance(given, str) and given.strip().endswith(("%", "％")):
            return _(
                "{field} must be a number from 0 to 100 without %: write {number}, not {given}"
            ).format(field=label, number=number or "25", given=shown)
        if isinstance(given, str) and any(u in given for u in ("万", "元")):
            return _(
                "{field} must be a plain number; the unit comes from money_unit "
                "(write {number}, not {given})"
            ).format(field=label, number=number or "6.19", given=shown)
        return _("{field} must be a number, not {given!r}").format(field=label, given=shown)
    if kind in ("string_type",):
        return _("{field} must be text").format(field=label)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("{field} must be a whole number").format(field=label)
    if kind in ("bool_type", "bool_parsing"):
        return _("{field} must be true or false").format(field=label)
    if kind in ("list_type",):
        return _("{field} must be a list (each item on a line starting with '- ')").format(
            field=label
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if not loc:
            if isinstance(given, list):
                return _("the file must be a mapping of 'key: value' lines, not a list")
            return _("the file must be a mapping of 'key: value' lines, not a single value")
        return _("{field} must be a mapping (indented 'key: value' lines)").format(field=label)
    if kind in ("too_short", "string_too_short"):
        return _("{field} must not be empty").format(field=label)
    if kind in ("greater_than_equal",):
        return _("{field} must be at least {limit}").format(field=label, limit=ctx.get("ge"))
    if kind in ("less_than_equal",):
        return _("{field} must be at most {limit}").format(field=label, limit=ctx.get("le"))
    if kind in ("literal_error",):
        return _("{field} must be one of {expected}").format(
            field=label, expected=ctx.get("expected")
        )
    if kind in ("finite_number",):
        return _("{field} must be a finite number").format(field=label)
    if kind.startswith("date"):
        return _("{field} must be a date such as 2024-01-01").format(field=label)
    return f"{label}: {err['msg']}"


def _leading_number(given: object) -> str:
    """Return the number a mistyped value starts with: ``12`` from ``12万元``."""
    m = re.match(r"\s*([0-9]+(?:\.[0-9]+)?)", given) if isinstance(given, str) else None
    return m.group(1) if m else ""


def _shape_name(model: type[BaseModel]) -> str:
    from perfdoc.model import FILE_MODELS

    return next((name for name, m in FILE_MODELS.items() if m is model), "document")


def validate_file(yf: YamlFile, model: type[M]) -> tuple[M | None, list[Problem]]:
    """Validate one loaded file against *model*; return the instance or the problems."""
    if yf.data is None:
        return None, [
            Problem(yf.display, 1, 1, Level.ERROR, "schema",
                    _("the file is empty; fill in its keys (see schemas/{shape}.schema.json)")
                    .format(shape=_shape_name(model)))
        ]
    try:
        return model.model_validate(yf.data), []
    except ValidationError as exc:
        problems: list[Problem] = []
        seen: set[tuple[str | int, ...]] = set()
        errors = [(err, _clean_loc(yf.data, tuple(err["loc"]), err["type"]))
                  for err in exc.errors()]
        noise = _union_noise(errors)
        # Where a union fails as a whole, "true or false" says more than "a mapping".
        order = sorted(range(len(errors)), key=lambda i: errors[i][0]["type"] in _MAPPING_KINDS)
        for i in order:
            err, loc = errors[i]
            if i in noise or loc in seen:
                continue  # one message per place: unions report once per member
            seen.add(loc)
            message = _message(model, err, loc)
            if err["type"] == "missing":
                # Point at the mapping that lacks the field: its key, e.g. ``budget:``.
                problems.append(yf.problem(loc[:-1], message, rule="schema", key=True))
            else:
                at_key = err["type"] == "extra_forbidden"
                problems.append(yf.problem(loc, message, rule="schema", key=at_key))
        return None, problems


# --------------------------------------------------------------------------- whole documents


def _load(path: Path, model: type[M]) -> tuple[YamlFile | None, M | None, list[Problem]]:
    yf, problems = load_yaml(path, display_path(path))
    if yf is None:
        return None, None, problems
    instance, more = validate_file(yf, model)
    return yf, instance, problems + more


def project_files(folder: Path) -> list[Path]:
    """Return the project files in table order: the file-name order."""
    pdir = folder / PROJECTS_DIR
    if not pdir.is_dir():
        return []
    return sorted(
        (p for p in pdir.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def load_document(folder: Path) -> tuple[Document | None, list[Problem]]:
    """Load and validate a whole document folder, collecting every problem."""
    problems: list[Problem] = []
    sources: dict[str, YamlFile] = {}

    meta_yf, meta, found = _load(folder / DOCUMENT_FILE, DocumentFile)
    problems += found
    goals_path = folder / GOALS_FILE
    goals: GoalsFile | None = None
    if goals_path.exists():
        goals_yf, goals, found = _load(goals_path, GoalsFile)
        problems += found
        if goals_yf:
            sources[GOALS_FILE] = goals_yf
    else:
        problems.append(
            Problem(display_path(goals_path), 1, 1, Level.ERROR, "io",
                    _("goals.yaml is missing: every document needs its itemized goals "
                      "and work-guarantee measures"))
        )
    if meta_yf:
        sources[DOCUMENT_FILE] = meta_yf

    projects: list[Project] = []
    paths = project_files(folder)
    if not paths:
        problems.append(
            Problem(display_path(folder / PROJECTS_DIR), 1, 1, Level.ERROR, "io",
                    _("no project files: add at least one projects/NN-name.yaml"))
        )
    for path in paths:
        yf, model, found = _load(path, ProjectFile)
        problems += found
        if yf is not None:
            sources[f"{PROJECTS_DIR}/{path.name}"] = yf
        if yf is not None and model is not None:
            projects.append(Project(yf, model))

    if meta is None or goals is None or any(p.level is Level.ERROR for p in problems):
        return None, problems
    return Document(folder, meta, goals, projects, sources), problems
