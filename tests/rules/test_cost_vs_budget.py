RULE = "cost-vs-budget"


def test_cost_within_budget(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 6.19, fiscal: 6.19}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 成本指标, name: 资金总成本, value: "≤6.19 万元"}
          - {level1: 产出指标, level2: 成本指标, name: 人均成本, value: "≤3600 元"}
          - {level1: 产出指标, level2: 质量指标, name: 每村受益金额, value: "80 万元"}
        """)


def test_cost_above_budget(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 驻村工作队综合经费
        budget: {total: 6.19, fiscal: 6.19}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [对省级驻村工作组进行经费保障]
        indicators:
          - level1: 产出指标
            level2: 成本指标
            name: 资金总成本
            value: "24 万元"
        """, problem=(12, 12),
        message="成本指标 '资金总成本' is 24 万元, more than the project's 预算数 of 6.19 万元")


def test_yuan_value_against_wan_budget(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 6.19, fiscal: 6.19}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 产出指标
            level2: 成本指标
            name: 资金总成本
            value: "≤62000 元"
        """, problem=(12, 12))


def test_budget_in_yuan(check):
    source = """
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        money_unit: 元
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 61900, fiscal: 61900}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 产出指标
            level2: 成本指标
            name: 资金总成本
            value: "{value}"
        """
    check(source.replace("{value}", "6.19 万元"))
    check(source.replace("{value}", "6.2 万元"), problem=(13, 12))


def test_profile_101_cost_level1(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 6.19, fiscal: 6.19}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 成本指标
            level2: 经济成本指标
            name: 资金总成本
            value: "24 万元"
        """, profile="101", problem=(12, 12))
