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
    elif (explained := _explain(exc, text, lines)) is not None:
        line, col, message = explained
    else:
        message = _("YAML syntax error: {problem}").format(problem=what)
    return Problem(display, line, col, Level.ERROR, "yaml", message)


# --------------------------------------------------------------------------- typing mistakes
#
# PyYAML says what its grammar expected, in English and often a line late:
# ``unit：…`` on line 3 is "mapping values are not allowed" on line 4.  The
# functions below look at the raw lines around the error (and at the tokens
# read before it) for the mistakes people make while typing Chinese, and say
# what to fix, where it is.  Each returns ``None`` when it does not recognise
# the mistake, and the error keeps PyYAML's own words.

#: A key as people type it: no spaces and no YAML punctuation.
_KEY = r"[^\s:：#'\"“”‘’\[\]{},&*!|>%@`-][^\s:：#]{0,39}"
#: What precedes a key on its line: indentation and list dashes.
_LEAD = r"[ \u3000]*(?:-[ \u3000]+)*"
_INDENT = re.compile(r"[ \u3000]*(?:-[ \u3000]+)*")
_FW_COLON = re.compile(rf"{_LEAD}(?P<key>{_KEY})[ \u3000]*(?P<sep>：)")
_FW_SPACE_AFTER = re.compile(rf"{_LEAD}(?P<key>{_KEY})[ ]*:(?P<sep>\u3000)")
_NO_SPACE = re.compile(rf"{_LEAD}(?P<key>{_KEY})(?P<sep>:)(?P<value>[^\s:/#][^#]*)")
#: A ``key: value`` line; the key is a plain word or a quoted string.
_ENTRY = re.compile(
    r"(?P<lead>[ ]*(?:-[ ]+)*)"
    r"(?P<key>[^\s#'\"\[\]{},:-][^#]*?|\"[^\"]*\"|'[^']*')[ ]*:(?=[ \t]|$)"
)
_DASHES = re.compile(r"[ ]*(?:-[ ]+)+")
#: Full-width quotes and their closing partners.
_FW_QUOTES = {"“": "”", "‘": "’", "”": "”", "’": "’"}
#: A ``key:`` that YAML reads as text when it starts a line on its own.
_LONE_KEY = re.compile(
    r"(?P<key>[a-z_][a-z0-9_]*)"
    r"(?:(?P<fw>：)|(?P<fwspace>:\u3000)|(?P<nospace>:)(?=[^\s/:#]))"
)


def _reserved_what(char: str) -> str:
    """Say what YAML makes of a value starting with *char*."""
    if char == ">":
        return _("folded blocks")
    if char == "|":
        return _("literal blocks")
    if char == "*":
        return _("aliases (references to an '&' anchor)")
    if char == "&":
        return _("anchors (names that aliases refer to)")
    if char == "!":
        return _("tags (the type of a value)")
    return _("future use")


def _value_text(line: str, start: int) -> str:
    """Return the value written from *start* to the end of *line*, without a comment."""
    return re.split(r"[ \t]#", line[start:], maxsplit=1)[0].rstrip()


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reserved_message(line: str, start: int) -> str:
    text = _value_text(line, start)
    return _("'{text}' starts with '{char}', which YAML reserves for {what}; put the value "
             "in quotes: {quoted}").format(
        text=text, char=text[0], what=_reserved_what(text[0]), quoted=_quoted(text))


