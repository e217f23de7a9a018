"""Stage 1: read YAML files into plain data, remembering where every value was.

Everything a user can get wrong while typing a file is caught here and turned
into a located :class:`~perfdoc.problems.Problem`: encodings, characters XML
forbids, syntax, duplicate keys and alias bombs.  Only safe YAML is read: the
node graph is composed by PyYAML's safe composer and constructed here, so no
tag can ever build a Python object.
"""

from __future__ import annotations

import codecs
import re
import stat
from decimal import InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from perfdoc.i18n import _
from perfdoc.problems import Level, Problem
from perfdoc.yamlfile import Loc, Path_, SourceDecimal, SourceFloat, SourceInt, YamlFile

# libyaml's composer is several times faster than the pure-Python one and keeps
# character-based marks, which is what editors count in.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A document never needs more expanded nodes than this.  The limit is checked
#: on the composed graph before anything is expanded, so an alias bomb fails at
#: once instead of eating memory.
MAX_EXPANDED_NODES = 500_000

#: Nor does it nest deeper than this; deeper data would exhaust Python's stack
#: in the recursive walks below (libyaml itself allows 1000 levels).
MAX_DEPTH = 100

# XML 1.0 forbids these code points; a .docx holding one is corrupt.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

class LoadFailed(Exception):
    """Raised inside the loader to stop at the first fatal problem of a file."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _decode(raw: bytes, display: str) -> tuple[str, str, list[Problem]]:
    """Decode *raw*: UTF-8 (BOM allowed), else GB18030 with an info."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)) or (
        _looks_utf16(raw)
    ):
        raise LoadFailed(
            Problem(
                display, 1, 1, Level.ERROR, "yaml",
                _("the file is UTF-16 or UTF-32; save it as UTF-8 (in Notepad: "
                  "Save As, Encoding: UTF-8)"),
            )
        )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return _one_line_break(raw.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        line, col = _byte_position(raw, utf8_error.start)
        raise LoadFailed(
            Problem(
                display, line, col, Level.ERROR, "yaml",
                _("the file is neither UTF-8 nor GB18030; save it as UTF-8"),
            )
        ) from None
    info = Problem(
        display, 1, 1, Level.INFO, "yaml",
        _("the file is GB18030 (GBK), not UTF-8; it was read, but please convert it, "
          "e.g. `iconv -f GB18030 -t UTF-8`, or in Notepad: Save As, Encoding: UTF-8"),
    )
    return _one_line_break(text), "gb18030", [info]


def _one_line_break(text: str) -> str:
    """Turn CR LF and lone CR into LF.

    libyaml counts a lone CR as a line break and Python's positions count LF:
    with one kind of break, every position perfdoc reports is on the line an
    editor shows, whatever mix of endings the file has.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _looks_utf16(raw: bytes) -> bool:
    """Say whether BOM-less *raw* looks like UTF-16: NULs in every other byte.

    A single NUL somewhere in a UTF-8 file is a stray control character and is
    reported at its position; only a regular pattern of them means UTF-16.
    """
    head = raw[:200]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return even.count(0) > len(even) * 0.4 or odd.count(0) > len(odd) * 0.4


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and byte column of *offset* in *raw*."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    return line, offset - (before.rfind(b"\n") + 1) + 1


def _text_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _illegal_characters(text: str, display: str) -> list[Problem]:
    problems = []
    for m in _XML_ILLEGAL.finditer(text):
        line, col = _text_position(text, m.start())
        problems.append(
            Problem(
                display, line, col, Level.ERROR, "yaml",
                _("control character U+{code:04X} is not allowed in a document; "
                  "delete it (it often comes from copying out of Word)").format(
                    code=ord(m.group())
                ),
            )
        )
    return problems


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or str(exc)
    if exc.problem and exc.context:
        if exc.context_mark is not None and (
            "end of stream" in exc.problem or exc.context == "while scanning a simple key"
        ):
            # A quote or key that never ends: where it starts is what to fix,
            # not the end of the file (or of a megabyte-long line).
            mark = exc.context_mark
            what = f"{exc.problem} {exc.context}"
        elif exc.problem.startswith("but "):
            what = f"{exc.context} {exc.problem}"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    message: str
    if "\t" in bad_line[: max(col, 1)] or "\t" in bad_line[:1]:
        message = _("a tab is used for indentation; YAML needs spaces")
        col = bad_line.index("\t") + 1
    else:
        message = _("YAML syntax error: {problem}").format(problem=what)
    return Problem(display, line, col, Level.ERROR, "yaml", message)


def _check_expansion(root: yaml.Node, display: str) -> None:
    """Refuse alias bombs, recursive aliases and deep nesting before expanding anything."""
    # Per node: its expanded size and its height (levels of nesting below it).
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def refuse(node: yaml.Node, message: str) -> LoadFailed:
        return LoadFailed(
            Problem(display, node.start_mark.line + 1, node.start_mark.column + 1,
                    Level.ERROR, "yaml", message)
        )

    def size(node: yaml.Node, depth: int) -> int:
        ident = id(node)
        if ident in active:
            raise refuse(node, _("an alias refers to itself (a recursive structure)"))
        if ident not in sizes:
            if depth > MAX_DEPTH:
                raise refuse(node, _("the data nests more than {limit} levels deep; a "
                                     "document needs only a few").format(limit=MAX_DEPTH))
            active.add(ident)
            total, height = 1, 0
            children: list[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            for child in children:
                total += size(child, depth + 1)
                height = max(height, sizes[id(child)][1] + 1)
            active.discard(ident)
            sizes[ident] = (min(total, MAX_EXPANDED_NODES + 1), height)
        total, height = sizes[ident]
        if depth + height > MAX_DEPTH:  # an alias to deep data, used deep down
            raise refuse(node, _("the data nests more than {limit} levels deep; a "
                                 "document needs only a few").format(limit=MAX_DEPTH))
        return total

    if size(root, 0) > MAX_EXPANDED_NODES:
        raise LoadFailed(
            Problem(
                display, 1, 1, Level.ERROR, "yaml",
                _("aliases expand to more than {limit} values; this looks like an "
                  "alias bomb and was not read").format(limit=MAX_EXPANDED_NODES),
            )
        )


class _Builder:
    """Construct plain data from a composed node graph, recording positions."""

    def __init__(self, yf: YamlFile) -> None:
        self.yf = yf
        self.constructor = yaml.SafeLoader("")
        self.problems: list[Problem] = []

    def loc(self, node: yaml.Node) -> Loc:
        return Loc(node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, at: Path_) -> Any:
        self.yf.value_locs.setdefault(at, self.loc(node))
        if node.tag not in _PLAIN_COLLECTION_TAGS and not isinstance(node, yaml.ScalarNode):
            raise self.refused_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*at, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, at: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        first_seen: dict[Any, Loc] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise LoadFailed(
                    Problem(self.yf.display, *_astuple(self.loc(knode)), Level.ERROR, "yaml",
                            _("a key must be plain text, not a list or mapping"))
                )
            # Every key is the text it was written as: ``2024:``, ``true:`` or
            # ``~:`` are then unknown keys, reported at their place with a
            # did-you-mean, instead of numbers, booleans or null that pydantic
            # would refuse in English, once, at the value.
            if knode.tag == "tag:yaml.org,2002:merge":
                raise self.refused_tag(knode)
            key = knode.value
            if _XML_ILLEGAL.search(key):
                self.scalar(knode)  # refused there, with its message
            if key in first_seen:
                self.problems.append(
                    Problem(
                        self.yf.display, *_astuple(self.loc(knode)), Level.ERROR, "yaml",
                        _("duplicate key '{key}' (first given on line {line})").format(
                            key=key, line=first_seen[key].line
                        ),
                    )
                )
                continue
            first_seen[key] = self.loc(knode)
            child = (*at, key)
            self.yf.key_locs[child] = self.loc(knode)
            out[key] = self.build(vnode, child)
        return out

    def scalar(self, node: yaml.Node) -> Any:
        assert isinstance(node, yaml.ScalarNode)
        tag = node.tag
        text = node.value
        if tag == "tag:yaml.org,2002:float":
            # Money must be exact (docs/format.md, "Numbers"): build the Decimal from the
            # scalar's text, before a float can round it.
            try:
                return SourceDecimal(text.replace("_", ""), text)
            except InvalidOperation:
                try:
                    # .inf, .nan
                    return SourceFloat(self.constructor.construct_yaml_float(node), text)
                except ValueError:  # an explicit ``!!float abc``
                    raise self.unreadable(node) from None
        if tag == "tag:yaml.org,2002:int":
            try:
                return SourceInt(self.constructor.construct_yaml_int(node), text)
            except ValueError:  # an explicit ``!!int abc``
                raise self.unreadable(node) from None
        if tag == "tag:yaml.org,2002:str":
            if _XML_ILLEGAL.search(text):
                raise LoadFailed(
                    Problem(
                        self.yf.display, *_astuple(self.loc(node)), Level.ERROR, "yaml",
                        _("the text contains a control character XML forbids "
                          "(U+{code:04X}); remove the escape").format(
                            code=ord(_XML_ILLEGAL.search(text).group())  # type: ignore[union-attr]
                        ),
                    )
                )
            return text
        if tag in (
            "tag:yaml.org,2002:null",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:timestamp",
        ):
            try:
                return self.constructor.construct_object(node, deep=True)
            except (ValueError, KeyError):  # 2024-13-45, ``!!bool maybe``
                raise self.unreadable(node) from None
        raise self.refused_tag(node)

    def refused_tag(self, node: yaml.Node) -> LoadFailed:
        """Return the problem for a tag perfdoc does not read, such as ``!!python/…``."""
        message: str
        if node.tag == "tag:yaml.org,2002:merge":
            message = _("merge keys (<<) are not supported; write the fields out")
        else:
            message = _("the tag {tag} is not allowed; write plain values").format(
                tag=_short_tag(node.tag))
        return LoadFailed(
            Problem(self.yf.display, *_astuple(self.loc(node)), Level.ERROR, "yaml", message)
        )

    def unreadable(self, node: yaml.ScalarNode) -> LoadFailed:
        """Return the problem for a scalar whose type YAML knows but whose text is wrong."""
        if node.tag == "tag:yaml.org,2002:timestamp":
            message = _("'{text}' is not a valid date; write a date such as 2024-01-01, "
                        "or put the text in quotes").format(text=node.value)
        else:
            message = _("'{text}' cannot be read as {tag}; remove the tag or correct "
                        "the value").format(
                text=node.value, tag=_short_tag(node.tag))
        return LoadFailed(
            Problem(self.yf.display, *_astuple(self.loc(node)), Level.ERROR, "yaml", message)
        )


_PLAIN_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


def _short_tag(tag: str) -> str:
    """Show a tag the way it is written: ``!!python/name:os.system``."""
    return tag.replace("tag:yaml.org,2002:", "!!")


def _astuple(loc: Loc) -> tuple[int, int]:
    return loc.line, loc.col


def load_yaml(path: Path, display: str) -> tuple[YamlFile | None, list[Problem]]:
    """Read one YAML file; return its data (or ``None``) and the problems found."""
    try:
        # A pipe, socket or device would block the read or never end.
        if stat.S_ISFIFO(mode := path.stat().st_mode) or stat.S_ISSOCK(mode) or (
            stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        ):
            return None, [Problem(display, 1, 1, Level.ERROR, "io",
                                  _("not a regular file; a document is made of ordinary files"))]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [
            Problem(display, 1, 1, Level.ERROR, "io",
                    _("cannot read the file: {reason}").format(reason=exc.strerror or exc))
        ]
    problems: list[Problem] = []
    try:
        text, encoding, notes = _decode(raw, display)
        problems.extend(notes)
        illegal = _illegal_characters(text, display)
        if illegal:
            return None, problems + illegal
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            return None, [*problems, _syntax_problem(exc, text, display)]
        except yaml.YAMLError as exc:
            return None, [*problems, Problem(display, 1, 1, Level.ERROR, "yaml", str(exc))]
        yf = YamlFile(path=path, display=display, data=None, encoding=encoding, raw=raw)
        if root is None:
            return yf, problems
        _check_expansion(root, display)
        builder = _Builder(yf)
        yf.data = builder.build(root, ())
        problems.extend(builder.problems)
        if builder.problems:
            return None, problems
        return yf, problems
    except LoadFailed as failed:
        return None, [*problems, failed.problem]
