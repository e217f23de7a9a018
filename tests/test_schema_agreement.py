"""The JSON Schemas in schemas/ agree with perfdoc on every bad input and every example.

An editor validates each file against its schema while it is typed; perfdoc
validates the document.  When the two disagree, people are taught the wrong
thing: a squiggle under ``year: "2024"``, which perfdoc takes, or none under
``total: 6.19万元``, which it refuses.  So, for every case in tests/bad_inputs/
(laid out as tests/test_bad_inputs.py does), every document in examples/ and a
few probes below, each file perfdoc reads is loaded the way an editor loads it
and validated with ``jsonschema`` against its schema (document.yaml →
document, goals.yaml → goals, projects/*.yaml → project).  Then:

1. a file the schema refuses is one ``perfdoc validate`` reports an error in,
   or else ``perfdoc check`` does: the schema also says what a rule says where
   it can, such as spending percentages from 0 to 100;
2. a file ``perfdoc validate`` refuses for a schema problem of the file itself
   (its own model refuses it) is one the schema refuses.

A problem that needs two files (money with more decimals than document.yaml's
``settings.decimals``, a unit code given in neither file) is no one file's: no
schema of one file can know it.  Files perfdoc cannot read as YAML at all
(syntax, encoding, tags, alias bombs) or does not read (links out of the
document) are left out: an editor shows a YAML error there, not a schema one.

How an editor loads a file
--------------------------
Each file is loaded twice, as two editors would:

``yaml-1.1``
    ``yaml.safe_load``: the YAML 1.1 perfdoc itself reads, and what VS Code's
    YAML extension reads with ``yaml.yamlVersion: "1.1"``.  One change: a
    timestamp stays the text typed.  JSON has no date type, and
    yaml-language-server hands a date to the schema as its text, so a schema
    can only refuse ``value: 2025-06-30`` by its spelling.
``yaml-1.2``
    The YAML 1.2 core schema, VS Code's default: ``yes``, ``on``, ``1_000``,
    ``1:30`` and ``2025-06-30`` are text, ``010`` is 10 and ``0o10`` is 8.

Both are PyYAML's SafeLoader (the second with the resolvers of the YAML 1.2
core schema).  Where that still differs from the ``yaml`` package inside
yaml-language-server, PyYAML is the stricter: it refuses a few characters in
the stream (C1 controls), which perfdoc refuses too, as YAML problems.

Exceptions
----------
``KNOWN`` lists the disagreements the schemas cannot avoid, each with its
reason and the cases it occurs in.  It may occur nowhere else, and a case
listed must still show it, so a stale exception is noticed.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from perfdoc.document import DOCUMENT_FILE, GOALS_FILE, allowed_bases, outside, project_files
from perfdoc.load import load_yaml
from perfdoc.model import (
    FILE_MODELS,
    Budget,
    DocumentFile,
    FundingPlan,
    GoalsFile,
    Indicator,
    ProjectFile,
    Settings,
)
from perfdoc.problems import display_path
from perfdoc.rules import RULES
from perfdoc.schema import schemas
from tests.conftest import EXAMPLE, ROOT, edit
from tests.test_bad_inputs import CASES, prepare

EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / DOCUMENT_FILE).is_file())
SHAPES: dict[str, tuple[str, type[BaseModel]]] = {
    DOCUMENT_FILE: ("document", DocumentFile),
    GOALS_FILE: ("goals", GoalsFile),
}
PROJECT = ("project", ProjectFile)


# --------------------------------------------------------------------------- editors' YAML

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Yaml11(_Base):  # type: ignore[valid-type, misc]
    """``yaml.safe_load``, with timestamps left as the text typed (as editors pass them)."""


Yaml11.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


class Yaml12(_Base):  # type: ignore[valid-type, misc]
    """The YAML 1.2 core schema, which VS Code's YAML extension reads by default."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _int12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = node.value
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text)


def _float12(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = node.value.lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


for _tag, _regexp, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
              r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    Yaml12.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_regexp), list(_first))
Yaml12.add_constructor("tag:yaml.org,2002:int", _int12)
Yaml12.add_constructor("tag:yaml.org,2002:float", _float12)

VIEWS: dict[str, type[yaml.SafeLoader]] = {"yaml-1.1": Yaml11, "yaml-1.2": Yaml12}


def yaml11_type(text: str) -> str:
    """Return the tag PyYAML (YAML 1.1, as perfdoc reads) gives *text* written unquoted."""
    return yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))


