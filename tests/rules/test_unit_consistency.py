from perfdoc.problems import Level

RULE = "unit-consistency"


def test_projects_that_agree(make_document, rules):
    folder = make_document()
    assert [p for p in rules(folder) if p.rule == RULE] == []


def test_a_project_with_another_units_code(make_document, rules):
    folder = make_document()
    path = folder / "projects" / "02-zhifa.yaml"
    text = path.read_text(encoding="utf-8")
    assert 'unit_code: "912001"' in text
    path.write_text(text.replace('unit_code: "912001"', 'unit_code: "912099"'), encoding="utf-8")
    [problem] = [p for p in rules(folder) if p.rule == RULE]
    assert problem.path.endswith("02-zhifa.yaml") and problem.level is Level.WARNING
    assert problem.message.startswith(
        "单位编码 (unit_code) is '912099' here but '912001' in ")


def test_the_unit_line_set_once_in_document_yaml(make_document, rules):
    # The projects leave the unit line to document.yaml: nothing to disagree on.
    folder = make_document()
    for path in (folder / "projects").iterdir():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(x for x in lines if not x.startswith(("unit_code:", "unit_name:"))),
                        encoding="utf-8")
    doc_yaml = folder / "document.yaml"
    doc_yaml.write_text(doc_yaml.read_text(encoding="utf-8").replace(
        "year: 2024\n", 'year: 2024\nunit_code: "912001"\nunit_name: 承德县三家镇人民政府本级\n'),
        encoding="utf-8")
    found = rules(folder)
    assert [p for p in found if p.rule in (RULE, "schema")] == []
