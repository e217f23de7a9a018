"""perfdoc.symbols: ≥ ≤ and their kin get their run's East Asian font for every script."""

from __future__ import annotations

from lxml import etree

from perfdoc.symbols import unify_symbols

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

STYLES = f"""<w:styles xmlns:w="{W_NS}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Plain"/>
<w:style w:type="paragraph" w:styleId="Themed"><w:rPr><w:rFonts w:eastAsiaTheme="minorEastAsia"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Kai"><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
</w:styles>"""


def body(paragraphs: str) -> etree._Element:
    return etree.fromstring(f'<w:body xmlns:w="{W_NS}">{paragraphs}</w:body>')


def runs(element: etree._Element) -> list[tuple[str, str | None, str | None]]:
    """(text, ascii font, East Asian font) of each run."""
    found = []
    for r in element.iter(f"{W}r"):
        fonts = r.find(f"{W}rPr/{W}rFonts")
        ascii_font = fonts.get(f"{W}ascii") if fonts is not None else None
        east = fonts.get(f"{W}eastAsia") if fonts is not None else None
        found.append(("".join(r.itertext()), ascii_font, east))
    return found


def unify(paragraphs: str) -> list[tuple[str, str | None, str | None]]:
    tree = body(paragraphs)
    unify_symbols(tree, etree.fromstring(STYLES))
    return runs(tree)


def test_a_sign_takes_the_east_asian_font_of_its_paragraph_style() -> None:
    done = unify('<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>'
                 "<w:r><w:rPr><w:b/></w:rPr><w:t>率≥95%，≤3 个</w:t></w:r></w:p>")
    assert done == [("率", None, None), ("≥", "仿宋_GB2312", "仿宋_GB2312"),
                    ("95%，", None, None), ("≤", "仿宋_GB2312", "仿宋_GB2312"),
                    ("3 个", None, None)]


def test_the_run_keeps_its_other_properties() -> None:
    tree = body('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>≥5</w:t></w:r></w:p>')
    unify_symbols(tree, etree.fromstring(STYLES))
    first, second = tree.iter(f"{W}r")
    assert first.find(f"{W}rPr/{W}b") is not None and second.find(f"{W}rPr/{W}b") is not None
    assert first.find(f"{W}rPr")[0].tag == f"{W}rFonts"  # rFonts first, as the schema orders


def test_the_font_is_resolved_as_word_does() -> None:
    # The run's own font, then its character style, the paragraph style and
    # its bases, the default paragraph style, the document defaults.
    own = unify('<w:p><w:r><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr><w:t>≥1</w:t></w:r></w:p>')
    assert own[0] == ("≥", "黑体", "黑体")
    styled = unify('<w:p><w:r><w:rPr><w:rStyle w:val="Kai"/></w:rPr><w:t>≥1</w:t></w:r></w:p>')
    assert styled[0] == ("≥", "楷体_GB2312", "楷体_GB2312")
    default = unify("<w:p><w:r><w:t>≥1</w:t></w:r></w:p>")
    assert default[0] == ("≥", "仿宋_GB2312", "仿宋_GB2312")
    plain = unify('<w:p><w:pPr><w:pStyle w:val="Plain"/></w:pPr><w:r><w:t>≥1</w:t></w:r></w:p>')
    assert plain[0] == ("≥", "宋体", "宋体")


def test_what_it_cannot_resolve_or_split_it_leaves_alone() -> None:
    themed = '<w:p><w:pPr><w:pStyle w:val="Themed"/></w:pPr><w:r><w:t>≥1</w:t></w:r></w:p>'
    assert unify(themed) == [("≥1", None, None)]
    tab = "<w:p><w:r><w:t>≥1</w:t><w:tab/><w:t>2</w:t></w:r></w:p>"
    assert unify(tab) == [("≥12", None, None)]
    assert unify("<w:p><w:r><w:t>95%</w:t></w:r></w:p>") == [("95%", None, None)]
