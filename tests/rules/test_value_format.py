RULE = "value-format"


def test_well_formed_and_qualitative_values(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: a, value: ">15 次"}
          - {level1: 产出指标, level2: 质量指标, name: b, value: "100%"}
          - {level1: 产出指标, level2: 时效指标, name: c, value: "≤7 工作日"}
          - {level1: 产出指标, level2: 时效指标, name: d, value: "3个工作日内"}
          - {level1: 产出指标, level2: 时效指标, name: e, value: 2024年12月31日前}
          - {level1: 产出指标, level2: 成本指标, name: f, value: "24 万元"}
          - {level1: 产出指标, level2: 成本指标, name: g, value: 小于等于核定数}
          - {level1: 效益指标, level2: 社会效益指标, name: h, value: 有效提升}
          - {level1: 效益指标, level2: 社会效益指标, name: i, value: "95%以上"}
        """)


def test_percentage_above_100(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 产出指标
            level2: 质量指标
            name: 工作队员后勤保障率
            value: "≥120%"
        """, problem=(12, 12),
        message="指标值 '≥120%' is a percentage above 100; a percentage is from 0 to 100")


def test_operator_without_a_number(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 效益指标
            level2: 经济效益指标
            name: 资金使用率
            value: "≥百分之九十五"
        """, problem=(12, 12),
        message="指标值 '≥百分之九十五' cannot be read as operator + number + unit, "
                "e.g. ≥95%, >15 次, ≤7 工作日; write a text target in words")


def test_full_width_digits(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 效益指标
            level2: 经济效益指标
            name: 资金使用率
            value: "≥９５％"
        """, problem=(12, 12),
        message="指标值 '≥９５％' uses full-width digits; write them as 0–9, e.g. ≥95%")


def test_thousands_separator(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 产出指标
            level2: 成本指标
            name: 人均办公费
            value: "≤3,600 元"
        """, problem=(12, 12))
