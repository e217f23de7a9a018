"""Parse an indicator value (指标值) into operator, number and unit.

The text the author wrote is always what gets rendered; the parsed form exists
so rules can compare numbers, and so a later import/export can fill the budget
systems' separate 计算符号 / 指标值 / 计量单位 columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Each spelling maps to one canonical sign, as budget systems use them.
OPERATORS: dict[str, str] = {
    "≥": "≥", ">=": "≥", "≧": "≥", "＞＝": "≥", "大于等于": "≥", "不低于": "≥", "不少于": "≥",
    "≤": "≤", "<=": "≤", "≦": "≤", "＜＝": "≤", "小于等于": "≤", "不高于": "≤", "不超过": "≤",
    "不多于": "≤",
    ">": ">", "＞": ">", "大于": ">", "高于": ">", "多于": ">",
    "<": "<", "＜": "<", "小于": "<", "低于": "<", "少于": "<",
    "=": "=", "＝": "=", "等于": "=", "达到": "=",
}

# Longest spellings first, so "大于等于" wins over "大于".
_OP_PATTERN = "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True))
_VALUE = re.compile(
    rf"^\s*(?P<op>{_OP_PATTERN})?\s*(?P<num>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>.*?)\s*$"
)

#: Units the checks understand; anything else is reported by ``value-format``.
KNOWN_UNITS: frozenset[str] = frozenset(
    {
        "", "%", "％", "‰", "次", "个", "人", "人次", "户", "家", "项", "件", "起", "场", "期",
        "份", "套", "台", "辆", "所", "村", "座", "处", "条", "篇", "本", "批", "名", "位",
        "元", "万元", "亿元", "元/人", "元/年", "万元/年",
        "年", "月", "个月", "日", "天", "工作日", "个工作日", "小时", "分钟", "周", "季度",
        "公里", "千米", "米", "平方米", "亩", "公顷", "吨", "立方米", "千瓦时", "分",
    }
)


@dataclass(frozen=True)
class ParsedValue:
    """A quantified value: ``≥95%`` is ``("≥", Decimal("95"), "%")``."""

    operator: str
    number: Decimal
    unit: str

    @property
    def is_percent(self) -> bool:
        """Say whether the unit is a percentage."""
        return self.unit in ("%", "％")


def parse_value(text: str) -> ParsedValue | None:
    """Parse *text*; return ``None`` for a qualitative value such as ``有效提升``."""
    m = _VALUE.match(text)
    if not m:
        return None
    op = OPERATORS[m.group("op")] if m.group("op") else "="
    return ParsedValue(op, Decimal(m.group("num")), m.group("unit"))


def money_in_wan(value: ParsedValue) -> Decimal | None:
    """Convert a money value to 万元, or return ``None`` when it is not money."""
    factors = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
    factor = factors.get(value.unit)
    return None if factor is None else value.number * factor
