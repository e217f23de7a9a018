"""``perfdoc diff OLD NEW``: the year-over-year comparison of two document folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from perfdoc.diff import compare_values
from tests.conftest import EXAMPLE, edit

P1 = "projects/01-zhucun.yaml"
P2 = "projects/02-zhifa.yaml"
CODE1 = "13082123P00007010010J"
NAME1 = "2023 年省级衔接推进乡村振兴补助资金（驻村工作队综合经费）冀财农【2022】160 号"
CODE2 = "13082124P00011110021J"
NAME2 = "执法工作经费"
PROJECT1 = {"code": CODE1, "name": NAME1}
PROJECT2 = {"code": CODE2, "name": NAME2}
#: The example's values: per project 预算数, 财政资金 (其他资金 is empty) and 11 indicators.
EXAMPLE_VALUES = 2 * (2 + 11)

NEW_INDICATOR = """  - level1: 产出指标
    level2: 数量指标
    name: 执法检查次数
    description: 全年开展执法检查的次数
    value: "≥12 次"
    basis: 计划标准
"""


def _copy(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build"))
    return target


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """Last year's document: the example as it is."""
    return _copy(tmp_path / "old")


@pytest.fixture
def new(tmp_path: Path) -> Path:
    """This year's document: a copy of the example for each test to change."""
    return _copy(tmp_path / "new")


def _json(cli: Any, old: Path, new: Path) -> dict[str, Any]:
    run = cli("diff", old, new, "--format", "json")
    assert run.code == 0, run.out + run.err
    result: dict[str, Any] = json.loads(run.out)
    return result


def _five_changes(new: Path) -> None:
    """Change three values (stricter up, stricter down, looser), add and remove an indicator."""
    edit(new / P1, 'value: "≥95%"\n    basis: 资金拨付单', 'value: "≥98%"\n    basis: 资金拨付单')
    edit(new / P1, '"≤7 工作日"', '"≤5 工作日"')
    edit(new / P1, '">15 次"', '">10 次"')
    edit(new / P1, """  - level1: 产出指标
    level2: 质量指标
    name: 每村受益金额
    description: 每村受益金额
    value: "8 万元"
    basis: 资金拨付单
""", "")
    text = (new / P2).read_text(encoding="utf-8")
    (new / P2).write_text(text + NEW_INDICATOR, encoding="utf-8")


def _changed(indicator: list[str], old: str, new: str, direction: str | None,
             strictness: str | None) -> dict[str, Any]:
    return {"kind": "changed", "project": PROJECT1, "indicator": indicator, "field": "value",
            "old": old, "new": new, "direction": direction, "strictness": strictness}


# --------------------------------------------------------------------------- JSON


def test_json_reports_exactly_the_five_changes(cli, old: Path, new: Path) -> None:
    _five_changes(new)
    result = _json(cli, old, new)
    assert result["old"] == {"unit": "承德县三家镇人民政府", "year": 2024}
    assert result["new"] == result["old"]
    assert result["changes"] == [
        _changed(["产出指标", "数量指标", "开展帮扶活动次数"], ">15 次", ">10 次", "down", "looser"),
        _changed(["产出指标", "时效指标", "报账时间"], "≤7 工作日", "≤5 工作日", "down",
                 "stricter"),
        _changed(["效益指标", "经济效益指标", "资金使用率"], "≥95%", "≥98%", "up", "stricter"),
        {"kind": "removed", "project": PROJECT1, "indicator": ["产出指标", "质量指标", "每村受益金额"],
         "field": None, "old": "8 万元", "new": None, "direction": None, "strictness": None},
        {"kind": "added", "project": PROJECT2, "indicator": ["产出指标", "数量指标", "执法检查次数"],
         "field": None, "old": None, "new": "≥12 次", "direction": None, "strictness": None},
    ]
    # Everything else is unchanged, and listed as such: 3 values changed, 1 removed.
    unchanged = result["unchanged"]
    assert len(unchanged) == EXAMPLE_VALUES - 4
    assert unchanged[0] == {"project": PROJECT1, "indicator": None, "field": "budget.total",
                            "value": "6.19 万元"}
    assert {"project": PROJECT1, "indicator": ["满意度指标", "服务对象满意度指标", "群众满意度"],
            "field": "value", "value": "≥95%"} in unchanged
    assert all(set(u) == {"project", "indicator", "field", "value"} for u in unchanged)


