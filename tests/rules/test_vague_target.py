RULE = "vague-target"

HEAD = """
    unit_code: "912001"
    unit_name: 某县农业农村局本级
    code: 13082124P00011110021J
    name: 人居环境整治经费
    budget: {total: 11.00, fiscal: 11.00}
    funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
"""


def project(goals, *values):
    rows = "".join(
        f'      - {{level1: 产出指标, level2: 数量指标, name: n{i}, value: "{v}"}}\n'
        for i, v in enumerate(values))
    return HEAD + f"    goals: [{', '.join(goals)}]\n    indicators:\n" + rows


def test_checkable_targets_pass(check):
    check(project(["完成农村户厕改造"], "≥95%", ">15 次", "持续使用"))


def test_vague_value_is_reported_once_with_the_longest_phrase(check):
    check(project(["完成农村户厕改造"], "≥95%", "明显改善"), problem=(10, 51),
          message="指标值 '明显改善' is vague ('明显改善'); reviewers ask for a checkable "
                  "target such as ≥95%")


def test_vague_goal_is_reported_at_the_goal(check):
    check(project(["完成农村户厕改造", "进一步提高群众满意度"], "≥95%"), problem=(7, 19),
          message="绩效目标 '进一步提高群众满意度' is vague ('进一步'); reviewers ask for a goal "
                  "whose result can be checked, with an amount or a date")


def test_goal_and_values_each_reported(check):
    check(project(["稳步推进"], "有效提升", "不断提高"),
          problems=[(7, 9), (9, 51), (10, 51)])


def test_a_document_adds_its_own_phrases(check):
    source = project(["大力推进人居环境整治"], "≥95%")
    check(source)
    check(source, {"options": {"phrases": ["大力推进"]}}, problem=(7, 9))
