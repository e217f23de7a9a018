"""``perfdoc init``: a new document folder that validates and builds with no edits.

The placeholders must show up as warnings (the to-do list), never as errors
that would refuse the build; the editor setup must work wherever the folder
lives; and nothing the user already has (a document, VS Code settings) may be
overwritten without being asked.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from perfdoc.rules.placeholder import MARKER
from tests.conftest import ROOT, Run, needs_libreoffice

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
DOCUMENT_SCHEMA = "./.perfdoc/schemas/document.schema.json"


class _Terminal(io.StringIO):
    """A stdin that says it is a terminal and answers the prompts with its text."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as a script does, whatever runs the tests; a test may plug in a terminal."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _files(doc: Path) -> list[Path]:
    return [doc / "document.yaml", doc / "goals.yaml", *sorted((doc / "projects").glob("*.yaml"))]


def _problems(cli: Callable[..., Run], *args: str | Path) -> list[dict[str, Any]]:
    run = cli("check", *args, "--format", "json")
    assert "Traceback" not in run.err
    found: list[dict[str, Any]] = json.loads(run.out)
    return found


@pytest.fixture
def doc(cli: Callable[..., Run], tmp_path: Path) -> Path:
    """A folder written by ``perfdoc init`` with its defaults."""
    target = tmp_path / "mydoc"
    run = cli("init", target)
    assert run.code == 0, run.err
    return target


# --------------------------------------------------------------------------- what is written