def test_the_example_against_itself_has_no_changes(cli, old: Path) -> None:
    result = _json(cli, old, EXAMPLE)
    assert result["changes"] == []
    assert len(result["unchanged"]) == EXAMPLE_VALUES
    run = cli("diff", EXAMPLE, EXAMPLE)
    assert run.code == 0
    assert run.out.splitlines()[1] == f"0 change(s), {EXAMPLE_VALUES} value(s) unchanged"
    assert run.out.count("no changes") == 2


def test_projects_added_and_removed(cli, old: Path, new: Path) -> None:
    (new / P2).unlink()
    text = (old / P2).read_text(encoding="utf-8")
    text = text.replace(CODE2, "13082125P00012120021J").replace(f"name: {NAME2}", "name: 网格化管理经费")
    (new / "projects" / "03-wangge.yaml").write_text(text, encoding="utf-8")
    result = _json(cli, old, new)
    none = {"indicator": None, "field": None, "old": None, "new": None, "direction": None,
            "strictness": None}
    assert result["changes"] == [
        {"kind": "added", "project": {"code": "13082125P00012120021J", "name": "网格化管理经费"},
         **none},
        {"kind": "removed", "project": PROJECT2, **none},
    ]
    assert len(result["unchanged"]) == EXAMPLE_VALUES // 2  # project 1 only
    run = cli("diff", old, new)
    assert "  + added project: budget 11.00 万元, 11 indicator(s)" in run.out.splitlines()
    assert "  - removed project: budget 11.00 万元, 11 indicator(s)" in run.out.splitlines()


def test_a_project_whose_code_changed_is_matched_by_name(cli, old: Path, new: Path) -> None:
    edit(new / P2, f"code: {CODE2}", "code: 13082125P00011110021J")
    edit(new / P2, '"≥8 小时"', '"≥6 小时"')
    result = _json(cli, old, new)
    moved = {"code": "13082125P00011110021J", "name": NAME2}
    assert result["changes"] == [
        {"kind": "changed", "project": moved, "indicator": None, "field": "code",
         "old": CODE2, "new": "13082125P00011110021J", "direction": None, "strictness": None},
        {"kind": "changed", "project": moved, "indicator": ["产出指标", "数量指标", "工作日保障单位运转"],
         "field": "value", "old": "≥8 小时", "new": "≥6 小时", "direction": "down",
         "strictness": "looser"},
    ]
    assert len(result["unchanged"]) == EXAMPLE_VALUES - 1


def test_a_renamed_project_is_matched_by_code(cli, old: Path, new: Path) -> None:
    edit(new / P2, f"name: {NAME2}", "name: 综合行政执法工作经费")
    (change,) = _json(cli, old, new)["changes"]
    assert change["field"] == "name"
    assert (change["old"], change["new"]) == (NAME2, "综合行政执法工作经费")


def test_budget_in_yuan_against_wan(cli, old: Path, new: Path) -> None:
    # 6.19 万元 becomes 70000 元, of which 61900 元 fiscal (the same amount) and 8100 元 other.
    edit(new / P1, "money_unit: 万元", "money_unit: 元")
    edit(new / P1, "  total: 6.19", "  total: 70000")
    edit(new / P1, "  fiscal: 6.19", "  fiscal: 61900")
    edit(new / P1, "  other:\n", "  other: 8100\n")
    result = _json(cli, old, new)
    budget = {"kind": "changed", "project": PROJECT1, "indicator": None, "strictness": None}
    assert result["changes"] == [
        {**budget, "field": "budget.total", "old": "6.19 万元", "new": "70000 元",
         "direction": "up", "difference": "+0.81"},
        {**budget, "field": "budget.other", "old": None, "new": "8100 元",
         "direction": "up", "difference": "+0.81"},
    ]
    assert {"project": PROJECT1, "indicator": None, "field": "budget.fiscal",
            "value": "61900 元"} in result["unchanged"]
    text = cli("diff", old, new).out.splitlines()
    assert "  ~ 预算数 (budget.total): 6.19 万元 → 70000 元 (up +0.81 万元)" in text


def test_a_budget_cut(cli, old: Path, new: Path) -> None:
    edit(new / P2, "  total: 11.00", "  total: 9.50")
    edit(new / P2, "  fiscal: 11.00", "  fiscal: 9.50")
    changes = _json(cli, old, new)["changes"]
    assert [(c["field"], c["direction"], c["difference"]) for c in changes] == [
        ("budget.total", "down", "-1.50"), ("budget.fiscal", "down", "-1.50")]


