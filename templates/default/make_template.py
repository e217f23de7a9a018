"""Regenerate ``template.docx``, perfdoc's default docxtpl template.

The committed .docx is what ships; this script documents exactly how it was
made and rebuilds it byte for byte (``make template``).  It writes the WordprocessingML
parts by hand rather than through python-docx, because the layout depends on
details python-docx does not model: East-Asian fonts in the styles, the document
grid, the two sections, odd/even footers and the TOC field.

Jinja tags follow docxtpl: ``{%p …%}`` stands alone in a paragraph, ``{%tr …%}``
in a table row, and perfdoc's own ``{% vmerge expr %}`` in a cell sets that
cell's ``w:vMerge`` (see ``perfdoc.render``).  Layout is GB/T 9704-2012 style:
A4, margins 37/35/28/26 mm, 3号 仿宋_GB2312, 22 lines a page.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- page geometry (twips)
MM = 1440 / 25.4
PAGE_W, PAGE_H = round(210 * MM), round(297 * MM)  # A4
TOP, BOTTOM, LEFT, RIGHT = round(37 * MM), round(35 * MM), round(28 * MM), round(26 * MM)
TEXT_W = PAGE_W - LEFT - RIGHT  # 156 mm = 8845 twips
TEXT_H = PAGE_H - TOP - BOTTOM  # 225 mm
LINES, CHARS = 22, 28
LINE_PITCH = TEXT_H // LINES  # 579 twips = 28.95 pt, within the 28–29 pt norm
BODY_PT = 16  # 3号
# 28 characters of 16 pt need 448 pt, but the text block is 442.2 pt wide.
# Word's usual answer is a character grid with a negative charSpace, but
# LibreOffice snaps each glyph wider than a grid cell to one and a half cells
# (about 19 characters a line).  Condensing the text by 0.25 pt gives 28 a line,
# but LibreOffice then silently drops a full-width comma that falls at a line
# end (measured).  So the grid is lines only and the body runs 27 characters a
# line at a true 16 pt, in Word, WPS and LibreOffice alike.
CHAR_SPACE = 0
FOOTER_DIST = round(23 * MM)  # puts the page number about 7 mm below the text block

# ---------------------------------------------------------------- fonts
FANGSONG, KAITI, HEITI, XIAOBIAOSONG, SONGTI = (
    "仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体",
)
LATIN = "Times New Roman"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rfonts(east: str, latin: str = LATIN) -> str:
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" '
            f'w:cs="{latin}" w:hint="eastAsia"/>')


def rpr(east: str, half_points: int, *, bold: bool = False) -> str:
    b = "<w:b/><w:bCs/>" if bold else ""
    return (f"<w:rPr>{rfonts(east)}{b}<w:kern w:val=\"0\"/><w:sz w:val=\"{half_points}\"/>"
            f"<w:szCs w:val=\"{half_points}\"/>"
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')


# ---------------------------------------------------------------- styles.xml


def pstyle(style_id: str, name: str, *, ppr: str, run: str, based: str = "Normal",
           next_: str = "Normal", outline: int | None = None, extra: str = "") -> str:
    lvl = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    return (f'<w:style w:type="paragraph" w:styleId="{style_id}"{extra}>'
            f'<w:name w:val="{name}"/><w:basedOn w:val="{based}"/><w:next w:val="{next_}"/>'
            f'<w:qFormat/><w:pPr>{ppr}{lvl}</w:pPr>{run}</w:style>')


NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
EXACT = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'


def styles_xml() -> str:
    # The body's 2-character first-line indent is two ideographic spaces at the
    # start of each body paragraph (INDENT), not w:ind: LibreOffice (checked
    # with 7.4) silently drops a 、，。 that would hang past the right margin
    # at the end of the first line of a paragraph with a first-line indent,
    # and about one body paragraph in eight has one there.
    body_ppr = f'<w:widowControl w:val="0"/>{EXACT}{NO_INDENT}<w:jc w:val="both"/>'
    indented = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
    table_ppr = (f'<w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>{SINGLE}'
                 f'{NO_INDENT}<w:jc w:val="center"/>')
    styles = [
        # Normal: the body text, 3号 仿宋 on the grid with a 2-character indent.
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f'<w:qFormat/><w:pPr>{body_ppr}</w:pPr>{rpr(FANGSONG, 32)}</w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "</w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        # Headings.  Level 1 is a part (第一部分…), set like a title in 小标宋;
        # level 2 is 一、… in 黑体; level 3 is 1、… in 楷体 (GB/T 9704 order).
        pstyle("Heading1", "heading 1", outline=0,
               ppr=('<w:keepNext/><w:pageBreakBefore w:val="0"/>'
                    f'<w:spacing w:before="0" w:after="{LINE_PITCH // 2}" '
                    f'w:line="{LINE_PITCH * 2}" w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>'),
               run=rpr(XIAOBIAOSONG, 44)),
        pstyle("Heading2", "heading 2", outline=1,
               ppr=f"<w:keepNext/>{EXACT}{indented}", run=rpr(HEITI, 32)),
        pstyle("Heading3", "heading 3", outline=2,
               ppr=f"<w:keepNext/>{EXACT}{indented}", run=rpr(KAITI, 32)),
        # Cover.
        pstyle("CoverUnit", "Cover Unit",
               ppr=f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH * 2}" '
                   f'w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>',
               run=rpr(XIAOBIAOSONG, 52)),
        pstyle("CoverTitle", "Cover Title", based="CoverUnit",
               ppr="", run=rpr(XIAOBIAOSONG, 52)),
        pstyle("CoverMarker", "Cover Marker",
               ppr=f'{EXACT}{NO_INDENT}<w:jc w:val="center"/>', run=rpr(KAITI, 32)),
        pstyle("CoverLine", "Cover Line",
               ppr=f'{EXACT}{NO_INDENT}<w:jc w:val="center"/>', run=rpr(KAITI, 32)),
        # Contents page.
        pstyle("TOCHeading", "TOC Heading",
               ppr=(f'<w:spacing w:before="0" w:after="{LINE_PITCH}" w:line="{LINE_PITCH * 2}" '
                    f'w:lineRule="exact"/>{NO_INDENT}<w:jc w:val="center"/>'),
               run=rpr(XIAOBIAOSONG, 44)),
        pstyle("TOC1", "toc 1", next_="Normal",
               ppr=f"{EXACT}{NO_INDENT}",
               run=rpr(HEITI, 32)),
        pstyle("TOC2", "toc 2", next_="Normal",
               ppr=(f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
                    f'{EXACT}<w:ind w:left="320" w:hanging="0" w:firstLineChars="0" '
                    'w:firstLine="0"/>'),
               run=rpr(FANGSONG, 32)),
        # Project tables: 5号 仿宋 fits six columns; heads are bold.
        pstyle("UnitLine", "Unit Line",
               ppr=(f'<w:keepNext/><w:tabs><w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
                    f'<w:snapToGrid w:val="0"/>{SINGLE}{NO_INDENT}'),
               run=rpr(FANGSONG, 24)),
        pstyle("TableText", "Table Text", ppr=table_ppr, run=rpr(FANGSONG, 21)),
        pstyle("TableTextLeft", "Table Text Left", based="TableText",
               ppr='<w:jc w:val="left"/>', run=rpr(FANGSONG, 21)),
        pstyle("TableHead", "Table Head", based="TableText",
               ppr="", run=rpr(FANGSONG, 21, bold=True)),
        # Footer page numbers: 4号 宋体, "— N —".
        pstyle("Footer", "footer",
               ppr=f'<w:snapToGrid w:val="0"/>{SINGLE}{NO_INDENT}', run=rpr(SONGTI, 28)),
        '<w:style w:type="table" w:styleId="PerfTable"><w:name w:val="Perf Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/>'
        '<w:left w:w="57" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>'
        '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]
    defaults = (
        f"<w:docDefaults><w:rPrDefault>{rpr(FANGSONG, 32)}</w:rPrDefault>"
        "<w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">{defaults}{"".join(styles)}</w:styles>')


# ---------------------------------------------------------------- document.xml helpers


def para(text: str = "", style: str | None = None, *, ppr: str = "", runs: str | None = None) -> str:
    st = f'<w:pStyle w:val="{style}"/>' if style else ""
    content = runs if runs is not None else (run(text) if text else "")
    pp = f"<w:pPr>{st}{ppr}</w:pPr>" if (st or ppr) else ""
    return f"<w:p>{pp}{content}</w:p>"


def run(text: str, *, bold: bool = False) -> str:
    rp = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    return f'<w:r>{rp}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


#: A body paragraph's first-line indent: two ideographic spaces (see styles_xml).
INDENT = "\u3000\u3000"


def body_para(runs: str) -> str:
    """A body paragraph, its first line indented by two characters."""
    return para(runs=run(INDENT) + runs)


def more_paragraphs(items: str, *, first: bool = False) -> list[str]:
    """Body paragraphs for the items of a prose list: all of them, or all after the first."""
    rest = items if first else f"{items}[1:]"
    return [tag_para(f"{{%p for text in {rest} %}}"), body_para(run("{{ text }}")),
            tag_para("{%p endfor %}")]


def tag_para(tag: str) -> str:
    """A paragraph holding only a docxtpl ``{%p …%}`` tag."""
    return para(runs=run(tag))


def cell(width: int | str, content: str, *, span: int = 1, vmerge: str | None = None,
         shade: bool = False) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        tcpr += "<w:vMerge/>"
    tcpr += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{content}</w:tc>"


def row(cells: str, *, header: bool = False) -> str:
    # Rows never split across pages; the indicator head repeats on each page.
    trpr = ('<w:cantSplit/><w:trHeight w:val="397" w:hRule="atLeast"/>'
            + ("<w:tblHeader/>" if header else ""))
    return f'<w:tr><w:trPr>{trpr}<w:jc w:val="center"/></w:trPr>{cells}</w:tr>'


def tag_row(tag: str, ncols: int) -> str:
    return row(cell(TEXT_W, para(style="TableText", runs=run(tag)), span=ncols))


def table(widths: list[int] | list[str], rows: str, *, caption: str) -> str:
    # WPS takes widths from tblGrid, Word from tblW/tcW: write both.
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="PerfTable"/>'
            f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblLayout w:type="fixed"/><w:tblCaption w:val="{caption}"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{rows}</w:tbl>")


def tp(text: str, style: str = "TableText") -> str:
    return para(style=style, runs=run(text) if text else "")


def sect_pr(*, footers: bool) -> str:
    refs = ""
    pgnum = ""
    if footers:
        refs = ('<w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
                '<w:footerReference w:type="even" r:id="rIdFooterEven"/>')
        pgnum = '<w:pgNumType w:fmt="decimal" w:start="1"/>'
    return (f"<w:sectPr>{refs}<w:type w:val=\"nextPage\"/>"
            f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
            f'<w:pgMar w:top="{TOP}" w:right="{RIGHT}" w:bottom="{BOTTOM}" w:left="{LEFT}" '
            f'w:header="851" w:footer="{FOOTER_DIST}" w:gutter="0"/>{pgnum}'
            f'<w:cols w:space="425"/>'
            f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}" '
            f'w:charSpace="{CHAR_SPACE}"/></w:sectPr>')


# Column widths (twips), each table filling the text width exactly so the two
# tables of a project sit flush, one under the other.
INFO_W = [1418, 1134, 1300, 1620, 1100, 1134, TEXT_W - 7706]


def info_table() -> str:
    w = INFO_W
    head = "TableHead"
    rows = [
        row(cell(w[0], tp("项目编码", head))
            + cell(w[1] + w[2], tp("{{ p.code }}"), span=2)
            + cell(w[3], tp("项目名称", head))
            + cell(w[4] + w[5] + w[6], tp("{{ p.name }}", "TableTextLeft"), span=3)),
        row(cell(w[0], tp("预算规模及资金用途", head), vmerge="restart")
            + cell(w[1], tp("预算数", head)) + cell(w[2], tp("{{ p.total }}"))
            + cell(w[3], tp("其中：财政资金", head)) + cell(w[4], tp("{{ p.fiscal }}"))
            + cell(w[5], tp("其他资金", head)) + cell(w[6], tp("{{ p.other }}"))),
        tag_row("{%tr if p.use_of_funds %}", 7),
        row(cell(w[0], tp(""), vmerge="continue")
            + cell(sum(w[1:]), tp("{{ p.use_of_funds }}", "TableTextLeft"), span=6)),
        tag_row("{%tr endif %}", 7),
        row(cell(w[0], tp("资金支出计划（%）", head), vmerge="restart")
            + cell(w[1] + w[2], tp("3月底", head), span=2)
            + cell(w[3] + w[4], tp("6月底", head), span=2)
            + cell(w[5], tp("10月底", head)) + cell(w[6], tp("12月底", head))),
        row(cell(w[0], tp(""), vmerge="continue")
            + cell(w[1] + w[2], tp("{{ p.plan.mar }}"), span=2)
            + cell(w[3] + w[4], tp("{{ p.plan.jun }}"), span=2)
            + cell(w[5], tp("{{ p.plan.oct }}")) + cell(w[6], tp("{{ p.plan.dec }}"))),
        row(cell(w[0], tp("绩效目标", head))
            + cell(sum(w[1:]),
                   tag_para("{%p for line in p.goals %}")
                   + tp("{{ line }}", "TableTextLeft")
                   + tag_para("{%p endfor %}"),
                   span=6)),
    ]
    return table(w, "".join(rows), caption="项目概况")


def indicator_table() -> str:
    # perfdoc fits each project's columns to its text (perfdoc.fit): the
    # widths come from the context, into both tblGrid and every tcW.
    w = [f"{{{{ p.columns[{i}] }}}}" for i in range(6)]
    heads = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
    head_row = row("".join(cell(w[i], tp(h, "TableHead")) for i, h in enumerate(heads)),
                   header=True)
    # Each row carries a bookmark, by which perfdoc finds the page it landed
    # on and repeats the 一级/二级 labels at the top of a continuation page.
    name = para(style="TableText", runs=(
        '<w:bookmarkStart w:id="{{ r.bookmark_id }}" w:name="{{ r.anchor }}"/>'
        + run("{{ r.name }}") + '<w:bookmarkEnd w:id="{{ r.bookmark_id }}"/>'))
    data = row(
        cell(w[0], tp("{% vmerge r.level1_merge %}{{ r.level1 }}"))
        + cell(w[1], tp("{% vmerge r.level2_merge %}{{ r.level2 }}"))
        + cell(w[2], name)
        + cell(w[3], tp("{{ r.description }}"))
        + cell(w[4], tp("{{ r.value }}"))
        + cell(w[5], tp("{{ r.basis }}"))
    )
    rows = head_row + tag_row("{%tr for r in p.rows %}", 6) + data + tag_row(
        "{%tr endfor %}", 6
    )
    return table(w, rows, caption="绩效指标")


def toc_entry() -> str:
    """One cached TOC entry; the field begins in the first entry and ends in the last."""
    field_begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\n 1-1 \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    field_end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    runs = (
        run("{%r if loop.first %}") + field_begin + run("{%r endif %}")
        + run("{{ e.text }}")
        + run("{%r if e.numbered %}") + "<w:r><w:tab/></w:r>"
        # The number is a PAGEREF to the heading's bookmark, as Word writes it:
        # LibreOffice evaluates it while laying out, so a single conversion
        # prints true numbers, and Word can still update the field.
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + '<w:r><w:instrText xml:space="preserve"> PAGEREF {{ e.anchor }} \\h </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("{{ e.page }}")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + run("{%r endif %}")
        + run("{%r if loop.last %}") + field_end + run("{%r endif %}")
    )
    return (tag_para("{%p for e in toc %}")
            + '<w:p><w:pPr><w:pStyle w:val="{{ e.style }}"/></w:pPr>' + runs + "</w:p>"
            + tag_para("{%p endfor %}"))


def heading(of: str, style: str = "Heading2", ppr: str = "", *, text: str = "text") -> str:
    """A heading, its *text* and bookmark both from the context object *of*.

    ``perfdoc.context`` makes every heading's text and names its bookmark (the
    anchor its 目录 entry's PAGEREF points at, and by which perfdoc finds the
    heading's page in the PDF); the template only places and styles them.
    """
    return para(style=style, ppr=ppr, runs=(
        f'<w:bookmarkStart w:id="{{{{ {of}.bookmark_id }}}}" w:name="{{{{ {of}.anchor }}}}"/>'
        f'{run(f"{{{{ {of}.{text} }}}}")}<w:bookmarkEnd w:id="{{{{ {of}.bookmark_id }}}}"/>'))


def document_xml() -> str:
    body = [
        # ---- cover (section 1, no page numbers)
        *[para(style="CoverLine") for _ in range(3)],
        para("{{ unit }}", "CoverUnit"),
        para("{{ cover.title_line }}", "CoverTitle"),
        tag_para("{%p if cover.draft_marker %}"),
        para("{{ cover.draft_marker }}", "CoverMarker"),
        tag_para("{%p endif %}"),
        *[para(style="CoverLine") for _ in range(8)],
        para("{{ cover.compiled_by }}", "CoverLine"),
        para(style="CoverLine"),
        tag_para("{%p if cover.reviewed_by %}"),
        para("{{ cover.reviewed_by }}", "CoverLine"),
        tag_para("{%p endif %}"),
        # ---- contents
        para("目  录", "TOCHeading", ppr='<w:pageBreakBefore/>'),
        toc_entry(),
        # End of section 1: cover and contents carry no page number.
        f"<w:p><w:pPr>{sect_pr(footers=False)}</w:pPr></w:p>",
        # ---- 第一部分 (section 2, numbered from 1)
        heading("headings.part1", "Heading1"),
        heading("headings.overall"),
        # Prose: every non-empty line of the YAML is one body paragraph.
        *more_paragraphs("overall_goal_paragraphs", first=True),
        heading("headings.itemized"),
        tag_para("{%p for g in itemized_goals %}"),
        para("{{ g.heading }}", "Heading3"),
        body_para(run("绩效目标：", bold=True) + run("{{ g.goal_paragraphs[0] }}")),
        *more_paragraphs("g.goal_paragraphs"),
        body_para(run("绩效指标：", bold=True) + run("{{ g.indicators_paragraphs[0] }}")),
        *more_paragraphs("g.indicators_paragraphs"),
        tag_para("{%p endfor %}"),
        heading("headings.measures"),
        tag_para("{%p for m in measures %}"),
        body_para(run("{{ m.lead_line }}", bold=True)
             + run("{{ m.body_paragraphs[0] }}")),
        *more_paragraphs("m.body_paragraphs"),
        tag_para("{%p endfor %}"),
        # ---- 第二部分: one table per project, each on a new page under its title
        heading("headings.part2", "Heading1", ppr="<w:pageBreakBefore/>"),
        tag_para("{%p for p in projects %}"),
        # The first table shares its page with the part heading, as in the seed.
        tag_para("{%p if loop.first %}"),
        heading("p", text="title", ppr=f'{NO_INDENT}<w:jc w:val="center"/>'),
        tag_para("{%p else %}"),
        heading("p", text="title", ppr=f'<w:pageBreakBefore/>{NO_INDENT}<w:jc w:val="center"/>'),
        tag_para("{%p endif %}"),
        para(runs=run("{{ p.unit_code }} {{ p.unit_name }}") + "<w:r><w:tab/></w:r>"
             + run("单位：{{ p.money_unit }}"), style="UnitLine"),
        info_table(),
        # Two tables that touch would be merged into one by Word and LibreOffice,
        # and the indicator head would no longer be a leading row to repeat.  A
        # hidden one-point paragraph keeps them apart yet visually flush.
        para(ppr=('<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="20" '
                  'w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/>'
                  '<w:rPr><w:vanish/><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>')),
        indicator_table(),
        tag_para("{%p endfor %}"),
        sect_pr(footers=True),
    ]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{"".join(body)}'
            "</w:body></w:document>")


def footer_xml(align: str) -> str:
    # GB/T 9704: odd pages right, even pages left, each one character in.
    ind = '<w:ind w:right="280"/>' if align == "right" else '<w:ind w:left="280"/>'
    page = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
            f'{ind}<w:jc w:val="{align}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">— </w:t></w:r>{page}'
            f'<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>')


# w:settings children, like those of every WordprocessingML property element
# (pPr, rPr, tcPr, tblPr, sectPr…), must come in the schema's order: zoom,
# defaultTabStop, evenAndOddHeaders, …, characterSpacingControl, [updateFields,
# which perfdoc.render inserts there], compat, themeFontLang.
SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:drawingGridVerticalSpacing w:val="{LINE_PITCH}"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>"""

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def theme_xml() -> str:
    """The theme part Word requires; its font scheme names the document's own fonts.

    Every run in perfdoc's styles names its fonts outright, so the theme changes
    nothing on the page; it makes the package complete, and a user who picks
    "+正文" or "+标题" in Word gets 仿宋_GB2312 or 黑体 with Times New Roman.
    """
    def font(east: str) -> str:
        return (f'<a:latin typeface="{LATIN}"/><a:ea typeface="{east}"/><a:cs typeface="{LATIN}"/>'
                f'<a:font script="Hans" typeface="{east}"/>')

    colours = (("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
               ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
               ("dk2", '<a:srgbClr val="44546A"/>'), ("lt2", '<a:srgbClr val="E7E6E6"/>'),
               ("accent1", '<a:srgbClr val="4472C4"/>'), ("accent2", '<a:srgbClr val="ED7D31"/>'),
               ("accent3", '<a:srgbClr val="A5A5A5"/>'), ("accent4", '<a:srgbClr val="FFC000"/>'),
               ("accent5", '<a:srgbClr val="5B9BD5"/>'), ("accent6", '<a:srgbClr val="70AD47"/>'),
               ("hlink", '<a:srgbClr val="0563C1"/>'), ("folHlink", '<a:srgbClr val="954F72"/>'))
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350" cap="flat" cmpd="sng" algn="ctr">{solid}<a:prstDash val="solid"/></a:ln>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<a:theme xmlns:a="{A_NS}" name="perfdoc"><a:themeElements>'
            '<a:clrScheme name="perfdoc">'
            + "".join(f"<a:{name}>{value}</a:{name}>" for name, value in colours)
            + '</a:clrScheme><a:fontScheme name="perfdoc">'
            f"<a:majorFont>{font(HEITI)}</a:majorFont><a:minorFont>{font(FANGSONG)}</a:minorFont>"
            '</a:fontScheme><a:fmtScheme name="perfdoc">'
            f"<a:fillStyleLst>{solid * 3}</a:fillStyleLst>"
            f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
            f"<a:effectStyleLst>{'<a:effectStyle><a:effectLst/></a:effectStyle>' * 3}"
            f"</a:effectStyleLst><a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst>"
            "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")


