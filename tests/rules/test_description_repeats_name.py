RULE = "description-repeats-name"

HEAD = """
    unit_code: "912001"
    unit_name: 某县农业农村局本级
    code: 13082124P00011110021J
    name: 执法工作经费
    budget: {total: 11.00, fiscal: 11.00}
    funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
    goals: [行政执法工作运转保障]
    indicators:
"""


def row(name, description):
    return (f"      - {{level1: 产出指标, level2: 质量指标, name: {name}, "
            f"description: '{description}', value: '100%'}}\n")


def test_a_description_that_explains_passes(check):
    check(HEAD + row("经费使用合规率", "反映经费使用是否合规") + row("执法次数", ""))


def test_a_description_that_repeats_the_name_is_reported(check):
    check(HEAD + row("经费使用合规率", "经费使用合规率"), problem=(9, 62),
          message="绩效指标描述 '经费使用合规率' only repeats the 三级指标 name; say what the "
                  "indicator measures")


def test_spaces_are_ignored(check):
    check(HEAD + row("经费使用合规率", "经费使用\u3000合规率 ") + row("执法次数", "执法 次数"),
          problems=[(9, 62), (10, 59)])