def test_description_and_basis_changes(cli, old: Path, new: Path) -> None:
    edit(new / P1, "description: 资金报账后拨付的时间", "description: 资金报账后拨付到村的时间")
    edit(new / P2, "    value: \"≥95%\"\n    basis: 内控考核", "    value: \"≥95%\"\n    basis: 财务报表")
    changes = _json(cli, old, new)["changes"]
    assert [(c["indicator"][2], c["field"], c["old"], c["new"], c["direction"]) for c in changes] == [
        ("报账时间", "description", "资金报账后拨付的时间", "资金报账后拨付到村的时间", None),
        ("经费支出准确率", "basis", "内控考核", "财务报表", None),
    ]


def test_qualitative_and_operator_changes_are_not_comparable(cli, old: Path, new: Path) -> None:
    edit(new / P2, '"有效提升"', '"明显提升"')
    edit(new / P2, 'value: "≥95%"', 'value: ">95%"')
    changes = _json(cli, old, new)["changes"]
    assert [(c["new"], c["direction"], c["strictness"]) for c in changes] == [
        (">95%", None, None), ("明显提升", None, None)]
    text = cli("diff", old, new).out
    assert "~ 产出指标 / 质量指标 / 经费支出准确率: ≥95% → >95% (same number; not comparable)" in text
    assert "~ 效益指标 / 可持续影响指标 / 提高纠纷处理效率: 有效提升 → 明显提升 (not comparable)" in text


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("≥95%", "≥98%", (False, "up", "stricter")),
    ("≤7 工作日", "≤5 工作日", (False, "down", "stricter")),
    (">15 次", ">10 次", (False, "down", "looser")),
    ("<1 起", "<3 起", (False, "up", "looser")),
    ("3 个", "5 个", (False, "up", None)),            # "=": no direction of strictness
    ("≥95%", ">95%", (False, "same", None)),          # the operator changed
    ("≥90%", "≥95 分", (False, None, None)),          # the unit changed
    ("≤24 万元", "≤200000 元", (False, "down", None)),  # money converts; the unit still changed
    ("24 万元", "240000 元", (True, None, None)),       # the same amount, respelt
    (">=95%", "≥95%", (True, None, None)),
    ("≥95％", "≥95%", (True, None, None)),
    ("有效提升", "≥5%", (False, None, None)),
    ("有效提升", "有效提升", (True, None, None)),
])
def test_compare_values(old: str, new: str, expected: tuple[object, ...]) -> None:
    assert compare_values(old, new) == expected


# --------------------------------------------------------------------------- text and Markdown


def test_text_report_groups_changes_by_project(cli, old: Path, new: Path) -> None:
    _five_changes(new)
    run = cli("diff", old, new)
    assert run.code == 0
    out = run.out.splitlines()
    assert out[:2] == [
        "Comparing 承德县三家镇人民政府 (2024) with 承德县三家镇人民政府 (2024)",
        f"5 change(s), {EXAMPLE_VALUES - 4} value(s) unchanged",
    ]
    start = out.index(f"Project {CODE1} {NAME1}")
    assert out[start + 1:start + 6] == [
        "  ~ 产出指标 / 数量指标 / 开展帮扶活动次数: >15 次 → >10 次 (down; looser)",
        "  ~ 产出指标 / 时效指标 / 报账时间: ≤7 工作日 → ≤5 工作日 (down; stricter)",
        "  ~ 效益指标 / 经济效益指标 / 资金使用率: ≥95% → ≥98% (up; stricter)",
        "  - removed indicator 产出指标 / 质量指标 / 每村受益金额: 8 万元",
        "  9 value(s) unchanged",
    ]
    assert "    = 预算数 (budget.total): 6.19 万元" in out
    start = out.index(f"Project {CODE2} {NAME2}")
    assert out[start + 1:start + 3] == [
        "  + added indicator 产出指标 / 数量指标 / 执法检查次数: ≥12 次",
        "  13 value(s) unchanged",
    ]


