"""Report a past year in text left unchanged since ``perfdoc next-year`` carried it over.

A document made by ``perfdoc next-year`` records in ``carried_from`` the
source's year and a fingerprint of every text it carried.  A text whose
fingerprint still matches was not touched for the new year, so its
"2024年，镇党委……" or "2023 年省级衔接资金" is most likely stale.  This rule
reports such a text, once per field at that field, naming the mentions of
the source's year or an earlier one:

- a year followed by 年 (``2023 年``, ``2023年度``), or starting a date
  (``2023-12-31``, ``2023/6``);
- a range (``2021—2023 年``, ``2021年-2023年``, ``2021至2023年``) when its
  end is the source's year or earlier: a plan that runs on (``2023—2025 年``
  carried from 2024) is still current.

It ignores codes (the ``code`` and ``unit_code`` fields are not checked, and
four digits inside a longer run of digits and letters, as in
13082123P00007010010J, are no year) and document references: a year in
brackets (冀财农【2022】160 号, 财预〔2021〕101号, [2021]) and a year followed
by a number and 号 (公告2022年第5号).  Years in Chinese numerals (二〇二三年)
are not recognised.  A text that was edited, or a document that was not
carried over, gets no finding.

Passing example::

    # document.yaml
    carried_from:
      unit: 承德县三家镇人民政府
      year: 2023
      texts: {"projects/01-x.yaml:name": "ed2a8b8bf1a47d84"}
    ---
    name: 2024 年执法工作经费

Failing example::

    # document.yaml
    carried_from:
      unit: 承德县三家镇人民政府
      year: 2023
      texts: {"projects/01-x.yaml:name": "ed2a8b8bf1a47d84"}
    ---
    name: 2023 年执法工作经费
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from perfdoc.carry import fingerprint, text_fields
from perfdoc.document import Document
from perfdoc.i18n import _
from perfdoc.problems import Level
from perfdoc.rules.base import Finding, NoOptions, RuleContext

ID = "stale-year"
LEVEL = Level.WARNING
Options = NoOptions

_YEAR = r"(?:19|2[01])[0-9]{2}"
#: A year mention: a range ending in 年, a year and 年, or the year of a date.
#: No digit or Latin letter may touch the first year: four digits inside a
#: code such as 13082123P00007010010J are not a year.
MENTION = re.compile(
    rf"(?<![0-9A-Za-z])(?P<first>{_YEAR})(?![0-9])"
    rf"(?:\s*年?\s*[—–\-－~～至到]{{1,2}}\s*(?P<end>{_YEAR})(?![0-9])\s*年"
    r"|\s*年"
    r"|[-/](?:0?[1-9]|1[0-2])(?![0-9]))"
)
#: An opening bracket right before a year makes it a document reference: 〔2021〕.
_OPENING = "【〔[［〖"
#: A number and 号 right after a year make it one too: 2022年第5号.
_NUMBERED = re.compile(r"\s*第?\s*[0-9]+\s*号")
#: Full-width digits read as digits (same length, so positions stay).
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _bracketed(text: str, start: int) -> bool:
    """Say whether an opening bracket comes right before *start*, spaces aside."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] in _OPENING


def stale_mentions(text: str, source_year: int) -> list[str]:
    """Return the mentions in *text* of *source_year* or an earlier year, as written."""
    plain = text.translate(_DIGITS)
    found: list[str] = []
    for m in MENTION.finditer(plain):
        if _bracketed(plain, m.start()) or _NUMBERED.match(plain, m.end()):
            continue
        year = int(m.group("end") or m.group("first"))
        mention = text[m.start():m.end()]
        if year <= source_year and mention not in found:
            found.append(mention)
    return found


def check(doc: Document, ctx: RuleContext) -> Iterator[Finding]:
    """Yield a finding for each unchanged carried-over text that names a past year."""
    carried = doc.meta.carried_from
    if carried is None:
        return
    for field in text_fields(doc):
        if carried.texts.get(field.key) != fingerprint(field.text):
            continue  # new since the carry-over, or edited: the author has seen it
        mentions = stale_mentions(field.text, carried.year)
        if mentions:
            yield Finding(field.source, field.at, _(
                "mentions {mentions}, but this text is unchanged since it was carried over "
                "from the {source} document; update it for {year}").format(
                    mentions="、".join(f"'{m}'" for m in mentions), source=carried.year,
                    year=doc.meta.year))
