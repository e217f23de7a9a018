from tests.rules.conftest import dedent

from perfdoc.problems import Problem

RULE = "placeholder"

HEAD = """
    unit_code: "912001"
    unit_name: 某县农业农村局本级
    code: 13082124P00011110021J
    name: 人居环境整治经费
    budget: {total: 11.00, fiscal: 11.00}
    funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
"""


def project(goals, *rows, head=HEAD):
    lines = "".join(f"      - {row}\n" for row in rows)
    return head + f"    goals: [{', '.join(goals)}]\n    indicators:\n" + lines


ROW = "{level1: 产出指标, level2: 数量指标, name: 改厕户数, value: ≥1200 户}"


def test_a_finished_project_passes(check):
    check(project(["完成农村户厕改造"], ROW))


def test_a_marked_goal_is_reported_at_the_goal(check):
    check(project(["完成农村户厕改造", "【待填写】项目绩效目标"], ROW), problem=(7, 19),
          message="still holds the placeholder 【待填写】: '【待填写】项目绩效目标'; write the real text")


def test_every_marked_indicator_cell_is_reported_once(check):
    row = "{level1: 【待填写】一级指标, level2: 数量指标, name: 【待填写】【待填写】, value: 【待填写】指标值}"
    check(project(["完成农村户厕改造"], row), problems=[(9, 14), (9, 45), (9, 64)])


def test_marked_name_and_code_are_reported(check):
    head = HEAD.replace("code: 13082124P00011110021J", "code: 【待填写】项目编码").replace(
        "name: 人居环境整治经费", "name: 【待填写】项目名称")
    check(project(["完成农村户厕改造"], ROW, head=head), problems=[(3, 7), (4, 7)])


def test_a_budget_of_zero_is_reported(check):
    head = HEAD.replace("{total: 11.00, fiscal: 11.00}", "{total: 0}")
    check(project(["完成农村户厕改造"], ROW, head=head), problem=(5, 17),
          message="预算数 is 0; fill in the project's budget")


def test_a_fiscal_part_of_zero_is_not_reported(check):
    head = HEAD.replace("{total: 11.00, fiscal: 11.00}", "{total: 11.00, fiscal: 11.00, other: 0}")
    check(project(["完成农村户厕改造"], ROW, head=head))


def test_document_and_goals_fields_are_reported(make_document, rules):
    folder = make_document()
    meta = folder / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace("reviewed_by: 承德县财政局审核", "reviewed_by: 【待填写】财政局审核")
    text = text.replace("overall_goal: >-\n", "overall_goal: |\n  【待填写】总体绩效目标\n")
    meta.write_text(text, encoding="utf-8")
    goals = folder / "goals.yaml"
    goals.write_text(dedent("""
        itemized_goals:
          - title: 【待填写】分项绩效目标
            goal: |
              【待填写】绩效目标
            indicators: 做好森林草原防灭火工作
        measures:
          - lead: 加强组织领导。
            body: 【待填写】保障措施正文
    """), encoding="utf-8")
    found = [p for p in rules(folder) if p.rule in (RULE, "schema")]
    places = [(p.path.rsplit("/", 1)[-1], p.line, p.col) for p in found]
    assert places == [
        ("document.yaml", 9, 16), ("document.yaml", 13, 15),
        ("goals.yaml", 2, 12), ("goals.yaml", 3, 11), ("goals.yaml", 8, 11),
    ]
    assert all(p.level.value == "warning" for p in found)


def test_a_shared_value_is_reported_once_in_document_yaml(make_document, rules, merge):
    project_text = merge("name: 执法工作经费")
    for key in ("unit_code", "unit_name"):
        project_text = "\n".join(
            line for line in project_text.splitlines() if not line.startswith(f"{key}:"))
    folder = make_document(projects={"01-a.yaml": project_text, "02-b.yaml": project_text.replace(
        "13082124P00011110021J", "13082124P00011110022J").replace("执法工作经费", "执法工作经费二")})
    meta = folder / "document.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "year: 2024\n", "year: 2024\nunit_code: 【待填写】单位编码\nunit_name: 某镇本级\n")
    meta.write_text(text, encoding="utf-8")
    found: list[Problem] = [p for p in rules(folder) if p.rule in (RULE, "schema")]
    assert [(p.path.rsplit("/", 1)[-1], p.line) for p in found] == [("document.yaml", 5)]