def _value_start(line: str) -> int | None:
    """Where the value of a ``key: value`` or ``- value`` line starts."""
    m = _ENTRY.match(line) or _DASHES.match(line)
    if m is None:
        return None
    pos = m.end()
    while pos < len(line) and line[pos] == " ":
        pos += 1
    return pos if pos < len(line) else None


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous_content(lines: list[str], index: int) -> int | None:
    """Return the nearest line above *index* that holds more than a comment."""
    for i in range(index - 1, max(index - 200, 0) - 1, -1):
        if _is_content(lines[i]):
            return i
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _tokens_before(text: str, index: int) -> list[yaml.Token]:
    """Return the tokens PyYAML reads before the character *index* (or its error)."""
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _explain(exc: yaml.MarkedYAMLError, text: str,
             lines: list[str]) -> tuple[int, int, str] | None:
    """Recognise a typing mistake behind a syntax error: ``(line, col, message)``."""
    pm, cm = exc.problem_mark, exc.context_mark
    problem, context = exc.problem or "", exc.context or ""
    if pm is None or not 0 <= pm.line < len(lines) + 1:
        return None

    def at(mark_line: int) -> str:
        return lines[mark_line] if 0 <= mark_line < len(lines) else ""

    # A quote that is never closed: the error is at the end of the file.
    if cm is not None and "quoted scalar" in context and "end of stream" in problem:
        return _unclosed_quote(at(cm.line), cm.line, cm.column, None)

    # A value starting with a character YAML reserves: >15 次, *95%, @…
    explained = _reserved_start(exc, lines)
    if explained is not None:
        return explained

    # A full-width comma inside [ ] or { } that merged two entries.
    if (cm is not None and problem.startswith("did not find expected ',' or")
            and cm.line == pm.line):
        segment = at(pm.line)[cm.column:pm.column]
        if "，" in segment:
            return (pm.line + 1, cm.column + segment.rindex("，") + 1,
                    _("a full-width comma '，' does not separate the entries inside brackets; "
                      "use a half-width ','"))

    tokens = _tokens_before(text, pm.index)
    scalar = next((t for t in reversed(tokens) if isinstance(t, yaml.ScalarToken)), None)

    # A quote closed far below where it was opened: YAML read on to the next
    # quote of the same kind, and the error comes right after it.
    if (scalar is not None and scalar.style in ("'", '"')
            and scalar.start_mark.line < scalar.end_mark.line == pm.line
            and not text[scalar.end_mark.index:pm.index].strip()):
        start = scalar.start_mark
        return _unclosed_quote(at(start.line), start.line, start.column, scalar.end_mark.line)

    # The lines that led to the error, nearest first: the plain value that
    # swallowed them, or the line that wanted to be a key.
    if cm is not None and context == "while scanning a simple key":
        candidates = [cm.line]
    else:
        first = pm.line
        if scalar is not None and not scalar.style:
            first = min(first, scalar.start_mark.line)
        candidates = list(range(pm.line, first - 1, -1))
    for index in candidates:
        explained = _typing_mistake(at(index), index, pm if index == pm.line else None)
        if explained is not None:
            return explained

    return _misplaced(problem, pm, lines)


def _unclosed_quote(line: str, line_index: int, col: int,
                    closed_on: int | None) -> tuple[int, int, str]:
    quote = line[col] if col < len(line) else '"'
    rest = line[col + 1:].rstrip()
    if rest and rest[-1] in "”’":
        # Opened half-width and closed full-width, as a Chinese keyboard does.
        return (line_index + 1, len(rest) + col + 1,
                _("the quote {open} is closed with a full-width {close}; close it with a "
                  "half-width {open}").format(open=quote, close=rest[-1]))
    if closed_on is None:
        message = _("the quote {quote} opened here is never closed; add the closing {quote} "
                    "at the end of the value").format(quote=quote)
    else:
        message = _("the quote {quote} opened here is not closed on its line, so YAML read "
                    "on to the next {quote} on line {line}; add the closing {quote} at the "
                    "end of the value").format(quote=quote, line=closed_on + 1)
    return line_index + 1, col + 1, message


def _reserved_start(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str] | None:
    """Explain an error caused by a value starting with a character YAML reserves.

    The characters are ``>``, ``|``, ``*``, ``&``, ``!``, ``%``, ``@`` and the backquote.
    """
    problem, context = exc.problem or "", exc.context or ""
    caused = (
        context in ("while scanning a block scalar", "while scanning an anchor",
                    "while scanning an alias", "while scanning a tag", "while parsing a tag")
        or problem in ("found undefined alias", "found character that cannot start any token")
    )
    if not caused:
        return None
    for mark in (exc.context_mark, exc.problem_mark):
        if mark is None or not 0 <= mark.line < len(lines):
            continue
        line = lines[mark.line]
        start = _value_start(line)
        if start is not None and start <= mark.column and line[start] in ">|*&!%@`":
            return mark.line + 1, start + 1, _reserved_message(line, start)
    return None


