RULE = "budget-sum"


def test_parts_add_up(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget:
          total: 11.00
          fiscal: 8.00
          other: 3.00
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """)


def test_empty_other_counts_as_zero(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget:
          total: 6.19
          fiscal: 6.19
          other:
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """)


def test_no_split_is_not_checked(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget:
          total: 6.19
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """)


def test_total_differs_from_fiscal(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget:
          total: 7.19
          fiscal: 6.19
          other:
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(6, 10),
        message="预算数 (budget.total) is 7.19, but 财政资金 6.19 + 其他资金 0 = 6.19")


def test_one_cent_off(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget:
          total: 11.00
          fiscal: 8.00
          other: 3.01
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(6, 10),
        message="预算数 (budget.total) is 11.00, but 财政资金 8.00 + 其他资金 3.01 = 11.01")


def test_only_other_given(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124P00011110021J
        name: 执法工作经费
        budget: {total: 5, other: 2}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(5, 17))
