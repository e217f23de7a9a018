"""Rule configuration: run > document > workspace > default, and its problems."""

from collections import Counter

import pytest

from perfdoc.check import CheckOptions, check_document, resolve_rules
from perfdoc.document import load_document
from perfdoc.errors import UsageError
from perfdoc.problems import Level
from perfdoc.workspace import find_workspace

# The seed's default report, by rule.
SEED_COUNTS = {"code-format": 1, "cost-vs-budget": 1, "timeliness-value": 1,
               "quantified-value": 7, "vague-target": 2, "description-repeats-name": 13}


def by_rule(problems):
    return dict(Counter(p.rule for p in problems))


def test_defaults_give_the_seed_report(make_document, rules):
    assert by_rule(rules(make_document())) == SEED_COUNTS


def test_document_disables_a_rule(make_document, rules):
    folder = make_document("""
        settings:
          profile: default
          checks:
            quantified-value: false
        """)
    expected = {k: v for k, v in SEED_COUNTS.items() if k != "quantified-value"}
    assert by_rule(rules(folder)) == expected


def test_document_changes_a_level(make_document, rules):
    folder = make_document("""
        settings:
          checks:
            cost-vs-budget:
              level: error
        """)
    [cost] = [p for p in rules(folder) if p.rule == "cost-vs-budget"]
    assert cost.level is Level.ERROR


def test_workspace_is_below_document_and_run(make_document, rules):
    toml = """
        [checks]
        quantified-value = false
        code-format = false
        """
    folder = make_document("""
        settings:
          checks:
            code-format: true
        """, toml=toml)
    found = by_rule(rules(folder))
    assert "quantified-value" not in found  # workspace
    assert found["code-format"] == 1  # document beats workspace
    found = by_rule(rules(folder, enable=("quantified-value",), disable=("code-format",)))
    assert found["quantified-value"] == 7  # run beats workspace
    assert "code-format" not in found  # run beats document


def test_a_level_alone_does_not_re_enable(make_document, rules):
    folder = make_document("""
        settings:
          checks:
            quantified-value:
              level: warning
        """, toml="[checks]\nquantified-value = false\n")
    assert "quantified-value" not in by_rule(rules(folder))


def test_workspace_options_and_level(make_document, rules):
    folder = make_document(toml="""
        [checks.code-format]
        level = "info"

        [checks.code-format.options]
        max_years_back = 1
        """)
    assert "code-format" not in by_rule(rules(folder))


def test_unknown_rule_in_document(make_document, rules):
    folder = make_document("""
        settings:
          checks:
            cost-vs-budgt: false
        """)
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.path.endswith("doc/document.yaml"), problem.line, problem.col) == (True, 12, 5)
    assert problem.level is Level.ERROR
    assert problem.message.startswith(
        "unknown rule 'cost-vs-budgt'; did you mean 'cost-vs-budget'? (the rules are: "
        "budget-sum, "
    )


def test_unknown_rule_in_workspace(make_document, rules):
    folder = make_document(toml="""
        # shared settings
        profile = "default"

        [checks]
        quantified-valeu = false
        """)
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.path.endswith("perfdoc.toml"), problem.line, problem.col) == (True, 5, 1)
    assert "did you mean 'quantified-value'?" in problem.message


def test_unknown_option(make_document, rules):
    folder = make_document("""
        settings:
          checks:
            satisfaction-threshold:
              options:
                treshold: 85
        """)
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.line, problem.col) == (14, 9)
    assert problem.message == (
        "unknown option 'treshold' for rule satisfaction-threshold; did you mean "
        "'threshold'? (its options are: threshold)"
    )


def test_option_of_the_wrong_type(make_document, rules):
    folder = make_document("""
        settings:
          checks:
            satisfaction-threshold:
              options:
                threshold: ninety
        """)
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.line, problem.col) == (14, 20)
    assert problem.message == ("option of rule satisfaction-threshold: 满意度门槛（%） (threshold) "
                               "must be a number, not 'ninety'")


def test_option_a_rule_cannot_use(make_document, rules):
    folder = make_document("""
        settings:
          checks:
            code-format:
              options:
                code_pattern: "([0-9"
        """)
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.line, problem.col) == (14, 23)
    assert problem.message.startswith(
        "option of rule code-format: 项目编码格式 (code_pattern) is not a valid regular "
        "expression: ")


