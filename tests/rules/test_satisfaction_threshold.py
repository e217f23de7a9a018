RULE = "satisfaction-threshold"


def test_ninety_percent_or_more(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, value: "≥95%"}
          - {level1: 满意度指标, level2: 服务对象满意度指标, name: 机关满意率, value: "90%"}
          - {level1: 满意度指标, level2: 服务对象满意度指标, name: 投诉率, value: "≤5%"}
          - {level1: 满意度指标, level2: 服务对象满意度指标, name: 评价, value: 满意}
          - {level1: 效益指标, level2: 社会效益指标, name: 收入提升, value: "≥5%"}
        """)


def test_target_below_ninety(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 满意度指标
            level2: 服务对象满意度指标
            name: 群众满意度
            value: "≥80%"
        """, problem=(12, 12),
        message="满意度 target '群众满意度' is ≥80%, below 90%; satisfaction targets are "
                "usually at least 90%")


def test_threshold_option(check):
    source = """
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 满意度指标
            level2: 社会公众或服务对象满意度指标
            name: 群众满意度
            value: "≥85%"
        """
    check(source, problem=(12, 12))
    check(source, {"options": {"threshold": 85}})
    check(source, {"options": {"threshold": 85.5}}, problem=(12, 12))
