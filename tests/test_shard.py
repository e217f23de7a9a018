"""`perfdoc build --shard K/N`: deterministic slices of a batch, for CI runners."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfdoc.shard import assign, parse_shard, pick, shard_key
from perfdoc.workspace import find_documents
from tests.conftest import EXAMPLE, ROOT, edit

YUNLING = ROOT / "examples" / "yunling_2024"

#: (folder in the workspace, example copied, unit): nine documents, nested.
PROVINCE = (
    ("chengde/sanjia", EXAMPLE, "承德县三家镇人民政府"),
    ("chengde/gangzi", EXAMPLE, "承德县岗子满族乡人民政府"),
    ("chengde/liugou", EXAMPLE, "承德县六沟镇人民政府"),
    ("chengde/nongye", YUNLING, "承德县农业农村局"),
    ("yunling/nongye", YUNLING, "云岭县农业农村局"),
    ("yunling/towns/baima", EXAMPLE, "云岭县白马镇人民政府"),
    ("yunling/towns/shiqiao", EXAMPLE, "云岭县石桥镇人民政府"),
    ("luanping/nongye", YUNLING, "滦平县农业农村局"),
    ("luanping/anjiang", EXAMPLE, "滦平县安匠镇人民政府"),
)
UNIT_LINE = {EXAMPLE: "unit: 承德县三家镇人民政府", YUNLING: "unit: 云岭县农业农村局"}


def make_province(root: Path, *, toml: bool = True) -> Path:
    """Write a workspace of nine documents (copies of the two examples) at *root*."""
    for where, example, unit in PROVINCE:
        folder = root / where
        shutil.copytree(example, folder, ignore=shutil.ignore_patterns("build"))
        edit(folder / "document.yaml", UNIT_LINE[example], f"unit: {unit}")
    if toml:
        (root / "perfdoc.toml").write_text("# the province\n", encoding="utf-8")
    return root


def files(folder: Path) -> dict[str, bytes]:
    """The outputs in *folder* by name; a stamp (hidden) as b"" since it names the folder."""
    if not folder.is_dir():
        return {}
    return {p.name: b"" if p.name.startswith(".") else p.read_bytes()
            for p in folder.iterdir() if p.is_file()}


def slices(ws: Path, count: int = 3) -> dict[str, int]:
    """Each document's slice, by its path in the workspace."""
    return {folder.relative_to(ws).as_posix(): k
            for folder, k in assign(find_documents(ws), count).items()}


def docx_name(unit: str) -> str:
    return f"{unit}_2024年部门预算绩效文本.docx"


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return make_province(tmp_path / "province")


# --------------------------------------------------------------------------- the slices


def test_shards_together_build_exactly_the_unsharded_batch(cli, province, tmp_path) -> None:
    full = tmp_path / "full"
    assert cli("build", province, "--format", "docx", "-o", full).code == 0
    expected = files(full)
    assert len([n for n in expected if n.endswith(".docx")]) == len(PROVINCE)

    union: dict[str, bytes] = {}
    sizes = []
    for k in (1, 2, 3):
        run = cli("build", province, "--format", "docx", "-o", tmp_path / f"part{k}",
                  "--shard", f"{k}/3")
        assert run.code == 0, run.out + run.err
        part = files(tmp_path / f"part{k}")
        assert not set(part) & set(union), "a document was built by two shards"
        union.update(part)
        built = len([n for n in part if n.endswith(".docx")])
        sizes.append(built)
        assert f"shard {k}/3: {built} of 9 document(s)" in run.err
        assert run.err.rstrip().splitlines()[-1].startswith(f"{built} built, 0 unchanged, 0 failed")
    # The .docx files byte for byte, and a stamp beside each.
    assert union == expected
    assert sorted(sizes) == [3, 3, 3]  # dealt out in turn: sizes differ by at most one


