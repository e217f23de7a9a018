RULE = "quantified-value"


def test_values_with_numbers(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
          - {level1: 产出指标, level2: 时效指标, name: 完成时间, value: 2024年12月底前}
          - {level1: 效益指标, level2: 社会效益指标, name: 投诉降低率, value: "≥50%"}
        """)


def test_qualitative_value(check):
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
            level2: 生态效益指标
            name: 使用节能减排产品
            value: 持续使用
        """, problem=(12, 12),
        message="指标值 '持续使用' is qualitative (it has no number); a quantified target such "
                "as ≥95%, ≤7 工作日 can be checked at the end of the year")