# --------------------------------------------------------------------------- the schemas

_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}


def validator(shape: str) -> jsonschema.protocols.Validator:
    """Return the committed schema of *shape* as a validator that checks formats, as editors do."""
    if not _VALIDATORS:
        generated = schemas()
        for name in generated:
            committed = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
            assert committed == generated[name], f"schemas/{name}.schema.json is stale"
            _VALIDATORS[name] = _validator_of(committed)
    return _VALIDATORS[shape]


def _validator_of(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@dataclass(frozen=True)
class SchemaError:
    """One error the schema reports: where, what, and the value it is about."""

    path: str
    message: str
    instance: Any


def schema_errors(check: jsonschema.protocols.Validator, data: Any) -> list[SchemaError]:
    return [SchemaError(e.json_path, e.message[:200], e.instance) for e in check.iter_errors(data)]


# --------------------------------------------------------------------------- what each side says


@dataclass
class FileVerdict:
    """What the schema (in each view) and perfdoc say about one file."""

    display: str
    #: view → the schema's errors ([] when it accepts the file).
    schema: dict[str, list[SchemaError]]
    #: perfdoc validate reports an error in the file, or else (asked only when the
    #: schema refuses the file) perfdoc check does.
    perfdoc_refuses: bool
    #: perfdoc validate refuses the file for a problem of its own model (not a cross-file one).
    schema_problem: bool
    #: That model's errors as (pydantic's type, location), and the file's data in each view.
    errors: list[tuple[str, tuple[str | int, ...]]]
    data: dict[str, Any]


def _problems(cli: Callable[..., Any], *args: str) -> list[dict[str, Any]]:
    run = cli(*args, "--format", "json", ".")
    assert "Traceback" not in run.err
    found: list[dict[str, Any]] = json.loads(run.out) if run.out.strip() else []
    return [p for p in found if p["level"] == "error" and not p.get("suppressed")]


def verdicts(doc: Path, cli: Callable[..., Any]) -> list[FileVerdict]:
    """Load every file perfdoc reads in *doc* both ways, and say who refuses it."""
    validated = _problems(cli, "validate")
    checked: list[dict[str, Any]] | None = None
    bases = allowed_bases(doc, None)
    out = []
    for path in [doc / DOCUMENT_FILE, doc / GOALS_FILE, *project_files(doc)]:
        if not path.is_file() or outside(path, bases) is not None:
            continue  # missing, a folder, or a link perfdoc does not follow
        display = display_path(path)
        yf, _found = load_yaml(path, display)
        if yf is None:
            continue  # not YAML perfdoc can read: an editor shows a YAML error
        shape, model = SHAPES.get(path.name, PROJECT)
        assert FILE_MODELS[shape] is model
        text = path.read_text(encoding="utf-8-sig" if yf.encoding == "utf-8" else yf.encoding)
        data = {view: yaml.load(text, Loader=loader) for view, loader in VIEWS.items()}
        refused = {view: schema_errors(validator(shape), data[view]) for view in VIEWS}
        errors: list[tuple[str, tuple[str | int, ...]]] = []
        if yf.data is not None:
            try:
                model.model_validate(yf.data)
            except ValidationError as exc:
                errors = [(e["type"], tuple(e["loc"])) for e in exc.errors()]
        here = [p for p in validated if p["path"] == display]
        own = yf.data is None or bool(errors)
        schema_problem = own and any(p["rule"] == "schema" for p in here)
        refuses = bool(here)
        if not refuses and any(refused.values()):
            if checked is None:
                checked = _problems(cli, "check")
            refuses = any(p["path"] == display for p in checked)
        out.append(FileVerdict(display, refused, refuses, schema_problem, errors, data))
    return out


# --------------------------------------------------------------------------- exceptions


@dataclass(frozen=True)
class Known:
    """A disagreement the schemas cannot avoid, why, and where it occurs."""

    reason: str
    applies: Callable[[str, FileVerdict], bool]
    #: The bad inputs and probes it occurs in; anywhere else it is a disagreement.
    cases: frozenset[str]


def _at(data: Any, loc: tuple[str | int, ...]) -> Any:
    """Return the value at pydantic's *loc* in *data*, skipping union tags."""
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_spelling(view: str, f: FileVerdict) -> bool:
    # perfdoc refuses only how numbers were typed, at values the editor's YAML made numbers.
    return not f.schema[view] and bool(f.errors) and all(
        kind in ("plain_decimal", "decimal_parsing") and _is_number(_at(f.data[view], loc))
        for kind, loc in f.errors)


_DATE_OR_BOOL = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}


