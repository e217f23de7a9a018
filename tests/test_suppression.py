"""Suppression comments: ``# perfdoc: disable-line=RULE[,RULE…]`` (docs/cli.md, "Suppression").

The example's 01-zhucun.yaml has a cost-vs-budget warning on the value
``"24 万元"`` and, on the value ``"有效提升"``, a vague-target warning and a
quantified-value info on the same line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from perfdoc.check import NOT_SUPPRESSIBLE
from tests.conftest import Run, edit, lines

PROJECT = Path("projects") / "01-zhucun.yaml"
COST = '    value: "24 万元"'
VAGUE = '    value: "有效提升"'


def findings(cli: Callable[..., Run], folder: Path, *args: str) -> list[dict[str, Any]]:
    run = cli("check", folder, "--format", "json", *args)
    return list(json.loads(run.out))


def of(rows: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["rule"] == rule and r["path"].endswith("01-zhucun.yaml")]


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


# --------------------------------------------------------------------------- silencing


def test_a_comment_at_the_end_of_the_line_silences_the_rule(cli, example: Path) -> None:
    edit(example / PROJECT, COST, COST + "  # perfdoc: disable-line=cost-vs-budget")
    run = cli("check", example)
    assert run.code == 0
    assert "(cost-vs-budget)" not in run.out
    assert lines(run.err)[-1] == "0 error(s), 4 warning(s), 20 info(s) in 1 document(s)"
    assert "(code-format)" in run.out  # the other warnings stay


def test_json_keeps_the_finding_marked_suppressed(cli, example: Path) -> None:
    edit(example / PROJECT, COST, COST + "  # perfdoc: disable-line=cost-vs-budget")
    rows = findings(cli, example)
    [cost] = of(rows, "cost-vs-budget")
    assert cost["suppressed"] is True
    assert cost["line"] == line_of(example / PROJECT, COST + "  # perfdoc: disable-line=cost-vs-budget")
    assert list(cost) == ["path", "line", "col", "level", "rule", "message", "suppressed"]
    # Every other finding keeps the documented keys only.
    assert all("suppressed" not in r for r in rows if r is not cost)


def test_github_format_leaves_suppressed_findings_out(cli, example: Path) -> None:
    edit(example / PROJECT, COST, COST + "  # perfdoc: disable-line=cost-vs-budget")
    run = cli("check", example, "--format", "github")
    assert "cost-vs-budget" not in run.out
    assert "title=vague-target" in run.out


def test_a_comment_alone_silences_the_line_below(cli, example: Path) -> None:
    edit(example / PROJECT, COST, "    # perfdoc: disable-line=cost-vs-budget\n" + COST)
    [cost] = of(findings(cli, example), "cost-vs-budget")
    assert cost["suppressed"] is True
    assert cost["line"] == line_of(example / PROJECT, COST)


def test_a_comment_two_lines_above_silences_nothing(cli, example: Path) -> None:
    edit(example / PROJECT, COST, "    # perfdoc: disable-line=cost-vs-budget\n\n" + COST)
    [cost] = of(findings(cli, example), "cost-vs-budget")
    assert "suppressed" not in cost


def test_only_the_named_rules_are_silenced(cli, example: Path) -> None:
    edit(example / PROJECT, VAGUE, VAGUE + "  # perfdoc: disable-line=vague-target")
    rows = findings(cli, example)
    line = line_of(example / PROJECT, VAGUE + "  # perfdoc: disable-line=vague-target")
    here = {r["rule"]: r.get("suppressed", False) for r in rows
            if r["path"].endswith("01-zhucun.yaml") and r["line"] == line}
    assert here == {"vague-target": True, "quantified-value": False}


def test_several_rules_separated_by_commas(cli, example: Path) -> None:
    edit(example / PROJECT, VAGUE,
         VAGUE + "  # perfdoc: disable-line=vague-target, quantified-value")
    line = line_of(example / PROJECT,
                   VAGUE + "  # perfdoc: disable-line=vague-target, quantified-value")
    rows = [r for r in findings(cli, example)
            if r["path"].endswith("01-zhucun.yaml") and r["line"] == line]
    assert {r["rule"] for r in rows} == {"vague-target", "quantified-value"}
    assert all(r["suppressed"] for r in rows)


def test_a_hash_inside_a_quoted_value_is_not_a_comment(cli, example: Path) -> None:
    quoted = '    value: "有效提升 # perfdoc: disable-line=vague-target"'
    edit(example / PROJECT, VAGUE, quoted)
    line = line_of(example / PROJECT, quoted)
    vague = [r for r in of(findings(cli, example), "vague-target") if r["line"] == line]
    assert vague and all("suppressed" not in r for r in vague)


def test_windows_line_endings(cli, example: Path) -> None:
    path = example / PROJECT
    edit(path, COST, COST + "  # perfdoc: disable-line=cost-vs-budget")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    [cost] = of(findings(cli, example), "cost-vs-budget")
    assert cost["suppressed"] is True


# --------------------------------------------------------------------------- exit codes


def _break_budget(example: Path, cli: Callable[..., Run]) -> tuple[Path, int]:
    """Give project 01 a budget-sum error; return its file and line."""
    edit(example / PROJECT, "  fiscal: 6.19", "  fiscal: 5.19")
    [error] = of(findings(cli, example), "budget-sum")
    assert error["level"] == "error"
    return example / PROJECT, error["line"]


def _silence(path: Path, line: int, rule: str) -> None:
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[line - 1] = text[line - 1].rstrip("\n") + f"  # perfdoc: disable-line={rule}\n"
    path.write_text("".join(text), encoding="utf-8")


def test_a_suppressed_error_does_not_fail_check(cli, example: Path) -> None:
    path, line = _break_budget(example, cli)
    assert cli("check", example).code == 1
    _silence(path, line, "budget-sum")
    run = cli("check", example)
    assert run.code == 0, run.out
    assert "(budget-sum)" not in run.out
    assert lines(run.err)[-1].startswith("0 error(s), ")
    assert cli("check", example, "--format", "json").code == 0


def test_a_suppressed_warning_does_not_fail_strict(cli, example: Path) -> None:
    rows = [r for r in findings(cli, example) if r["level"] == "warning"]
    assert rows
    for row in sorted(rows, key=lambda r: -r["line"]):
        path = Path(row["path"])
        _silence(path if path.is_absolute() else Path.cwd() / path, row["line"], row["rule"])
    assert cli("check", example, "--strict").code == 0


def test_a_suppressed_error_does_not_stop_the_build(cli, example: Path, tmp_path: Path) -> None:
    path, line = _break_budget(example, cli)
    refused = cli("build", example, "--format", "docx", "-o", tmp_path / "out")
    assert refused.code == 1
    _silence(path, line, "budget-sum")
    run = cli("build", example, "--format", "docx", "-o", tmp_path / "out")
    assert run.code == 0, run.out + run.err
    assert "(budget-sum)" not in run.out
    assert list((tmp_path / "out").glob("*.docx"))


# --------------------------------------------------------------------------- mistakes


@pytest.mark.parametrize("rule", NOT_SUPPRESSIBLE)
def test_problems_other_than_findings_cannot_be_suppressed(cli, example: Path, rule: str) -> None:
    edit(example / PROJECT, COST, COST + f"  # perfdoc: disable-line={rule}")
    line = line_of(example / PROJECT, COST + f"  # perfdoc: disable-line={rule}")
    run = cli("check", example)
    col = len(COST) + 3
    assert (f"{(example / PROJECT).as_posix()}:{line}:{col}: [warning] '{rule}' problems cannot "
            "be suppressed; a suppression comment silences only the findings of check rules "
            "(schema)") in lines(run.out)


def test_a_schema_error_stays_whatever_the_comment(cli, example: Path) -> None:
    edit(example / PROJECT, "  fiscal: 6.19", "  fiscle: 6.19  # perfdoc: disable-line=schema")
    run = cli("check", example)
    assert run.code == 1
    assert "unknown key 'fiscle'" in run.out


def test_an_unknown_rule_is_a_warning_at_the_comment(cli, example: Path) -> None:
    edit(example / PROJECT, COST, COST + "  # perfdoc: disable-line=cost-vs-budjet")
    line = line_of(example / PROJECT, COST + "  # perfdoc: disable-line=cost-vs-budjet")
    [warning] = [r for r in findings(cli, example)
                 if r["rule"] == "schema" and r["path"].endswith("01-zhucun.yaml")]
    assert (warning["line"], warning["col"], warning["level"]) == (line, len(COST) + 3, "warning")
    assert warning["message"].startswith(
        "unknown rule 'cost-vs-budjet' in a suppression comment; did you mean 'cost-vs-budget'? "
        "(the rules are: budget-sum, ")
    # The known rules of the same comment still work.
    edit(example / PROJECT, "cost-vs-budjet", "cost-vs-budjet,cost-vs-budget")
    [cost] = of(findings(cli, example), "cost-vs-budget")
    assert cost["suppressed"] is True


@pytest.mark.parametrize("comment", [
    "# perfdoc: disable=cost-vs-budget",
    "# perfdoc: disable-line",
    "# perfdoc: disable-line=",
    "# perfdoc: disable-line=cost-vs-budget value-format",
])
def test_a_misspelt_comment_is_a_warning(cli, example: Path, comment: str) -> None:
    edit(example / PROJECT, COST, f"{COST}  {comment}")
    rows = findings(cli, example)
    [warning] = [r for r in rows if r["rule"] == "schema"]
    assert warning["message"] == (
        f"cannot read the comment '{comment}'; a suppression comment reads "
        "'# perfdoc: disable-line=RULE' (several rules separated by commas)")
    assert "suppressed" not in of(rows, "cost-vs-budget")[0]


def test_other_comments_are_ignored(cli, example: Path) -> None:
    edit(example / PROJECT, COST, COST + "  # perfdoc 的规则允许这样写; disable-line=x")
    assert [r for r in findings(cli, example) if r["rule"] == "schema"] == []


def test_text_inside_a_block_scalar_is_not_a_comment(cli, example: Path) -> None:
    doc = example / "document.yaml"
    text = doc.read_text(encoding="utf-8")
    start = text.index("overall_goal: >-\n") + len("overall_goal: >-\n")
    doc.write_text(text[:start] + "  # perfdoc: disable-line=nonsense\n" + text[start:],
                   encoding="utf-8")
    assert [r for r in findings(cli, example) if r["rule"] == "schema"] == []
    # On the block's header line it is a comment.
    edit(doc, "overall_goal: >-\n", "overall_goal: >-  # perfdoc: disable-line=nonsense\n")
    [warning] = [r for r in findings(cli, example) if r["rule"] == "schema"]
    assert warning["line"] == line_of(doc, "overall_goal: >-  # perfdoc: disable-line=nonsense")


def test_validate_does_not_read_suppression_comments(cli, example: Path) -> None:
    edit(example / PROJECT, COST, COST + "  # perfdoc: disable-line=nonsense")
    run = cli("validate", example)
    assert run.code == 0 and run.out == ""