def _typing_mistake(line: str, index: int, error: yaml.Mark | None) -> tuple[int, int, str] | None:
    """Find a full-width colon, space or quote, or a missing space, on one line.

    *error* is the error's mark when it is on this line: a full-width quote is
    blamed only when the error falls between it and its closing partner.
    """
    if error is not None:
        start = _value_start(line)
        if start is not None and line[start] in _FW_QUOTES:
            close = line.find(_FW_QUOTES[line[start]], start + 1)
            if start < error.column and (close < 0 or error.column < close):
                inner = line[start + 1:close] if close > 0 else _value_text(line, start + 1)
                return (index + 1, start + 1,
                        _("the full-width quote '{quote}' is not a YAML quote, so the text "
                          "inside it is not protected; use half-width quotes: {quoted}").format(
                            quote=line[start], quoted=_quoted(inner)))
    indent = _INDENT.match(line)
    if indent is not None and "\u3000" in indent.group():
        return index + 1, line.index("\u3000") + 1, _fw_space_indent()
    m = _FW_COLON.match(line)
    if m is not None:
        return index + 1, m.start("sep") + 1, _fw_colon(m.group("key"))
    m = _FW_SPACE_AFTER.match(line)
    if m is not None:
        return index + 1, m.start("sep") + 1, _fw_space_after(m.group("key"))
    m = _NO_SPACE.match(line)
    if m is not None:
        return index + 1, m.start("sep") + 1, _no_space(m.group("key"), m.group("value").rstrip())
    return None


def _fw_space_indent() -> str:
    return _("a full-width space (U+3000) in the indentation; indent with half-width "
             "spaces only")


def _fw_colon(key: str) -> str:
    return _("a full-width colon '：' after '{key}'; YAML needs a half-width ':' followed "
             "by a space: {key}: …").format(key=key)


def _fw_space_after(key: str) -> str:
    return _("a full-width space (U+3000) after the colon of '{key}'; YAML needs a "
             "half-width space after ':'").format(key=key)


def _no_space(key: str, value: str) -> str:
    return _("no space after the colon of '{key}'; YAML needs a space after ':': "
             "{key}: {value}").format(key=key, value=value)


def _misplaced(problem: str, pm: yaml.Mark, lines: list[str]) -> tuple[int, int, str] | None:
    """Find a key or list item that does not line up, or a list item among keys."""
    if pm.line >= len(lines):
        return None
    line = lines[pm.line]
    entry = _ENTRY.match(line)
    if problem == "mapping values are not allowed in this context":
        # The key is indented more than the key above, whose value then runs
        # on into this line: the error is at this line's colon.
        if entry is None or entry.end() - 1 != pm.column:
            return None
        return _misaligned_key(lines, pm.line, entry)
    if not (problem in ("did not find expected key", "did not find expected '-' indicator",
                        "did not find expected <document start>")
            or problem.startswith("expected <block end>")):
        return None
    if line[pm.column:pm.column + 2].rstrip() == "-" or line[pm.column:pm.column + 2] == "- ":
        return _misplaced_item(lines, pm.line, pm.column)
    if entry is not None and entry.start("key") == pm.column:
        return _misaligned_key(lines, pm.line, entry)
    return None


def _misaligned_key(lines: list[str], index: int,
                    entry: re.Match[str]) -> tuple[int, int, str] | None:
    # The nearest key above, past the text of a block such as ``goal: >-``.
    above, other = index, None
    while other is None:
        found = _previous_content(lines, above)
        if found is None:
            return None
        above, other = found, _ENTRY.match(lines[found])
    if other.start("key") == entry.start("key"):
        return None
    return (index + 1, entry.start("key") + 1,
            _("'{key}' starts in column {col}, which lines up with no key above it "
              "('{other}' on line {line} starts in column {expected}); keys of one mapping "
              "must start in the same column").format(
                key=entry.group("key"), col=entry.start("key") + 1, other=other.group("key"),
                line=above + 1, expected=other.start("key") + 1))