def _quoted_date_or_bool(view: str, f: FileVerdict) -> bool:
    # The schema refuses only strings that YAML 1.1 would read as a date or a boolean.
    return not f.perfdoc_refuses and bool(f.schema[view]) and all(
        isinstance(e.instance, str) and yaml11_type(e.instance) in _DATE_OR_BOOL
        for e in f.schema[view])


KNOWN: dict[str, Known] = {
    "number-spelling": Known(
        "A JSON Schema sees the number YAML read, never how it was typed.  perfdoc refuses "
        "money and whole numbers typed as 010, 0x10, +5 or .5 (and, read as YAML 1.1, 1_000 "
        "and 1:30) for their spelling (docs/format.md, Numbers); to an editor they are "
        "numbers like any other.  Likewise YAML 1.2 reads 0o10 as 8, where perfdoc reads text.",
        _number_spelling,
        frozenset({"138-money-leading-zero", "139-money-hex", "140-money-sexagesimal",
                   "141-money-underscore", "142-money-leading-dot", "143-money-plus-sign",
                   "147-year-hex", "probe:money-octal-yaml12"})),
    "quoted-date-or-bool": Known(
        "perfdoc reads YAML 1.1, where value: 2025-06-30 is a date and basis: yes a boolean, "
        "and refuses both in text fields; editors read YAML 1.2, where both are text.  A "
        "schema sees the same string whether it was quoted or not, so to flag the unquoted "
        "forms people type, it flags the quoted ones too, which perfdoc accepts.",
        _quoted_date_or_bool,
        frozenset({"probe:value-quoted-date", "probe:basis-quoted-yes"})),
}


def disagreements(name: str, found: list[FileVerdict], used: set[str]) -> list[str]:
    """Say where the schema and perfdoc disagree, leaving out (and adding to *used*) the known."""
    out = []
    for f in found:
        for view, errors in f.schema.items():
            if errors and not f.perfdoc_refuses:
                first = f"{errors[0].path}: {errors[0].message}"
                problem = f"{name}: {f.display} ({view}): schema refuses ({first}), perfdoc accepts"
            elif not errors and f.schema_problem:
                problem = f"{name}: {f.display} ({view}): perfdoc refuses {f.errors}, schema accepts"
            else:
                continue
            known = [k for k, exc in KNOWN.items() if name in exc.cases and exc.applies(view, f)]
            if known:
                used.update(known)
            else:
                out.append(problem)
    return out


def assert_agreement(name: str, found: list[FileVerdict]) -> None:
    used: set[str] = set()
    assert disagreements(name, found, used) == []
    stale = {k for k, exc in KNOWN.items() if name in exc.cases} - used
    assert not stale, f"{name} no longer shows the exception(s) {sorted(stale)}: remove them"


def test_the_exceptions_are_few() -> None:
    assert len(KNOWN) <= 5
    assert all(exc.reason and exc.cases for exc in KNOWN.values())


# --------------------------------------------------------------------------- bad inputs, examples


@pytest.mark.parametrize("name", CASES)
def test_bad_input_agrees(name: str, tmp_path: Path, cli, monkeypatch) -> None:
    doc = prepare(name, tmp_path)
    monkeypatch.chdir(doc)
    assert_agreement(name, verdicts(doc, cli))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_agrees(name: str, tmp_path: Path, cli, monkeypatch) -> None:
    doc = tmp_path / name
    shutil.copytree(ROOT / "examples" / name, doc, ignore=shutil.ignore_patterns("build"))
    monkeypatch.chdir(doc)
    found = verdicts(doc, cli)
    assert len(found) >= 3
    assert_agreement(name, found)
    for f in found:  # an example is valid, to the schema too
        assert f.schema == {view: [] for view in VIEWS}, f.display


# --------------------------------------------------------------------------- probes

P1 = "projects/01-zhucun.yaml"


@dataclass(frozen=True)
class Probe:
    """One line of the example changed, and who should refuse the file."""

    name: str
    file: str
    old: str
    new: str
    #: "accepted" (schema and perfdoc validate), "refused" (schema, and perfdoc validate
    #: or check), or the key of the KNOWN exception it shows.
    outcome: str


