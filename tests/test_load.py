"""Golden tests: the exact located message for each kind of loading problem."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tests.conftest import edit

P1 = "projects/01-zhucun.yaml"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")


def validate(cli, example: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(example.parent)
    run = cli("validate", example.name)
    return run.code, run.out.splitlines()


def test_unknown_key_gets_did_you_mean(cli, example, monkeypatch) -> None:
    edit(example / P1, "  fiscal: 6.19", "  fiscle: 6.19")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:10:3: [error] unknown key 'fiscle'; did you mean 'fiscal'? (schema)"
    ]


def test_chinese_key_suggests_the_english_one(cli, example, monkeypatch) -> None:
    edit(example / P1, "  total: 6.19", "  预算数: 6.19")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:8:1: [error] missing required field 预算数 (budget.total) (schema)",
        f"sanjia_2024/{P1}:9:3: [error] unknown key '预算数'; did you mean 'total'? (schema)",
    ]


def test_duplicate_key(cli, example, monkeypatch) -> None:
    edit(example / P1, "  fiscal: 6.19\n", "  fiscal: 6.19\n  fiscal: 6.20\n")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:11:3: [error] duplicate key 'fiscal' (first given on line 10) (yaml)"
    ]


def test_wrong_type(cli, example, monkeypatch) -> None:
    edit(example / P1, "  total: 6.19", "  total: 6.19万")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:9:10: [error] 预算数 (budget.total) must be a plain number; "
        "the unit comes from money_unit (write 6.19, not 6.19万) (schema)"
    ]


def test_percentage_written_as_string(cli, example, monkeypatch) -> None:
    edit(example / P1, "  mar: 25", '  mar: "25%"')
    code, out = validate(cli, example, monkeypatch)
    assert out == [
        f"sanjia_2024/{P1}:14:8: [error] 3月底 (funding_plan.mar) must be a number from 0 to "
        "100 without %: write 25, not 25% (schema)"
    ]
    assert code == 1


def test_missing_required_field(cli, example, monkeypatch) -> None:
    edit(example / "document.yaml", "year: 2024\n", "")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == ["sanjia_2024/document.yaml:3:1: [error] missing required field 年度 (year) (schema)"]


def test_yaml_syntax_error(cli, example, monkeypatch) -> None:
    edit(example / P1, "  jun: 50", "  jun: [50")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert len(out) == 1
    assert out[0].startswith(f"sanjia_2024/{P1}:16:6: [error] YAML syntax error: ")
    assert out[0].endswith("(yaml)")


def test_tab_indentation(cli, example, monkeypatch) -> None:
    edit(example / P1, "  jun: 50", "\tjun: 50")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:15:1: [error] a tab is used for indentation; YAML needs spaces (yaml)"
    ]


def test_gb18030_file_is_read_with_an_info(cli, example, monkeypatch) -> None:
    path = example / P1
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    code, out = validate(cli, example, monkeypatch)
    assert code == 0
    assert out == [
        f"sanjia_2024/{P1}:1:1: [info] the file is GB18030 (GBK), not UTF-8; it was read, but "
        "please convert it, e.g. `iconv -f GB18030 -t UTF-8`, or in Notepad: Save As, "
        "Encoding: UTF-8 (yaml)"
    ]


def test_utf16_file_is_refused(cli, example, monkeypatch) -> None:
    path = example / P1
    path.write_bytes(codecs.BOM_UTF16_LE + path.read_text(encoding="utf-8").encode("utf-16-le"))
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:1:1: [error] the file is UTF-16 or UTF-32; save it as UTF-8 "
        "(in Notepad: Save As, Encoding: UTF-8) (yaml)"
    ]


def test_utf8_bom_is_accepted(cli, example, monkeypatch) -> None:
    path = example / P1
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    code, out = validate(cli, example, monkeypatch)
    assert (code, out) == (0, [])


def test_empty_file(cli, example, monkeypatch) -> None:
    (example / "goals.yaml").write_text("", encoding="utf-8")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        "sanjia_2024/goals.yaml:1:1: [error] the file is empty; fill in its keys "
        "(see schemas/goals.schema.json) (schema)"
    ]


def test_control_character_at_its_position(cli, example, monkeypatch) -> None:
    edit(example / P1, "name: 2023 年", "name: 2023\x07 年")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:7:11: [error] control character U+0007 is not allowed in a "
        "document; delete it (it often comes from copying out of Word) (yaml)"
    ]


def test_escaped_control_character_in_quotes(cli, example, monkeypatch) -> None:
    edit(example / P1, 'value: ">15 次"', 'value: ">15\\x01 次"')
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        f"sanjia_2024/{P1}:25:12: [error] the text contains a control character XML forbids "
        "(U+0001); remove the escape (yaml)"
    ]


def test_alias_bomb_fails_at_once(cli, example, monkeypatch) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 10)}]")
    (example / "goals.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [
        "sanjia_2024/goals.yaml:1:1: [error] aliases expand to more than 500000 values; "
        "this looks like an alias bomb and was not read (yaml)"
    ]


def test_breaking_the_example_writes_nothing(cli, example, monkeypatch) -> None:
    edit(example / P1, "  total: 6.19", "  total: lots")
    monkeypatch.chdir(example.parent)
    run = cli("build", example.name, "--format", "docx")
    assert run.code == 1
    assert not (example / "build").exists()


def test_a_pipe_in_place_of_a_file_is_refused(cli, example, monkeypatch) -> None:
    import os

    target = example / "projects" / "02-zhifa.yaml"
    target.unlink()
    os.mkfifo(target)
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == ["sanjia_2024/projects/02-zhifa.yaml:1:1: [error] not a regular file; a "
                   "document is made of ordinary files (io)"]


# --------------------------------------------------------------------------- typing mistakes
#
# Each mistake is reported at the character to fix, with the fix, wherever in
# the file it is typed: first or last key, nested, in a list item.  The golden
# cases tests/bad_inputs/163-183 show one of each in full.

DOC = "document.yaml"
GOALS = "goals.yaml"
FW = "\u3000"  # a full-width space

MISTAKES = [
    # A full-width colon as the key separator.
    (DOC, "unit: 承", "unit：承", 3, 5, "a full-width colon '：' after 'unit'"),
    (DOC, "year: 2024", "year：2024", 4, 5, "a full-width colon '：' after 'year'"),
    (DOC, "year: 2024", "year： 2024", 4, 5, "a full-width colon '：' after 'year'"),
    (DOC, "cover:", "cover：", 5, 6, "a full-width colon '：' after 'cover'"),
    (DOC, "  title: 部门", "  title：部门", 6, 8, "a full-width colon '：' after 'title'"),
    (DOC, "  reviewed_by: 承", "  reviewed_by：承", 9, 14,
     "a full-width colon '：' after 'reviewed_by'"),
    (P1, "  - level1: 产出指标\n    level2: 数量指标", "  - level1：产出指标\n    level2: 数量指标",
     21, 11, "a full-width colon '：' after 'level1'"),
    # A full-width space in the indentation or after the colon.
    (DOC, "  title: 部门", FW + "title: 部门", 6, 1, "a full-width space (U+3000) in the indentation"),
    (DOC, "  title: 部门", " " + FW + "title: 部门", 6, 2,
     "a full-width space (U+3000) in the indentation"),
    (DOC, "year: 2024", FW + "year: 2024", 4, 1, "a full-width space (U+3000) in the indentation"),
    (P1, "    level2: 数量指标", FW * 2 + "level2: 数量指标", 22, 1,
     "a full-width space (U+3000) in the indentation"),
    (DOC, "year: 2024", "year:" + FW + "2024", 4, 6,
     "a full-width space (U+3000) after the colon of 'year'"),
    (P1, 'unit_code: "912001"', "unit_code: " + FW + "912001", 3, 12,
     "a full-width space (U+3000) around '912001' makes YAML read it as text"),
    (P1, "  total: 6.19", "  total: 6.19" + FW, 9, 14,
     "a full-width space (U+3000) around '6.19' makes YAML read it as text"),
    # Full-width quotes that break the line.
    (GOALS, "  - title: 加强综合治理，维护社会稳定", "  - title: ‘加强综合治理: 维护社会稳定’", 9, 12,
     "the full-width quote '‘' is not a YAML quote"),
    (DOC, "  title: 部门预算绩效文本", "  “title”: 部门预算绩效文本", 6, 3,
     "the key '“title”' is in full-width quotes; write it without them: title: …"),
    # A full-width comma inside brackets.
    (DOC, "  profile: default", "  profile: default\n  checks: {quantified-value: false，x: 1}",
     13, 35, "a full-width comma '，' does not separate the entries inside brackets; use"),
    # No space after the colon.
    (DOC, "unit: 承", "unit:承", 3, 5, "no space after the colon of 'unit'; YAML needs a space "
     "after ':': unit: 承德县三家镇人民政府"),
    (DOC, "  reviewed_by: 承", "  reviewed_by:承", 9, 14, "no space after the colon of 'reviewed_by'"),
    (P1, "  other:\n", "  other:5\n", 11, 8, "no space after the colon of 'other'"),
    (P1, "    basis: 报账单据", "    basis:报账单据", 26, 10, "no space after the colon of 'basis'"),
    (P1, "goals:\n  - 对", "goals:\n  - 对\nfunds:\n  - x: 1\n  - reason:无", 22, 11,
     "no space after the colon of 'reason'"),
    # A value starting with a character YAML reserves.
    (P1, 'value: ">15 次"', "value: > 15 次", 25, 12, "'> 15 次' starts with '>', which YAML "
     "reserves for folded blocks; put the value in quotes: \"> 15 次\""),
    (P1, 'value: ">15 次"', "value: |2 次", 25, 12, "'|2 次' starts with '|'"),
    (P1, 'value: ">15 次"', "value: |5", 25, 12, "'|5' starts with '|'"),
    (P1, 'value: ">15 次"', "value: >15 次  # 注释", 25, 12, "quotes: \">15 次\""),
    (P1, 'value: ">15 次"', "value: *15", 25, 12, "'*15' starts with '*'"),
    (P1, 'value: ">15 次"', "value: &重要", 25, 12, "'&重要' starts with '&'"),
    (P1, 'value: ">15 次"', "value: &15%", 25, 12, "'&15%' starts with '&'"),
    (P1, 'value: ">15 次"', "value: !15 次", 25, 12, "'!15 次' starts with '!'"),
    (P1, 'value: ">15 次"', "value: ! 15 次", 25, 12, "'! 15 次' starts with '!'"),
    (P1, 'value: ">15 次"', "value: %15", 25, 12, "'%15' starts with '%'"),
    (P1, 'value: ">15 次"', "value: `15 次`", 25, 12, "'`15 次`' starts with '`'"),
    (P1, "  - 对省级", "  - >对省级", 19, 5, "starts with '>'"),
    # An unclosed quote.
    (GOALS, "  - title: 加强综合治理，维护社会稳定", '  - title: "加强综合治理，维护社会稳定', 9, 12,
     'the quote " opened here is never closed; add the closing " at the end of the value'),
    (P1, 'value: "≥3 年"', "value: '≥3 年", 79, 12,
     "the quote ' opened here is never closed"),
    (P1, 'value: "8 万元"', 'value: "8 万元', 55, 12,
     'the quote " opened here is not closed on its line, so YAML read on to the next " on '
     "line 61"),
    (GOALS, "  - title: 加强综合治理，维护社会稳定", "  - title: '加强综合治理，维护社会稳定’", 9, 26,
     "the quote ' is closed with a full-width ’; close it with a half-width '"),
    # A key or list item out of line.
    (DOC, "  draft_marker", "   draft_marker", 7, 4, "'draft_marker' starts in column 4, which "
     "lines up with no key above it ('title' on line 6 starts in column 3); keys of one "
     "mapping must start in the same column"),
    (DOC, "year: 2024", " year: 2024", 4, 2, "'year' starts in column 2"),
    (DOC, "settings:", " settings:", 10, 2, "'settings' starts in column 2"),
    (P1, "    level2: 数量指标", "     level2: 数量指标", 22, 6,
     "'level2' starts in column 6, which lines up with no key above it ('level1' on line 21 "
     "starts in column 5)"),
    (P1, "    level2: 数量指标", "   level2: 数量指标", 22, 4, "'level2' starts in column 4"),
    (P1, "  - level1: 产出指标\n    level2: 成本指标", "   - level1: 产出指标\n    level2: 成本指标",
     27, 4, "this list item starts in column 4, but the items above it start in column 3"),
    (P1, "use_of_funds:", "- use_of_funds:", 12, 1, "a list item ('- ') where a key was expected"),
    (DOC, "# 文档基本信息：单位、年度、封面与总体绩效目标\nunit", "# 文档基本信息\n  unit", 4, 1,
     "'year' starts in column 1, which lines up with no key above it ('unit' on line 3 starts "
     "in column 3)"),
]


@pytest.mark.parametrize(("name", "old", "new", "line", "col", "message"), MISTAKES)
def test_typing_mistake_is_explained_at_its_place(cli, example, monkeypatch, name: str,
                                                 old: str, new: str, line: int, col: int,
                                                 message: str) -> None:
    edit(example / name, old, new)
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert len(out) == 1, out
    assert out[0].startswith(f"sanjia_2024/{name}:{line}:{col}: [error] "), out[0]
    assert message in out[0]
    assert out[0].endswith(" (yaml)")
    assert "YAML syntax error" not in out[0]


ALLOWED = [
    # Full-width colons, spaces, quotes and commas inside text are text.
    (P1, "name: 2023 年", "name: 项目：2023 年"),
    (P1, "name: 2023 年", "name: “2023” 年：‘乡村振兴’"),
    (P1, 'value: "有效提升"', "value: “有效提升”"),
    (P1, 'value: "有效提升"', "value: “有效” #提升"),
    (P1, "use_of_funds: 驻村工作组经费", "use_of_funds: 驻村工作组经费，含交通费"),
    (DOC, "unit: 承德县三家镇人民政府", "unit: 承德县　三家镇人民政府"),
    (DOC, "  title: 部门预算绩效文本", "  title: " + FW + "部门预算绩效文本"),
    (GOALS, "  - title: 加强综合治理，维护社会稳定", "  - title: 加强综合治理：维护社会稳定"),
    (GOALS, "    goal: >-\n      不断", "    goal: |\n      " + FW * 2 + "不断"),
    (GOALS, "    goal: >-\n      不断", "    goal: |\n      第一：做好\n      注:见附件\n      不断"),
    # A comma in quotes belongs to the entry; a half-width comma separates.
    (DOC, "  profile: default",
     '  profile: default\n  checks:\n    unknown-unit:\n      options:\n        units: ["场次，台次", 羽份]'),
    (DOC, "  profile: default",
     "  profile: default\n  checks:\n    unknown-unit:\n      options:\n        units: [场次, 台次]"),
    # Quoted values starting with reserved characters, and a text on its own
    # line that only looks like a key.
    (P1, 'value: ">15 次"', "value: '>15 次'"),
    (P1, 'value: "≥95%"', 'value: "*95%"'),
    (P1, "use_of_funds: 驻村工作组经费", "use_of_funds:\n  http://example.org/funds"),
    (P1, "use_of_funds: 驻村工作组经费", "use_of_funds:\n  驻村经费:交通费"),
    (P1, "goals:\n  - 对", "goals:\n  - rate:95% 对"),
    # An anchor that an alias uses is meant.
    (P1, "  fiscal: 6.19", "  fiscal: &money 6.19\n  # the same\n  total_copy: *money"),
]


@pytest.mark.parametrize(("name", "old", "new"), ALLOWED)
def test_text_that_only_looks_like_a_mistake_is_read(cli, example, monkeypatch, name: str,
                                                     old: str, new: str) -> None:
    edit(example / name, old, new)
    code, out = validate(cli, example, monkeypatch)
    assert not [line for line in out if line.endswith("(yaml)")], out


def test_full_width_comma_in_a_list_is_a_warning(cli, example, monkeypatch) -> None:
    edit(example / DOC, "  profile: default",
         "  profile: default\n  checks:\n    unknown-unit:\n      options:\n"
         "        units: [场次，台次, 羽份]")
    code, out = validate(cli, example, monkeypatch)
    assert code == 0
    assert out == [
        f"sanjia_2024/{DOC}:16:19: [warning] a full-width comma '，' does not separate the "
        "entries inside brackets, so '场次，台次' is read as one entry; use a half-width ',' "
        "(or put the entry in quotes if the comma belongs to it) (yaml)"
    ]


def test_other_syntax_errors_keep_pyyaml_words(cli, example, monkeypatch) -> None:
    edit(example / P1, "name: 2023 年", "name: 项目: 2023 年")
    code, out = validate(cli, example, monkeypatch)
    assert code == 1
    assert out == [f"sanjia_2024/{P1}:7:9: [error] YAML syntax error: mapping values are not "
                   "allowed in this context (yaml)"]
