"""Write a Draft as a document folder (import, last stage).

PyYAML cannot write comments, and an imported folder is read and edited by
people: each file starts with its schema line, keys come in the README's
order, a value perfdoc inferred carries a Chinese comment above it, and prose
is a ``|-`` block with one paragraph per line.  So the YAML is written here by
hand; each scalar alone goes through PyYAML, which quotes exactly what needs
quoting (``'912001'``, ``'>15 次'``), and the written folder is loaded back
with perfdoc's own loader before the command reports success.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from perfdoc.imports.draft import Number, Part, Prose
from perfdoc.resources import resource
from perfdoc.workspace import find_workspace

#: Where the editor setup keeps perfdoc's JSON Schemas, under the workspace root.
SCHEMA_HOME = Path(".perfdoc") / "schemas"
_SCHEMAS = ("document", "goals", "project")


def scalar(value: Any) -> str:
    """Return *value* as one YAML scalar, quoted only when YAML needs it."""
    if value is None:
        return ""
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text_scalar(str(value))


@lru_cache(maxsize=4096)
def _text_scalar(text: str) -> str:
    # PyYAML decides the quoting (a full dump each time, 0.1 ms); an imported
    # draft repeats its labels, units and symbols hundreds of times.
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**9,
                            default_style=None).rstrip("\n")
    return dumped.removesuffix("\n...").rstrip("\n")


def _block(paragraphs: tuple[str, ...], indent: str) -> list[str]:
    # A literal block keeps each paragraph on its line; ``|-`` adds no final newline.
    return ["|-", *[f"{indent}{p}" for p in paragraphs]]


def _lines(values: Mapping[str, Any], comments: Mapping[str, str], path: str,
           indent: str) -> Iterator[str]:
    for key, value in values.items():
        here = f"{path}.{key}" if path else key
        if here in comments:
            yield f"{indent}# {comments[here]}"
        yield from _entry(f"{indent}{key}:", value, comments, here, indent)


def _entry(head: str, value: Any, comments: Mapping[str, str], path: str,
           indent: str) -> Iterator[str]:
    inner = indent + "  "
    if isinstance(value, Prose):
        first, *rest = _block(value.paragraphs, inner)
        yield f"{head} {first}"
        yield from rest
    elif isinstance(value, Mapping):
        if not value:
            yield f"{head} {{}}"
            return
        yield head
        yield from _lines(value, comments, path, inner)
    elif isinstance(value, list):
        if not value:
            yield f"{head} []"
            return
        yield head
        for n, item in enumerate(value):
            at = f"{path}.{n}"
            if at in comments:
                yield f"{inner}# {comments[at]}"
            if isinstance(item, Mapping):
                body = list(_lines(item, comments, at, inner + "  "))
                # The first key goes on the dash's line: "- level1: 产出指标".
                k = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
                yield from body[:k]
                yield f"{inner}- {body[k].lstrip()}"
                yield from body[k + 1:]
            elif isinstance(item, Prose):
                first, *rest = _block(item.paragraphs, inner + "  ")
                yield f"{inner}- {first}"
                yield from rest
            else:
                yield f"{inner}- {scalar(item)}"
    else:
        text = scalar(value)
        yield f"{head} {text}" if text else head


def render_part(part: Part, schema: str, title: str) -> str:
    """Return *part* as the text of one YAML file: schema line, title comment, keys, leftovers."""
    out = [f"# yaml-language-server: $schema={schema}", f"# {title}"]
    out += list(_lines(part.values, part.comments, "", ""))
    if part.unplaced:
        out.append("# 导入时无法归入任何字段的原文，核对后移到合适的位置或删除")
        out.append("_unplaced:")
        out += [f"  - {scalar(text)}" for text in part.unplaced]
    return "\n".join(out) + "\n"


def schema_dir(folder: Path) -> Path:
    """Copy perfdoc's JSON Schemas next to the workspace and return their folder.

    The workspace root is the folder of the nearest perfdoc.toml above
    *folder*, or else *folder*'s parent, so that every document of a
    workspace shares one copy that editors find wherever the folder lives.
    """
    workspace, _problems = find_workspace(folder)
    root = workspace.root if workspace.root is not None else folder.resolve().parent
    target = root / SCHEMA_HOME
    target.mkdir(parents=True, exist_ok=True)
    for name in _SCHEMAS:
        data = resource("schemas", f"{name}.schema.json").read_bytes()
        path = target / f"{name}.schema.json"
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return target


def relative(target: Path, start: Path) -> str:
    """Return *target* relative to folder *start*, with forward slashes."""
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()
