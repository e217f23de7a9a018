"""Read a .docx into blocks, paragraphs and tables, in reading order (import, stage 1).

Nothing here knows what a 部门预算绩效文本 looks like; ``recognize.py`` does.
This module only turns WordprocessingML, as Word, WPS, LibreOffice and
python-docx write it, into plain blocks:

- a paragraph's text joins all of its runs, however spell-check or revision
  marks split them; deleted text is left out and inserted text kept; ``w:br``
  becomes a line break and ``w:tab`` a tab;
- an auto-numbered paragraph carries the label Word would show (``1、``),
  computed from numbering.xml, since that label is in no run;
- the text that starts a paragraph in bold is kept apart (a measure's lead);
- text boxes (a cover's, typically) are read where they are anchored, once:
  Word writes each twice, as DrawingML and as a VML fallback;
- a table is a grid of cells with their horizontal span and vertical merge.

Every paragraph, in the body or in a table cell, gets its number in reading
order: problems point at "第 N 段" with it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from perfdoc.wordstyles import StyleSheet

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# Elements whose content is not the paragraph's own text.
_SKIPPED = {f"{W}del", f"{W}moveFrom", f"{MC}Fallback", f"{W}instrText", f"{W}delText",
            f"{W}txbxContent", f"{W}footnoteReference", f"{W}endnoteReference",
            f"{W}pPr", f"{W}rPr"}


@dataclass(frozen=True)
class Para:
    """A paragraph: its text and what reading it needs besides."""

    number: int  # in reading order, from 1
    text: str  # runs joined; "\n" for w:br, "\t" for w:tab
    bold_lead: str  # the text before the first run that is not bold
    label: str  # the auto-number label Word shows ("1、"), or ""
    in_toc: bool  # inside a TOC field's result


@dataclass(frozen=True)
class Cell:
    """A table cell: its paragraphs and how it spans the grid."""

    paragraphs: tuple[Para, ...]
    span: int  # grid columns it covers
    merge: str | None  # "restart", "continue" (w:vMerge) or None

    @property
    def number(self) -> int:
        """The reading-order number of the cell's first paragraph."""
        return self.paragraphs[0].number if self.paragraphs else 0

    @property
    def text(self) -> str:
        """The cell's paragraphs, one line each, trimmed."""
        return "\n".join(p.text.strip() for p in self.paragraphs if p.text.strip())


@dataclass(frozen=True)
class Table:
    """A table: its number in the document (from 1) and its rows of cells."""

    index: int
    rows: tuple[tuple[Cell, ...], ...]

    def grid(self) -> list[list[Cell | None]]:
        """Return the rows spread over the grid: a spanned cell fills its columns."""
        out = []
        for row in self.rows:
            line: list[Cell | None] = []
            for cell in row:
                line.append(cell)
                line.extend([None] * (cell.span - 1))
            out.append(line)
        return out


Block = Para | Table


