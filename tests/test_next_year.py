"""``perfdoc next-year SRC DST``: carry a document over, and the stale-year rule on the copy.

The example (2024) carried to 2025 names two past years in text nobody has
touched yet: the 总体绩效目标's "2024年，镇党委……" and the first project's
name "2023 年省级……冀财农【2022】160 号" (whose 【2022】 is a reference).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from perfdoc.carry import COMMENT, fingerprint, text_fields
from perfdoc.document import load_document
from tests.conftest import EXAMPLE, Run, edit, lines, needs_libreoffice

ZHUCUN = Path("projects") / "01-zhucun.yaml"
NAME = "2023 年省级衔接推进乡村振兴补助资金（驻村工作队综合经费）冀财农【2022】160 号"
OVERALL = "2024年，镇党委、政府将一如既往地围绕全镇发展稳定的大局"


def message(mention: str, source: int = 2024, year: int = 2025) -> str:
    return (f"mentions '{mention}', but this text is unchanged since it was carried over "
            f"from the {source} document; update it for {year}")


#: The stale-year findings of the example carried to 2025: file, line, col, message.
EXPECTED = [
    ("document.yaml", 13, 15, message("2024年")),
    ("projects/01-zhucun.yaml", 7, 7, message("2023 年")),
]


def stale(cli: Callable[..., Run], folder: Path) -> list[tuple[str, int, int, str]]:
    """The stale-year findings of ``perfdoc check --format json`` on *folder*."""
    run = cli("check", folder, "--format", "json")
    assert run.code == 0, run.out + run.err
    return [(Path(r["path"]).resolve().relative_to(folder.resolve()).as_posix(), r["line"],
             r["col"], r["message"]) for r in json.loads(run.out) if r["rule"] == "stale-year"]


@pytest.fixture
def carried(cli: Callable[..., Run], example: Path, tmp_path: Path) -> Path:
    """The example carried over to ``tmp_path/sanjia_2025``."""
    target = tmp_path / "sanjia_2025"
    run = cli("next-year", example, target)
    assert run.code == 0, run.out + run.err
    return target


# --------------------------------------------------------------------------- the copy


def test_the_example_carried_over_lists_its_past_years(cli, carried: Path) -> None:
    assert stale(cli, carried) == EXPECTED


def test_the_source_itself_has_no_findings(cli, example: Path) -> None:
    # A document that was not carried over is never checked for past years.
    assert stale(cli, example) == []
    assert stale(cli, EXAMPLE) == []


def test_editing_a_carried_text_removes_its_finding(cli, carried: Path) -> None:
    edit(carried / "document.yaml", OVERALL, OVERALL.replace("2024年", "2025年"))
    assert stale(cli, carried) == EXPECTED[1:]
    # Any edit counts, even one that keeps the old year: the author has looked at it.
    edit(carried / ZHUCUN, f"name: {NAME}", f"name: {NAME}（续）")
    assert stale(cli, carried) == []


def test_the_files_are_copied_with_only_the_year_changed(cli, tmp_path: Path) -> None:
    example, carried = EXAMPLE, tmp_path / "sanjia_2025"
    assert cli("next-year", example, carried).code == 0
    assert sorted(p.relative_to(carried).as_posix() for p in carried.rglob("*")) == [
        "document.yaml", "goals.yaml", "projects", "projects/01-zhucun.yaml",
        "projects/02-zhifa.yaml"]
    for name in ("goals.yaml", "projects/01-zhucun.yaml", "projects/02-zhifa.yaml"):
        old = (example / name).read_text(encoding="utf-8").splitlines()
        new = (carried / name).read_text(encoding="utf-8").splitlines()
        # The schema line now points where an editor finds the schemas from the copy:
        # the copy perfdoc import also uses, under the parent folder.
        assert new[0].startswith("# yaml-language-server: $schema=")
        schema = (carried / name).parent.joinpath(new[0].partition("=")[2]).resolve()
        assert schema.parent == tmp_path / ".perfdoc" / "schemas" and schema.is_file()
        assert new[1:] == old[1:]  # comments and formatting kept
    old = (example / "document.yaml").read_text(encoding="utf-8").splitlines()
    new = (carried / "document.yaml").read_text(encoding="utf-8").splitlines()
    assert new[1:len(old)] == [line.replace("year: 2024", "year: 2025") for line in old[1:]]
    assert new[len(old):len(old) + 4] == ["", *COMMENT, "carried_from:"]


def test_carried_from_records_every_text_but_codes(example: Path, carried: Path) -> None:
    data = yaml.safe_load((carried / "document.yaml").read_text(encoding="utf-8"))
    record = data["carried_from"]
    assert (record["unit"], record["year"]) == ("承德县三家镇人民政府", 2024)
    texts = record["texts"]
    assert texts["projects/01-zhucun.yaml:name"] == fingerprint(NAME)
    assert all(len(v) == 16 and int(v, 16) >= 0 for v in texts.values())
    for key in ("document.yaml:unit", "document.yaml:cover.compiled_by",
                "document.yaml:overall_goal", "goals.yaml:itemized_goals.3.indicators",
                "goals.yaml:measures.4.lead", "goals.yaml:measures.4.body",
                "projects/01-zhucun.yaml:goals.0", "projects/01-zhucun.yaml:use_of_funds",
                "projects/02-zhifa.yaml:indicators.10.value",
                "projects/02-zhifa.yaml:indicators.10.basis"):
        assert key in texts, key
    assert not [k for k in texts if k.endswith((":code", ":unit_code")) or ":settings" in k]
    assert len(texts) == 169
    # Right after the carry-over, every text of the copy is "unchanged".
    doc, _problems = load_document(carried)
    assert doc is not None
    assert {t.key: fingerprint(t.text) for t in text_fields(doc)} == texts


def test_outputs_and_hidden_folders_are_not_copied(cli, example: Path, tmp_path: Path) -> None:
    for junk in ("build/old.docx", ".git/config", "notes/readme.txt", "projects/.draft.yaml"):
        (example / junk).parent.mkdir(parents=True, exist_ok=True)
        (example / junk).write_text("x", encoding="utf-8")
    assert cli("next-year", example, tmp_path / "new").code == 0
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "document.yaml", "goals.yaml", "projects"]
    assert sorted(p.name for p in (tmp_path / "new" / "projects").iterdir()) == [
        "01-zhucun.yaml", "02-zhifa.yaml"]


def test_the_copy_builds(cli, carried: Path, tmp_path: Path) -> None:
    run = cli("build", carried, "--format", "docx", "-o", tmp_path / "out")
    assert run.code == 0, run.out + run.err
    assert (tmp_path / "out" / "承德县三家镇人民政府_2025年部门预算绩效文本.docx").is_file()


@needs_libreoffice
def test_the_copy_builds_its_pdf(cli, carried: Path) -> None:
    run = cli("build", carried)
    assert run.code == 0, run.out + run.err
    assert (carried / "build" / "承德县三家镇人民政府_2025年部门预算绩效文本.pdf").is_file()


def test_the_command_says_what_it_did(cli, example: Path, tmp_path: Path) -> None:
    run = cli("next-year", example / "document.yaml", tmp_path / "new")
    assert run.code == 0
    assert lines(run.err) == [
        f"wrote 4 file(s) into {tmp_path / 'new'}",
        "169 text(s) carried over from 2024 to 2025; `perfdoc check` lists those that still "
        "mention 2024 or earlier (rule stale-year)"]


# --------------------------------------------------------------------------- --year


def test_year_option(cli, example: Path, tmp_path: Path) -> None:
    run = cli("next-year", example, tmp_path / "new", "--year", "2027")
    assert run.code == 0, run.err
    text = (tmp_path / "new" / "document.yaml").read_text(encoding="utf-8")
    assert "\nyear: 2027\n" in text and "\n  year: 2024\n" in text
    assert stale(cli, tmp_path / "new") == [
        (f, line, col, m.replace("update it for 2025", "update it for 2027"))
        for f, line, col, m in EXPECTED]


@pytest.mark.parametrize("year", ["2024", "2023", "2201", "abc"])
def test_a_year_not_after_the_source_is_refused(cli, example: Path, tmp_path: Path,
                                                year: str) -> None:
    run = cli("next-year", example, tmp_path / "new", "--year", year)
    assert run.code == 2
    assert not (tmp_path / "new").exists()


def test_carrying_over_again_replaces_the_record(cli, carried: Path, tmp_path: Path) -> None:
    edit(carried / "document.yaml", OVERALL, OVERALL.replace("2024年", "2025年"))
    again = tmp_path / "sanjia_2026"
    assert cli("next-year", carried, again).code == 0
    text = (again / "document.yaml").read_text(encoding="utf-8")
    assert text.count("carried_from:") == 1 and text.count(COMMENT[0]) == 1
    data = yaml.safe_load(text)
    assert (data["year"], data["carried_from"]["year"]) == (2026, 2025)
    # The edited 总体绩效目标 names 2025, the source's year now: stale again.
    assert stale(cli, again) == [
        ("document.yaml", 13, 15, message("2025年", 2025, 2026)),
        ("projects/01-zhucun.yaml", 7, 7, message("2023 年", 2025, 2026))]


# --------------------------------------------------------------------------- refusals


def test_an_existing_folder_is_refused(cli, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "new"
    target.mkdir()
    (target / "keep.txt").write_text("mine", encoding="utf-8")
    run = cli("next-year", example, target)
    assert run.code == 2
    assert "exists and is not empty" in run.err
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_an_empty_folder_is_used(cli, example: Path, tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    assert cli("next-year", example, tmp_path / "new").code == 0
    assert stale(cli, tmp_path / "new") == EXPECTED


def test_a_file_in_the_way_is_refused(cli, example: Path, tmp_path: Path) -> None:
    (tmp_path / "new").write_text("x", encoding="utf-8")
    assert cli("next-year", example, tmp_path / "new").code == 2


def test_a_source_that_is_no_document(cli, tmp_path: Path) -> None:
    assert cli("next-year", tmp_path / "nowhere", tmp_path / "new").code == 2
    (tmp_path / "empty").mkdir()
    run = cli("next-year", tmp_path / "empty", tmp_path / "new")
    assert run.code == 1
    assert "no document.yaml here" in run.out
    assert not (tmp_path / "new").exists()


def test_a_broken_source_writes_nothing(cli, example: Path, tmp_path: Path) -> None:
    edit(example / ZHUCUN, "  total: 6.19", "  total: 6.19万元")
    run = cli("next-year", example, tmp_path / "new")
    assert run.code == 1
    assert "(schema)" in run.out
    assert not (tmp_path / "new").exists()


# --------------------------------------------------------------------------- what else is kept


def test_a_template_inside_the_folder_is_copied(cli, example: Path, tmp_path: Path) -> None:
    (example / "styles").mkdir()
    (example / "styles" / "mine.docx").write_bytes(b"PK template")
    edit(example / "document.yaml", "  profile: default\n",
         "  profile: default\n  template: styles/mine.docx\n")
    run = cli("next-year", example, tmp_path / "new")
    assert run.code == 0 and run.out == ""
    assert (tmp_path / "new" / "styles" / "mine.docx").read_bytes() == b"PK template"


def test_a_shared_template_is_not_copied(cli, example: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "perfdoc.toml").write_text("", encoding="utf-8")
    (ws / "county.docx").write_bytes(b"PK template")
    doc = ws / "sanjia_2024"
    shutil.move(example, doc)
    edit(doc / "document.yaml", "  profile: default\n",
         "  profile: default\n  template: ../county.docx\n")
    # A sibling in the workspace still reaches it: nothing to say.
    run = cli("next-year", doc, ws / "sanjia_2025")
    assert run.code == 0 and run.out == ""
    # Elsewhere it names nothing: a warning at the setting.
    run = cli("next-year", doc, tmp_path / "elsewhere")
    assert run.code == 0
    [warning] = lines(run.out)
    assert warning.endswith("[warning] the template ../county.docx lies outside the document "
                            "folder and was not copied; from the new folder it names no file: "
                            "copy it there or correct settings.template (io)")
    assert ":13:13:" in warning


def test_a_schema_line_that_still_works_is_kept(cli, example: Path, tmp_path: Path) -> None:
    # As in examples/: the schemas two folders up, and the copy a sibling.
    shutil.copytree(EXAMPLE.parent.parent / "schemas", tmp_path / "schemas")
    (tmp_path / "examples").mkdir()
    source = shutil.move(example, tmp_path / "examples" / "sanjia_2024")
    target = tmp_path / "examples" / "sanjia_2025"
    assert cli("next-year", source, target).code == 0
    for name in ("document.yaml", "goals.yaml", "projects/02-zhifa.yaml"):
        first = (target / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == (EXAMPLE / name).read_text(encoding="utf-8").splitlines()[0]
    assert not (tmp_path / ".perfdoc").exists()


def test_encoding_and_line_endings_are_kept(cli, example: Path, tmp_path: Path) -> None:
    meta = example / "document.yaml"
    meta.write_bytes(b"\xef\xbb\xbf" + meta.read_bytes().replace(b"\n", b"\r\n"))
    assert cli("next-year", example, tmp_path / "new").code == 0
    raw = (tmp_path / "new" / "document.yaml").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert b"\r\nyear: 2025\r\n" in raw
    assert stale(cli, tmp_path / "new") == EXPECTED


def test_a_quoted_year_with_a_comment(cli, example: Path, tmp_path: Path) -> None:
    edit(example / "document.yaml", "year: 2024\n", 'year: "2024"  # 预算年度\n')
    assert cli("next-year", example, tmp_path / "new").code == 0
    text = (tmp_path / "new" / "document.yaml").read_text(encoding="utf-8")
    assert '\nyear: "2025"  # 预算年度\n' in text