@pytest.mark.parametrize(
    ("enable", "disable", "message"),
    [
        (("cost-vs-budgt",), (), "unknown rule 'cost-vs-budgt' in --enable; did you mean "
                                 "'cost-vs-budget'? (the rules are: budget-sum, "),
        ((), ("nope",), "unknown rule 'nope' in --disable (the rules are: budget-sum, "),
        (("budget-sum",), ("budget-sum,code-format",),
         "rule 'budget-sum' is given to both --enable and --disable"),
    ],
)
def test_run_switches_with_unknown_ids(make_document, enable, disable, message):
    folder = make_document()
    doc, _ = load_document(folder)
    ws, _ = find_workspace(folder)
    with pytest.raises(UsageError) as exc_info:
        check_document(doc, ws, CheckOptions(enable=enable, disable=disable))
    assert exc_info.value.message.startswith(message)
    assert exc_info.value.exit_code == 2


def test_comma_separated_switches(make_document):
    folder = make_document()
    doc, _ = load_document(folder)
    ws, _ = find_workspace(folder)
    configs, _problems = resolve_rules(doc, ws, disable={"budget-sum", "code-format"})
    assert not configs["budget-sum"].enabled and not configs["code-format"].enabled
    assert by_rule(check_document(doc, ws, CheckOptions(disable=("code-format,cost-vs-budget",)))) \
        == {"timeliness-value": 1, "quantified-value": 7, "vague-target": 2,
           "description-repeats-name": 13}


def test_profile_101_from_the_document(make_document, rules):
    folder = make_document("""
        settings:
          profile: "101"
        """)
    found = [p for p in rules(folder) if p.rule in ("indicator-hierarchy", "indicator-coverage")]
    # The seed writes 成本指标 under 产出指标, the classic layout.
    assert [(p.path.rsplit("/", 1)[1], p.line, p.col, p.rule) for p in found] == [
        ("01-zhucun.yaml", 20, 1, "indicator-coverage"),
        ("01-zhucun.yaml", 28, 13, "indicator-hierarchy"),
        ("02-zhifa.yaml", 19, 1, "indicator-coverage"),
        ("02-zhifa.yaml", 45, 13, "indicator-hierarchy"),
    ]


def test_profile_from_the_workspace(make_document, rules):
    folder = make_document(settings="settings:\n  decimals: 2\n", toml='profile = "101"\n')
    assert "indicator-hierarchy" in by_rule(rules(folder))


def test_unknown_profile(make_document, rules):
    folder = make_document("""
        settings:
          profile: "102"
        """)
    found = rules(folder)
    [problem] = [p for p in found if p.rule == "schema"]
    assert (problem.line, problem.col) == (11, 12)
    assert problem.message == (
        "unknown profile '102'; did you mean '101'? (the profiles are: 101, default); "
        "the default profile is used instead"
    )
    assert by_rule(p for p in found if p.rule != "schema") == SEED_COUNTS


def test_unknown_profile_in_workspace(make_document, rules):
    folder = make_document(settings="settings:\n  decimals: 2\n",
                           toml='# shared\nprofile = "classic"\n')
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.path.endswith("perfdoc.toml"), problem.line, problem.col) == (True, 2, 1)


def test_a_project_chooses_its_own_profile(make_document, rules):
    # Real documents mix frameworks project by project: only the project that
    # says `profile: "101"` is judged by 101 (where 成本指标 is a first level).
    folder = make_document()
    path = folder / "projects" / "01-zhucun.yaml"
    path.write_text('profile: "101"\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    found = [p for p in rules(folder) if p.rule in ("indicator-hierarchy", "indicator-coverage")]
    assert {p.path.rsplit("/", 1)[1] for p in found} == {"01-zhucun.yaml"}
    assert {p.rule for p in found} == {"indicator-hierarchy", "indicator-coverage"}


def test_a_project_returns_to_the_classic_profile(make_document, rules):
    folder = make_document("""
        settings:
          profile: "101"
        """)
    for name in ("01-zhucun.yaml", "02-zhifa.yaml"):
        path = folder / "projects" / name
        path.write_text('profile: default\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    found = [p for p in rules(folder) if p.rule in ("indicator-hierarchy", "indicator-coverage")]
    assert found == []


def test_a_projects_unknown_profile_is_located(make_document, rules):
    folder = make_document()
    path = folder / "projects" / "02-zhifa.yaml"
    path.write_text('profile: "1O1"\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = [p for p in rules(folder) if p.rule == "schema"]
    assert (problem.path.rsplit("/", 1)[1], problem.line, problem.col) == ("02-zhifa.yaml", 1, 10)
    assert "unknown profile '1O1'; did you mean '101'?" in problem.message