FONT_TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W_NS}">""" + "".join(
    f'<w:font w:name="{n}"><w:charset w:val="86"/><w:family w:val="{fam}"/></w:font>'
    for n, fam in ((FANGSONG, "modern"), (KAITI, "modern"), (HEITI, "modern"),
                   (XIAOBIAOSONG, "script"), (SONGTI, "auto"))
) + f'<w:font w:name="{LATIN}"><w:charset w:val="00"/><w:family w:val="roman"/></w:font></w:fonts>'

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdTheme" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>部门预算绩效文本</dc:title><dc:creator>perfdoc</dc:creator><cp:lastModifiedBy>perfdoc</cp:lastModifiedBy><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>perfdoc</Application></Properties>"""


def parts() -> list[tuple[str, str]]:
    """Every part of the package, in the order it is zipped."""
    return [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/core.xml", CORE),
        ("docProps/app.xml", APP),
        ("word/document.xml", document_xml()),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", SETTINGS),
        ("word/theme/theme1.xml", theme_xml()),
        ("word/fontTable.xml", FONT_TABLE),
        ("word/footer1.xml", footer_xml("right")),
        ("word/footer2.xml", footer_xml("left")),
    ]


def main() -> None:
    target = HERE / "template.docx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    print(target)


if __name__ == "__main__":
    main()