def test_slices_are_disjoint_balanced_and_cover_the_batch(province) -> None:
    folders = find_documents(province)
    for count in (1, 2, 3, 4, 9, 10):
        picked = [pick(folders, (k, count)) for k in range(1, count + 1)]
        assert sorted(f for part in picked for f in part) == sorted(folders)
        sizes = [len(part) for part in picked]
        assert max(sizes) - min(sizes) <= 1
        for part in picked:
            # Each slice keeps the batch's (name) order.
            assert part == [f for f in folders if f in part]
    assert pick(folders, None) == folders
    assert pick(folders, (1, 1)) == folders


def test_the_slice_does_not_depend_on_where_the_workspace_is(cli, tmp_path, monkeypatch) -> None:
    here = make_province(tmp_path / "a" / "province")
    there = tmp_path / "b" / "deeper" / "checkout"
    shutil.copytree(here, there)
    assert slices(here) == slices(there)
    assert slices(here, 4) == slices(there, 4)
    # Through the command line: a relative DIR in one, an absolute one in the other.
    monkeypatch.chdir(tmp_path / "a")
    run_here = cli("build", "province", "--format", "docx", "-o", tmp_path / "out-a",
                   "--shard", "2/3")
    monkeypatch.chdir(tmp_path)
    run_there = cli("build", there, "--format", "docx", "-o", tmp_path / "out-b",
                    "--shard", "2/3")
    assert run_here.code == run_there.code == 0
    assert files(tmp_path / "out-a") == files(tmp_path / "out-b")
    assert files(tmp_path / "out-a")


