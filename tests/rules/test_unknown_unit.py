RULE = "unknown-unit"

HEAD = """
    unit_code: "912001"
    unit_name: 某县农业农村局本级
    code: 13082124P00011110021J
    name: 畜牧业发展资金
    budget: {total: 11.00, fiscal: 11.00}
    funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
    goals: [稳定生猪生产]
    indicators:
"""


def project(*values: str) -> str:
    rows = "".join(
        f'      - {{level1: 产出指标, level2: 数量指标, name: n{i}, value: "{v}"}}\n'
        for i, v in enumerate(values))
    return HEAD + rows


def test_units_of_the_trade_with_prefixes_alternatives_and_rates(check):
    check(project("≥120 万头（只）", "42 万亩", "≥3 亿斤", "≤5 千瓦", "≥2 个百分点",
                  "≤1200 元/人", "3个工作日内", "≥95%以上", "≥80 羽", "=2 兆瓦"))


def test_unknown_unit_is_located_with_a_safe_suggestion(check):
    check(project("24 万"), problem=(9, 51),
          message="unknown unit '万' in 指标值 '24 万'; did you mean '万元'?; if it is right, "
                  "add it to the unknown-unit rule's units option")


def test_no_suggestion_that_changes_the_amount(check):
    # 万亩 is known; 千亩 is not, and 亩 would make the amount a thousand times smaller.
    check(project("42 千亩"), problem=(9, 51),
          message="unknown unit '千亩' in 指标值 '42 千亩'; if it is right, add it to the "
                  "unknown-unit rule's units option")


def test_a_document_adds_its_own_units(check):
    check(project("≥500 标准箱"), {"options": {"units": ["标准箱"]}})
