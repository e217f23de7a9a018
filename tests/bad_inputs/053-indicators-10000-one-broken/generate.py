from pathlib import Path

KINDS = [
    ("产出指标", "数量指标", ">15 次"),
    ("产出指标", "质量指标", "≥95%"),
    ("产出指标", "时效指标", "≤7 工作日"),
    ("产出指标", "成本指标", "≤1 万元"),
    ("效益指标", "社会效益指标", "≥90%"),
    ("满意度指标", "服务对象满意度指标", "≥95%"),
]


def generate(doc_dir: Path) -> None:
    path = doc_dir / "projects" / "01-zhucun.yaml"
    text = path.read_text(encoding="utf-8")
    lines = [text[: text.index("indicators:")] + "indicators:"]
    for i in range(10_000):
        level1, level2, value = KINDS[i % len(KINDS)]
        lines.append(f"  - level1: {level1}\n    level2: {level2}\n    name: 指标{i + 1:05d}\n"
                     f"    description: 第 {i + 1} 项指标\n    value: \"{value}\"\n"
                     "    basis: 计划标准")
    text = "\n".join(lines) + "\n"
    old = "    name: 指标09999\n    description: 第 9999 项指标\n"
    assert old in text
    text = text.replace(old, "    name: 指标09999\n    descripton: 第 9999 项指标\n")
    text = text.replace("name: 指标09998\n", "name: 指标09998\n    level3: 无\n")
    path.write_text(text, encoding="utf-8")
