"""Hand-made Word drafts of a document: the test corpus of ``perfdoc import``.

A unit's 部门预算绩效文本 usually exists as a Word file typed by hand long before
anyone writes YAML.  ``make_draft`` writes such a file from a loaded
:class:`~perfdoc.document.Document`, the way people really make them: plain
paragraphs with direct formatting (bold, a size, a font set through
``w:rFonts w:eastAsia``), never a heading style and never perfdoc's template.
A :class:`Variant` switches on the differences real drafts show: one table or
two per project, three ways of "merging" the 一级/二级指标 columns, amounts in 元,
headings that are only bold, Word numbering, runs split mid-word with revision
marks, line breaks instead of paragraphs, half-width punctuation, stray empty
paragraphs and section breaks, and a cover in a text box.

``expected_units`` lists the texts an import must keep, ``make_workbook`` writes
the same document as the budget system's .xlsx export, and
``save_with_libreoffice`` round-trips a draft through real LibreOffice (.docx or
.doc), as a draft passed around an office would be.
"""

from __future__ import annotations

import copy
import datetime
import os
import random
import re
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm

from perfdoc.document import Document, Project
from perfdoc.libreoffice import find_soffice
from perfdoc.numbering import numbers_items

# --------------------------------------------------------------------------- variants

Merge = Literal["vmerge", "repeat", "blank"]


@dataclass(frozen=True)
class Variant:
    """How a hand-made draft differs from the plain one.

    - ``two_tables``: a project's header block and indicator block are two tables
      (an empty paragraph between them), else one table holds both;
    - ``merge``: the 一级/二级指标 columns are merged with ``w:vMerge``
      (``"vmerge"``), repeat their label on every row (``"repeat"``), or show it
      on the first row of its group only, with blank unmerged cells below
      (``"blank"``);
    - ``money_unit_yuan``: a project in 万元 is printed in 元 (``单位：元``, the
      amounts times 10000);
    - ``bold_headings``: headings (cover lines and 目录 title too) are bold
      paragraphs in the body's font and size, with no size or font of their own;
    - ``auto_numbering``: the 分项绩效目标 titles and the measures' leads are
      numbered by numbering.xml (``%1、`` and ``%1.``), not by typed text;
    - ``split_runs``: every text is cut into runs of 3–5 characters, with
      ``w:proofErr`` marks between some and one run inside a ``w:ins``;
    - ``breaks_and_tabs``: some multi-paragraph prose (and a project's several
      goals) is one paragraph with ``w:br`` between the paragraphs, and the
      unit line puts 单位 at the right with a tab (else with typed spaces);
    - ``half_width``: ASCII punctuation in markers and labels (``1.title``,
      ``绩效目标:``, ``单位:万元``, ``资金支出计划(%)``);
    - ``extra_blank_paragraphs``: empty and whitespace-only paragraphs between
      blocks, and a section break (``w:sectPr`` in a paragraph) before 第一部分
      and before 第二部分;
    - ``cover_text_box``: the cover's unit and title line sit in a text box
      (DrawingML with a VML fallback, as Word writes it).
    """

    two_tables: bool = False
    merge: Merge = "vmerge"
    money_unit_yuan: bool = False
    bold_headings: bool = False
    auto_numbering: bool = False
    split_runs: bool = False
    breaks_and_tabs: bool = False
    half_width: bool = False
    extra_blank_paragraphs: bool = False
    cover_text_box: bool = False


VARIANTS: dict[str, Variant] = {
    "plain": Variant(),
    "two-tables-repeat": Variant(two_tables=True, merge="repeat"),
    "blank-yuan": Variant(merge="blank", money_unit_yuan=True),
    "auto-numbered": Variant(auto_numbering=True, two_tables=True),
    "split-runs": Variant(split_runs=True, bold_headings=True),
    "breaks-tabs-halfwidth": Variant(breaks_and_tabs=True, half_width=True, merge="repeat"),
    "blank-paragraphs-sections": Variant(extra_blank_paragraphs=True, two_tables=True,
                                         merge="blank"),
    "text-box-cover": Variant(cover_text_box=True, money_unit_yuan=True),
    "everything": Variant(two_tables=True, merge="blank", money_unit_yuan=True,
                          bold_headings=True, auto_numbering=True, split_runs=True,
                          breaks_and_tabs=True, half_width=True, extra_blank_paragraphs=True,
                          cover_text_box=True),
}

# --------------------------------------------------------------------------- formatting

FANG = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
XBS = "方正小标宋简体"


@dataclass(frozen=True)
class Fmt:
    """Direct run formatting: an East Asian font, a size in points, bold."""

    font: str | None = None
    size: float | None = None
    bold: bool = False


BODY = Fmt(FANG, 16)
BODY_BOLD = Fmt(FANG, 16, True)
CELL = Fmt(FANG, 10.5)
CELL_BOLD = Fmt(FANG, 10.5, True)