def read_docx(data: bytes) -> tuple[list[Block], dict[str, str]]:
    """Return *data*'s body as blocks in reading order, and its core properties.

    The core properties (``created``, ``title``) come as text; the caller
    decides what they mean.  Raises ``KeyError`` or ``etree.XMLSyntaxError``
    for a package that is no Word document.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        body = etree.fromstring(z.read("word/document.xml"), _PARSER).find(f"{W}body")
        styles = (etree.fromstring(z.read("word/styles.xml"), _PARSER)
                  if "word/styles.xml" in names else None)
        numbering = (etree.fromstring(z.read("word/numbering.xml"), _PARSER)
                     if "word/numbering.xml" in names else None)
        core = (etree.fromstring(z.read("docProps/core.xml"), _PARSER)
                if "docProps/core.xml" in names else None)
    if body is None:
        raise KeyError("word/document.xml has no body")
    reader = _Reader(_Styles(styles), _Numbering(numbering))
    blocks = list(reader.blocks(body))
    properties = {}
    if core is not None:
        for el in core:
            if isinstance(el.tag, str) and el.text:
                properties[etree.QName(el).localname] = el.text.strip()
    return blocks, properties


# --------------------------------------------------------------------------- styles


class _Styles(StyleSheet):
    """Bold and numbering that paragraphs and runs inherit from their styles.

    A draft has a few dozen styles and thousands of paragraphs and runs, so
    each style's answer is worked out once (the chain walk was 14,000 calls
    for a 20-project draft).
    """

    def __init__(self, root: Any) -> None:
        super().__init__(root)
        self._bold: dict[str | None, bool | None] = {}
        self._numbering: dict[str | None, tuple[str, str] | None] = {}

    def bold(self, style_id: str | None) -> bool | None:
        """Return whether *style_id* (or a style it is based on) sets bold, if it says."""
        if style_id not in self._bold:
            self._bold[style_id] = next(
                (_on(b) for style in self.chain(style_id)
                 if (b := style.find(f"{W}rPr/{W}b")) is not None), None)
        return self._bold[style_id]

    def numbering(self, style_id: str | None) -> tuple[str, str] | None:
        """Return the (numId, ilvl) a paragraph style numbers its paragraphs with."""
        if style_id not in self._numbering:
            self._numbering[style_id] = next(
                (_num_pr(num) for style in self.chain(style_id)
                 if (num := style.find(f"{W}pPr/{W}numPr")) is not None), None)
        return self._numbering[style_id]


def _on(element: Any) -> bool:
    return element.get(f"{W}val", "true") not in ("0", "false", "off", "none")


def _num_pr(num_pr: Any) -> tuple[str, str] | None:
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    if num_id is None or num_id.get(f"{W}val") in (None, "0"):
        return None
    return str(num_id.get(f"{W}val")), (ilvl.get(f"{W}val", "0") if ilvl is not None else "0")


# --------------------------------------------------------------------------- numbering


_CHINESE = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    """Return *n* (1–99) in Chinese counting: 一, 十, 十一, 二十一."""
    if n < 10:
        return _CHINESE[n]
    tens, ones = divmod(n, 10)
    return (_CHINESE[tens] if tens > 1 else "") + "十" + (_CHINESE[ones] if ones else "")


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "taiwaneseCounting", "chineseLegalSimplified") and 0 < n < 100:
        return _chinese(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "decimalEnclosedCircle" and 0 < n <= 20:
        return chr(0x245F + n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Word's list counters: the label each numbered paragraph shows."""

    def __init__(self, root: Any) -> None:
        self._levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self._counters: dict[tuple[str, str], int] = {}
        if root is None:
            return
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.iter(f"{W}abstractNum")}
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            definition = abstract.get(ref.get(f"{W}val")) if ref is not None else None
            if num_id is None or definition is None:
                continue
            overrides = {o.get(f"{W}ilvl"): o for o in num.findall(f"{W}lvlOverride")}
            for lvl in definition.findall(f"{W}lvl"):
                ilvl = lvl.get(f"{W}ilvl", "0")
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                first = int(start.get(f"{W}val", "1")) if start is not None else 1
                override = overrides.get(ilvl)
                if override is not None and (so := override.find(f"{W}startOverride")) is not None:
                    first = int(so.get(f"{W}val", "1"))
                self._levels[num_id, ilvl] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    first,
                )

    def label(self, num_id: str, ilvl: str) -> str:
        """Count one more paragraph of list *num_id* at level *ilvl*; return its label."""
        found = self._levels.get((num_id, ilvl))
        if found is None:
            return ""
        fmt, text, first = found
        key = (num_id, ilvl)
        self._counters[key] = self._counters.get(key, first - 1) + 1
        # A deeper level restarts when a shallower one counts on.
        for other in list(self._counters):
            if other[0] == num_id and int(other[1]) > int(ilvl):
                del self._counters[other]
        label = text
        for level in range(int(ilvl), -1, -1):
            count = self._counters.get((num_id, str(level)))
            if count is None:
                continue
            level_fmt = self._levels.get((num_id, str(level)), (fmt, "", 1))[0]
            label = label.replace(f"%{level + 1}", _format(count, level_fmt))
        return label if fmt not in ("bullet", "none") else ""


# --------------------------------------------------------------------------- reading


