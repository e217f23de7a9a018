"""perfdoc.fit: the indicator table's column widths, fitted to the text.

The PDF tests (test_examples.py) check the estimate against what LibreOffice
prints; these check the fitting itself, without LibreOffice.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from perfdoc.context import INDICATOR_HEADS, TABLE_WIDTH
from perfdoc.fit import (
    EM,
    PADDING,
    STEP,
    Row,
    Table,
    fit_columns,
    floors,
    inner,
    natural_width,
    wrap,
)


def row(level1: str, level2: str, name: str, description: str, value: str, basis: str,
        *, first: bool = True) -> Row:
    return Row((level1, level2, name, description, value, basis),
               (first, first, True, True, True, True))


ROWS = [
    row("产出指标", "数量指标", "开展帮扶活动次数", "开展帮扶活动次数", ">15 次", "报账单据"),
    row("", "", "受益工作队数量", "受益工作队数量", "3 个", "资金拨付单", first=False),
    row("", "时效指标", "报账时间", "资金报账后拨付的时间", "2024 年 11 月底前", "资金拨付单"),
    row("效益指标", "社会效益指标", "促进帮扶群众收入提升", "反映项目实施后帮扶群众人均收入较上年的增长幅度",
        "≥120 万头（只）", "《承德县驻村帮扶工作考核办法》"),
    row("满意度指标", "服务对象满意度指标", "群众满意度", "群众满意度", "≥95%", "调查问卷"),
]


def score(cost: tuple[int, int]) -> int:
    lines, lone = cost
    return lines + 2 * lone


def test_the_width_model() -> None:
    assert natural_width("指标值确定依据") == 7
    assert natural_width("100%") == 1.5 + 0.833
    # A quarter em between a CJK letter and Latin text, none at a space or after （.
    assert natural_width("3个") == 0.5 + 1 + 0.25
    assert natural_width("3 个") == 0.5 + 0.25 + 1
    assert natural_width("（2022") == 1 + 2
    assert wrap("指标值确定依据", 5) == (2, False)
    assert wrap("指标值确定依据", 6) == (2, True)  # 据 alone on the second line
    assert wrap("指标值确定依据", 7) == (1, False)
    # Kinsoku: a comma never starts a line, a Latin number is never split.
    assert wrap("甲乙丙，丁", 3) == (2, False)
    assert wrap("甲乙12345", 3) == (2, False)


def test_widths_fill_the_table_and_keep_short_values_whole() -> None:
    widths = fit_columns(INDICATOR_HEADS, ROWS, TABLE_WIDTH)
    assert sum(widths) == TABLE_WIDTH
    assert all(w >= lo for w, lo in zip(widths, floors(ROWS), strict=True))
    for r in ROWS:
        value = r.cells[4]
        if len(value.replace(" ", "")) <= 10:
            assert wrap(value, inner(widths[4]))[0] == 1, value
    # The same rows, the same widths: the .docx is a function of the YAML.
    assert fit_columns(INDICATOR_HEADS, ROWS, TABLE_WIDTH) == widths


def test_no_single_move_makes_the_table_better() -> None:
    widths = fit_columns(INDICATOR_HEADS, ROWS, TABLE_WIDTH)
    table = Table(INDICATOR_HEADS, ROWS)
    low = floors(ROWS)
    best = score(table.cost(widths))
    for src in range(6):
        for dst in range(6):
            for steps in (1, 2, 3, 4):
                trial = list(widths)
                trial[src] -= steps * STEP
                trial[dst] += steps * STEP
                if src != dst and trial[src] >= low[src]:
                    assert score(table.cost(trial)) >= best, (src, dst, steps)


def test_fitting_beats_the_old_fixed_widths() -> None:
    fixed = [1077, 1361, 1871, 1984, 1134, TABLE_WIDTH - 7427]
    table = Table(INDICATOR_HEADS, ROWS)
    assert score(table.cost(fit_columns(INDICATOR_HEADS, ROWS, TABLE_WIDTH))) < score(
        table.cost(fixed))


def test_a_merged_label_needs_no_height_of_its_own() -> None:
    # 服务对象满意度指标 over three one-line rows: the run is tall enough.
    rows = [row("满意度指标", "服务对象满意度指标", "甲", "乙", "1 个", "丙")] + [
        row("", "", "甲", "乙", "1 个", "丙", first=False) for _ in range(2)]
    narrow = [4 * EM + PADDING] * 5
    narrow.append(TABLE_WIDTH - sum(narrow))
    lines, _lone = Table(INDICATOR_HEADS, rows).cost(narrow)
    assert lines == 2 + 3  # the head wraps (绩效指标描述), three rows, nothing for the label
    # Over one row, the label's three lines make the row three lines tall.
    lines, _lone = Table(INDICATOR_HEADS, rows[:1]).cost(narrow)
    assert lines == 2 + 3


cjk = st.text(alphabet="甲乙丙丁戊己庚辛壬癸，、（）0123456789% 万元亩个", min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(cjk, cjk, cjk, cjk, st.text(alphabet="≥≤0123456789.% 万元个", min_size=1,
                                                           max_size=12), cjk),
                min_size=1, max_size=12))
def test_any_table_gets_widths_that_fill_it(cells: list[tuple[str, ...]]) -> None:
    rows = [Row(c, (True,) * 6) for c in cells]
    widths = fit_columns(INDICATOR_HEADS, rows, TABLE_WIDTH)
    assert sum(widths) == TABLE_WIDTH
    assert all(w > PADDING for w in widths)


def test_the_fitted_width_is_the_default_templates_text_width() -> None:
    import io
    import re
    import zipfile

    from perfdoc.render import default_template_bytes
    with zipfile.ZipFile(io.BytesIO(default_template_bytes())) as z:
        xml = z.read("word/document.xml").decode()
    assert set(re.findall(r'<w:tblW w:w="(\d+)"', xml)) == {str(TABLE_WIDTH)}
    assert "{{ p.columns[5] }}" in xml