PROBES = [
    # What the schemas used to accept and perfdoc refuses.
    Probe("mar-percent-sign", P1, "  mar: 25\n", "  mar: 25%\n", "refused"),
    Probe("jun-quoted-percent", P1, "  jun: 50\n", '  jun: "50%"\n', "refused"),
    Probe("total-with-unit", P1, "  total: 6.19\n", "  total: 6.19万元\n", "refused"),
    Probe("total-thousands", P1, "  total: 6.19\n", "  total: 1,006.19\n", "refused"),
    Probe("other-empty-string", P1, "  other:\n", '  other: ""\n', "refused"),
    Probe("value-date", P1, '    value: "≤7 工作日"', "    value: 2025-06-30", "refused"),
    Probe("basis-yes", P1, "    basis: 报账单据", "    basis: yes", "refused"),
    Probe("unplaced-date", P1, "use_of_funds:", "_unplaced: [2025-06-30]\nuse_of_funds:",
          "refused"),
    Probe("dec-above-100", P1, "  dec: 100\n", "  dec: 100.5\n", "refused"),
    Probe("mar-negative", P1, "  mar: 25\n", '  mar: "-5"\n', "refused"),
    Probe("numbering-two", DOCUMENT_FILE, "  decimals: 2\n", "  decimals: 2\n  numbering: 2\n",
          "refused"),
    Probe("decimals-seven", DOCUMENT_FILE, "  decimals: 2\n", '  decimals: "7"\n', "refused"),
    # What the schemas used to refuse and perfdoc accepts.
    Probe("year-quoted", DOCUMENT_FILE, "year: 2024\n", 'year: "2024"\n', "accepted"),
    Probe("year-float", DOCUMENT_FILE, "year: 2024\n", "year: 2024.0\n", "accepted"),
    Probe("decimals-quoted", DOCUMENT_FILE, "  decimals: 2\n", '  decimals: "2"\n', "accepted"),
    Probe("numbering-yes", DOCUMENT_FILE, "  decimals: 2\n", "  decimals: 2\n  numbering: yes\n",
          "accepted"),
    Probe("checks-off", DOCUMENT_FILE, "  decimals: 2\n",
          "  decimals: 2\n  checks:\n    numbering: off\n    budget-sum: {enabled: no}\n",
          "accepted"),
    # Forms both accept.
    Probe("total-quoted", P1, "  total: 6.19\n", '  total: " 6.19 "\n', "accepted"),
    Probe("other-negative-zero", P1, "  other:\n", '  other: "-0.00"\n', "accepted"),
    Probe("mar-quoted", P1, "  mar: 25\n", '  mar: "25"\n', "accepted"),
    Probe("value-number", P1, '    value: "≤7 工作日"', "    value: 7", "accepted"),
    Probe("value-sexagesimal", P1, '    value: "≤7 工作日"', "    value: 1:30", "accepted"),
    Probe("date-setting", DOCUMENT_FILE, "  decimals: 2\n", "  decimals: 2\n  date: 2024-03-01\n",
          "accepted"),
    # Offered values, never imposed: aliases, own names, other profiles, unknown rules.
    Probe("level2-alias", P1, "    level2: 数量指标", "    level2: 环境效益指标", "accepted"),
    Probe("level1-own-name", P1, "  - level1: 产出指标", "  - level1: 本单位自定指标", "accepted"),
    Probe("profile-101-unquoted", DOCUMENT_FILE, "  profile: default", "  profile: 101",
          "accepted"),
    Probe("profile-own", P1, "use_of_funds:", "profile: 本地体系\nuse_of_funds:", "accepted"),
    Probe("checks-unknown-rule", DOCUMENT_FILE, "  decimals: 2\n",
          "  decimals: 2\n  checks:\n    no-such-rule: false\n", "accepted"),
    # The exceptions.
    Probe("value-quoted-date", P1, '    value: "≤7 工作日"', '    value: "2025-06-30"',
          "quoted-date-or-bool"),
    Probe("basis-quoted-yes", P1, "    basis: 报账单据", "    basis: 'yes'", "quoted-date-or-bool"),
    Probe("money-octal-yaml12", P1, "  other:\n", "  other: 0o10\n", "number-spelling"),
]


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_probe_agrees(probe: Probe, tmp_path: Path, cli, monkeypatch) -> None:
    doc = tmp_path / "doc"
    shutil.copytree(EXAMPLE, doc, ignore=shutil.ignore_patterns("build"))
    edit(doc / probe.file, probe.old, probe.new)
    monkeypatch.chdir(doc)
    found = verdicts(doc, cli)
    assert_agreement(f"probe:{probe.name}", found)
    (f,) = [f for f in found if f.display == probe.file]
    if probe.outcome == "accepted":
        assert f.schema == {view: [] for view in VIEWS}
        assert not f.perfdoc_refuses
    elif probe.outcome == "refused":
        assert all(f.schema.values())
        assert f.perfdoc_refuses
    else:
        assert probe.outcome in KNOWN


