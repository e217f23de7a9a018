RULE = "indicator-coverage"


def test_every_category_present(check):
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
          - {level1: 产出指标, level2: 质量指标, name: 经费使用合规率, value: "100%"}
          - {level1: 产出指标, level2: 时效指标, name: 报账时间, value: "≤7 工作日"}
          - {level1: 产出指标, level2: 成本指标, name: 经费成本, value: "≤11 万元"}
          - {level1: 效益指标, level2: 环境效益指标, name: 节能减排, value: "≥5%"}
          - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, value: "≥95%"}
        """)


def test_missing_satisfaction_and_timeliness(check):
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
          - {level1: 产出指标, level2: 质量指标, name: 经费使用合规率, value: "100%"}
          - {level1: 产出指标, level2: 成本指标, name: 经费成本, value: "≤11 万元"}
          - {level1: 效益指标, level2: 社会效益指标, name: 纠纷化解率, value: "≥90%"}
        """, problems=[(8, 1), (8, 1)])


def test_message_names_the_missing_category(check):
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
          - {level1: 产出指标, level2: 质量指标, name: 经费使用合规率, value: "100%"}
          - {level1: 产出指标, level2: 时效指标, name: 报账时间, value: "≤7 工作日"}
          - {level1: 产出指标, level2: 成本指标, name: 经费成本, value: "≤11 万元"}
          - {level1: 效益指标, level2: 社会效益指标, name: 纠纷化解率, value: "≥90%"}
        """, problem=(8, 1))
    assert found[0].message == (
        "the project has no 满意度指标; each project needs at least one indicator under "
        "each of: 产出指标、效益指标、满意度指标"
    )


def test_options_relax_the_requirement(check):
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
          - {level1: 效益指标, level2: 社会效益指标, name: 纠纷化解率, value: "≥90%"}
        """, {"options": {"require_level1": ["产出指标", "效益指标"],
                          "require_output_kinds": ["数量指标"]}})


def test_profile_101_requires_cost_level1(check):
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
          - {level1: 产出指标, level2: 质量指标, name: 经费使用合规率, value: "100%"}
          - {level1: 产出指标, level2: 时效指标, name: 报账时间, value: "≤7 工作日"}
          - {level1: 效益指标, level2: 社会效益指标, name: 纠纷化解率, value: "≥90%"}
          - {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, value: "≥95%"}
        """, profile="101", problem=(8, 1),
        message="the project has no 成本指标; each project needs at least one indicator "
                "under each of: 产出指标、成本指标、效益指标、满意度指标")
