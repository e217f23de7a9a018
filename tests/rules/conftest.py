"""The shared helper of the rule tests: ``check(project_yaml, problem=(line, col))``.

A test gives the text of one project file; the helper writes a small but
complete document folder around it (the seed's document.yaml and goals.yaml),
loads it through the real pipeline, runs ``check_document`` and compares the
problems of the test module's ``RULE`` with the positions the test expects.
Lines count from the first line of the dedented project text.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from perfdoc.check import CheckOptions, check_document
from perfdoc.document import load_document
from perfdoc.i18n import set_language
from perfdoc.problems import Problem, format_problems
from perfdoc.workspace import find_workspace

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "examples" / "sanjia_2024"
SEED_SETTINGS = "settings:\n  decimals: 2\n  profile: default\n"

#: A valid project that no rule objects to; docstring examples are merged into it.
BASE_PROJECT: dict[str, Any] = {
    "unit_code": "912001",
    "unit_name": "承德县三家镇人民政府本级",
    "money_unit": "万元",
    "code": "13082124P00011110021J",
    "name": "执法工作经费",
    "budget": {"total": 11.00, "fiscal": 11.00, "other": None},
    "funding_plan": {"mar": 25, "jun": 50, "oct": 75, "dec": 100},
    "goals": ["行政执法工作运转保障"],
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "执法次数", "value": ">15 次"},
        {"level1": "产出指标", "level2": "质量指标", "name": "经费使用合规率", "value": "100%"},
        {"level1": "产出指标", "level2": "时效指标", "name": "报账时间", "value": "≤7 工作日"},
        {"level1": "产出指标", "level2": "成本指标", "name": "经费成本", "value": "≤11 万元"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "纠纷化解率", "value": "≥90%"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度",
         "value": "≥95%"},
    ],
}


def dedent(text: str) -> str:
    """Return *text* dedented, without the newline after the opening quotes."""
    return textwrap.dedent(text).lstrip("\n")


def write_document(
    folder: Path, projects: dict[str, str], *, settings: str | None = None
) -> Path:
    """Write a document folder: the seed's document.yaml and goals.yaml, and *projects*.

    *settings* replaces the seed's three-line ``settings:`` block (lines 10–12
    of document.yaml), so positions in it are easy to predict.
    """
    folder.mkdir(parents=True, exist_ok=True)
    text = (SEED / "document.yaml").read_text(encoding="utf-8")
    assert SEED_SETTINGS in text
    if settings is not None:
        text = text.replace(SEED_SETTINGS, dedent(settings))
    (folder / "document.yaml").write_text(text, encoding="utf-8")
    shutil.copy(SEED / "goals.yaml", folder / "goals.yaml")
    (folder / "projects").mkdir(exist_ok=True)
    for name, source in projects.items():
        (folder / "projects" / name).write_text(dedent(source), encoding="utf-8")
    return folder


def run_check(folder: Path, opts: CheckOptions | None = None) -> list[Problem]:
    """Load *folder* through the real pipeline and return the schema and rule problems."""
    ws, problems = find_workspace(folder)
    doc, found = load_document(folder)
    problems += found
    if doc is None:
        pytest.fail("the test document does not load:\n" + format_problems(problems))
    return problems + check_document(doc, ws, opts or CheckOptions())


def merged_project(fragment: str) -> str:
    """Return BASE_PROJECT with the top-level keys of the YAML *fragment* replaced."""
    data = {**BASE_PROJECT, **yaml.safe_load(dedent(fragment))}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


CheckHelper = Callable[..., list[Problem]]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are compared as English msgids; restore the default afterwards.
    set_language("en")
    yield
    set_language(None)


@pytest.fixture
def check(request: pytest.FixtureRequest, tmp_path: Path) -> CheckHelper:
    """Return ``check(source, conf=None, *, problem=…, problems=…, message=…)``.

    *conf* is the rule's setting in document.yaml (``False``, or a mapping
    with ``level`` and ``options``); *profile* chooses the vocabulary.  The
    rule is the test module's ``RULE`` unless *rule* is given.
    """
    counter = iter(range(1_000_000))

    def helper(
        source: str, conf: Any = None, *, problem: tuple[int, int] | None = None,
        problems: Sequence[tuple[int, int]] = (), message: str | None = None,
        profile: str | None = None, rule: str | None = None,
    ) -> list[Problem]:
        rule_id = rule or request.module.RULE
        settings: dict[str, Any] = {"decimals": 2, "profile": profile or "default"}
        if conf is not None:
            settings["checks"] = {rule_id: conf}
        folder = write_document(
            tmp_path / f"doc{next(counter)}", {"01-x.yaml": source},
            settings=yaml.safe_dump({"settings": settings}, allow_unicode=True),
        )
        found = sorted(
            (p for p in run_check(folder) if p.rule in (rule_id, "schema")), key=Problem.sort_key
        )
        expected = [problem] if problem is not None else list(problems)
        got = [(p.line, p.col) for p in found]
        assert got == expected, format_problems(found)
        if message is not None:
            assert found[0].message == message
        return found

    return helper


@pytest.fixture
def make_document(tmp_path: Path) -> Callable[..., Path]:
    """Return ``make_document(settings=None, projects=None, toml=None) -> folder``.

    Without *projects* the seed's two project files are used.  *toml* is
    written as ``perfdoc.toml`` next to the document folder, making a workspace.
    """

    def helper(
        settings: str | None = None, projects: dict[str, str] | None = None,
        toml: str | None = None,
    ) -> Path:
        root = tmp_path / "ws"
        root.mkdir(exist_ok=True)
        if toml is not None:
            (root / "perfdoc.toml").write_text(dedent(toml), encoding="utf-8")
        if projects is None:
            projects = {
                p.name: p.read_text(encoding="utf-8")
                for p in sorted((SEED / "projects").glob("*.yaml"))
            }
        return write_document(root / "doc", projects, settings=settings)

    return helper


@pytest.fixture
def rules() -> Callable[..., list[Problem]]:
    """Return ``rules(folder, enable=(), disable=())``: the sorted problems of a check."""

    def helper(
        folder: Path, enable: tuple[str, ...] = (), disable: tuple[str, ...] = ()
    ) -> list[Problem]:
        found = run_check(folder, CheckOptions(enable=enable, disable=disable))
        return sorted(found, key=Problem.sort_key)

    return helper


@pytest.fixture
def merge() -> Callable[[str], str]:
    """Return ``merge(fragment)``: BASE_PROJECT with the fragment's top-level keys replaced."""
    return merged_project
