"""The package, the model and `perfdoc validate` on the real example."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import yaml

from perfdoc import __version__
from perfdoc.document import load_document
from perfdoc.load import load_yaml
from perfdoc.schema import schema_texts
from perfdoc.values import parse_value
from tests.conftest import EXAMPLE, ROOT
from tests.seedtext import normalize, seed_units


def test_version_and_help(cli) -> None:
    run = cli("--version")
    assert run.code == 0 and __version__ in run.out
    run = cli("--help")
    assert run.code == 0
    for command in ("validate", "check", "build", "schema", "template", "doctor"):
        assert command in run.out


def test_example_validates(cli) -> None:
    run = cli("validate", EXAMPLE)
    assert run.code == 0, run.out + run.err
    assert run.out == ""


def test_unknown_option_is_usage_error(cli) -> None:
    assert cli("validate", "--bogus").code == 2
    assert cli("validate", "/no/such/folder").code == 2


def test_money_is_decimal_from_the_text() -> None:
    doc, problems = load_document(EXAMPLE)
    assert doc is not None, problems
    budget = doc.projects[1].model.budget
    assert budget.total == Decimal("11.00") and str(budget.total) == "11.00"
    assert str(doc.projects[0].model.budget.total) == "6.19"
    assert doc.projects[0].model.budget.other is None
    assert doc.projects[0].model.use_of_funds == "驻村工作组经费"
    assert doc.projects[1].model.use_of_funds is None
    assert doc.projects[0].model.unit_code == "912001"


def test_values_keep_the_text_and_parse() -> None:
    for text, parsed in [
        ("≥95%", ("≥", "95", "%")),
        (">15 次", (">", "15", "次")),
        ("≤7 工作日", ("≤", "7", "工作日")),
        ("24 万元", ("=", "24", "万元")),
        ("100%", ("=", "100", "%")),
    ]:
        value = parse_value(text)
        assert value is not None
        assert (value.operator, str(value.number), value.unit) == parsed
    for text in ("有效提升", "小于等于核定数", "持续使用"):
        assert parse_value(text) is None


def test_schemas_are_generated_and_committed() -> None:
    for name, text in schema_texts().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is stale: run `make schema`"


def test_schemas_validate_every_example_file() -> None:
    shapes = {"document.yaml": "document", "goals.yaml": "goals"}
    files = sorted(EXAMPLE.rglob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        if "build" in path.parts:
            continue
        shape = shapes.get(path.name, "project")
        schema = json.loads((ROOT / "schemas" / f"{shape}.schema.json").read_text())
        first = path.read_text(encoding="utf-8").splitlines()[0]
        rel = Path("../" * (len(path.relative_to(ROOT).parts) - 1)) / f"schemas/{shape}.schema.json"
        assert first == f"# yaml-language-server: $schema={rel.as_posix()}"
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_every_seed_sentence_and_cell_is_in_the_yaml() -> None:
    texts: list[str] = []
    for path in EXAMPLE.rglob("*.yaml"):
        def walk(node: object) -> None:
            if isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
            elif node is not None:
                texts.append(normalize(str(node)))
        # perfdoc's loader keeps money as written: 11.00, not 11.0.
        loaded, _problems = load_yaml(path, str(path))
        assert loaded is not None
        walk(loaded.data)
    # Joined without separators: a measure's lead and body are one seed paragraph.
    corpus = "".join(texts)
    # Labels the template prints (not data) are not in the YAML.
    template_text = {
        normalize(t) for t in (
            "目录", "第一部分", "部门整体绩效目标", "第二部分", "预算项目绩效目标",
            "第一部分 部门整体绩效目标", "第二部分 预算项目绩效目标",
            "一、总体绩效目标", "二、分项绩效目标", "三、工作保障措施", "单位：万元",
            "项目编码", "项目名称", "预算规模及资金用途", "预算数", "其中：财政资金", "其他资金",
            "资金支出计划（%）", "资金支出计划 (%)", "3 月底", "6 月底", "10 月底", "12 月底",
            "绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值",
            "指标值确定依据",
        )
    }
    missing = []
    for unit in seed_units():
        if unit in template_text:
            continue
        bare = unit.replace("绩效目标:", "").replace("绩效指标:", "")
        # Numbering ("1、", "1.") and "N.<name>绩效目标表" titles are generated.
        bare = bare.split("、", 1)[1] if bare[:1].isdigit() and "、" in bare[:3] else bare
        bare = bare.split(".", 1)[1] if bare[:1].isdigit() and bare[1:2] == "." else bare
        bare = bare.removesuffix("绩效目标表")
        if bare.endswith("%") and bare[:-1].isdigit():
            bare = bare[:-1]  # the funding plan stores 25, the template prints 25%
        for piece in (bare, bare.replace("912001", "")):
            if piece and piece in corpus:
                break
        else:
            if "年部门预算绩效文本" in bare or bare in ("(草案)", "2024年部门预算绩效文本"):
                continue
            missing.append(unit)
    assert not missing, missing
