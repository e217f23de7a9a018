"""Rules stay linear: a project with 10,000 indicators is checked in one pass.

No timing is asserted here (benchmarks measure time); a quadratic rule would
make this test take minutes instead of about a second.
"""

from collections import Counter

ROWS = [
    ("产出指标", "数量指标", ">15 次"),
    ("产出指标", "质量指标", "100%"),
    ("产出指标", "时效指标", "≤7 工作日"),
    ("产出指标", "成本指标", "≤11 万元"),
    ("效益指标", "社会效益指标", "有效提升"),
    ("满意度指标", "服务对象满意度指标", "≥95%"),
]


def big_project(n):
    lines = [
        'unit_code: "912001"', "unit_name: 本级", "code: 13082124P00011110021J",
        "name: 执法工作经费", "budget: {total: 11.00, fiscal: 11.00}",
        "funding_plan: {mar: 25, jun: 50, oct: 75, dec: 100}", "goals: [运转保障]",
        "indicators:",
    ]
    for i in range(n):
        level1, level2, value = ROWS[i % len(ROWS)]
        lines.append(f'  - {{level1: {level1}, level2: {level2}, name: 指标{i}, value: "{value}"}}')
    lines.append('  - {level1: 产出指标, level2: 数量指标, name: 指标0, value: ">15 次"}')
    return "\n".join(lines) + "\n"


def test_ten_thousand_indicators(make_document, rules):
    folder = make_document(projects={"01-big.yaml": big_project(10_000)})
    counts = Counter(p.rule for p in rules(folder))
    qualitative = sum(1 for i in range(10_000) if ROWS[i % len(ROWS)][2] == "有效提升")
    assert counts == {"quantified-value": qualitative, "vague-target": qualitative,
                      "duplicate-indicator": 1}
