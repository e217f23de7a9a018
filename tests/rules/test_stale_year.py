"""stale-year: past years in text left unchanged since ``perfdoc next-year``.

The rule reads ``carried_from`` in document.yaml, so these tests write it by
hand with the fingerprints of the texts they mean to leave unchanged.
"""

from __future__ import annotations

import json

import pytest
from tests.rules.conftest import dedent

from perfdoc.carry import fingerprint
from perfdoc.rules.stale_year import stale_mentions

RULE = "stale-year"

NAME = "2023 年省级衔接推进乡村振兴补助资金（驻村工作队综合经费）冀财农【2022】160 号"


def carried(texts: dict[str, str], year: int = 2023) -> str:
    """Return a ``carried_from`` block recording *texts* (key -> text) as carried over."""
    rows = "".join(f"    {json.dumps(k, ensure_ascii=False)}: \"{fingerprint(v)}\"\n"
                   for k, v in texts.items())
    return f"carried_from:\n  unit: 承德县三家镇人民政府\n  year: {year}\n  texts:\n{rows}"


def document(make_document, merge, record: dict[str, str], *, project: str = "",
             year: int = 2023, extra: str = ""):
    """Write the seed document (year 2024) with one project and a ``carried_from`` block."""
    folder = make_document(projects={"01-x.yaml": merge(project or f"name: {NAME}")})
    meta = folder / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + extra + carried(record, year),
                    encoding="utf-8")
    return folder


def stale(rules, folder):
    return [(p.path.rsplit("/", 1)[-1], p.line, p.col, p.message)
            for p in rules(folder) if p.rule in (RULE, "schema")]


# --------------------------------------------------------------------------- what is a year


@pytest.mark.parametrize(("text", "mentions"), [
    ("2023年，镇党委", ["2023年"]),
    ("2023 年重点做好", ["2023 年"]),
    ("2022年度预算", ["2022年"]),
    ("截至2023-12-31", ["2023-12"]),
    ("截至2023/6/30", ["2023/6"]),
    ("２０２３年", ["２０２３年"]),  # full-width digits are digits too
    ("2021—2023 年行动", ["2021—2023 年"]),
    ("2021年-2023年", ["2021年-2023年"]),
    ("2021至2023年", ["2021至2023年"]),
    ("2023年和2023年", ["2023年"]),  # each mention once
    ("2022年、2023年", ["2022年", "2023年"]),
])
def test_past_years_are_found(text, mentions):
    assert stale_mentions(text, 2023) == mentions


@pytest.mark.parametrize("text", [
    "2024年重点工作",           # after the source year
    "2023—2025 年三年行动",    # a plan that runs on: its end is what counts
    "冀财农【2022】160 号",     # document references
    "财预〔2021〕101号",
    "依据[2021] 5 号文件",
    "国家税务总局公告2022年第5号",
    "依据2022年160号文",
    "13082123P00007010010J",   # a code: its digits are no year
    "P2023年",                  # a letter touching the year
    "12023年",
    "2000 元",                  # a number without 年
    "2023.5 万元",
    "2000-3000 元",
    "二〇二三年",               # Chinese numerals are not recognised
])
def test_other_numbers_are_not_years(text):
    assert stale_mentions(text, 2023) == []


# --------------------------------------------------------------------------- the rule


def test_an_unchanged_text_naming_a_past_year_is_reported(make_document, merge, rules):
    folder = document(make_document, merge, {"projects/01-x.yaml:name": NAME})
    assert stale(rules, folder) == [(
        "01-x.yaml", 5, 7,
        "mentions '2023 年', but this text is unchanged since it was carried over from the "
        "2023 document; update it for 2024")]


def test_an_edited_text_is_not_reported(make_document, merge, rules):
    folder = document(make_document, merge, {"projects/01-x.yaml:name": NAME},
                      project=f"name: {NAME}（续）")
    assert stale(rules, folder) == []


def test_a_document_not_carried_over_is_not_checked(make_document, merge, rules):
    folder = make_document(projects={"01-x.yaml": merge(f"name: {NAME}")})
    assert stale(rules, folder) == []


def test_a_text_not_recorded_is_not_reported(make_document, merge, rules):
    folder = document(make_document, merge, {"projects/01-x.yaml:goals.0": "行政执法工作运转保障"})
    assert stale(rules, folder) == []


def test_the_source_year_is_the_limit(make_document, merge, rules):
    # Carried from 2022: "2023 年" was the future then, and is not reported.
    folder = document(make_document, merge, {"projects/01-x.yaml:name": NAME}, year=2022)
    assert stale(rules, folder) == []


def test_codes_are_not_checked(make_document, merge, rules):
    # Even a recorded code with a year-like run of digits is left alone.
    code = "2023年P00007010010J"
    folder = document(make_document, merge, {"projects/01-x.yaml:code": code},
                      project=f"code: {code}")
    assert stale(rules, folder) == []


def test_document_and_goals_texts_are_checked_once_per_field(make_document, merge, rules):
    folder = make_document(projects={"01-x.yaml": merge("name: 执法工作经费")})
    goals = dedent("""
        itemized_goals:
          - title: 贯彻执行上级的各项方针政策
            goal: |
              2022年完成户厕改造，2023年完成清洁取暖。
              2023—2025 年持续推进。
            indicators: 做好森林草原防灭火工作
        measures:
          - lead: 加强组织领导。
            body: 依据财预〔2021〕101号文件，建立绩效制度。
    """)
    (folder / "goals.yaml").write_text(goals, encoding="utf-8")
    meta = folder / "document.yaml"
    text = meta.read_text(encoding="utf-8").replace(
        "compiled_by: 承德县三家镇人民政府编制", "compiled_by: 2023年承德县三家镇人民政府编制")
    meta.write_text(text, encoding="utf-8")
    record = {
        "document.yaml:cover.compiled_by": "2023年承德县三家镇人民政府编制",
        "goals.yaml:itemized_goals.0.goal": "2022年完成户厕改造，2023年完成清洁取暖。\n"
                                            "2023—2025 年持续推进。\n",
        "goals.yaml:measures.0.body": "依据财预〔2021〕101号文件，建立绩效制度。",
    }
    meta.write_text(text + carried(record), encoding="utf-8")
    found = stale(rules, folder)
    assert [(f, line, col) for f, line, col, _m in found] == [
        ("document.yaml", 8, 16), ("goals.yaml", 3, 11)]
    assert found[1][3].startswith("mentions '2022年'、'2023年', but")


def test_a_finding_can_be_silenced_on_its_line(make_document, merge, rules):
    folder = document(make_document, merge, {"projects/01-x.yaml:name": NAME})
    project = folder / "projects" / "01-x.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace(f"name: {NAME}\n",
                                    f"name: {NAME}  # perfdoc: disable-line=stale-year\n"),
                       encoding="utf-8")
    found = [p for p in rules(folder) if p.rule == RULE]
    assert [p.suppressed for p in found] == [True]


def test_a_broken_fingerprint_only_means_changed(make_document, merge, rules):
    folder = make_document(projects={"01-x.yaml": merge(f"name: {NAME}")})
    meta = folder / "document.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + dedent("""
        carried_from:
          unit: 承德县三家镇人民政府
          year: 2023
          texts: {"projects/01-x.yaml:name": "not a fingerprint"}
    """), encoding="utf-8")
    assert stale(rules, folder) == []