def _misplaced_item(lines: list[str], index: int, col: int) -> tuple[int, int, str] | None:
    i = index
    while (above_index := _previous_content(lines, i)) is not None:
        i = above_index
        above = lines[i]
        indent = _indent(above)
        if above[indent:indent + 2] in ("- ", "-"):
            if indent == col:
                return None
            return (index + 1, col + 1,
                    _("this list item starts in column {col}, but the items above it start "
                      "in column {expected}; the '-' of one list must line up").format(
                        col=col + 1, expected=indent + 1))
        if indent < col:
            return None
        if indent == col:
            if _ENTRY.match(above) is None:
                return None
            return (index + 1, col + 1,
                    _("a list item ('- ') where a key was expected: the lines above are "
                      "'key: value' pairs; remove the '- ' and write 'key: value', or move "
                      "the list under a key of its own"))
    return None


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


def _token_mistakes(text: str, lines: list[str], display: str) -> list[Problem]:
    """Report text that YAML read as an unused anchor or an empty tag.

    ``value: &95 个`` is the text "个" with an anchor named 95, and
    ``value: ! 重要`` is "重要": both lose what was typed without an error.
    An anchor that an alias uses is meant, and is left alone.
    """
    if "&" not in text and "!" not in text:
        return []
    try:
        tokens = list(yaml.scan(text, Loader=_Loader))
    except yaml.YAMLError:  # pragma: no cover - the text was composed already
        return []
    used = {t.value for t in tokens if isinstance(t, yaml.AliasToken)}
    problems = []
    for token, after in zip(tokens, tokens[1:], strict=False):
        if isinstance(token, yaml.AnchorToken):
            wrong = (token.value not in used and isinstance(after, yaml.ScalarToken)
                     and not after.style and after.start_mark.line == token.start_mark.line)
        else:
            wrong = isinstance(token, yaml.TagToken) and token.value == (None, "!")
        if wrong:
            mark = token.start_mark
            problems.append(Problem(display, mark.line + 1, mark.column + 1, Level.ERROR,
                                    "yaml", _reserved_message(lines[mark.line], mark.column)))
    return problems


