"""The document model: one pydantic model per file shape.

Keys are English snake_case; every field carries its Chinese name as the JSON
Schema ``title`` and a short Chinese ``description``, which VS Code shows while
people type and which problem messages use to name a field both ways.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from perfdoc.values import ParsedValue, parse_value
from perfdoc.yamlfile import written


def _as_written(value: Any) -> Any:
    """Turn a number YAML read from plain text back into the text the author typed.

    ``unit_code: 912001`` or ``value: 100`` are natural to type without quotes;
    they are text in the document, so the model takes the original spelling.
    """
    text = written(value)
    if text is not None:
        return text
    if isinstance(value, Decimal):
        return str(value)
    return value


# Characters nobody can see that still change what a reader sees or a file
# name means: C0/C1 controls (newline and tab included in single-line fields),
# the bidi overrides and isolates (U+202E turns "abc.pdf" around on screen),
# and zero-width characters, which make two equal-looking names differ.
# Also: U+2028/U+2029 (line and paragraph separators), the soft hyphen and
# the Hangul fillers, which draw nothing at all.
_HIDDEN = (r"\x7f-\x9f\u00ad\u115f\u1160\u200b-\u200f\u2028-\u202e\u2060-\u2064"
           r"\u2066-\u2069\u061c\u3164\ufeff\uffa0")
_INVISIBLE = re.compile(rf"[\x00-\x1f{_HIDDEN}]")
_INVISIBLE_IN_PROSE = re.compile(rf"[\x00-\x09\x0b-\x1f{_HIDDEN}]")


def _invisible(value: str, pattern: re.Pattern[str]) -> str:
    m = pattern.search(value)
    if m is None:
        return value
    char = m.group()
    name = unicodedata.name(char, "") or {
        "\n": "LINE FEED", "\t": "TAB", "\r": "CARRIAGE RETURN"}.get(char, "CONTROL")
    raise PydanticCustomError(
        "invisible_character",
        "contains the invisible character {char}",
        {"char": f"U+{ord(char):04X} {name}", "newline": char == "\n"},
    )


def _visible(pattern: re.Pattern[str]) -> Callable[[str], str]:
    """Return a validator refusing *pattern*'s characters and whitespace-only values."""

    def check(value: str) -> str:
        _invisible(value, pattern)
        if value and not value.strip():
            raise PydanticCustomError("blank", "is only whitespace")
        return value

    return check


#: Names and table cells: no breaks, controls or blanks.
_single_line = _visible(_INVISIBLE)
#: Prose: the same, except that line breaks separate paragraphs.
_prose = _visible(_INVISIBLE_IN_PROSE)


# Plain decimal notation: no sign but minus, no leading zeros, no exponent,
# no underscores.  Anything else is refused with what was typed, because
# reading it would print a number the author never wrote (``010`` is 8).
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


def _plain_decimal(value: Any) -> Any:
    """Pass on a number written in plain decimal notation; refuse other notations."""
    text = written(value)
    if text is None and isinstance(value, str):
        try:
            Decimal(value.strip())
        except InvalidOperation:
            return value  # not a number at all: pydantic's message has the hints
        text = value
    if text is None:
        return value
    if not _PLAIN_DECIMAL.fullmatch(text.strip()):
        raise PydanticCustomError("plain_decimal", "is not a plain decimal number",
                                  {"given": text})
    return value


def _no_negative_zero(value: Decimal) -> Decimal:
    # -0 is 0; without this it prints as "-0.00".
    return value.copy_abs() if value.is_zero() else value


#: Money above this (in the document's money unit) is a typing mistake.
MAX_MONEY = Decimal(10) ** 12