# --------------------------------------------------------------------------- value by value

#: (model, YAML of the other fields, field, [(YAML value, accepted?)]); the model's
#: validation and its JSON Schema must both say "accepted?" in both views.
VALUES: list[tuple[type[BaseModel], str, str, list[tuple[str, bool]]]] = [
    (Budget, "", "total", [
        ("6.19", True), ('"6.19"', True), ('" 6.19 "', True), ("0", True), ("11", True),
        ("-0", True), ('"-0.00"', True), ("999999999999.99", True),
        ("-0.5", False), ('"-1"', False), ("1000000000000", False), ('"1000000000000"', False),
        ("6.19万", False), ("6.19 万元", False), ("￥6.19", False), ("6,190", False),
        ('""', False), ("~", False), (".inf", False), ("true", False), ("[1]", False),
        ("十一", False), ("1e30", False), ('"1e3"', False), ('"00"', False), ('"6."', False),
        ('"+5"', False), ('"１"', False), ('"0x10"', False)]),
    (Budget, "total: 1\n", "fiscal", [("~", True), ("", True), ('""', False), ('" "', False)]),
    (FundingPlan, "jun: 50\noct: 75\ndec: 100\n", "mar", [
        ("25", True), ('"25"', True), ("0", True), ("100", True), ("100.0", True),
        ('"100.00"', True), ("99.5", True), ('"-0"', True),
        ("100.5", False), ("-5", False), ('"120"', False), ("25%", False), ('"25%"', False),
        ("25 %", False), ("七十五", False), ('"05"', False), ('"1e2"', False)]),
    (DocumentFile, "unit: x\ncover: {compiled_by: y}\noverall_goal: z\n", "year", [
        ("2024", True), ('"2024"', True), ('" 2024 "', True), ("2024.0", True),
        ('"2024.00"', True), ("1900", True), ("2200", True),
        ("2024.5", False), ('"2024.5"', False), ("1899", False), ("2201", False),
        ('"02024"', False), ("二〇二四", False), ("true", False), ("~", False)]),
    (Settings, "", "decimals", [
        ("2", True), ('"2"', True), ("2.0", True), ("0", True), ("6", True), ("-0", True),
        ("7", False), ('"7"', False), ("-1", False), ("1.5", False), ("two", False)]),
    (Settings, "", "numbering", [
        ("true", True), ("false", True), ("yes", True), ("No", True), ("on", True),
        ("OFF", True), ('"y"', True), ('"T"', True), ('"fAlSe"', True), ("1", True),
        ("0", True), ("1.0", True),
        ("2", False), ('"2"', False), ('"yes "', False), ('"ja"', False), ("~", False),
        ("[]", False)]),
    (Settings, "", "profile", [("default", True), ("101", True), ('"本地"', True),
                               ('""', False), ("no", False)]),
    (Indicator, "level1: a\nlevel2: b\nname: c\n", "value", [
        ('"≥95%"', True), ('">15 次"', True), ("7", True), ("1.5", True), (".inf", True),
        ("0x10", True), ("2025年6月30日", True), ("2025-06-30前", True), ('"是"', True),
        ("2025-06-30", False), ("2025-06-30 10:00:00", False), ("yes", False), ("Off", False),
        ("true", False), ('""', False), ('"   "', False), ('"\\u3000"', False),
        ('"a\\tb"', False), ('"a\\nb"', False), ('"a\\u200bb"', False), ('"\\u202e99"', False),
        ("~", False), ("[a]", False)]),
    (Indicator, "level1: a\nlevel2: b\nname: c\nvalue: v\n", "description", [
        ('""', True), ("含义", True), ("12", True), ('" "', False), ("~", False),
        ("2025-06-30", False)]),
    (GoalsFile, "itemized_goals: [{title: t, goal: g, indicators: i}]\nmeasures: ", "", [
        ('[{lead: l, body: "第一段\\n第二段"}]', True), ('[{lead: l, body: "a\\tb"}]', False),
        ('[{lead: "a\\nb", body: b}]', False)]),
]


