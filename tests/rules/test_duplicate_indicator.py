RULE = "duplicate-indicator"


def test_distinct_names(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 开展帮扶活动次数, value: ">15 次"}
          - {level1: 产出指标, level2: 质量指标, name: 工作队员后勤保障率, value: "100%"}
          - {level1: 产出指标, level2: 数量指标, name: 受益工作队数量, value: "3 个"}
          - {level1: 产出指标, level2: 质量指标, name: 每村受益金额, value: "8 万元"}
        """)


def test_same_name_twice(check):
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
            name: 开展帮扶活动次数
            value: ">15 次"
          - level1: 产出指标
            level2: 质量指标
            name: 开展帮扶活动次数
            value: "100%"
        """, problem=(15, 11),
        message="三级指标 '开展帮扶活动次数' is given twice in this project (first on line 11)")


def test_every_repeat_points_at_the_first(check):
    found = check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
          - {level1: 产出指标, level2: 数量指标, name: 执法次数 , value: ">16 次"}
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">17 次"}
        """, problems=[(10, 40), (11, 40)])
    assert all("(first on line 9)" in p.message for p in found)