# A4, GB/T 9704 margins: 3.7 cm top, 3.5 bottom, 2.8 left, 2.6 right.
TEXT_WIDTH = 8844  # twips between the margins
LINE = 560  # exact line pitch of body text, twips (28 pt)
#: Grid of a project's header block (and of the whole table when there is one).
GRID7 = (1150, 1450, 1400, 1150, 1350, 1050, 1250)
#: Grid of the indicator block when it is a table of its own.
GRID6 = (1150, 1450, 1400, 2500, 1050, 1250)

XMLNS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)


def _el(tag: str, **attrs: str) -> BaseOxmlElement:
    """A WordprocessingML element; attribute names without prefix are ``w:``."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(name if ":" in name else f"w:{name}"), str(value))
    return element


def _sub(parent: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    child = _el(tag, **attrs)
    parent.append(child)
    return child


def _rpr(fmt: Fmt) -> BaseOxmlElement:
    rpr = _el("w:rPr")
    if fmt.font:
        # Latin text in the same face, as a draft typed in a Chinese Word has it.
        _sub(rpr, "w:rFonts", ascii=fmt.font, hAnsi=fmt.font, eastAsia=fmt.font)
    if fmt.bold:
        _sub(rpr, "w:b")
        _sub(rpr, "w:bCs")
    if fmt.size:
        half = str(int(fmt.size * 2))
        _sub(rpr, "w:sz", val=half)
        _sub(rpr, "w:szCs", val=half)
    return rpr


def paragraphs(prose: str) -> list[str]:
    """The paragraphs of a prose field: its non-empty lines."""
    return [line.strip() for line in prose.splitlines() if line.strip()]


def _money(value: Decimal | None, yuan: bool) -> str:
    if value is None:
        return ""
    return f"{value * 10000 if yuan else value:.2f}"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


# --------------------------------------------------------------------------- the writer


@dataclass
class _Cell:
    """One table cell: its lines (paragraphs, or one paragraph with breaks), span and merge."""

    lines: list[str]
    span: int = 1
    vmerge: Literal["restart", "continue"] | None = None
    bold: bool = False
    align: str = "center"
    breaks: bool = False

    @classmethod
    def label(cls, text: str, **kw: object) -> _Cell:
        return cls([text], bold=True, **kw)  # type: ignore[arg-type]


@dataclass
class _Writer:
    doc: Document
    v: Variant
    word: docx.document.Document = field(init=False)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.word = docx.Document()  # python-docx's blank document, not perfdoc's template
        self.body = self.word.element.body
        # A string seed is hashed with SHA-512: the same draft on every run.
        self.rng = random.Random(f"{self.doc.meta.unit}|{self.v}")
        self.ins_pending = self.v.split_runs
        self.ids = 100
        self.multi_prose = 0  # multi-paragraph prose fields seen (breaks_and_tabs)
        self.blanks = 0
        self._setup_page()
        self.goal_num = self.measure_num = 0
        if self.v.auto_numbering:
            self.goal_num = self._add_numbering("%1." if self.v.half_width else "%1、",
                                                Fmt(KAI, 16, True))
            self.measure_num = self._add_numbering("%1.", BODY_BOLD)

    # ---------------------------------------------------------------- package setup

    def _setup_page(self) -> None:
        props = self.word.core_properties
        props.author = "Administrator"
        props.last_modified_by = "lenovo"
        props.title = ""
        props.created = props.modified = datetime.datetime(2024, 1, 5, 8, 30)
        props.revision = 7
        section = self.word.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.8)
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]._p
        if p.pPr is not None:  # python-docx's footer part names a "Footer" style: drop it
            p.remove(p.pPr)
        self._ppr(p, align="center", line=None)
        fmt = Fmt("宋体", 14)
        self._run(p, "— ", fmt)
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                           ("end", None)):
            r = _sub(p, "w:r")
            r.append(_rpr(fmt))
            if kind:
                _sub(r, "w:fldChar", fldCharType=kind)
            elif text == " PAGE ":
                t = _sub(r, "w:instrText")
                t.set(qn("xml:space"), "preserve")
                t.text = text
            else:
                _sub(r, "w:t").text = text
        self._run(p, " —", fmt)

    def _add_numbering(self, lvl_text: str, fmt: Fmt) -> int:
        numbering = self.word.part.numbering_part.element
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
        abstract = _el("w:abstractNum", abstractNumId=str(abstract_id))
        _sub(abstract, "w:nsid", val=f"{self.rng.getrandbits(32):08X}")
        _sub(abstract, "w:multiLevelType", val="singleLevel")
        _sub(abstract, "w:tmpl", val=f"{self.rng.getrandbits(32):08X}")
        lvl = _sub(abstract, "w:lvl", ilvl="0")
        _sub(lvl, "w:start", val="1")
        _sub(lvl, "w:numFmt", val="decimal")
        _sub(lvl, "w:suff", val="nothing")
        _sub(lvl, "w:lvlText", val=lvl_text)
        _sub(lvl, "w:lvlJc", val="left")
        ppr = _sub(lvl, "w:pPr")
        _sub(ppr, "w:ind", left="0", firstLine="640", firstLineChars="200")
        lvl.append(_rpr(fmt))
        nums = numbering.findall(qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)  # every abstractNum precedes every num
        else:
            numbering.append(abstract)
        num = _sub(numbering, "w:num", numId=str(num_id))
        _sub(num, "w:abstractNumId", val=str(abstract_id))
        return num_id

    # ---------------------------------------------------------------- paragraphs and runs

    def _ppr(self, p, *, align: str | None = None, indent: bool = False,
             line: int | None = LINE, keep_next: bool = False, new_page: bool = False,
             num: int = 0,
             tabs: Sequence[tuple[str, int, str]] = (), mark: Fmt | None = None,
             before: int = 0, after: int = 0):
        ppr = p.get_or_add_pPr()
        if keep_next:
            _sub(ppr, "w:keepNext")
        if new_page:
            _sub(ppr, "w:pageBreakBefore")
        if num:
            numpr = _sub(ppr, "w:numPr")
            _sub(numpr, "w:ilvl", val="0")
            _sub(numpr, "w:numId", val=str(num))
        if tabs:
            tabs_el = _sub(ppr, "w:tabs")
            for kind, pos, leader in tabs:
                _sub(tabs_el, "w:tab", val=kind, leader=leader, pos=str(pos))
        spacing = _sub(ppr, "w:spacing", before=str(before), after=str(after))
        if line:
            spacing.set(qn("w:line"), str(line))
            spacing.set(qn("w:lineRule"), "exact")
        if indent:
            _sub(ppr, "w:ind", firstLine="640", firstLineChars="200")
        if align:
            _sub(ppr, "w:jc", val=align)
        if mark:
            ppr.append(_rpr(mark))
        return ppr

    def para(self, container=None, **ppr: object):
        """A new paragraph at the end of *container* (the body, before its sectPr)."""
        p = _el("w:p")
        if container is None:
            self.body.sectPr.addprevious(p)
        else:
            container.append(p)
        self._ppr(p, **ppr)  # type: ignore[arg-type]
        return p

    def _run(self, p, text: str, fmt: Fmt):
        r = _el("w:r")
        r.append(_rpr(fmt))
        t = _sub(r, "w:t")
        if text != text.strip():
            t.set(qn("xml:space"), "preserve")
        t.text = text
        p.append(r)
        return r

    def _chunks(self, text: str) -> list[str]:
        chunks, at = [], 0
        while at < len(text):
            step = self.rng.randint(3, 5)
            chunks.append(text[at:at + step])
            at += step
        return chunks

    def text(self, p, text: str, fmt: Fmt, *, revision: bool = False) -> None:
        """Append *text* in *fmt*; split into fragments when the variant says so.

        *revision* marks the place where the one ``w:ins`` of the document goes.
        """
        if not text:
            return
        if not self.v.split_runs or len(text) < 4:
            self._run(p, text, fmt)
            return
        for number, chunk in enumerate(self._chunks(text)):
            proof = number > 0 and self.rng.random() < 0.15
            if proof:
                kind = self.rng.choice(("spell", "gram"))
                _sub(p, "w:proofErr", type=f"{kind}Start")
            r = self._run(p, chunk, fmt)
            r.set(qn("w:rsidR"), f"00{self.rng.getrandbits(24):06X}")
            if revision and number == 1 and self.ins_pending:
                self.ins_pending = False
                self.ids += 1
                ins = _el("w:ins", id=str(self.ids), author="Administrator",
                          date="2024-01-08T09:41:00Z")
                r.addprevious(ins)
                ins.append(r)
            if proof:
                _sub(p, "w:proofErr", type=f"{kind}End")

    def tab(self, p) -> None:
        _sub(_sub(p, "w:r"), "w:tab")

    def line_break(self, p) -> None:
        _sub(_sub(p, "w:r"), "w:br")

    def page_break(self) -> None:
        p = self.para(line=None)
        _sub(_sub(p, "w:r"), "w:br", type="page")

    def blank(self, count: int = 1) -> None:
        """Stray empty paragraphs, only in the extra_blank_paragraphs variant."""
        if not self.v.extra_blank_paragraphs:
            return
        for _ in range(count):
            self.blanks += 1
            p = self.para(mark=BODY)
            if self.blanks % 3 == 0:  # some "empty" lines hold a space or two
                self._run(p, "　" if self.blanks % 2 else "  ", BODY)

    def section_break(self, *, first: bool) -> None:
        """An empty paragraph carrying the sectPr of the section it ends."""
        p = self.para(line=None)
        sect = copy.deepcopy(self.body.sectPr)
        if first:  # the cover and 目录 go without page numbers
            for ref in [*sect.findall(qn("w:footerReference")),
                        *sect.findall(qn("w:headerReference"))]:
                sect.remove(ref)
        sect.find(qn("w:pgSz")).addprevious(_el("w:type", val="nextPage"))
        pg_mar = sect.find(qn("w:pgMar"))
        if not first:  # 第一部分 starts at page 1
            pg_mar.addnext(_el("w:pgNumType", start="1"))
        p.get_or_add_pPr().append(sect)

    def heading(self, text: str, fmt: Fmt, *, align: str | None = None,
                indent: bool = False, num: int = 0, new_page: bool = False) -> None:
        shown = BODY_BOLD if self.v.bold_headings else fmt
        p = self.para(align=align, indent=indent, keep_next=True, num=num, new_page=new_page,
                      line=None if fmt.size and fmt.size > 16 else LINE, mark=shown,
                      before=0, after=160 if align == "center" else 0)
        self.text(p, text, shown)

    def colon(self) -> str:
        return ":" if self.v.half_width else "："

    # ---------------------------------------------------------------- prose

    def prose(self, paras: list[str], *, prefix: tuple[str, Fmt] | None = None,
              num: int = 0, revision: bool = False) -> None:
        """Write prose paragraphs, the first one after a bold *prefix* (a label or lead)."""
        together = False
        if len(paras) > 1:
            together = self.v.breaks_and_tabs and self.multi_prose % 2 == 0
            self.multi_prose += 1
        p = self.para(indent=True, align="both", num=num, mark=BODY)
        if prefix:
            self.text(p, prefix[0], prefix[1])
        self.text(p, paras[0], BODY, revision=revision)
        for text in paras[1:]:
            if together:
                self.line_break(p)
            else:
                p = self.para(indent=True, align="both", mark=BODY)
            self.text(p, text, BODY)

    # ---------------------------------------------------------------- the parts

    def cover(self) -> None:
        meta = self.doc.meta
        cover = meta.cover
        title_line = cover.title_line or f"{meta.year}年{cover.title}"
        big = Fmt(XBS, 26)
        shown = BODY_BOLD if self.v.bold_headings else big
        for _ in range(3):
            self.para(mark=BODY)
        if self.v.cover_text_box:
            self.text_box([meta.unit, title_line], shown)
        else:
            for text in (meta.unit, title_line):
                p = self.para(align="center", line=None, after=200, mark=shown)
                self.text(p, text, shown)
        marker = cover.draft_marker
        if marker:
            p = self.para(align="center", mark=Fmt(KAI, 16))
            self.text(p, marker, Fmt(KAI, 16))
        for _ in range(7):
            self.para(mark=BODY)
        self.blank()
        lines = [cover.compiled_by] + ([cover.reviewed_by] if cover.reviewed_by else [])
        for text in lines:
            p = self.para(align="center", after=240, mark=Fmt(KAI, 16))
            self.text(p, text, Fmt(KAI, 16))
        self.page_break()

    def text_box(self, lines: list[str], fmt: Fmt) -> None:
        """The cover lines in a floating text box, DrawingML with its VML fallback."""
        content = _el("w:txbxContent")
        for text in lines:
            p = self.para(content, align="center", line=None, after=200, mark=fmt)
            self.text(p, text, fmt)
        self.ids += 1
        shape_id = self.ids
        cx, cy = 5400000, 1700000  # EMU: 15 cm × 4.7 cm
        run = parse_xml(f"""
