"""Stage 2: validate loaded files against the pydantic models.

Pydantic's errors are turned into located problems that name the field both
ways, in Chinese and as a dotted path, e.g. ``预算数 (budget.total)``; a
misspelt key gets a did-you-mean.
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from perfdoc.i18n import _
from perfdoc.problems import Level, Problem
from perfdoc.yamlfile import Path_, YamlFile

M = TypeVar("M", bound=BaseModel)

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


def field_label(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    """Name a field both ways: ``预算数 (budget.total)``."""
    _, title = _field_info(model, loc)
    path = dotted(loc)
    return f"{title} ({path})" if title else path


@dataclass(frozen=True)
class _Failure:
    """One pydantic error, with what a message about it may quote."""

    model: type[BaseModel]
    kind: str
    loc: tuple[str | int, ...]
    label: str
    given: Any
    ctx: dict[str, Any]


def _unknown_key(f: _Failure) -> str:
    key = str(f.loc[-1])
    hint = _suggest(key, _model_at(f.model, f.loc[:-1]))
    msg = _("unknown key '{key}'").format(key=key)
    if hint:
        msg += _("; did you mean '{suggestion}'?").format(suggestion=hint)
    return msg


def _not_a_number(f: _Failure) -> str:
    number = _leading_number(f.given)
    if isinstance(f.given, str) and f.given.strip().endswith(("%", "％")):
        return _(
            "{field} must be a number from 0 to 100 without %: write {number}, not {given}"
        ).format(field=f.label, number=number or "25", given=f.given)
    if isinstance(f.given, str) and any(u in f.given for u in ("万", "元")):
        return _(
            "{field} must be a plain number; the unit comes from money_unit "
            "(write {number}, not {given})"
        ).format(field=f.label, number=number or "6.19", given=f.given)
    return _("{field} must be a number, not {given!r}").format(field=f.label, given=f.given)


def _not_a_mapping(f: _Failure) -> str:
    if f.loc:
        return _("{field} must be a mapping (indented 'key: value' lines)").format(field=f.label)
    if isinstance(f.given, list):
        return _("the file must be a mapping of 'key: value' lines, not a list")
    return _("the file must be a mapping of 'key: value' lines, not a single value")


def _invisible(f: _Failure) -> str:
    if f.ctx.get("newline"):
        return _("{field} must be a single line; remove the line break").format(field=f.label)
    return _("{field} contains the invisible character {char}; delete it (it often comes "
             "from copying out of another program)").format(field=f.label, char=f.ctx["char"])


def _number(limit: object) -> object:
    """Show a bound as a person writes it: ``1000000000000``, not ``Decimal('1E+12')``."""
    if isinstance(limit, Decimal):
        return f"{limit:f}"
    if isinstance(limit, float) and limit.is_integer():
        return int(limit)
    return limit


def _kinds(*kinds: str, say: Callable[[_Failure], str]) -> dict[str, Callable[[_Failure], str]]:
    return dict.fromkeys(kinds, say)


#: pydantic's error type -> the message perfdoc prints for it.
_MESSAGES: dict[str, Callable[[_Failure], str]] = {
    "missing": lambda f: _("missing required field {field}").format(field=f.label),
    "extra_forbidden": _unknown_key,
    **_kinds("decimal_parsing", "decimal_type", "float_parsing", "float_type",
             say=_not_a_number),
    "plain_decimal": lambda f: _(
        "{field} must be a plain decimal number such as 6.19 or 2024, not {given}").format(
        field=f.label, given=f.ctx["given"]),
    "string_type": lambda f: _("{field} must be text").format(field=f.label),
    **_kinds("int_type", "int_parsing", "int_from_float",
             say=lambda f: _("{field} must be a whole number").format(field=f.label)),
    **_kinds("bool_type", "bool_parsing",
             say=lambda f: _("{field} must be true or false").format(field=f.label)),
    "list_type": lambda f: _(
        "{field} must be a list (each item on a line starting with '- ')").format(field=f.label),
    **_kinds(*_MAPPING_KINDS, say=_not_a_mapping),
    **_kinds("too_short", "string_too_short",
             say=lambda f: _("{field} must not be empty").format(field=f.label)),
    "blank": lambda f: _("{field} must not be blank").format(field=f.label),
    "invisible_character": _invisible,
    "greater_than_equal": lambda f: _("{field} must be at least {limit}").format(
        field=f.label, limit=_number(f.ctx.get("ge"))),
    "greater_than": lambda f: _("{field} must be more than {limit}").format(
        field=f.label, limit=_number(f.ctx.get("gt"))),
    "less_than_equal": lambda f: _("{field} must be at most {limit}").format(
        field=f.label, limit=_number(f.ctx.get("le"))),
    "less_than": lambda f: _("{field} must be less than {limit}").format(
        field=f.label, limit=_number(f.ctx.get("lt"))),
    "literal_error": lambda f: _("{field} must be one of {expected}").format(
        field=f.label, expected=f.ctx.get("expected")),
    "finite_number": lambda f: _("{field} must be a finite number").format(field=f.label),
    "regex": lambda f: _("{field} is not a valid regular expression: {reason}").format(
        field=f.label, reason=f.ctx.get("reason")),
}


def _message(model: type[BaseModel], err: Any, loc: tuple[str | int, ...]) -> str:
    kind = err["type"]
    failure = _Failure(model, kind, loc, field_label(model, loc), err.get("input"),
                       err.get("ctx") or {})
    if failure.given is None and kind.endswith("_type"):
        # ``name:`` with nothing after it: YAML reads null, not the wrong type.
        return _("{field} must not be empty").format(field=failure.label)
    if kind.startswith("date"):
        return _("{field} must be a date such as 2024-01-01").format(field=failure.label)
    say = _MESSAGES.get(kind)
    return say(failure) if say else f"{failure.label}: {err['msg']}"


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
        instance = model.model_validate(yf.data)
    except ValidationError as exc:
        return None, schema_problems(exc, yf.data, model, yf.problem)
    # Text an import could not place is kept in the file until someone moves it.
    unplaced = getattr(instance, "unplaced", [])
    found = [yf.problem(("_unplaced",), _(
        "{n} piece(s) of imported text are not placed yet; move each to its field or "
        "delete it").format(n=len(unplaced)), rule="import", level=Level.INFO, key=True)
    ] if unplaced else []
    return instance, found


class _Locate(Protocol):
    def __call__(self, at: Path_, message: str, *, rule: str, key: bool = False) -> Problem: ...


def schema_problems(exc: ValidationError, data: Any, model: type[BaseModel],
                    problem: _Locate) -> list[Problem]:
    """Turn pydantic's errors about *data* into located problems, one per place.

    *problem* builds a problem at a path in the file the data came from; YAML
    and perfdoc.toml each bring their own, so both read the same.
    """
    problems: list[Problem] = []
    seen: set[tuple[str | int, ...]] = set()
    errors = [(err, _clean_loc(data, tuple(err["loc"]), err["type"])) for err in exc.errors()]
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
            problems.append(problem(loc[:-1], message, rule="schema", key=True))
        else:
            at_key = err["type"] == "extra_forbidden"
            problems.append(problem(loc, message, rule="schema", key=at_key))
    return problems


