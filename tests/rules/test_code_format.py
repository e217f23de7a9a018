RULE = "code-format"


def test_codes_of_the_document_year(check):
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
        """)


def test_code_from_last_year(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082123P00007010010J
        name: 驻村工作队综合经费
        budget: {total: 6.19, fiscal: 6.19}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [对省级驻村工作组进行经费保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 帮扶活动次数, value: ">15 次"}
        """, problem=(3, 7),
        message="项目编码 (code) '13082123P00007010010J' carries the year 2023, but the "
                "document is for 2024")


def test_max_years_back_allows_continuing_projects(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082123P00007010010J
        name: 驻村工作队综合经费
        budget: {total: 6.19, fiscal: 6.19}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [对省级驻村工作组进行经费保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 帮扶活动次数, value: ">15 次"}
        """, {"options": {"max_years_back": 1}})


def test_code_from_a_later_year(check):
    check("""
        unit_code: "912001"
        unit_name: 承德县三家镇人民政府本级
        code: 13082125P00011110021J
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problem=(3, 7))


def test_malformed_codes(check):
    found = check("""
        unit_code: "91200"
        unit_name: 承德县三家镇人民政府本级
        code: 13082124-0001
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, problems=[(1, 12), (3, 7)])
    assert found[0].message == (
        "单位编码 (unit_code) '91200' does not match the pattern ^[0-9]{6}$"
    )


def test_patterns_are_options(check):
    check("""
        unit_code: "9120010"
        unit_name: 承德县三家镇人民政府本级
        code: XM-2024-001
        name: 执法工作经费
        budget: {total: 11.00, fiscal: 11.00}
        funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}
        goals: [行政执法工作运转保障]
        indicators:
          - {level1: 产出指标, level2: 数量指标, name: 执法次数, value: ">15 次"}
        """, {"options": {"unit_code_pattern": "^[0-9]{7}$",
                          "code_pattern": "^XM-(?P<year>[0-9]{4})-[0-9]{3}$"}})
