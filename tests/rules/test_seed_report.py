"""The seed document's full report, and seed edits caught at the right place."""

import shutil
from pathlib import Path

import pytest

from perfdoc.cli import main

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "examples" / "sanjia_2024"
GOLDEN = Path(__file__).parent / "golden" / "sanjia_2024.en.txt"


def run(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        main(["--lang", "en", "check", *args])
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_seed_report_matches_golden(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    code, out, err = run(capsys, "examples/sanjia_2024")
    assert out == GOLDEN.read_text(encoding="utf-8")
    assert err == "0 error(s), 5 warning(s), 20 info(s) in 1 document(s)\n"
    assert code == 0


def test_seed_fails_under_strict(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    code, out, _err = run(capsys, "--strict", "examples/sanjia_2024")
    assert out == GOLDEN.read_text(encoding="utf-8")
    assert code == 1


@pytest.fixture
def seed_copy(tmp_path, monkeypatch):
    """Copy the seed (without build/) into tmp_path and return an editor for its files."""
    shutil.copytree(SEED, tmp_path / "sanjia_2024", ignore=shutil.ignore_patterns("build"))
    monkeypatch.chdir(tmp_path)

    def edit(name, old, new):
        path = tmp_path / "sanjia_2024" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "total: 6.19", "total: 7.19",
            "sanjia_2024/projects/01-zhucun.yaml:9:10: [error] 预算数 (budget.total) is 7.19, "
            "but 财政资金 6.19 + 其他资金 0 = 6.19 (budget-sum)",
        ),
        (
            "jun: 50", "jun: 120",
            "sanjia_2024/projects/01-zhucun.yaml:15:3: [error] 6月底 (funding_plan.jun) is 120; "
            "a cumulative spending percentage must be from 0 to 100 (spending-plan)",
        ),
        (
            "level2: 数量指标", "level2: 数量指示",
            "sanjia_2024/projects/01-zhucun.yaml:22:13: [error] unknown 二级指标 '数量指示' "
            "under '产出指标'; did you mean '数量指标'? (allowed: 数量指标、质量指标、时效指标、"
            "成本指标) (indicator-hierarchy)",
        ),
    ],
    ids=["budget-total", "funding-plan-jun", "indicator-level2"],
)
def test_seed_edit_is_caught(capsys, seed_copy, old, new, expected):
    seed_copy("projects/01-zhucun.yaml", old, new)
    code, out, _err = run(capsys, "sanjia_2024")
    assert expected in out.splitlines()
    assert sum("[error]" in line for line in out.splitlines()) == 1
    assert code == 1