# --------------------------------------------------------------------------- JSON Schema
#
# What ``perfdoc schema`` tells editors about each value type, in JSON Schema.
# Every fragment says what the validators above accept and nothing else: a
# schema that refuses what perfdoc accepts (or accepts what it refuses) teaches
# people the wrong thing.  tests/test_schema_agreement.py holds both to it.
#
# Two things a schema cannot know.  Editors read YAML 1.2, where
# ``2025-06-30``, ``yes`` and ``1_000`` are text, while perfdoc reads YAML 1.1,
# where they are a date, a boolean and 1000; and a schema sees the number YAML
# read, never how it was typed (``010``, ``0x10`` or ``+5``).  So text fields
# refuse the strings YAML 1.1 turns into a date or a boolean, quoted or not,
# and a number's spelling is left to ``perfdoc validate``.
#
# Patterns run in Python (jsonschema) and JavaScript (yaml-language-server,
# with the ``u`` flag): only syntax both read the same way, and ``(?![\s\S])``
# for the end of the value, because Python's ``$`` also matches before a final
# line break.

#: The end of the value in both regex dialects.
_END = r"(?![\s\S])"

#: The plain scalars PyYAML resolves to a timestamp or a boolean (its resolver's
#: expressions, written without verbose mode).
_YAML11_DATE = (r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
                r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?")
_YAML11_BOOL = "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"


def _check(pattern: str, message: str) -> dict[str, Any]:
    """Return a pattern with the message an editor shows when a string fails it."""
    return {"pattern": pattern, "patternErrorMessage": message}


_NOT_DATE_OR_BOOL = _check(
    rf"^(?!(?:{_YAML11_DATE}|{_YAML11_BOOL}){_END})",
    "perfdoc 按 YAML 1.1 读文件：这样写会被读成日期或真假值，而不是文字；"
    "请改写，如“2025年6月30日”“是”")


def _text_schema(invisible: re.Pattern[str], *, required: bool, prose: bool = False
                 ) -> dict[str, Any]:
    """Return the schema of a text field: a string, or a number (kept as typed)."""
    what = "制表符" if prose else "换行、制表符"
    checks = [
        _check(rf"^(?![\s\S]*{invisible.pattern})",
               f"不能含{what}或看不见的字符（控制字符、零宽字符、方向控制符等）；请删除"),
        _check(r"\S" if required else r"^$|\S", "不能只有空白"),
        _NOT_DATE_OR_BOOL,
    ]
    schema: dict[str, Any] = {"type": ["string", "number"]}
    if required:
        schema["minLength"] = 1
    return {**schema, "allOf": checks}


def _decimal_schema(string: str, message: str, **bounds: int) -> dict[str, Any]:
    """Return the schema of a number within *bounds*, or of the same as a string.

    *string* is the plain decimal notation of ``_PLAIN_DECIMAL`` narrowed to the
    bounds; spaces around it are allowed, as ``_plain_decimal`` strips them.
    """
    return {"type": ["number", "string"], **bounds,
            **_check(rf"^\s*(?:{string})\s*$", message)}


_MONEY_SCHEMA = _decimal_schema(
    r"-0(?:\.0+)?|(?:0|[1-9][0-9]{0,11})(?:\.[0-9]+)?",
    "应为普通十进制数，如 6.19：不带单位、千位分隔符、正号或指数；不小于 0，小于 10^12",
    minimum=0, exclusiveMaximum=int(MAX_MONEY))
# The range is the spending-plan rule's (perfdoc check), not the model's.
_PERCENT_SCHEMA = _decimal_schema(
    r"-0(?:\.0+)?|(?:[0-9]|[1-9][0-9])(?:\.[0-9]+)?|100(?:\.0+)?",
    "应为 0 到 100 的普通十进制数，不带 %，如 25", minimum=0, maximum=100)


def _whole_number_schema(string: str, low: int, high: int) -> dict[str, Any]:
    """Return the schema of a whole number from *low* to *high*, or of the same as a string."""
    return {"type": ["integer", "string"], "minimum": low, "maximum": high,
            **_check(rf"^\s*(?:{string})(?:\.0+)?\s*$", f"应为 {low} 到 {high} 的整数")}


#: pydantic's lax booleans: true/false, 0/1, and these words in any case.
_FLAG_SCHEMA: dict[str, Any] = {
    "type": ["boolean", "integer", "string"], "minimum": 0, "maximum": 1,
    **_check("^(?:[Tt](?:[Rr][Uu][Ee])?|[Ff](?:[Aa][Ll][Ss][Ee])?|[Yy](?:[Ee][Ss])?|[Nn][Oo]?"
             f"|[Oo](?:[Nn]|[Ff][Ff])|1|0){_END}", "应为 true 或 false"),
}


# The validators turn a number YAML read back into the text typed, so the
# schema lets an unquoted ``unit_code: 912001`` through, as perfdoc does.
_WRITTEN = BeforeValidator(_as_written)
Text = Annotated[str, _WRITTEN, Field(min_length=1), AfterValidator(_single_line),
                 WithJsonSchema(_text_schema(_INVISIBLE, required=True))]
OptionalText = Annotated[str, _WRITTEN, AfterValidator(_single_line),
                         WithJsonSchema(_text_schema(_INVISIBLE, required=False))]
#: A prose field: every non-empty line is one paragraph.
Prose = Annotated[str, _WRITTEN, Field(min_length=1), AfterValidator(_prose),
                  WithJsonSchema(_text_schema(_INVISIBLE_IN_PROSE, required=True, prose=True))]
_PLAIN = BeforeValidator(_plain_decimal)
Money = Annotated[Decimal, _PLAIN, Field(allow_inf_nan=False, ge=0, lt=MAX_MONEY),
                  AfterValidator(_no_negative_zero), WithJsonSchema(_MONEY_SCHEMA)]
Percent = Annotated[Decimal, _PLAIN, Field(allow_inf_nan=False),
                    AfterValidator(_no_negative_zero), WithJsonSchema(_PERCENT_SCHEMA)]
WholeNumber = Annotated[int, BeforeValidator(_plain_decimal)]
#: The year and settings.decimals: their schemas carry the bounds their fields set.
Year = Annotated[WholeNumber, WithJsonSchema(
    _whole_number_schema("19[0-9]{2}|2[01][0-9]{2}|2200", 1900, 2200))]
Decimals = Annotated[WholeNumber, WithJsonSchema(_whole_number_schema("-0|[0-6]", 0, 6))]
Flag = Annotated[bool, WithJsonSchema(_FLAG_SCHEMA)]
#: Text kept exactly as YAML read it (``perfdoc import``'s leftovers): strings only.
PlainText = Annotated[str, WithJsonSchema({"type": "string", "allOf": [_NOT_DATE_OR_BOOL]})]


class _Strict(BaseModel):
    # Unknown keys are errors (with a did-you-mean), never silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


def _unplaced() -> Any:
    # ``perfdoc import`` keeps the text it could not place here; validate
    # reports it as an info until someone moves or deletes it.
    return Field(default_factory=list, alias="_unplaced", title="未归位的导入原文",
                 description="perfdoc import 无法归入任何字段的原文；核对后移到合适的位置或删除")


# --------------------------------------------------------------------------- document.yaml


class Cover(_Strict):
    """封面."""

    title: Text = Field(
        "部门预算绩效文本", title="标题", description="封面标题，印为“<年度>年<标题>”"
    )
    title_line: Text | None = Field(
        None, title="标题行",
        description="整行照印的封面标题，如“2024 年部门预算绩效文本”；不填则印为“<年度>年<标题>”")
    draft_marker: OptionalText | None = Field(
        "（草案）", title="草案标记", description="标题下的标记，如“（草案）”；留空则不印"
    )
    compiled_by: Text = Field(title="编制单位行", description="如“××人民政府编制”")
    reviewed_by: Text | None = Field(None, title="审核单位行", description="如“××县财政局审核”")


class RuleSetting(_Strict):
    """一条检查规则的设置."""

    enabled: Flag = Field(True, title="启用", description="false 关闭该规则")
    level: Literal["error", "warning", "info"] | None = Field(
        None, title="级别", description="覆盖规则的默认级别"
    )
    options: dict[str, Any] = Field(
        default_factory=dict, title="选项", description="规则自己的选项，见 README 的规则表"
    )


class Settings(_Strict):
    """生成设置."""

    template: OptionalText | None = Field(
        None, title="模板", description="自定义 .docx 模板路径，相对于文档文件夹"
    )
    decimals: Decimals = Field(2, ge=0, le=6, title="金额小数位", description="金额显示的小数位数")
    profile: Text = Field(
        "default", title="指标体系", description="指标词表：default（经典）或 101（财预〔2021〕101号）"
    )
    checks: dict[str, RuleSetting | Flag] = Field(
        default_factory=dict, title="检查规则", description="按规则编号设置：false 关闭，或给出级别和选项"
    )
    numbering: Flag = Field(
        True, title="自动编号",
        description="false 时不为分项绩效目标、保障措施和项目绩效目标编号；已自带编号的列表总是照原样印")
    date: datetime.date | None = Field(
        None, title="文档日期", description="写入 .docx 属性的日期；不填则用 SOURCE_DATE_EPOCH 或 1月1日"
    )


class CarriedFrom(_Strict):
    """结转来源：perfdoc next-year 由上一年度文档生成本文档时写入."""

    unit: Text = Field(title="来源单位", description="结转来源文档的单位名称")
    year: Year = Field(ge=1900, le=2200, title="来源年度", description="结转来源文档的年度")
    # A fingerprint rather than the old text: the file stays short, and a
    # fingerprint that no longer matches simply means "edited since".
    texts: dict[str, Text] = Field(
        default_factory=dict, title="文字指纹",
        description="结转时每段文字的指纹（SHA-256 的前 16 位十六进制），键为“文件:字段路径”；"
                    "stale-year 规则据此只提示未改动的文字")


class DocumentFile(_Strict):
    """document.yaml：封面、单位、年度、设置与总体绩效目标."""

    unit: Text = Field(title="单位名称", description="编制单位全称，印在封面和文件名中")
    unit_code: Text | None = Field(
        None, title="单位编码", description="各项目表上方的单位编码的默认值；项目文件可另写")
    unit_name: Text | None = Field(
        None, title="表上单位名称", description="各项目表上方的单位名称的默认值，如 ××人民政府本级")
    money_unit: Text | None = Field(
        None, title="金额单位", description="各项目表“单位：”后文字的默认值；不写则为 万元")
    year: Year = Field(ge=1900, le=2200, title="年度", description="预算年度，如 2024")
    cover: Cover = Field(title="封面", description="封面上的各行文字")
    settings: Settings = Field(default_factory=Settings, title="设置", description="模板、检查等设置")
    overall_goal: Prose = Field(title="总体绩效目标", description="第一部分“一、总体绩效目标”的正文")
    carried_from: CarriedFrom | None = Field(
        None, title="结转来源",
        description="由 perfdoc next-year 写入：来源文档的单位、年度和各段文字的指纹；请勿手改")
    unplaced: list[PlainText] = _unplaced()


# --------------------------------------------------------------------------- goals.yaml


class ItemizedGoal(_Strict):
    """分项绩效目标的一项."""

    title: Text = Field(title="标题", description="如“贯彻执行上级的各项方针政策”；编号自动生成")
    goal: Prose = Field(title="绩效目标", description="“绩效目标：”后的文字")
    indicators: Prose = Field(title="绩效指标", description="“绩效指标：”后的文字")


class Measure(_Strict):
    """工作保障措施的一条."""

    lead: Text = Field(title="要点句", description="加粗的首句，如“加强组织领导，完善绩效制度。”")
    body: Prose = Field(title="正文", description="要点句之后的文字")


class GoalsFile(_Strict):
    """goals.yaml：分项绩效目标与工作保障措施."""

    itemized_goals: list[ItemizedGoal] = Field(
        min_length=1, title="分项绩效目标", description="第一部分“二、分项绩效目标”的各项"
    )
    measures: list[Measure] = Field(
        min_length=1, title="工作保障措施", description="第一部分“三、工作保障措施”的各条"
    )
    unplaced: list[PlainText] = _unplaced()


# --------------------------------------------------------------------------- projects/*.yaml


class Budget(_Strict):
    """预算规模."""

    total: Money = Field(title="预算数", description="项目预算总额，单位见金额单位")
    fiscal: Money | None = Field(None, title="其中：财政资金", description="预算数中的财政资金")
    other: Money | None = Field(None, title="其他资金", description="预算数中的其他资金，可留空")


class FundingPlan(_Strict):
    """资金支出计划（%），各时点的累计支出比例."""

    mar: Percent = Field(title="3月底", description="3月底累计支出百分比，0–100 的数字")
    jun: Percent = Field(title="6月底", description="6月底累计支出百分比，0–100 的数字")
    oct: Percent = Field(title="10月底", description="10月底累计支出百分比，0–100 的数字")
    dec: Percent = Field(title="12月底", description="12月底累计支出百分比，应为 100")


class Indicator(_Strict):
    """绩效指标表的一行."""

    level1: Text = Field(title="一级指标", description="如 产出指标、效益指标、满意度指标")
    level2: Text = Field(title="二级指标", description="如 数量指标、质量指标、时效指标、成本指标")
    name: Text = Field(title="三级指标", description="指标名称，同一项目内不应重复")
    description: OptionalText = Field("", title="绩效指标描述", description="指标的含义")
    value: Text = Field(title="指标值", description="如 ≥95%、>15 次、≤7 工作日、有效提升")
    basis: OptionalText = Field("", title="指标值确定依据", description="如 计划标准、历史标准、调查问卷")

    @cached_property
    def parsed(self) -> ParsedValue | None:
        """The value as operator, number and unit; ``None`` when qualitative."""
        return parse_value(self.value)


class ProjectFile(_Strict):
    """projects/NN-*.yaml：一个预算项目的绩效目标表."""

    profile: Text | None = Field(
        None, title="指标体系",
        description="本项目所用的指标体系，覆盖 settings.profile：default（经典）或 101（财预〔2021〕101号）")
    unit_code: Text | None = Field(
        None, title="单位编码", description="表上方的单位编码，如 912001；不写则用 document.yaml 的")
    unit_name: Text | None = Field(
        None, title="单位名称", description="表上方的单位名称，如 ××人民政府本级；不写则用 document.yaml 的")
    money_unit: Text | None = Field(
        None, title="金额单位", description="表上方“单位：”后的文字；不写则用 document.yaml 的，再不写则为 万元")
    code: Text = Field(title="项目编码", description="如 13082123P00007010010J")
    name: Text = Field(title="项目名称", description="表题为“N.<项目名称>绩效目标表”")
    budget: Budget = Field(title="预算规模", description="预算数、财政资金、其他资金")
    use_of_funds: Text | None = Field(None, title="资金用途", description="可省略")
    funding_plan: FundingPlan = Field(title="资金支出计划", description="3/6/10/12 月底累计百分比")
    goals: list[Text] = Field(min_length=1, title="绩效目标", description="各行绩效目标；编号自动生成")
    indicators: list[Indicator] = Field(min_length=1, title="绩效指标", description="指标表的各行")
    unplaced: list[PlainText] = _unplaced()


#: The file shapes, by the name of the JSON Schema written for each.
FILE_MODELS: dict[str, type[_Strict]] = {
    "document": DocumentFile,
    "goals": GoalsFile,
    "project": ProjectFile,
}
