"""Write the JSON Schemas generated from the models (``perfdoc schema``).

The committed copies under ``schemas/`` are what editors use through the
``# yaml-language-server: $schema=…`` line; a drift test keeps them in step.

Besides what the models say, the schemas offer the values people pick from:
the 一级/二级指标 names of every profile, the profiles themselves and the ids
of the rules under ``settings.checks``.  They are offered, never imposed:
each is one branch of an ``anyOf`` whose first branch takes any text, so an
alias, a custom name or a rule added later is not refused here (``perfdoc
check`` judges those, with a did-you-mean).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from perfdoc.model import FILE_MODELS
from perfdoc.rules import RULES
from perfdoc.rules.vocab import DEFAULT_PROFILE, available_profiles, load_vocabulary

Schema = dict[str, Any]

#: Each rule's check in a line, for the completion list of ``settings.checks``.
#: A rule missing here is offered with the first line of its docstring.
RULE_SUMMARIES: dict[str, str] = {
    "budget-sum": "预算数等于财政资金加其他资金，精确到分",
    "spending-plan": "资金支出计划：各月底累计百分比在 0–100 之间、逐期不减少，12月底为 100",
    "indicator-hierarchy": "一级、二级指标的搭配属于所用的指标体系（接受别称）",
    "indicator-coverage": "每个项目都有产出、效益、满意度指标，产出指标各类齐全",
    "value-format": "量化的指标值读作“符号 + 数字 + 单位”，百分比在 0–100 之间",
    "unknown-unit": "指标值的单位是已知单位；选项 units 可添加本文档自己的单位",
    "timeliness-value": "时效指标的指标值写明时间（日期、月、日、工作日、天、季度等）",
    "cost-vs-budget": "成本指标中的金额不超过项目预算数（元与万元换算后比较）",
    "duplicate-indicator": "同一项目内三级指标名称不重复",
    "satisfaction-threshold": "满意度指标值不低于 90%（选项 threshold）",
    "code-format": "单位编码、项目编码符合格式，编码中的年度与文档年度相符",
    "quantified-value": "指标值含数字；“有效提升”“持续使用”等是定性指标",
    "vague-target": "指标值和绩效目标不用含糊的说法（明显改善、进一步等）；选项 phrases 可补充",
    "description-repeats-name": "绩效指标描述不只是重复三级指标名称",
    "less-than-one": "“<1 起”之类的目标等于零，应写“0 起”",
    "duplicate-project": "项目文件之间项目编码不重复；项目名称重复是警告",
    "unit-consistency": "各项目的单位编码和单位名称一致（可在 document.yaml 中统一填写）",
    "numbering": "手工编号的列表照原样印；只编了一部分号的列表给出警告",
    "placeholder": "没有仍标着【待填写】的文字，项目预算数不为 0",
}

_ANY_TEXT: Schema = {"type": ["string", "number"]}


def _offer(field: Schema, choices: dict[str, str]) -> None:
    """Add *choices* (value → Chinese description) to *field* as completions, refusing nothing.

    A field that is already an ``anyOf`` (``Text | None``) gets one more branch
    per choice, after the branches that decide; any other field gets an
    ``anyOf`` whose first branch takes any text, beside the keywords that decide.
    Editors report the first branch's errors, so a wrong value is still told
    what is wrong with it rather than that it is not one of the choices.
    """
    branches = [{"const": value, "description": text} for value, text in choices.items()]
    if "anyOf" in field:
        field["anyOf"] += branches
    else:
        field["anyOf"] = [dict(_ANY_TEXT), *branches]


def _profiles_text(profiles: list[str]) -> str:
    return "指标体系 " + "、".join(profiles)


def _vocabulary_choices() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Return the profiles, the 一级指标 and the 二级指标 names, each with its description."""
    profiles: dict[str, str] = {}
    level1: dict[str, list[str]] = {}
    level2: dict[tuple[str, str], list[str]] = {}  # (name, its 一级指标) → profiles
    aliases: dict[str, tuple[str, list[str]]] = {}
    names = sorted(available_profiles(), key=lambda n: (n != DEFAULT_PROFILE, n))
    for name in names:
        vocab = load_vocabulary(name)
        assert vocab is not None, name
        profiles[name] = vocab.title + ("，不写时的默认" if name == DEFAULT_PROFILE else "")
        for first, seconds in vocab.level2_by_level1.items():
            level1.setdefault(first, []).append(name)
            for second in seconds:
                level2.setdefault((second, first), []).append(name)
        for alias, standard in vocab.aliases.items():
            aliases.setdefault(alias, (standard, []))[1].append(name)
    first_choices = {n: f"一级指标（{_profiles_text(p)}）" for n, p in level1.items()}
    second_choices: dict[str, str] = {}
    for (second, first), used in level2.items():
        where = f"{first}下的二级指标（{_profiles_text(used)}）"
        second_choices[second] = (f"{second_choices[second]}；{where}"
                                  if second in second_choices else where)
    for alias, (standard, used) in aliases.items():
        text = f"“{standard}”的另一种写法，按它检查（{_profiles_text(used)}）"
        # An alias of a 一级指标 is offered there, one of a 二级指标 here.
        target = first_choices if standard in level1 else second_choices
        target.setdefault(alias, text)
    return profiles, first_choices, second_choices


def _rule_choices(field: Schema) -> None:
    """Name every rule under ``settings.checks``, so editors complete its keys."""
    value = field["additionalProperties"]
    field["properties"] = {}
    for rule_id, rule in RULES.items():
        doc = (rule.__doc__ or "").strip().splitlines()
        summary = RULE_SUMMARIES.get(rule_id) or (doc[0] if doc else rule_id)
        field["properties"][rule_id] = {
            **copy.deepcopy(value), "description": f"{summary}（默认级别 {rule.LEVEL.value}）"}


def _add_choices(name: str, schema: Schema) -> None:
    """Offer the vocabulary, profiles and rule ids in *schema*, of the file shape *name*."""
    profiles, level1, level2 = _vocabulary_choices()
    defs = schema.get("$defs", {})
    if name == "document":
        settings = defs["Settings"]["properties"]
        _offer(settings["profile"], profiles)
        _rule_choices(settings["checks"])
    if name == "project":
        _offer(schema["properties"]["profile"], profiles)
        indicator = defs["Indicator"]["properties"]
        _offer(indicator["level1"], level1)
        _offer(indicator["level2"], level2)


def schemas() -> dict[str, Schema]:
    """Return each file shape's JSON Schema, by the shape's name."""
    out: dict[str, Schema] = {}
    for name, model in FILE_MODELS.items():
        schema = model.model_json_schema(mode="validation")
        _add_choices(name, schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://perfdoc.invalid/schemas/{name}.schema.json"
        out[name] = schema
    return out


def schema_texts() -> dict[str, str]:
    """Return each schema's file name and its JSON text."""
    return {f"{name}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
            for name, schema in schemas().items()}


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into *folder*; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in schema_texts().items():
        target = folder / filename
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
