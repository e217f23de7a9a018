"""The registry, the rule modules' shape, and their docstrings as documentation."""

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest
from pydantic import BaseModel

from perfdoc.problems import Level
from perfdoc.rules import RULES

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("rules_doc", REPO / "scripts" / "rules_doc.py")
assert _spec is not None and _spec.loader is not None
rules_doc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rules_doc)
EXAMPLE = re.compile(r"(Passing|Failing) example::\n\n((?:    .*\n|[ ]*\n)+)")


def examples(rule_id, kind):
    doc = RULES[rule_id].__doc__ or ""
    return [m.group(2) for m in EXAMPLE.finditer(doc) if m.group(1) == kind]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_module_shape(rule_id):
    rule = RULES[rule_id]
    assert rule.ID == rule_id
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id)
    assert isinstance(rule.LEVEL, Level)
    assert issubclass(rule.Options, BaseModel)
    # Every option has a default (a rule runs unconfigured) and says what it means.
    for name, info in rule.Options.model_fields.items():
        assert not info.is_required(), name
        assert info.title and info.description, name
    assert (rule.__doc__ or "").splitlines()[0].endswith(".")
    assert len(examples(rule_id, "Passing")) == 1
    assert len(examples(rule_id, "Failing")) == 1
    module = rule.__name__.rsplit(".", 1)[1]
    assert (REPO / "tests" / "rules" / f"test_{module}.py").is_file()


DOCUMENT_PART = "# document.yaml"


def example_parts(example: str) -> list[str]:
    """The YAML documents of an example (``---`` separates them), dedented."""
    parts = [p for p in re.split(r"^\s*---\s*$", example, flags=re.M) if p.strip()]
    return [textwrap.dedent(p).strip("\n") + "\n" for p in parts]


def project_files(example: str, merge) -> dict[str, str]:
    """One project file per YAML document of an example (``---`` separates them).

    Rules that compare projects (unit-consistency) need two in their examples.
    A part that starts with ``# document.yaml`` is not a project (see document_part).
    """
    parts = [p for p in example_parts(example) if not p.startswith(DOCUMENT_PART)]
    return {f"{i:02d}-x.yaml": merge(part) for i, part in enumerate(parts, start=1)}


def document_part(example: str) -> str:
    """Keys an example adds to document.yaml: its part headed ``# document.yaml``.

    A rule that reads document.yaml (stale-year reads ``carried_from``) shows
    those keys in its examples.
    """
    return "".join(p for p in example_parts(example) if p.startswith(DOCUMENT_PART))


@pytest.mark.parametrize("rule_id", list(RULES))
def test_docstring_examples_hold(rule_id, make_document, rules, merge):
    [passing] = examples(rule_id, "Passing")
    [failing] = examples(rule_id, "Failing")
    folder = make_document(projects=project_files(passing, merge))
    meta = folder / "document.yaml"
    seed = meta.read_text(encoding="utf-8")
    meta.write_text(seed + document_part(passing), encoding="utf-8")
    assert [p for p in rules(folder) if p.rule in (rule_id, "schema")] == []
    meta.write_text(seed + document_part(failing), encoding="utf-8")
    for old in (folder / "projects").iterdir():
        old.unlink()
    for name, text in project_files(failing, merge).items():
        (folder / "projects" / name).write_text(text, encoding="utf-8")
    found = rules(folder)
    assert [p for p in found if p.rule == rule_id]
    assert [p for p in found if p.rule == "schema"] == []


def test_rules_table_lists_every_rule():
    table = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning|info) \|", table, re.M)
    assert rows == [(rule_id, rule.LEVEL.value) for rule_id, rule in RULES.items()]

def test_options_section_is_generated_from_the_models():
    assert rules_doc.main(["rules_doc.py", "check"]) == 0, "run python scripts/rules_doc.py"
