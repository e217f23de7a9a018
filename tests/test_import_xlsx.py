"""Reading the budget system's workbook (and any indicator sheet) into a Draft."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from perfdoc.i18n import set_language
from perfdoc.imports.draft import Draft, Number, Prose
from perfdoc.imports.xlsx import placeholder_document, placeholder_goals, read_xlsx
from perfdoc.model import DocumentFile, GoalsFile, ProjectFile
from perfdoc.problems import Level

INDICATOR_HEADER = ["单位编码", "单位名称", "项目编码", "项目名称", "一级指标", "二级指标",
                    "三级指标", "绩效指标描述", "计算符号", "指标值", "计量单位", "指标值确定依据"]
PROJECT_HEADER = ["单位编码", "单位名称", "项目编码", "项目名称", "金额单位", "预算数", "财政资金",
                  "其他资金", "资金用途", "3月底", "6月底", "10月底", "12月底", "绩效目标"]
UNIT = ["912001", "承德县三家镇人民政府本级"]
A = [*UNIT, "13082125P00007010010J", "驻村工作队综合经费"]
B = [*UNIT, "13082125P00011110021J", "执法工作经费"]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_language("en")
    yield
    set_language(None)


def read(tmp_path: Path, wb: Workbook, name: str = "draft.xlsx") -> Draft:
    path = tmp_path / name
    wb.save(path)
    return read_xlsx(path, path.read_bytes(), name)


def plain(value: Any) -> Any:
    """A Part's values as the YAML writer would hand them to the models."""
    if isinstance(value, Prose):
        return "\n".join(value.paragraphs)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def budget_workbook() -> Workbook:
    """Both sheets as the budget system exports them, with a title row and merged 一级 cells."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "绩效指标"
    ws.append(["2025 年项目绩效指标"])
    ws.merge_cells("A1:L1")
    # Header cells as people type them: spaces around, full-width forms.
    ws.append([" 单位编码", "单位名称 ", "项目编码", "项目名称", "一级指标", "二级　指标", "三级指标",
               "绩效指标描述", "计算符号", "指标值", "计量单位", "指标值确定依据"])
    ws.append([*A, "产出指标", "数量指标", "开展帮扶活动次数", "开展帮扶活动次数", "＞", 15, "次",
               "报账单据"])                                                         # row 3
    ws.append([*A, None, "质量指标", "经费使用合规率", "", "≥", 95, "%", "财务制度"])  # row 4
    ws.append([*A, None, "时效指标", "报账时间", None, "≤", 7, "工作日", None])        # row 5
    ws.append([*A, None, "成本指标", "经费成本", None, "＝", 6.19, "万元", None])      # row 6
    ws.merge_cells("E3:E6")
    ws.append([*A, "效益指标", "社会效益指标", "帮扶成效", None, "定性", "有效提升", None,
               "工作总结"])                                                          # row 7
    ws.append([*A, "效益指标", "可持续影响指标", "带动系数", None, "≥", 0.62, None, None])  # row 8
    ws.append([*B, "产出指标", "数量指标", "新建面积", None, "≥", 1.2, "万亩", None])  # row 9
    ws.append([*B, None, None, "执法次数", None, "＞", 15.0, "次", None])             # row 10
    ws.merge_cells("E9:E10")

    sheet = wb.create_sheet("项目")
    sheet.append(PROJECT_HEADER)
    sheet.append([*A, "万元", 6.19, 6.19, None, "驻村工作组经费", 25, 50, 75, 100,
                  "对省级驻村工作组进行经费保障\n保障工作队正常开展帮扶工作"])
    sheet.append([*B, "万元", 11, "11.00", 0, None, 0.3, 50.5, 80, 100, "行政执法工作运转保障"])
    return wb


def test_budget_system_workbook(tmp_path: Path) -> None:
    draft = read(tmp_path, budget_workbook())
    assert draft.problems == []
    assert draft.document is None and draft.goals is None
    a, b = draft.projects
    assert a.values == {
        "unit_code": "912001",
        "unit_name": "承德县三家镇人民政府本级",
        "money_unit": "万元",
        "code": "13082125P00007010010J",
        "name": "驻村工作队综合经费",
        "budget": {"total": "6.19", "fiscal": "6.19", "other": None},
        "use_of_funds": "驻村工作组经费",
        "funding_plan": {"mar": "25", "jun": "50", "oct": "75", "dec": "100"},
        "goals": ["对省级驻村工作组进行经费保障", "保障工作队正常开展帮扶工作"],
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "开展帮扶活动次数",
             "description": "开展帮扶活动次数", "value": ">15 次", "basis": "报账单据"},
            {"level1": "产出指标", "level2": "质量指标", "name": "经费使用合规率",
             "value": "≥95%", "basis": "财务制度"},
            {"level1": "产出指标", "level2": "时效指标", "name": "报账时间", "value": "≤7 工作日"},
            {"level1": "产出指标", "level2": "成本指标", "name": "经费成本", "value": "6.19 万元"},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "帮扶成效",
             "value": "有效提升", "basis": "工作总结"},
            {"level1": "效益指标", "level2": "可持续影响指标", "name": "带动系数",
             "value": "≥0.62"},
        ],
    }
    assert all(type(v) is Number for v in a.values["budget"].values() if v is not None)
    assert all(type(v) is Number for v in a.values["funding_plan"].values())
    # Read values carry no comment; only where they came from is said.
    assert a.comments == {"budget": "从“项目”表第 2 行读入",
                          "indicators": "从“绩效指标”表第 3–8 行读入"}
    assert a.unplaced == []
    assert b.values["budget"] == {"total": "11", "fiscal": "11.00", "other": "0"}
    assert b.values["funding_plan"] == {"mar": "0.3", "jun": "50.5", "oct": "80", "dec": "100"}
    assert "use_of_funds" not in b.values
    assert b.values["goals"] == ["行政执法工作运转保障"]
    assert b.values["indicators"] == [
        {"level1": "产出指标", "level2": "数量指标", "name": "新建面积", "value": "≥1.2 万亩"},
        {"level1": "产出指标", "level2": "数量指标", "name": "执法次数", "value": ">15 次"},
    ]
    # The 二级 cell of row 10 is blank, not merged: filled from the row above, and said so.
    assert b.comments == {"budget": "从“项目”表第 3 行读入",
                          "indicators": "从“绩效指标”表第 9–10 行读入",
                          "indicators.1.level2": "二级指标空白，沿用上一行的“数量指标”"}
    for part in (a, b):
        ProjectFile.model_validate(plain(part.values))


def test_key_order_follows_the_project_file(tmp_path: Path) -> None:
    a, _b = read(tmp_path, budget_workbook()).projects
    assert list(a.values) == ["unit_code", "unit_name", "money_unit", "code", "name", "budget",
                              "use_of_funds", "funding_plan", "goals", "indicators"]
    assert list(a.values["budget"]) == ["total", "fiscal", "other"]
    assert list(a.values["funding_plan"]) == ["mar", "jun", "oct", "dec"]


def test_any_sheet_with_the_four_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    ws.append(["产出指标", "数量指标", "改厕户数", "≥1200 户"])
    ws.append([None, "质量指标", "验收合格率", "100%"])
    ws.append(["满意度指标", None, "群众满意度", 0.95])
    ws["D4"].number_format = "0%"
    draft = read(tmp_path, wb)
    assert draft.problems == []
    [part] = draft.projects
    assert part.values == {
        "unit_code": "【待填写】单位编码",
        "unit_name": "【待填写】单位名称",
        "code": "【待填写】项目编码",
        "name": "【待填写】项目名称",
        "budget": {"total": "0", "fiscal": None, "other": None},
        "funding_plan": {"mar": "0", "jun": "0", "oct": "0", "dec": "100"},
        "goals": ["【待填写】项目绩效目标"],
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "改厕户数", "value": "≥1200 户"},
            {"level1": "产出指标", "level2": "质量指标", "name": "验收合格率", "value": "100%"},
            {"level1": "满意度指标", "level2": "【待填写】二级指标", "name": "群众满意度",
             "value": "95%"},
        ],
    }
    assert part.comments == {
        "unit_code": "单位编码未知，待填写",
        "unit_name": "单位名称未知，待填写",
        "code": "项目编码未知，待填写",
        "name": "项目名称未知，待填写",
        "budget.total": "预算数未知，待填写",
        "funding_plan": "资金支出计划未知，暂按 0、0、0、100 填写，待核实",
        "goals": "项目绩效目标未知，待填写",
        "indicators": "从“Sheet1”表第 2–4 行读入",
        "indicators.1.level1": "一级指标空白，沿用上一行的“产出指标”",
        "indicators.2.level2": "二级指标空白，待填写",
    }
    ProjectFile.model_validate(plain(part.values))


def test_rows_and_cells_without_a_place_are_reported(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "备注"])
    ws.append(["执法工作经费", "产出指标", "数量指标", "执法次数", ">15 次", "见附件"])  # row 2
    ws.append([None, "产出指标", "质量指标", None, "100%"])                         # row 3
    ws.append([None, "产出指标", "时效指标", "报账时间"])                            # row 4
    ws.append([])                                                                   # row 5
    ws.append(["执法工作经费", None, None, None, None])                              # row 6
    draft = read(tmp_path, wb)
    [part] = draft.projects
    assert part.values["name"] == "执法工作经费"
    assert [i["name"] for i in part.values["indicators"]] == ["执法次数"]
    assert part.unplaced == ["备注：见附件", "一级指标：产出指标；二级指标：质量指标；指标值：100%",
                             "一级指标：产出指标；二级指标：时效指标；三级指标：报账时间"]
    assert [(p.path, p.line, p.col, p.level, p.rule, p.message) for p in draft.problems] == [
        ("draft.xlsx", 2, 6, Level.WARNING, "import",
         "工作表“指标”第 2 行第 6 列: column '备注' has no place in a project file: 备注：见附件"),
        ("draft.xlsx", 3, 4, Level.WARNING, "import",
         "工作表“指标”第 3 行第 4 列: no 三级指标 in this row: "
         "一级指标：产出指标；二级指标：质量指标；指标值：100%"),
        ("draft.xlsx", 4, 5, Level.WARNING, "import",
         "工作表“指标”第 4 行第 5 列: no 指标值 in this row: "
         "一级指标：产出指标；二级指标：时效指标；三级指标：报账时间"),
    ]


def test_conflicting_project_values_keep_the_first(tmp_path: Path) -> None:
    wb = budget_workbook()
    wb["项目"].append([*A, "万元", 7, None, None, None, None, None, None, None, None])
    draft = read(tmp_path, wb)
    a = draft.projects[0]
    assert a.values["budget"]["total"] == "6.19"
    assert a.unplaced == ["预算数：7"]
    assert [p.message for p in draft.problems] == [
        "工作表“项目”第 4 行第 6 列: differs from the value read first ('6.19'): 预算数：7"]


def test_text_money_that_is_no_number_is_not_written(tmp_path: Path) -> None:
    wb = budget_workbook()
    wb["项目"]["F3"] = "约十一万"
    wb["项目"]["G3"] = "1,100.00"
    draft = read(tmp_path, wb)
    b = draft.projects[1]
    # 预算数 unreadable: inferred from its parts, the text kept for the author.
    assert b.values["budget"] == {"total": "1100.00", "fiscal": "1100.00", "other": "0"}
    assert b.comments["budget.total"] == "预算数未填，按财政资金与其他资金之和推定，请核对"
    assert b.unplaced == ["预算数：约十一万"]
    assert [(p.line, p.col) for p in draft.problems] == [(3, 6)]


def test_projects_grouped_by_name_and_in_order(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "项目名称", "一级指标", "二级指标", "三级指标", "指标值"])
    ws.append([1, "乙项目", "产出指标", "数量指标", "n1", "1 个"])
    ws.append([2, "甲项目", "产出指标", "数量指标", "n2", "2 个"])
    ws.append([3, "乙项目", "产出指标", "数量指标", "n3", "3 个"])
    ws.append([4])  # a numbered empty row
    draft = read(tmp_path, wb)
    assert draft.problems == []
    assert [p.values["name"] for p in draft.projects] == ["乙项目", "甲项目"]
    assert [i["name"] for i in draft.projects[0].values["indicators"]] == ["n1", "n3"]
    assert draft.projects[0].comments["indicators"] == "从“Sheet”表第 2、4 行读入"


def test_two_row_header_and_money_unit_from_the_header(tmp_path: Path) -> None:
    wb = budget_workbook()
    del wb["项目"]
    sheet = wb.create_sheet("项目")
    sheet.append(["项目编码", "项目名称", "预算数（万元）", "其中：财政资金", "资金支出计划（%）", None,
                  None, None])
    sheet.append([None, None, None, None, "3月底", "6月底", "10月底", "12月底"])
    for col in "ABCD":
        sheet.merge_cells(f"{col}1:{col}2")
    sheet.merge_cells("E1:H1")
    sheet.append([A[2], A[3], 6.19, 6.19, 0.25, 0.5, 0.75, 1])
    for col in "EFGH":
        sheet[f"{col}3"].number_format = "0%"
    draft = read(tmp_path, wb)
    assert draft.problems == []
    a = draft.projects[0]
    assert a.values["money_unit"] == "万元"
    assert a.comments["money_unit"] == "取自预算数列标题中的“万元”"
    assert a.values["budget"] == {"total": "6.19", "fiscal": "6.19", "other": None}
    assert a.values["funding_plan"] == {"mar": "25", "jun": "50", "oct": "75", "dec": "100"}


def test_numbers_are_written_as_short_as_they_read(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位"])
    for i, number in enumerate([95.0, 0.62, 1.2, 0.1 + 0.2, 1e-05, 120000.0, 3]):
        ws.append(["产出指标", "数量指标", f"n{i}", "≥", number, "个"])
    ws.append(["产出指标", "时效指标", "完成时间", "≤", datetime.date(2025, 10, 31), None])
    ws.append(["产出指标", "时效指标", "文字", "定性", " 按期完成 ", None])
    draft = read(tmp_path, wb)
    values = [i["value"] for i in draft.projects[0].values["indicators"]]
    assert values == ["≥95 个", "≥0.62 个", "≥1.2 个", "≥0.3 个", "≥0.00001 个", "≥120000 个",
                      "≥3 个", "≤2025年10月31日", "按期完成"]


def test_unknown_operator_is_kept_and_said(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["一级指标", "二级指标", "三级指标", "计算符号", "指标值", "计量单位"])
    ws.append(["产出指标", "数量指标", "n", "≈", 5, "个"])
    ws.append(["产出指标", "数量指标", "m", "大于等于", 5, "个"])
    ws.append(["产出指标", "数量指标", "k", "定性", "≥5个", "个"])
    part = read(tmp_path, wb).projects[0]
    assert [i["value"] for i in part.values["indicators"]] == ["≈5 个", "≥5 个", "≥5个"]
    assert part.comments["indicators.0.value"] == "计算符号“≈”不是常用符号，已照原样写在数值前"


def test_line_breaks_in_single_line_cells_are_joined(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["项目名称", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"])
    ws.append(["执法工作\n经费", "产出指标", "数量指标", "执法次数", "反映 \n 执法次数", ">15 次"])
    part = read(tmp_path, wb).projects[0]
    assert part.values["name"] == "执法工作经费"
    assert part.values["indicators"][0]["description"] == "反映执法次数"
    assert part.comments["name"] == "“项目名称”单元格内的换行已合并为一行"
    assert part.comments["indicators.0.description"] == "“绩效指标描述”单元格内的换行已合并为一行"


def test_sheet_without_usable_header(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "指标"
    ws.append(["一级指标", "二级指标", "名称", "目标"])
    ws.append(["产出指标", "数量指标", "执法次数", ">15 次"])
    other = wb.create_sheet("说明")
    other.append(["填报说明"])
    draft = read(tmp_path, wb)
    assert draft.projects == []
    assert [(p.line, p.col, p.level, p.rule, p.message) for p in draft.problems] == [
        (1, 1, Level.ERROR, "import",
         "sheet '指标' lacks the columns 三级指标、指标值; an indicator sheet needs 一级指标, "
         "二级指标, 三级指标 and 指标值")]


def test_header_below_row_ten_is_not_found(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for _ in range(10):
        ws.append(["标题"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    draft = read(tmp_path, wb)
    assert draft.projects == []
    assert [p.message for p in draft.problems] == [
        "no sheet has the columns 一级指标, 二级指标, 三级指标 and 指标值 in its first 10 rows"]


def test_an_unrelated_sheet_is_reported_once(tmp_path: Path) -> None:
    wb = budget_workbook()
    wb.create_sheet("说明").append(["填报说明"])
    hidden = wb.create_sheet("码表")
    hidden.append(["产出指标"])
    hidden.sheet_state = "hidden"
    draft = read(tmp_path, wb)
    assert [(p.level, p.message) for p in draft.problems] == [
        (Level.WARNING, "sheet '说明' was not read: it has no indicator or project columns")]


def test_not_a_workbook(tmp_path: Path) -> None:
    draft = read_xlsx(tmp_path / "x.xlsx", b"PK\x05\x06" + bytes(18), "x.xlsx")
    assert draft.projects == []
    [problem] = draft.problems
    assert (problem.level, problem.rule) == (Level.ERROR, "import")
    assert problem.message.startswith("cannot read this workbook: ")


def test_placeholder_document_validates() -> None:
    part = placeholder_document("承德县三家镇人民政府", 2025)
    assert part.values == {
        "unit": "承德县三家镇人民政府",
        "year": "2025",
        "cover": {"title": "部门预算绩效文本", "draft_marker": "（草案）",
                  "compiled_by": "承德县三家镇人民政府编制", "reviewed_by": "【待填写】财政局审核"},
        "settings": {"decimals": "2", "profile": "default"},
        "overall_goal": Prose(("【待填写】总体绩效目标",)),
    }
    assert type(part.values["year"]) is Number
    assert list(part.values) == ["unit", "year", "cover", "settings", "overall_goal"]
    DocumentFile.model_validate(plain(part.values))


def test_placeholder_document_defaults() -> None:
    part = placeholder_document(None, None, unit_code="912001", unit_name="某镇本级",
                                money_unit="万元")
    year = datetime.date.today().year + 1
    assert part.values["unit"] == "【待填写】单位名称"
    assert part.values["year"] == str(year)
    assert part.values["cover"]["compiled_by"] == "【待填写】编制单位"
    assert list(part.values) == ["unit", "year", "unit_code", "unit_name", "money_unit", "cover",
                                 "settings", "overall_goal"]
    assert part.comments["year"] == f"年度未知，暂按 {year} 年填写，待核实"
    assert set(part.comments) == {"unit", "year", "cover.compiled_by", "cover.reviewed_by",
                                  "overall_goal"}
    model = DocumentFile.model_validate(plain(part.values))
    assert model.year == year


def test_placeholder_goals_validate() -> None:
    part = placeholder_goals()
    model = GoalsFile.model_validate(plain(part.values))
    assert len(model.itemized_goals) == 1 and len(model.measures) == 1
    texts = [model.itemized_goals[0].title, model.itemized_goals[0].goal,
             model.itemized_goals[0].indicators, model.measures[0].lead, model.measures[0].body]
    assert all(t.startswith("【待填写】") for t in texts)
    assert set(part.comments) == {"itemized_goals", "measures"}


def test_a_project_only_on_the_project_sheet_gets_a_placeholder_indicator(tmp_path: Path) -> None:
    wb = budget_workbook()
    wb["项目"].append([*UNIT, "13082125P00099999999J", "只在项目表", "万元", 3, 3, None, None,
                       None, None, None, None, None])
    draft = read(tmp_path, wb)
    assert draft.problems == []
    c = draft.projects[2]
    assert c.values["name"] == "只在项目表"
    assert c.values["indicators"] == [{"level1": "【待填写】一级指标", "level2": "【待填写】二级指标",
                                       "name": "【待填写】三级指标", "value": "【待填写】指标值"}]
    assert c.values["goals"] == ["【待填写】项目绩效目标"]
    assert c.comments == {"budget": "从“项目”表第 4 行读入",
                          "funding_plan": "资金支出计划未知，暂按 0、0、0、100 填写，待核实",
                          "goals": "项目绩效目标未知，待填写",
                          "indicators": "未读到绩效指标，待填写"}
    ProjectFile.model_validate(plain(c.values))


def test_a_partly_known_spending_plan_notes_each_guess(tmp_path: Path) -> None:
    wb = budget_workbook()
    wb["项目"]["J2"] = None
    wb["项目"]["M2"] = None
    a = read(tmp_path, wb).projects[0]
    assert a.values["funding_plan"] == {"mar": "0", "jun": "50", "oct": "75", "dec": "100"}
    assert a.comments["funding_plan.mar"] == "3月底未填，暂按 0 填写，待核实"
    assert a.comments["funding_plan.dec"] == "12月底未填，暂按 100 填写，待核实"