def _value_cases() -> list[tuple[type[BaseModel], str, bool]]:
    return [(model, f"{others}{field}: {value}\n" if field else f"{others}{value}\n", accepted)
            for model, others, field, values in VALUES for value, accepted in values]


@pytest.mark.parametrize(("model", "text", "accepted"), _value_cases(),
                         ids=[f"{m.__name__}:{t.splitlines()[-1]}" for m, t, _a in _value_cases()])
def test_value_forms_agree(model: type[BaseModel], text: str, accepted: bool,
                           tmp_path: Path) -> None:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    yf, problems = load_yaml(path, "file.yaml")
    perfdoc = False
    if yf is not None:
        try:
            instance = model.model_validate(yf.data)
        except ValidationError:
            pass
        else:  # the range of a spending percentage is the spending-plan rule's
            perfdoc = not isinstance(instance, FundingPlan) or all(
                0 <= getattr(instance, m) <= 100 for m in ("mar", "jun", "oct", "dec"))
    assert perfdoc == accepted, problems
    check = _validator_of(model.model_json_schema(mode="validation"))
    for view, loader in VIEWS.items():
        errors = schema_errors(check, yaml.load(text, Loader=loader))
        assert (not errors) == accepted, (view, errors)


@pytest.mark.parametrize("text", [
    "2025-06-30", "2025-6-30", "2025-06-3", "20250630", "2025-06-30前", "2025年6月30日",
    "2025-06-30 10:00:00", "2025-6-3 1:00:00", "2025-06-30T10:00:00Z", "2025-06-30t10:00:00",
    "2025-06-30 10:00:00.5 +8", "2025-06-30 10:00:00-08:00", "2025-06-30 10:00",
    "2025-13-45", "yes", "Yes", "YES", "yEs", "y", "n", "no", "NO", "nO", "on", "On", "off",
    "OFF", "oFF", "true", "True", "TRUE", "tRUE", "false", "是", "否", "", "1:30", "0x10",
])
def test_text_refuses_what_yaml11_reads_as_a_date_or_bool(text: str) -> None:
    # The text schema's guard is PyYAML's resolver, spelt for JSON Schema: the two must
    # agree on every spelling, or the editor flags a text perfdoc reads as text.
    check = _validator_of(DocumentFile.model_json_schema(mode="validation")["properties"]["unit"])
    guarded = any("YAML 1.1" in str(e.schema.get("patternErrorMessage", ""))
                  for e in check.iter_errors(text))
    assert guarded == (yaml11_type(text) in _DATE_OR_BOOL)


# --------------------------------------------------------------------------- completion


def _defs(shape: str) -> dict[str, Any]:
    return validator(shape).schema.get("$defs", {})


def _offered(field: dict[str, Any]) -> dict[str, str]:
    return {b["const"]: b["description"] for b in field.get("anyOf", []) if "const" in b}


def test_vocabulary_profiles_and_rules_are_offered_never_imposed() -> None:
    indicator = _defs("project")["Indicator"]["properties"]
    level1, level2 = _offered(indicator["level1"]), _offered(indicator["level2"])
    assert {"产出指标", "效益指标", "满意度指标", "成本指标"} <= set(level1)
    assert {"数量指标", "时效指标", "经济成本指标", "环境效益指标"} <= set(level2)
    assert "生态效益指标" in level2["环境效益指标"]  # an alias names what it stands for
    settings = _defs("document")["Settings"]["properties"]
    for field in (settings["profile"], validator("project").schema["properties"]["profile"]):
        assert set(_offered(field)) == {"default", "101"}
    checks = settings["checks"]
    assert set(checks["properties"]) == set(RULES)
    assert checks["additionalProperties"]  # an unknown rule id is check's to report
    for rule_id, rule in RULES.items():
        assert f"默认级别 {rule.LEVEL.value}" in checks["properties"][rule_id]["description"]
    # Every description is Chinese; nothing is an enum that would refuse other text.
    for text in [*level1.values(), *level2.values(), *_offered(settings["profile"]).values()]:
        assert re.search("[\u4e00-\u9fff]", text), text
    for field in (indicator["level1"], indicator["level2"], settings["profile"], checks):
        assert "enum" not in _keys(field)


def _keys(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        return set(schema).union(*(_keys(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_keys(v) for v in schema))
    return set()
