RULE = "less-than-one"

HEAD = """
    unit_code: "912001"
    unit_name: 某县应急管理局本级
    code: 13082124P00011110021J
    name: 安全生产经费
    budget: {total: 11.00, fiscal: 11.00}
    funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
    goals: [防范安全事故]
    indicators:
"""


def project(*values):
    rows = "".join(
        f'      - {{level1: 效益指标, level2: 社会效益指标, name: n{i}, value: "{v}"}}\n'
        for i, v in enumerate(values))
    return HEAD + rows


def test_zero_and_real_bounds_pass(check):
    check(project("0 起", "<2 起", "≤1 次", "<1 小时", "<1%", "<1 个工作日", "<1.5 次"))


def test_less_than_one_count_is_reported(check):
    check(project("0 起", "＜1 次"), problem=(10, 53),
          message="指标值 '＜1 次' means none (fewer than one 次 is zero); write '0 次'")


def test_every_spelling_of_less_than(check):
    check(project("<1 起", "小于1起", "少于 1 件"), problems=[(9, 53), (10, 53), (11, 53)])