def test_defaults_without_a_terminal(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "new"
    run = cli("init", target)
    assert run.code == 0, run.err
    meta = _yaml(target / "document.yaml")
    # Budgets are drafted the year before they run.
    assert meta["year"] == datetime.date.today().year + 1
    assert meta["unit"] == f"{MARKER}单位名称"
    assert [p.name for p in (target / "projects").iterdir()] == ["01.yaml"]
    project = _yaml(target / "projects" / "01.yaml")
    assert project["budget"]["total"] == 0
    assert project["funding_plan"] == {"mar": 0, "jun": 0, "oct": 0, "dec": 100}
    # What it wrote, then the next step.
    for name in ("document.yaml", "goals.yaml", "01.yaml"):
        assert name in run.out
    assert "perfdoc check" in run.out and "perfdoc build" in run.out
    assert run.out.index("perfdoc check") < run.out.index("perfdoc build")


def test_unit_year_and_projects(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "sanjia"
    run = cli("init", target, "--unit", "承德县三家镇人民政府", "--year", "2025",
              "--projects", "3")
    assert run.code == 0, run.err
    meta = _yaml(target / "document.yaml")
    assert meta["unit"] == "承德县三家镇人民政府"
    assert meta["year"] == 2025
    assert meta["cover"]["compiled_by"] == "承德县三家镇人民政府编制"
    names = [p.name for p in sorted((target / "projects").iterdir())]
    assert names == ["01.yaml", "02.yaml", "03.yaml"]
    codes = {_yaml(target / "projects" / n)["code"] for n in names}
    assert len(codes) == 3  # two projects with one code would be an error


def test_a_terminal_is_asked_for_what_was_not_given(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The unit is given; the year and the number of projects are asked for.
    monkeypatch.setattr("sys.stdin", _Terminal("2031\n2\n"))
    target = tmp_path / "asked"
    run = cli("init", target, "--unit", "云岭县农业农村局")
    assert run.code == 0, run.err
    assert _yaml(target / "document.yaml")["year"] == 2031
    assert _yaml(target / "document.yaml")["unit"] == "云岭县农业农村局"
    assert len(list((target / "projects").iterdir())) == 2


def test_a_terminal_may_leave_the_unit_for_later(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Enter takes every default: the placeholder unit, next year, one project.
    monkeypatch.setattr("sys.stdin", _Terminal("\n\n\n"))
    target = tmp_path / "later"
    assert cli("init", target).code == 0
    meta = _yaml(target / "document.yaml")
    assert meta["unit"] == f"{MARKER}单位名称"
    assert meta["year"] == datetime.date.today().year + 1


def test_every_key_has_a_chinese_comment_above_it(doc: Path) -> None:
    key = re.compile(r"^\s*(- )?([a-z_0-9]+):")
    for path in _files(doc):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert SCHEMA_LINE.match(lines[0])
        seen: set[str] = set()
        for n, line in enumerate(lines):
            m = key.match(line)
            # The first occurrence of every key explains it; each indicator row
            # after the first opens with its example.
            if m is None or (m.group(2) in seen and not line.lstrip().startswith("- level1")):
                continue
            seen.add(m.group(2))
            above = lines[n - 1].strip()
            assert above.startswith("# "), f"{path.name}:{n + 1}: {line!r} has no comment"
            assert re.search(r"[\u4e00-\u9fff]", above), above


# --------------------------------------------------------------------------- it checks and builds


def test_the_folder_validates(cli: Callable[..., Run], doc: Path) -> None:
    run = cli("validate", doc)
    assert run.code == 0, run.out + run.err


def test_check_finds_placeholders_and_no_errors(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "three"
    assert cli("init", target, "--projects", "3").code == 0
    problems = _problems(cli, target)
    assert not [p for p in problems if p["level"] == "error"]
    warnings = [p for p in problems if p["level"] == "warning"]
    placeholder = [p for p in warnings if p["rule"] == "placeholder"]
    assert placeholder
    # The 预算数 of 0 of every project is on the list too.
    assert len([p for p in placeholder if "0" in p["message"] and "预算数" in p["message"]]) == 3
    # No other warning: a code still marked 【待填写】 is the placeholder rule's alone.
    others = [p for p in warnings if p["rule"] != "placeholder"]
    assert not others, others
    at = {(p["path"], p["line"]) for p in placeholder}
    assert all((p["path"], p["line"]) in at for p in others)
    # Infos only say the placeholder values are not numbers yet.
    assert {p["rule"] for p in problems if p["level"] == "info"} <= {"quantified-value"}
    assert cli("check", target).code == 0


def test_build_docx_needs_no_edits(cli: Callable[..., Run], doc: Path) -> None:
    run = cli("build", doc, "--format", "docx")
    assert run.code == 0, run.out + run.err
    assert list((doc / "build").glob("*.docx"))
    assert "(placeholder)" in run.out


@needs_libreoffice
@pytest.mark.libreoffice
def test_real_build_succeeds_with_warnings(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "full"
    assert cli("init", target, "--unit", "测试单位", "--projects", "2").code == 0
    run = cli("build", target)
    assert run.code == 0, run.out + run.err
    assert "[warning]" in run.out and "(placeholder)" in run.out
    built = {p.suffix for p in (target / "build").iterdir() if not p.name.startswith(".")}
    assert built == {".docx", ".pdf"}


# --------------------------------------------------------------------------- refusals


def test_refuses_an_existing_document(cli: Callable[..., Run], doc: Path) -> None:
    before = (doc / "document.yaml").read_bytes()
    run = cli("init", doc, "--unit", "别的单位")
    assert run.code == 2
    assert "--force" in run.err
    assert (doc / "document.yaml").read_bytes() == before


def test_refuses_any_non_empty_folder(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "notes"
    target.mkdir()
    (target / "readme.txt").write_text("mine", encoding="utf-8")
    assert cli("init", target).code == 2
    assert not (target / "document.yaml").exists()


def test_refuses_a_file(cli: Callable[..., Run], tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    assert cli("init", target).code == 2


def test_refuses_a_unit_of_several_lines(cli: Callable[..., Run], tmp_path: Path) -> None:
    run = cli("init", tmp_path / "bad", "--unit", "第一行\n第二行")
    assert run.code == 2
    assert "--unit" in run.err
    assert not (tmp_path / "bad").exists()


def test_force_replaces_the_document_and_its_projects(cli: Callable[..., Run],
                                                      tmp_path: Path) -> None:
    target = tmp_path / "again"
    assert cli("init", target, "--projects", "3").code == 0
    (target / "notes.txt").write_text("kept", encoding="utf-8")
    run = cli("init", target, "--force", "--unit", "新单位")
    assert run.code == 0, run.err
    assert _yaml(target / "document.yaml")["unit"] == "新单位"
    # A project file of the old document would join the new one.
    assert [p.name for p in (target / "projects").iterdir()] == ["01.yaml"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "kept"


# --------------------------------------------------------------------------- the editor setup


def _schema_line(path: Path) -> str:
    m = SCHEMA_LINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert m, path
    return m.group(1)


def _schema_of(path: Path) -> Path:
    return path.parent / _schema_line(path)


def test_schema_lines_resolve_outside_this_repository(cli: Callable[..., Run],
                                                      doc: Path) -> None:
    assert ROOT not in doc.resolve().parents  # tmp_path: the repo's schemas/ is no help here
    for path in _files(doc):
        # Relative, so the folder can move with its workspace.
        assert not Path(_schema_line(path)).is_absolute()
        schema = _schema_of(path)
        assert schema.resolve().is_file(), f"{path}: {schema}"
        assert schema.resolve().parent == (doc.parent / ".perfdoc" / "schemas").resolve()
        # And the editor would accept the file as written.
        validator = jsonschema.validators.validator_for(json.loads(schema.read_text("utf-8")))
        checker = validator(json.loads(schema.read_text("utf-8")))
        errors = [e.message for e in checker.iter_errors(_yaml(path))]
        assert errors == [], f"{path.name}: {errors}"


def test_settings_are_created_at_the_workspace_root(cli: Callable[..., Run],
                                                    tmp_path: Path) -> None:
    # With a perfdoc.toml, the root is its folder, however deep the document.
    (tmp_path / "perfdoc.toml").write_text('profile = "default"\n', encoding="utf-8")
    target = tmp_path / "county" / "unit-a"
    assert cli("init", target).code == 0
    settings = json.loads((tmp_path / ".vscode" / "settings.json").read_text("utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping[DOCUMENT_SCHEMA] == ["**/document.yaml"]
    assert mapping["./.perfdoc/schemas/goals.schema.json"] == ["**/goals.yaml"]
    assert mapping["./.perfdoc/schemas/project.schema.json"] == ["**/projects/*.yaml"]
    # Each key is relative to the folder VS Code opens, the one holding .vscode/.
    for key in mapping:
        assert (tmp_path / key).is_file()
    assert _schema_of(target / "document.yaml").resolve() == (tmp_path / DOCUMENT_SCHEMA).resolve()
    # A second document in the workspace finds it all in place.
    run = cli("init", tmp_path / "county" / "unit-b")
    assert run.code == 0
    assert "settings.json" in run.out


def test_existing_settings_are_merged(cli: Callable[..., Run], tmp_path: Path) -> None:
    settings_file = tmp_path / ".vscode" / "settings.json"
    settings_file.parent.mkdir()
    settings_file.write_text(json.dumps({
        "editor.tabSize": 2,
        "files.exclude": {"**/build": True},
        "yaml.schemas": {
            "https://json.schemastore.org/github-workflow.json": ".github/workflows/*",
            DOCUMENT_SCHEMA: "old/document.yaml",
        },
    }), encoding="utf-8")
    assert cli("init", tmp_path / "doc").code == 0
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    assert settings["editor.tabSize"] == 2
    assert settings["files.exclude"] == {"**/build": True}
    mapping = settings["yaml.schemas"]
    assert mapping["https://json.schemastore.org/github-workflow.json"] == ".github/workflows/*"
    assert mapping[DOCUMENT_SCHEMA] == ["old/document.yaml", "**/document.yaml"]
    assert mapping["./.perfdoc/schemas/project.schema.json"] == ["**/projects/*.yaml"]
    # Merging again changes nothing.
    before = settings_file.read_bytes()
    assert cli("init", tmp_path / "doc2").code == 0
    assert settings_file.read_bytes() == before


def test_settings_with_comments_are_left_alone(cli: Callable[..., Run], tmp_path: Path) -> None:
    settings_file = tmp_path / ".vscode" / "settings.json"
    settings_file.parent.mkdir()
    text = '{\n    // my font\n    "editor.fontSize": 14,\n}\n'
    settings_file.write_text(text, encoding="utf-8")
    run = cli("init", tmp_path / "doc")
    assert run.code == 0
    assert settings_file.read_text(encoding="utf-8") == text
    # The warning says what to add, and that much is valid JSON.
    assert "settings.json" in run.err
    assert DOCUMENT_SCHEMA in run.err
    snippet = run.err[run.err.index('"yaml.schemas"'):]
    assert "yaml.schemas" in json.loads("{" + snippet + "}")


def test_settings_nested_too_deep_are_left_alone(cli: Callable[..., Run], tmp_path: Path) -> None:
    """A settings.json nested past what json can read is reported, not a crash."""
    settings_file = tmp_path / ".vscode" / "settings.json"
    settings_file.parent.mkdir()
    text = '{"a": ' * 5_000 + "1" + "}" * 5_000
    settings_file.write_text(text, encoding="utf-8")
    run = cli("init", tmp_path / "doc")
    assert run.code == 0, run.err
    assert settings_file.read_text(encoding="utf-8") == text
    assert "settings.json" in run.err


def test_settings_it_cannot_merge_are_left_alone(cli: Callable[..., Run], tmp_path: Path) -> None:
    settings_file = tmp_path / ".vscode" / "settings.json"
    settings_file.parent.mkdir()
    text = json.dumps({"yaml.schemas": {DOCUMENT_SCHEMA: {"odd": True}}})
    settings_file.write_text(text, encoding="utf-8")
    run = cli("init", tmp_path / "doc")
    assert run.code == 0
    assert settings_file.read_text(encoding="utf-8") == text
    assert "neither a glob nor a list of globs" in run.err
