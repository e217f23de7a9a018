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
