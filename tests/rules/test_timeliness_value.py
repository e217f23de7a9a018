RULE = "timeliness-value"


def test_spans_and_dates_name_a_time(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 时效指标, name: 报账时间, value: "≤7 工作日"}
          - {level1: 产出指标, level2: 时效指标, name: 完成时间, value: 2024年12月31日前}
          - {level1: 产出指标, level2: 时效指标, name: 拨付时间, value: 12月底前}
          - {level1: 产出指标, level2: 时效指标, name: 响应时间, value: "≤2 小时"}
          - {level1: 产出指标, level2: 时效指标, name: 整改周期, value: 1个季度}
        """)


def test_value_without_a_time(check):
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
            level2: 时效指标
            name: 按时间进度要求支付使用资金
            value: 支出进度要求
        """, problem=(12, 12),
        message="时效指标 '按时间进度要求支付使用资金' has the value '支出进度要求', which "
                "names no time; give a date or a span in 工作日, 天, 月, 季度, 年, 小时 or 周")


def test_only_timeliness_indicators_are_checked(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 质量指标, name: 经费使用合规率, value: "100%"}
        """)


def test_percentage_needs_allow_percent(check):
    source = """
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 产出指标
            level2: 时效指标
            name: 资金拨付及时率
            value: "100%"
        """
    check(source, problem=(12, 12))
    check(source, {"options": {"allow_percent": True}})