class _Builder:
    """Construct plain data from a composed node graph, recording positions."""

    def __init__(self, yf: YamlFile, lines: list[str]) -> None:
        self.yf = yf
        self.lines = lines
        self.constructor = yaml.SafeLoader("")
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def loc(self, node: yaml.Node) -> Loc:
        return Loc(node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, at: Path_) -> Any:
        self.yf.value_locs.setdefault(at, self.loc(node))
        if node.tag not in _PLAIN_COLLECTION_TAGS and not isinstance(node, yaml.ScalarNode):
            raise self.refused_tag(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            # ``- level1:产出指标`` among items that are mappings was meant as one.
            mappings = any(isinstance(item, yaml.MappingNode) for item in node.value)
            for item in node.value:
                if node.flow_style:
                    self.full_width_comma(item)
                elif mappings:
                    self.lone_key(item)
            return [self.build(item, (*at, i)) for i, item in enumerate(node.value)]
        if not at:
            self.lone_key(node)
        self.typing_mistake(node)
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
            if self.mistyped_key(knode):
                continue
            if node.flow_style:
                self.full_width_comma(knode)
                self.full_width_comma(vnode)
            elif vnode.start_mark.line > knode.start_mark.line:
                self.lone_key(vnode)
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

    def mistake(self, node: yaml.Node, col: int, message: str,
                level: Level = Level.ERROR) -> None:
        """Record a typing mistake at column *col* (0-based) of *node*'s first line."""
        problems = self.problems if level is Level.ERROR else self.warnings
        problems.append(Problem(self.yf.display, node.start_mark.line + 1, col + 1, level,
                                "yaml", message))

    def mistyped_key(self, knode: yaml.ScalarNode) -> bool:
        """Report a key that holds a full-width space or full-width quotes."""
        key, col = knode.value, knode.start_mark.column
        if knode.style or not key:
            return False
        if key[0] == "\u3000":
            # ``　　total: 6.19``: to YAML the full-width spaces are part of the key.
            self.mistake(knode, col, _fw_space_indent())
            return True
        if key[0] in "“‘" and key[-1] in "”’":
            self.mistake(knode, col, _("the key '{key}' is in full-width quotes; write it "
                                       "without them: {bare}: …").format(
                key=key, bare=key[1:-1]))
            return True
        return False

    def lone_key(self, node: yaml.Node) -> None:
        """Report ``key：value`` or ``key:value`` read as text on a line of its own.

        ``settings:`` followed by ``  decimals:2`` is valid YAML: ``settings``
        is then the text "decimals:2".  Only a lower-case snake_case word is
        taken for a key, as every perfdoc key is one.
        """
        if not isinstance(node, yaml.ScalarNode) or node.style:
            return
        line = self.lines[node.start_mark.line]
        m = _LONE_KEY.match(line, node.start_mark.column)
        if m is None:
            return
        key = m.group("key")
        if m.group("fw"):
            self.mistake(node, m.start("fw"), _fw_colon(key))
        elif m.group("fwspace"):
            self.mistake(node, m.start("fwspace") + 1, _fw_space_after(key))
        else:
            self.mistake(node, m.start("nospace"), _no_space(key, _value_text(line, m.end())))

    def typing_mistake(self, node: yaml.Node) -> None:
        """Report a value whose full-width space, full-width quote or ``>5`` changed it."""
        if not isinstance(node, yaml.ScalarNode):
            return
        text, start, end = node.value, node.start_mark, node.end_mark
        if not node.style and text:
            bare = text.strip(" \u3000")
            if bare != text and bare and (
                self.constructor.resolve(yaml.ScalarNode, bare, (True, False))  # type: ignore[no-untyped-call]
                != "tag:yaml.org,2002:str"
            ):
                # ``year: 　2024``: the full-width space makes the number text.
                col = start.column
                if text[0] != "\u3000" and start.line == end.line:
                    col += len(text.rstrip(" \u3000"))
                self.mistake(node, col, _("a full-width space (U+3000) around '{value}' "
                                          "makes YAML read it as text; delete the "
                                          "full-width space").format(value=bare))
                return
            closer = _FW_QUOTES.get(text[0])
            if text[0] in "“‘" and closer and closer not in text:
                after = self.lines[end.line][end.column:]
                if closer in after and "#" in after:
                    # ``title: “第 1 项 #2”``: a comment cut the value.
                    line = self.lines[start.line]
                    inner = line[start.column + 1:line.index(closer, end.column)]
                    self.mistake(node, start.column, _(
                        "the full-width quote '{quote}' is not a YAML quote, and ' #' inside "
                        "it starts a comment, so the value is cut to '{value}'; use "
                        "half-width quotes: {quoted}").format(
                            quote=text[0], value=text, quoted=_quoted(inner)))
                    return
        if node.style in (">", "|") and not text:
            # ``value: >5``: a block with 5 spaces of indentation, and empty.
            line = self.lines[start.line]
            if re.match(r"[>|][+-]?[1-9]", line[start.column:]):
                self.mistake(node, start.column, _reserved_message(line, start.column))

    def full_width_comma(self, node: yaml.Node) -> None:
        """Warn of ``[场次，台次]``: one entry, where two were probably meant."""
        if not isinstance(node, yaml.ScalarNode) or node.style:
            return
        if "，" not in node.value:
            return
        col = node.start_mark.column
        if node.start_mark.line == node.end_mark.line:
            col += node.value.index("，")
        self.mistake(node, col, _(
            "a full-width comma '，' does not separate the entries inside brackets, so "
            "'{item}' is read as one entry; use a half-width ',' (or put the entry in "
            "quotes if the comma belongs to it)").format(item=node.value), Level.WARNING)

    def refused_tag(self, node: yaml.Node) -> LoadFailed:
        """Return the problem for a tag perfdoc does not read, such as ``!!python/…``."""
        message: str
        if node.tag == "tag:yaml.org,2002:merge":
            message = _("merge keys (<<) are not supported; write the fields out")
        elif node.tag.startswith("!") and not node.tag.startswith("!!"):
            # ``value: !5 个``: text starting with '!', read as a local tag.
            line = self.lines[node.start_mark.line]
            message = _reserved_message(line, node.start_mark.column)
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
        lines = text.splitlines()
        mistakes = _token_mistakes(text, lines, display)
        if mistakes:
            return None, problems + mistakes
        builder = _Builder(yf, lines)
        yf.data = builder.build(root, ())
        problems.extend(builder.problems)
        if builder.problems:
            return None, problems
        return yf, problems + builder.warnings
    except LoadFailed as failed:
        return None, [*problems, failed.problem]
