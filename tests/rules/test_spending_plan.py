RULE = "spending-plan"


def test_cumulative_plan_reaching_100(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan:
          mar: 0
          jun: 50
          oct: 50
          dec: 100
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """)


def test_percentage_above_100(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan:
          mar: 25
          jun: 120
          oct: 75
          dec: 100
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(8, 3),
        message="6月底 (funding_plan.jun) is 120; a cumulative spending percentage must be "
                "from 0 to 100")


def test_negative_percentage(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan:
          mar: -5
          jun: 50
          oct: 75
          dec: 100
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(7, 3))


def test_plan_falls(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan:
          mar: 25
          jun: 75
          oct: 50
          dec: 100
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(9, 3),
        message="10月底 (funding_plan.oct) is 50, less than 75 at 6月底; the plan is "
                "cumulative, so it may not fall")


def test_december_below_100(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan:
          mar: 25
          jun: 50
          oct: 75
          dec: 90
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(10, 3),
        message="12月底 (funding_plan.dec) is 90; by the end of the year the whole budget "
                "is spent, so it must be 100")
