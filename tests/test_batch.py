"""Batches: workspaces, -o, name clashes, one failure among many, converters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from perfdoc.errors import OutputError
from tests.conftest import EXAMPLE, edit, needs_libreoffice, soffice_processes


def make_workspace(root: Path, units: list[str], *, toml: str | None = None) -> Path:
    for i, unit in enumerate(units, start=1):
        folder = root / f"unit{i}"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
        edit(folder / "document.yaml", "unit: 承德县三家镇人民政府", f"unit: {unit}")
    if toml is not None:
        (root / "perfdoc.toml").write_text(toml, encoding="utf-8")
    return root


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_workspace_builds_every_document_and_one_failure_does_not_stop_the_rest(
    cli, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    ws = make_workspace(tmp_path / "ws", ["甲镇人民政府", "乙镇人民政府", "丙镇人民政府"])
    edit(ws / "unit2" / "projects" / "01-zhucun.yaml", "  total: 6.19", "  total: 7.19")
    run = cli("build", ws, "--format", "docx")
    assert run.code == 1
    assert "budget-sum" in run.out and "unit2/projects/01-zhucun.yaml:9:10" in run.out
    assert names(ws / "unit1" / "build") == ["甲镇人民政府_2024年部门预算绩效文本.docx"]
    assert not (ws / "unit2" / "build").exists()
    assert names(ws / "unit3" / "build") == ["丙镇人民政府_2024年部门预算绩效文本.docx"]
    # Not a terminal: one plain line per document, then the summary.
    assert run.err.count(": built") == 2 and run.err.count(": failed") == 1
    assert run.err.rstrip().splitlines()[-1].startswith("2 built, 0 unchanged, 1 failed in ")


def test_unchanged_documents_are_skipped(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    ws = make_workspace(tmp_path / "ws", ["甲镇人民政府", "乙镇人民政府"])
    assert cli("build", ws, "--format", "docx").code == 0
    edit(ws / "unit2" / "goals.yaml", "加强组织领导", "强化组织领导")
    run = cli("build", ws, "--format", "docx")
    assert run.code == 0
    assert run.err.rstrip().splitlines()[-1].startswith("1 built, 1 unchanged, 0 failed")
    run = cli("build", ws, "--format", "docx", "--force")
    assert run.err.rstrip().splitlines()[-1].startswith("2 built, 0 unchanged, 0 failed")


def test_output_folder_is_flat(cli, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws", ["甲镇人民政府", "乙镇人民政府"])
    out = tmp_path / "out"
    assert cli("build", ws, "--format", "docx", "-o", out).code == 0
    assert names(out) == ["乙镇人民政府_2024年部门预算绩效文本.docx",
                          "甲镇人民政府_2024年部门预算绩效文本.docx"]


def test_clashing_names_are_refused_before_anything_is_written(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    make_workspace(tmp_path / "ws", ["甲镇人民政府", "甲镇人民政府", "乙镇人民政府"])
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    run = cli("build", "ws", "--format", "docx", "-o", out)
    assert run.code == 1
    assert "ws/unit1/document.yaml:1:1: [error] 甲镇人民政府_2024年部门预算绩效文本.docx would also be " \
           "written by ws/unit2" in run.out
    assert not out.exists() or names(out) == ["乙镇人民政府_2024年部门预算绩效文本.docx"]
    assert not (out / "甲镇人民政府_2024年部门预算绩效文本.docx").exists()


def test_unsafe_characters_in_the_unit_are_replaced(cli, tmp_path) -> None:
    ws = make_workspace(tmp_path / "ws", ['甲/乙:镇"政府'])
    assert cli("build", ws, "--format", "docx").code == 0
    assert names(ws / "unit1" / "build") == ["甲_乙_镇_政府_2024年部门预算绩效文本.docx"]


def test_json_and_github_formats(cli, tmp_path, monkeypatch) -> None:
    import json

    monkeypatch.chdir(EXAMPLE.parent)
    run = cli("check", "sanjia_2024", "--format", "json")
    rows = json.loads(run.out)
    assert run.code == 0 and len(rows) == 25
    assert list(rows[0]) == ["path", "line", "col", "level", "rule", "message"]
    run = cli("check", "sanjia_2024", "--format", "github")
    lines = run.out.splitlines()
    assert len(lines) == 25
    assert lines[0].startswith("::warning file=sanjia_2024/projects/01-zhucun.yaml,line=6,col=7,"
                               "title=code-format::")
    assert sum(line.startswith("::notice ") for line in lines) == 20


@needs_libreoffice
@pytest.mark.libreoffice
def test_pdf_batch_with_two_converters_and_restarts(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    # restart_after = 1: every conversion gets a fresh LibreOffice, which
    # exercises the restart path the long batches rely on.
    ws = make_workspace(tmp_path / "ws", ["甲镇人民政府", "乙镇人民政府", "丙镇人民政府"],
                        toml="[converter]\nrestart_after = 1\njobs = 2\n")
    run = cli("build", ws)
    assert run.code == 0, run.out + run.err
    for i, unit in enumerate(["甲镇人民政府", "乙镇人民政府", "丙镇人民政府"], start=1):
        assert names(ws / f"unit{i}" / "build") == [
            f"{unit}_2024年部门预算绩效文本.docx", f"{unit}_2024年部门预算绩效文本.pdf"]
    assert soffice_processes() == []
    assert cli("build", ws, "--check").code == 0


@needs_libreoffice
def test_doctor_reports_what_draws_each_font(cli) -> None:
    run = cli("--lang", "en", "doctor")
    assert run.code == 0, run.out + run.err
    assert "LibreOffice: " in run.out and "7." in run.out
    assert "uno-capable Python: /" in run.out
    lines = {line.split(" -> ")[0].strip(): line.split(" -> ")[1]
             for line in run.out.splitlines() if line.startswith("  ") and " -> " in line}
    assert set(lines) == {"仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体",
                          "Times New Roman"}
    assert "Fandol" in lines["仿宋_GB2312"] or "NotoSerifCJK" in lines["仿宋_GB2312"]
    assert "NotoSansCJK" in lines["黑体"]
    assert "gkai" in lines["楷体_GB2312"].lower()  # AR PL KaitiM GB, not a fallback


def test_a_failed_rename_puts_the_first_file_back(tmp_path, monkeypatch) -> None:
    import os

    from perfdoc import outputs

    a, b = tmp_path / "x.docx", tmp_path / "x.pdf"
    a.write_bytes(b"old docx")
    b.write_bytes(b"old pdf")
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if Path(dst) == b and len(calls) == 2:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", failing_replace)
    with pytest.raises(OutputError):
        outputs.write_together({a: b"new docx", b: b"new pdf"})
    assert (a.read_bytes(), b.read_bytes()) == (b"old docx", b"old pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.docx", "x.pdf"]  # no temp files left