def test_without_perfdoc_toml_paths_are_taken_from_the_current_folder(tmp_path,
                                                                       monkeypatch) -> None:
    here = make_province(tmp_path / "a" / "repo", toml=False)
    there = tmp_path / "b" / "repo-elsewhere"
    shutil.copytree(here, there)
    monkeypatch.chdir(here)
    assert shard_key(here / "chengde" / "sanjia") == "chengde/sanjia"
    found_here = {f.as_posix(): k for f, k in assign(find_documents(Path(".")), 3).items()}
    monkeypatch.chdir(there)
    found_there = {f.as_posix(): k for f, k in assign(find_documents(Path(".")), 3).items()}
    assert found_here == found_there
    # With a perfdoc.toml, the workspace root wins over the current folder.
    (there / "perfdoc.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(there / "chengde")
    assert shard_key(Path("sanjia")) == "chengde/sanjia"


def test_the_assignment_is_pinned(tmp_path) -> None:
    """SHA-256 of the relative path, never Python's hash(): the same on every machine."""
    (tmp_path / "perfdoc.toml").write_text("", encoding="utf-8")
    folders = [tmp_path / "county" / name for name in "abcdefg"]
    for folder in folders:
        folder.mkdir(parents=True)
    assert {f.name: k for f, k in assign(folders, 3).items()} == {
        "e": 1, "a": 2, "f": 3, "b": 1, "d": 2, "c": 3, "g": 1}


def test_a_slice_containing_no_document_builds_nothing(cli, tmp_path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(EXAMPLE, ws / "sanjia", ignore=shutil.ignore_patterns("build"))
    run = cli("build", ws, "--format", "docx", "--shard", "3/3")
    assert run.code == 0, run.out + run.err
    assert "shard 3/3: 0 of 1 document(s)" in run.err
    assert run.err.rstrip().splitlines()[-1].startswith("0 built, 0 unchanged, 0 failed")
    assert not (ws / "sanjia" / "build").exists()


# --------------------------------------------------------------------------- what a slice touches


def test_documents_of_other_slices_are_not_loaded_or_checked(cli, province) -> None:
    where = slices(province)
    others = sorted(name for name, k in where.items() if k != 1)
    broken_rules, broken_yaml = others[0], others[1]
    # 预算数 no longer the sum of its parts: a rule error (budget-sum).
    first_project = sorted((province / broken_rules / "projects").iterdir())[0]
    edit(first_project, "  total: ", "  total: 1")
    (province / broken_yaml / "goals.yaml").write_text("itemized_goals: [\n", encoding="utf-8")

    run = cli("build", province, "--format", "docx", "--shard", "1/3")
    assert run.code == 0, run.out + run.err
    for name in others:
        assert name not in run.out + run.err
    for name in (n for n, k in where.items() if k == 1):
        assert f"{name}: built" in run.err
    # Their own slices report them.
    failing = {where[broken_rules], where[broken_yaml]}
    for k in failing:
        run = cli("build", province, "--format", "docx", "--shard", f"{k}/3", "-q")
        assert run.code == 1


def test_a_clash_with_a_document_of_another_slice_is_refused_in_both(cli, province,
                                                                      tmp_path) -> None:
    where = slices(province)
    first = next(name for name, k in where.items() if k == 1)
    second = next(name for name, k in where.items() if k == 2)
    units = {w: u for w, _e, u in PROVINCE}
    unit = units[first]
    edit(province / second / "document.yaml", f"unit: {units[second]}", f"unit: {unit}")
    out = tmp_path / "out"

    run = cli("build", province, "--format", "docx", "-o", out, "--shard", "1/3")
    assert run.code == 1
    assert f"{first}/document.yaml:1:1: [error] {docx_name(unit)} would also be written by " \
           f"{province / second}" in run.out
    assert run.err.count(": failed") == 1 and f"{first}: failed" in run.err
    assert second not in run.err  # not in this slice: not reported
    built = files(out)
    assert docx_name(unit) not in built
    assert len([n for n in built if n.endswith(".docx")]) == 2

    run = cli("build", province, "--format", "docx", "-o", out, "--shard", "2/3")
    assert run.code == 1
    assert f"{second}/document.yaml:1:1: [error] {docx_name(unit)} would also be written by " \
           f"{province / first}" in run.out
    assert docx_name(unit) not in files(out)
    # Each into its own build/ folder, nothing clashes.
    assert cli("build", province, "--format", "docx", "--shard", "1/3").code == 0


def test_check_compares_only_the_slice(cli, province) -> None:
    where = slices(province)
    assert cli("build", province, "--format", "docx", "--shard", "1/3").code == 0

    run = cli("build", province, "--format", "docx", "--check", "--shard", "1/3")
    assert run.code == 0, run.out + run.err
    assert run.err.rstrip().splitlines()[-1].startswith("3 up to date, 0 stale, 0 failed")

    run = cli("build", province, "--format", "docx", "--check", "--shard", "2/3")
    assert run.code == 1
    assert run.err.rstrip().splitlines()[-1].startswith("0 up to date, 3 stale, 0 failed")
    for name, k in where.items():
        assert (f"{name}: stale" in run.err) == (k == 2)

    assert cli("build", province, "--format", "docx", "--check").code == 1


def test_quiet_prints_no_shard_line(cli, province) -> None:
    run = cli("build", province, "--format", "docx", "--shard", "1/3", "-q")
    assert run.code == 0
    assert "shard" not in run.err


# --------------------------------------------------------------------------- usage


@pytest.mark.parametrize("value", ["0/3", "4/3", "a/b", "3", "", "1/0", "-1/3", "1/3/5",
                                   "1 / 3", "２/３", "1.0/3", "9" * 5000 + "/1"])
def test_a_bad_shard_is_a_usage_error(cli, province, value) -> None:
    run = cli("build", province, "--format", "docx", "--shard", value)
    assert run.code == 2
    assert "Invalid value for '--shard'" in run.err
    assert "is not K/N, two whole numbers with 1 ≤ K ≤ N such as 2/3" in run.err
    assert not list(province.rglob("build"))


def test_shard_needs_a_value(cli, province) -> None:
    run = cli("build", province, "--shard")
    assert run.code == 2
    assert "Option '--shard' requires an argument." in run.err


def test_parse_shard() -> None:
    assert parse_shard("2/3") == (2, 3)
    assert parse_shard("1/1") == (1, 1)
    assert parse_shard("07/12") == (7, 12)
    with pytest.raises(ValueError, match="not K/N"):
        parse_shard("0/0")
