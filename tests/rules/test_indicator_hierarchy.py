RULE = "indicator-hierarchy"


def test_standard_pairs_and_aliases(check):
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
            level2: 数量指标
            name: 执法次数
            value: ">15 次"
          - level1: 效益指标
            level2: 环境效益指标
            name: 村庄清洁度
            value: "≥90%"
          - level1: 满意度指标
            level2: 社会公众或服务对象满意度指标
            name: 群众满意度
            value: "≥95%"
        """)


def test_misspelt_level2(check):
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
            level2: 数量指示
            name: 执法次数
            value: ">15 次"
        """, problem=(10, 13),
        message="unknown 二级指标 '数量指示' under '产出指标'; did you mean '数量指标'? "
                "(allowed: 数量指标、质量指标、时效指标、成本指标)")


def test_unknown_level1(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 效果指标
            level2: 社会效益指标
            name: 纠纷化解率
            value: "≥90%"
        """, problem=(9, 13),
        message="unknown 一级指标 '效果指标' in the default profile; did you mean "
                "'效益指标'? (allowed: 产出指标、效益指标、满意度指标)")


def test_level2_under_the_wrong_level1(check):
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
            level2: 时效指标
            name: 报账时间
            value: "≤7 工作日"
        """, problem=(10, 13),
        message="二级指标 '时效指标' belongs under 一级指标 '产出指标', not '效益指标', "
                "in the default profile")


def test_profile_101_has_cost_as_level1(check):
    source = """
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - level1: 成本指标
            level2: 经济成本指标
            name: 资金总成本
            value: "≤11 万元"
          - level1: 产出指标
            level2: 成本指标
            name: 经费成本
            value: "≤11 万元"
        """
    check(source, profile="101", problem=(14, 13),
          message="'成本指标' is a 一级指标 in the 101 profile, not a 二级指标; "
                  "under '产出指标' use one of: 数量指标、质量指标、时效指标")
    check(source, problem=(9, 13))
