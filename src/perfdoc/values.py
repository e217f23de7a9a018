"""Parse an indicator value (指标值) into operator, number and unit.

The text the author wrote is always what gets rendered; the parsed form exists
so rules can compare numbers, and so a later import/export can fill the budget
systems' separate 计算符号 / 指标值 / 计量单位 columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files

import yaml

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

def _load_units() -> frozenset[str]:
    """Read the known units from ``data/units.yaml`` (data, not code: one list to extend)."""
    text = files("perfdoc").joinpath("data", "units.yaml").read_text(encoding="utf-8")
    groups: dict[str, list[str]] = yaml.safe_load(text)["units"]
    return frozenset(str(unit) for group in groups.values() for unit in group)


#: Units the checks understand; anything else is reported by ``unknown-unit``.
KNOWN_UNITS: frozenset[str] = _load_units() | {""}

# 万亩, 亿斤: a magnitude prefix on a known unit.
_PREFIXES = ("万", "亿")
# 万头（只）: a unit with an alternative in brackets, full- or half-width.
_ALTERNATIVE = re.compile(r"^(?P<unit>[^（(]+)[（(](?P<alt>[^）)]+)[）)]$")


def is_known_unit(unit: str, extra: frozenset[str] = frozenset()) -> bool:
    """Say whether *unit* is one the checks understand, or built from them.

    Known units may take a 万 or 亿 prefix (万亩), a bracketed alternative
    (万头（只）), and two may be joined by ``/`` (元/人, 万元/年).
    """
    known = KNOWN_UNITS | extra
    if unit in known:
        return True
    if "/" in unit:
        return all(is_known_unit(part, extra) for part in unit.split("/")) and "" not in (
            unit.split("/"))
    m = _ALTERNATIVE.match(unit)
    if m:
        return is_known_unit(m.group("unit"), extra) and is_known_unit(m.group("alt"), extra)
    return unit.startswith(_PREFIXES) and unit[1:] in known and unit[1:] != ""


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
