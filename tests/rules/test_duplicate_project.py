from perfdoc.problems import Level

RULE = "duplicate-project"


# The docstring examples are checked by test_rules_registry (two files each).


def test_distinct_projects_pass(merge, make_document, rules):
    folder = make_document(projects={
        "01-a.yaml": merge("{}"),
        "02-b.yaml": merge("{code: 13082124P00011110022J, name: 执法车辆购置经费}"),
    })
    assert [p for p in rules(folder) if p.rule == RULE] == []


def test_the_seed_projects_pass(make_document, rules):
    assert [p for p in rules(make_document()) if p.rule == RULE] == []


def test_a_repeated_code_is_an_error_at_the_second_file(merge, make_document, rules):
    folder = make_document(projects={
        "01-a.yaml": merge("{}"),
        "02-b.yaml": merge("{code: 13082124P00011110021J, name: 执法车辆购置经费}"),
    })
    [found] = [p for p in rules(folder) if p.rule == RULE]
    assert found.path.endswith("02-b.yaml")
    assert (found.line, found.level) == (4, Level.ERROR)
    assert found.message == ("项目编码 '13082124P00011110021J' is also the code of 01-a.yaml; "
                             "each project needs its own code")


def test_a_repeated_name_under_another_code_is_a_warning(merge, make_document, rules):
    folder = make_document(projects={
        "01-a.yaml": merge("{}"),
        "02-b.yaml": merge("{code: 13082124P00011110022J}"),
        "03-c.yaml": merge("{code: 13082124P00011110023J, name: 执法车辆购置经费}"),
    })
    [found] = [p for p in rules(folder) if p.rule == RULE]
    assert found.path.endswith("02-b.yaml")
    assert (found.line, found.level) == (5, Level.WARNING)
    assert found.message == ("项目名称 '执法工作经费' is also the name of 01-a.yaml "
                             "(项目编码 '13082124P00011110021J'); two projects with one name are "
                             "likely a mistake")


def test_a_lower_configured_level_wins_over_the_findings_own(merge, make_document, rules):
    settings = """
        settings:
          decimals: 2
          profile: default
          checks:
            duplicate-project: {level: info}
    """
    folder = make_document(settings=settings, projects={
        "01-a.yaml": merge("{}"),
        "02-b.yaml": merge("{code: 13082124P00011110022J}"),
        "03-c.yaml": merge("{name: 执法车辆购置经费}"),
    })
    found = [p for p in rules(folder) if p.rule == RULE]
    assert [(p.path[-9:], p.level) for p in found] == [
        ("02-b.yaml", Level.INFO), ("03-c.yaml", Level.INFO)]