@dataclass
class _Reader:
    styles: _Styles
    numbering: _Numbering
    count: int = 0
    tables: int = 0
    toc_depth: int = 0
    _field_stack: list[bool] = field(default_factory=list)

    def blocks(self, container: Any) -> Iterator[Block]:
        """Yield the paragraphs and tables of a body, cell or text box, in order."""
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                # A text box's paragraphs come where the box is anchored, before
                # the anchoring paragraph's own text.
                for box in _text_boxes(child):
                    yield from self.blocks(box)
                yield self.paragraph(child)
            elif tag == f"{W}tbl":
                yield self.table(child)
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent"):
                inner = child.find(f"{W}sdtContent") if tag == f"{W}sdt" else child
                if inner is not None:
                    yield from self.blocks(inner)

    def paragraph(self, p: Any) -> Para:
        self.count += 1
        pieces: list[str] = []
        bold_lead: list[str] = []
        leading = True
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else self.styles.default_paragraph
        in_toc = self.toc_depth > 0
        for run, text in self._runs(p):
            pieces.append(text)
            if leading:
                if self._run_bold(run, style_id):
                    bold_lead.append(text)
                elif text.strip():
                    leading = False
            in_toc = in_toc or self.toc_depth > 0
        label = ""
        num_pr = p.find(f"{W}pPr/{W}numPr")
        numbered = _num_pr(num_pr) if num_pr is not None else self.styles.numbering(style_id)
        if numbered is not None and "".join(pieces).strip():
            label = self.numbering.label(*numbered)
        return Para(self.count, "".join(pieces), "".join(bold_lead), label, in_toc)

    def _run_bold(self, run: Any, style_id: str | None) -> bool:
        rpr = run.find(f"{W}rPr")
        if rpr is not None:
            b = rpr.find(f"{W}b")
            if b is not None:
                return _on(b)
            rstyle = rpr.find(f"{W}rStyle")
            if rstyle is not None and (found := self.styles.bold(rstyle.get(f"{W}val"))):
                return found
        return bool(self.styles.bold(style_id))

    def _runs(self, p: Any) -> Iterator[tuple[Any, str]]:
        """Yield (run, its text) for every run of *p*, fields tracked for the TOC."""
        for run in _walk_runs(p):
            text = []
            for el in run:
                tag = el.tag
                if tag == f"{W}t":
                    # An entity the parser did not resolve (an XXE attempt) is a
                    # child node: it is dropped, the text around it kept.
                    text.append((el.text or "") + "".join(c.tail or "" for c in el))
                elif tag == f"{W}tab":
                    text.append("\t")
                elif tag in (f"{W}br", f"{W}cr"):
                    if el.get(f"{W}type") not in ("page", "column"):
                        text.append("\n")
                elif tag == f"{W}noBreakHyphen":
                    text.append("-")
                elif tag == f"{W}fldChar":
                    self._field(el.get(f"{W}fldCharType"))
                elif tag == f"{W}instrText":
                    if (el.text or "").strip().upper().startswith("TOC") and self._field_stack:
                        self._field_stack[-1] = True
                        self.toc_depth += 1
            yield run, "".join(text)

    def _field(self, kind: str | None) -> None:
        if kind == "begin":
            self._field_stack.append(False)
        elif kind == "end" and self._field_stack:
            if self._field_stack.pop():
                self.toc_depth -= 1

    def table(self, tbl: Any) -> Table:
        self.tables += 1
        index = self.tables
        rows = []
        for tr in tbl.iter(f"{W}tr"):
            if _owner_table(tr) is not tbl:
                continue  # a nested table's row: read as part of its cell
            cells = []
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span = 1
                merge = None
                if tcpr is not None:
                    gs = tcpr.find(f"{W}gridSpan")
                    if gs is not None:
                        span = max(1, int(gs.get(f"{W}val", "1")))
                    vm = tcpr.find(f"{W}vMerge")
                    if vm is not None:
                        merge = "restart" if vm.get(f"{W}val") == "restart" else "continue"
                paragraphs = []
                for block in self.blocks(tc):
                    if isinstance(block, Para):
                        paragraphs.append(block)
                    else:  # a nested table: its cells' paragraphs, in order
                        paragraphs += [p for row in block.rows for c in row for p in c.paragraphs]
                cells.append(Cell(tuple(paragraphs), span, merge))
            rows.append(tuple(cells))
        return Table(index, tuple(rows))


def _owner_table(tr: Any) -> Any:
    parent = tr.getparent()
    while parent is not None and parent.tag != f"{W}tbl":
        parent = parent.getparent()
    return parent


def _walk_runs(element: Any) -> Iterator[Any]:
    """Yield the runs of a paragraph in order, inside hyperlinks, insertions and fields."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == f"{W}r":
            yield child
        elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
            continue  # a text box's text is read as blocks of its own
        else:
            yield from _walk_runs(child)


def _text_boxes(p: Any) -> Iterator[Any]:
    """Yield each text box content anchored in *p*, once (not its VML fallback copy)."""
    for box in p.iter(f"{W}txbxContent"):
        ancestor = box.getparent()
        fallback = False
        while ancestor is not None and ancestor is not p:
            if ancestor.tag == f"{MC}Fallback":
                fallback = True
                break
            ancestor = ancestor.getparent()
        # A box inside another box is read with the outer one.
        outer = box.getparent()
        while outer is not None and outer is not p and outer.tag != f"{W}txbxContent":
            outer = outer.getparent()
        if not fallback and (outer is None or outer is p):
            yield box