def test_markdown_has_a_table_of_changes_and_one_of_unchanged_counts(cli, old: Path,
                                                                      new: Path) -> None:
    _five_changes(new)
    run = cli("diff", old, new, "--format", "markdown")
    assert run.code == 0
    out = run.out.splitlines()
    assert out[0] == "## Comparing 承德县三家镇人民政府 (2024) with 承德县三家镇人民政府 (2024)"
    assert "### Changes (5)" in out
    assert "| Project code | Project | Indicator | Change | Old | New | Number | Strictness |" in out
    for row in (
        f"| {CODE1} | {NAME1} | 效益指标 / 经济效益指标 / 资金使用率 | 指标值 (value) | ≥95% | ≥98% "
        "| up | stricter |",
        f"| {CODE1} | {NAME1} | 产出指标 / 时效指标 / 报账时间 | 指标值 (value) | ≤7 工作日 | ≤5 工作日 "
        "| down | stricter |",
        f"| {CODE1} | {NAME1} | 产出指标 / 数量指标 / 开展帮扶活动次数 | 指标值 (value) | >15 次 | >10 次 "
        "| down | looser |",
        f"| {CODE1} | {NAME1} | 产出指标 / 质量指标 / 每村受益金额 | removed indicator | 8 万元 | — | — | — |",
        f"| {CODE2} | {NAME2} | 产出指标 / 数量指标 / 执法检查次数 | added indicator | — | ≥12 次 | — | — |",
    ):
        assert row in out
    assert f"### Unchanged values by project ({EXAMPLE_VALUES - 4})" in out
    assert "| Project code | Project | Unchanged |" in out
    assert f"| {CODE1} | {NAME1} | 9 |" in out
    assert f"| {CODE2} | {NAME2} | 13 |" in out
    assert f"| Total | — | {EXAMPLE_VALUES - 4} |" in out


def test_markdown_escapes_pipes(cli, old: Path, new: Path) -> None:
    edit(new / P2, "description: 月度时序", "description: 月度|季度时序")
    out = cli("diff", old, new, "--format", "markdown").out
    assert "| 月度时序 | 月度\\|季度时序 |" in out


def test_markdown_without_changes(cli) -> None:
    out = cli("diff", EXAMPLE, EXAMPLE, "--format", "markdown").out.splitlines()
    assert "No changes." in out
    assert f"| Total | — | {EXAMPLE_VALUES} |" in out


def test_different_units_are_compared_with_a_note(cli, old: Path, new: Path) -> None:
    edit(new / "document.yaml", "unit: 承德县三家镇人民政府", "unit: 承德县三家镇")
    edit(new / "document.yaml", "year: 2024", "year: 2025")
    run = cli("diff", old, new)
    assert run.code == 0
    assert run.out.splitlines()[:3] == [
        "Comparing 承德县三家镇人民政府 (2024) with 承德县三家镇 (2025)",
        "note: the units differ (承德县三家镇人民政府, 承德县三家镇); compared anyway",
        f"0 change(s), {EXAMPLE_VALUES} value(s) unchanged",
    ]
    run = cli("diff", old, new, "--format", "json")
    assert json.loads(run.out)["new"] == {"unit": "承德县三家镇", "year": 2025}
    assert "note: the units differ" in run.err
    run = cli("diff", new, old)
    assert "note: NEW's year 2024 is before OLD's 2025; were they swapped?" in run.out


def test_long_values_are_never_shortened(cli, old: Path, new: Path) -> None:
    # Messages cut quotes at 80 characters; a report must not hide the change.
    long = "反映" + "工作日保障单位运转情况" * 10
    edit(new / P2, "description: 反映工作日保障单位运转情况", f"description: {long}")
    assert f"→ {long}" in cli("diff", old, new).out


# --------------------------------------------------------------------------- errors


def test_a_document_that_does_not_validate_is_reported_and_exits_1(cli, old: Path,
                                                                    new: Path) -> None:
    edit(new / P1, "  fiscal: 6.19", "  fiscle: 6.19")
    run = cli("diff", old, new)
    assert run.code == 1
    assert f"{P1}:10:3: [error] unknown key 'fiscle'; did you mean 'fiscal'? (schema)" in run.out
    run = cli("diff", old, new, "--format", "json")
    assert run.code == 1
    (problem,) = json.loads(run.out)
    assert problem["rule"] == "schema" and problem["path"].endswith(P1)


def test_a_folder_without_a_document_exits_1(cli, old: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    run = cli("diff", tmp_path / "empty", old)
    assert run.code == 1
    assert "no document.yaml here" in run.out


def test_paths_of_the_wrong_kind_are_usage_errors(cli, old: Path, new: Path,
                                                  tmp_path: Path) -> None:
    assert cli("diff", old, tmp_path / "missing").code == 2
    # A workspace of two documents is not one document.
    run = cli("diff", tmp_path, old)
    assert run.code == 2
    assert "holds 2 documents" in run.err
    # The path of a document.yaml means its folder.
    assert cli("diff", old / "document.yaml", new / "document.yaml").code == 0