<w:r {XMLNS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0"
 relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>
<wp:wrapTopAndBottom/>
<wp:docPr id="{shape_id}" name="文本框 {shape_id}"/>
<wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="6350"><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent/></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720"
 anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr>
</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict>
<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">
<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
<v:shape id="文本框 {shape_id}" o:spid="_x0000_s1026" type="#_x0000_t202"
 style="position:absolute;margin-left:0;margin-top:0;width:425.2pt;height:133.85pt;z-index:251659264;mso-position-horizontal:center;mso-position-horizontal-relative:margin"
 filled="f" stroked="f" strokeweight=".5pt">
<v:textbox><w:txbxContent/></v:textbox>
<w10:wrap type="topAndBottom" anchorx="margin"/></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r>""")
        for box in run.iter(qn("w:txbxContent")):
            for p in content:
                box.append(copy.deepcopy(p))
        p = self.para(align="center", line=None)
        p.append(run)

    def contents(self) -> None:
        """The 目录: typed lines, a right tab with dot leader, plausible page numbers."""
        p = self.para(align="center", line=None, after=300, mark=Fmt(HEI, 22))
        shown = BODY_BOLD if self.v.bold_headings else Fmt(HEI, 22)
        self.text(p, "目  录", shown)
        self.blank()
        tabs = (("right", TEXT_WIDTH, "dot"),)
        gap = " " if self.v.half_width else "　"

        def entry(text: str, page: int | None, *, indent: bool = True) -> None:
            p = self.para(indent=indent, tabs=tabs if page else (), mark=BODY)
            self.text(p, text, BODY if page else Fmt(HEI, 16))
            if page is not None:
                self.tab(p)
                self._run(p, str(page), BODY)

        pages = self._page_estimates()
        entry(f"第一部分{gap}部门整体绩效目标", None, indent=False)
        entry("一、总体绩效目标", pages[0])
        entry("二、分项绩效目标", pages[1])
        entry("三、工作保障措施", pages[2])
        entry(f"第二部分{gap}预算项目绩效目标", None, indent=False)
        for number, project in enumerate(self.doc.projects, start=1):
            entry(self._project_title(number, project), pages[2 + number])

    def _page_estimates(self) -> list[int]:
        per_page = 560  # characters of 三号 text on an A4 page with GB/T 9704 margins
        goals = self.doc.goals
        overall = len(self.doc.meta.overall_goal)
        itemized = sum(len(g.title) + len(g.goal) + len(g.indicators) + 20
                       for g in goals.itemized_goals)
        measures = sum(len(m.lead) + len(m.body) for m in goals.measures)
        starts = [1, 1 + overall // per_page, 1 + (overall + itemized) // per_page]
        page = 2 + (overall + itemized + measures) // per_page
        for project in self.doc.projects:
            starts.append(page)
            page += 1 + len(project.model.indicators) // 14
        return starts

    def _project_title(self, number: int, project: Project) -> str:
        name = project.model.name
        return f"{name}绩效目标表" if not numbers_items([name]) else f"{number}.{name}绩效目标表"

    def part_one(self) -> None:
        goals = self.doc.goals
        gap = " " if self.v.half_width else "　"
        self.heading(f"第一部分{gap}部门整体绩效目标", Fmt(XBS, 22), align="center")
        self.blank()
        self.heading("一、总体绩效目标", Fmt(HEI, 16), indent=True)
        self.prose(paragraphs(self.doc.meta.overall_goal), revision=True)
        self.blank()
        self.heading("二、分项绩效目标", Fmt(HEI, 16), indent=True)
        titles = [g.title for g in goals.itemized_goals]
        numbered = numbers_items(titles)
        mark = "." if self.v.half_width else "、"
        for number, goal in enumerate(goals.itemized_goals, start=1):
            if number > 1:
                self.blank()
            if numbered and self.v.auto_numbering:
                self.heading(goal.title, Fmt(KAI, 16, True), indent=True, num=self.goal_num)
            else:
                title = f"{number}{mark}{goal.title}" if numbered else goal.title
                self.heading(title, Fmt(KAI, 16, True), indent=True)
            self.prose(paragraphs(goal.goal), prefix=(f"绩效目标{self.colon()}", BODY_BOLD))
            self.prose(paragraphs(goal.indicators),
                       prefix=(f"绩效指标{self.colon()}", BODY_BOLD))
        self.blank()
        self.heading("三、工作保障措施", Fmt(HEI, 16), indent=True)
        leads = [m.lead for m in goals.measures]
        numbered = numbers_items(leads)
        for number, measure in enumerate(goals.measures, start=1):
            if numbered and self.v.auto_numbering:
                self.prose(paragraphs(measure.body), prefix=(measure.lead, BODY_BOLD),
                           num=self.measure_num)
            else:
                lead = f"{number}.{measure.lead}" if numbered else measure.lead
                self.prose(paragraphs(measure.body), prefix=(lead, BODY_BOLD))
            self.blank(1 if number % 2 else 0)

    def part_two(self) -> None:
        gap = " " if self.v.half_width else "　"
        self.heading(f"第二部分{gap}预算项目绩效目标", Fmt(XBS, 22), align="center")
        self.blank()
        for number, project in enumerate(self.doc.projects, start=1):
            self.project(number, project)

    # ---------------------------------------------------------------- a project

    def project(self, number: int, project: Project) -> None:
        model = project.model
        # 段前分页: a page break typed after the table would leave a blank page.
        self.heading(self._project_title(number, project), Fmt(XBS, 18), align="center",
                     new_page=number > 1)
        yuan = self.v.money_unit_yuan and project.money_unit == "万元"
        money_unit = "元" if yuan else project.money_unit
        left = f"{project.unit_code} {project.unit_name}"
        right = f"单位{self.colon()}{money_unit}"
        fmt = Fmt(FANG, 12)
        if self.v.breaks_and_tabs:
            p = self.para(tabs=(("right", TEXT_WIDTH, "none"),), line=None, mark=fmt)
            self.text(p, left, fmt)
            self.tab(p)
            self.text(p, right, fmt)
        else:
            # Pushed to the right with typed spaces, as most drafts do it.
            width = sum(1 if ord(c) > 0xFF else 0.5 for c in left + right)
            p = self.para(line=None, mark=fmt)
            self.text(p, left + " " * max(4, int((TEXT_WIDTH / 240 - width - 1) * 2)) + right,
                      fmt)
        self.blank()

        colon = self.colon()
        plan_label = "资金支出计划(%)" if self.v.half_width else "资金支出计划（%）"
        budget, plan = model.budget, model.funding_plan
        goals = [f"{n}.{g}" for n, g in enumerate(model.goals, start=1)] \
            if numbers_items(model.goals) else list(model.goals)
        header = [
            [_Cell.label("项目编码"), _Cell([model.code], span=2), _Cell.label("项目名称"),
             _Cell([model.name], span=3, align="left")],
            [_Cell.label("预算规模及资金用途", vmerge="restart"), _Cell.label("预算数"),
             _Cell([_money(budget.total, yuan)]), _Cell.label(f"其中{colon}财政资金"),
             _Cell([_money(budget.fiscal, yuan)]), _Cell.label("其他资金"),
             _Cell([_money(budget.other, yuan)])],
            [_Cell([""], vmerge="continue"),
             _Cell([model.use_of_funds or ""], span=6, align="left")],
            [_Cell.label(plan_label, vmerge="restart"), _Cell.label("3月底", span=2),
             _Cell.label("6月底", span=2), _Cell.label("10月底"), _Cell.label("12月底")],
            [_Cell([""], vmerge="continue"), _Cell([_percent(plan.mar)], span=2),
             _Cell([_percent(plan.jun)], span=2), _Cell([_percent(plan.oct)]),
             _Cell([_percent(plan.dec)])],
            [_Cell.label("绩效目标"),
             _Cell(goals, span=6, align="left", breaks=self.v.breaks_and_tabs)],
        ]
        heads = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
        wide = 1 if self.v.two_tables else 2  # 绩效指标描述 spans two columns of GRID7
        rows = [[_Cell.label(h, span=wide if h == "绩效指标描述" else 1) for h in heads]]
        rows += self._indicator_rows(project, wide)
        if self.v.two_tables:
            self.table(header, GRID7)
            self.para(line=None, mark=Fmt(FANG, 5))  # Word needs a paragraph between
            self.blank()
            self.table(rows, GRID6, head_rows=1)
        else:
            self.table(header + rows, GRID7)
        self.para(line=None, mark=BODY)
        self.blank()

    def _indicator_rows(self, project: Project, wide: int) -> list[list[_Cell]]:
        indicators = project.model.indicators
        out: list[list[_Cell]] = []
        for i, ind in enumerate(indicators):
            prev = indicators[i - 1] if i else None
            nxt = indicators[i + 1] if i + 1 < len(indicators) else None
            new1 = prev is None or prev.level1 != ind.level1
            new2 = new1 or prev is None or prev.level2 != ind.level2
            more1 = nxt is not None and nxt.level1 == ind.level1
            more2 = more1 and nxt is not None and nxt.level2 == ind.level2
            out.append([self._merged(ind.level1, new1, more1),
                        self._merged(ind.level2, new2, more2),
                        _Cell([ind.name]), _Cell([ind.description], span=wide),
                        _Cell([ind.value]), _Cell([ind.basis])])
        return out

    def _merged(self, text: str, first: bool, continues: bool) -> _Cell:
        if self.v.merge == "repeat":
            return _Cell([text])
        if self.v.merge == "blank":
            return _Cell([text if first else ""])
        if first:
            return _Cell([text], vmerge="restart" if continues else None)
        return _Cell([""], vmerge="continue")

    def table(self, rows: list[list[_Cell]], grid: Sequence[int], head_rows: int = 0) -> None:
        tbl = _el("w:tbl")
        self.body.sectPr.addprevious(tbl)
        tblpr = _sub(tbl, "w:tblPr")
        _sub(tblpr, "w:tblW", w=str(sum(grid)), type="dxa")
        _sub(tblpr, "w:jc", val="center")
        borders = _sub(tblpr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _sub(borders, f"w:{side}", val="single", sz="4", space="0", color="auto")
        _sub(tblpr, "w:tblLayout", type="fixed")
        margins = _sub(tblpr, "w:tblCellMar")
        _sub(margins, "w:left", w="85", type="dxa")
        _sub(margins, "w:right", w="85", type="dxa")
        _sub(tblpr, "w:tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0",
             lastColumn="0", noHBand="0", noVBand="0")
        tblgrid = _sub(tbl, "w:tblGrid")
        for width in grid:
            _sub(tblgrid, "w:gridCol", w=str(width))
        for number, row in enumerate(rows):
            assert sum(c.span for c in row) == len(grid), row
            tr = _sub(tbl, "w:tr")
            trpr = _sub(tr, "w:trPr")
            _sub(trpr, "w:trHeight", val="454")
            if number < head_rows:
                _sub(trpr, "w:tblHeader")
            column = 0
            for cell in row:
                tc = _sub(tr, "w:tc")
                tcpr = _sub(tc, "w:tcPr")
                _sub(tcpr, "w:tcW", w=str(sum(grid[column:column + cell.span])), type="dxa")
                column += cell.span
                if cell.span > 1:
                    _sub(tcpr, "w:gridSpan", val=str(cell.span))
                if cell.vmerge == "restart":
                    _sub(tcpr, "w:vMerge", val="restart")
                elif cell.vmerge == "continue":
                    _sub(tcpr, "w:vMerge")
                _sub(tcpr, "w:vAlign", val="center")
                fmt = CELL_BOLD if cell.bold else CELL
                if cell.breaks and len(cell.lines) > 1:
                    p = self.para(tc, align=cell.align, line=None, mark=fmt)
                    for i, text in enumerate(cell.lines):
                        if i:
                            self.line_break(p)
                        self.text(p, text, fmt)
                    continue
                for text in cell.lines or [""]:
                    p = self.para(tc, align=cell.align, line=None, mark=fmt)
                    self.text(p, text, fmt)

    # ---------------------------------------------------------------- all of it

    def write(self, path: Path) -> None:
        self.cover()
        self.contents()
        if self.v.extra_blank_paragraphs:
            self.blank()
            self.section_break(first=True)
        else:
            self.page_break()
        self.part_one()
        if self.v.extra_blank_paragraphs:
            self.section_break(first=False)
        else:
            self.page_break()
        self.part_two()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.word.save(str(path))


def make_draft(doc: Document, path: Path, variant: Variant) -> None:
    """Write a hand-made-looking Word draft of *doc* to *path*, shaped by *variant*."""
    _Writer(doc, variant).write(Path(path))


# --------------------------------------------------------------------------- expected text


def expected_units(doc: Document) -> list[str]:
    """Every sentence and cell a faithful import, rebuilt, must still contain (unnormalised)."""
    meta, goals = doc.meta, doc.goals
    units = [meta.unit, meta.cover.compiled_by]
    if meta.cover.reviewed_by:
        units.append(meta.cover.reviewed_by)
    units += paragraphs(meta.overall_goal)
    for goal in goals.itemized_goals:
        units += [goal.title, *paragraphs(goal.goal), *paragraphs(goal.indicators)]
    for measure in goals.measures:
        units += [measure.lead, *paragraphs(measure.body)]
    for project in doc.projects:
        model = project.model
        units += [model.code, model.name]
        if model.use_of_funds:
            units.append(model.use_of_funds)
        units += list(model.goals)
        for ind in model.indicators:
            units += [t for t in (ind.level1, ind.level2, ind.name, ind.description,
                                  ind.value, ind.basis) if t]
    return units


# --------------------------------------------------------------------------- the workbook

# Symbols as the budget system writes them; words such as 大于 stay 定性.
_SYMBOLS = {"≥": "≥", ">=": "≥", "≧": "≥", "＞＝": "≥", "≤": "≤", "<=": "≤", "≦": "≤",
            "＜＝": "≤", ">": "＞", "＞": "＞", "<": "＜", "＜": "＜", "=": "＝", "＝": "＝"}
_SPLIT = re.compile(
    r"^\s*(?P<op>" + "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
    + r")?\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>[^\s0-9]{0,8})\s*$")

INDICATOR_COLUMNS = ("单位编码", "单位名称", "项目编码", "项目名称", "一级指标", "二级指标", "三级指标",
                     "绩效指标描述", "计算符号", "指标值", "计量单位", "指标值确定依据")
PROJECT_COLUMNS = ("单位编码", "单位名称", "项目编码", "项目名称", "金额单位", "预算数", "财政资金",
                   "其他资金", "资金用途", "3月底", "6月底", "10月底", "12月底", "绩效目标")


def split_value(text: str) -> tuple[str, str, str]:
    """Split an 指标值 into the budget system's 计算符号, 指标值 and 计量单位.

    ``≥95%`` is ``("≥", "95", "%")``, ``>15 次`` is ``("＞", "15", "次")``, a
    number without a sign is ``＝``; anything else is ``("定性", text, "")``.
    """
    m = _SPLIT.match(text)
    if not m:
        return "定性", text, ""
    return _SYMBOLS[m.group("op")] if m.group("op") else "＝", m.group("num"), m.group("unit")


def _number(text: str) -> int | float | str:
    """A number cell where the digits survive a float, else the text as written."""
    if re.fullmatch(r"0|[1-9][0-9]*", text):
        return int(text)
    if re.fullmatch(r"[0-9]+\.[0-9]+", text) and repr(float(text)) == text:
        return float(text)
    return text


def make_workbook(doc: Document, path: Path) -> None:
    """Write *doc*'s projects as the budget system's .xlsx export (sheets 绩效指标 and 项目)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "绩效指标"
    sheet.append([f"{doc.meta.year}年项目绩效目标表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(INDICATOR_COLUMNS))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append(list(INDICATOR_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for project in doc.projects:
        model = project.model
        group_start = None
        for i, ind in enumerate(model.indicators):
            op, number, unit = split_value(ind.value)
            row = sheet.max_row + 1
            first = i == 0 or model.indicators[i - 1].level1 != ind.level1
            values = [project.unit_code, project.unit_name, model.code, model.name,
                      ind.level1 if first else None, ind.level2, ind.name, ind.description,
                      op, number if op == "定性" else _number(number), unit, ind.basis]
            for column, value in enumerate(values, start=1):
                if value is not None:
                    sheet.cell(row, column, value)
            if first:
                group_start = row
            last = i + 1 == len(model.indicators) or model.indicators[i + 1].level1 != ind.level1
            if last and group_start is not None and row > group_start:
                sheet.merge_cells(start_row=group_start, start_column=5, end_row=row,
                                  end_column=5)
                sheet.cell(group_start, 5).alignment = Alignment(vertical="center")
    for letter, width in zip("ABCDEFGHIJKL", (10, 26, 24, 40, 12, 16, 24, 36, 8, 10, 10, 24),
                             strict=True):
        sheet.column_dimensions[letter].width = width

    projects = book.create_sheet("项目")
    projects.append(list(PROJECT_COLUMNS))
    for cell in projects[1]:
        cell.font = Font(bold=True)
    for project in doc.projects:
        model = project.model
        budget, plan = model.budget, model.funding_plan

        def amount(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        def percent(value: Decimal) -> int | float:
            return int(value) if value == value.to_integral_value() else float(value)

        projects.append([project.unit_code, project.unit_name, model.code, model.name,
                         project.money_unit, amount(budget.total), amount(budget.fiscal),
                         amount(budget.other), model.use_of_funds or None, percent(plan.mar),
                         percent(plan.jun), percent(plan.oct), percent(plan.dec),
                         "\n".join(model.goals)])
        row = projects.max_row
        for column in (6, 7, 8):
            projects.cell(row, column).number_format = "0.00"
        projects.cell(row, 14).alignment = Alignment(wrap_text=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


# --------------------------------------------------------------------------- LibreOffice

_FILTERS = {"docx": 'docx:"MS Word 2007 XML"', "doc": 'doc:"MS Word 97"',
            "pdf": 'pdf:"writer_pdf_Export"'}


def save_with_libreoffice(docx: Path, out_dir: Path, fmt: str) -> Path:
    """Open *docx* in real LibreOffice and save it as *fmt* (docx, doc or pdf) in *out_dir*.

    LibreOffice runs headless with a private profile and perfdoc's fonts.conf;
    it is killed, with its whole process group, after 180 s.
    """
    if fmt not in _FILTERS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(_FILTERS)}")
    soffice = find_soffice()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) was not found")
    source, out_dir = Path(docx).resolve(), Path(out_dir).resolve()
    out = out_dir / f"{source.stem}.{fmt}"
    if out == source:
        raise ValueError(f"saving {source} as {fmt} into {out_dir} would overwrite it")
    out_dir.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="drafts-lo-") as private, \
            as_file(files("perfdoc") / "data" / "fonts.conf") as fonts_conf:
        profile = Path(private) / "profile"
        tmp = Path(private) / "tmp"
        tmp.mkdir()
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf), "SAL_USE_VCLPLUGIN": "svp",
               "TMPDIR": str(tmp)}
        # The filter's quotes are for a shell; soffice gets the bare name.
        target = _FILTERS[fmt].replace('"', "")
        command = [soffice, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", target, "--outdir", str(out_dir), str(source)]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=180)
        except subprocess.TimeoutExpired as timeout:
            os.killpg(process.pid, signal.SIGKILL)  # soffice.bin is in this new group
            process.communicate()
            raise RuntimeError(
                f"LibreOffice did not save {source.name} as {fmt} in 180 s") from timeout
        finally:
            try:  # a soffice.bin left behind by the launcher
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    if not out.exists():
        raise RuntimeError(f"LibreOffice wrote no {out.name} (exit {process.returncode}): "
                           f"{stdout.decode(errors='replace')} {stderr.decode(errors='replace')}")
    return out


__all__ = ["VARIANTS", "Variant", "expected_units", "make_draft", "make_workbook",
           "paragraphs", "save_with_libreoffice", "split_value"]
