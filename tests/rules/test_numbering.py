from perfdoc.problems import Level

RULE = "numbering"

HEAD = """
    unit_code: "912001"
    unit_name: 承德县三家镇人民政府本级
    code: 13082124P00011110021J
    name: 执法工作经费
    budget: {total: 11.00, fiscal: 11.00}
    funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
    indicators:
      - {level1: 产出指标, level2: 数量指标, name: a, value: ">15 次"}
"""


def test_unnumbered_goals_are_numbered_by_perfdoc(check):
    check(HEAD + "    goals: [行政执法工作运转保障, 提高执法效率]\n")


def test_goals_numbered_by_hand_are_an_info(check):
    [problem] = check(HEAD + '    goals: ["1.行政执法工作运转保障", "2、提高执法效率"]\n',
                      problem=(9, 9),
                      message="these items are numbered already; perfdoc prints them as "
                              "written and adds no numbers")
    assert problem.level is Level.INFO


def test_half_numbered_goals_are_a_warning(check):
    [problem] = check(HEAD + '    goals: ["（1）行政执法工作运转保障", 提高执法效率]\n',
                      problem=(9, 26))
    assert problem.level is Level.WARNING
