"""The shipped CI workflow and pre-commit hooks, run locally for real."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import EXAMPLE, ROOT, needs_libreoffice


def test_pre_commit_hooks_run_on_the_repository(cli, monkeypatch) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"perfdoc-validate", "perfdoc-check"}
    monkeypatch.chdir(ROOT / "examples")
    for hook in hooks:
        assert hook["pass_filenames"] is False
        program, *args = shlex.split(hook["entry"])
        assert program == "perfdoc"
        assert cli(*args).code == 0, hook["id"]


@needs_libreoffice
@pytest.mark.libreoffice
def test_workflow_shell_steps_run_locally(tmp_path) -> None:
    """Run every `run:` step of examples/ci/perfdoc.yml in order, as a runner would.

    perfdoc is installed into a fresh venv from this checkout (a plain,
    non-editable `pip install`), which also proves the wheel carries its
    templates and schemas.
    """
    workflow = yaml.safe_load((ROOT / "examples/ci/perfdoc.yml").read_text(encoding="utf-8"))
    steps = [s["run"] for s in workflow["jobs"]["documents"]["steps"] if "run" in s]
    assert len(steps) == 4

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    shim = tmp_path / "shim"
    shim.mkdir()
    # The runner has sudo; as root here it is a pass-through.
    (shim / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
    (shim / "sudo").chmod(0o755)
    repo = tmp_path / "docs-repo"
    shutil.copytree(EXAMPLE, repo / "sanjia_2024", ignore=shutil.ignore_patterns("build"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PERFDOC_", "VIRTUAL_ENV"))},
        **{k: str(v) for k, v in workflow["env"].items()},
        "PERFDOC_SOURCE": str(ROOT),
        "PATH": f"{venv / 'bin'}:{shim}:{os.environ['PATH']}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    outputs = []
    for script in steps:
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=repo, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, script + done.stdout + done.stderr
        outputs.append(done.stdout)
    # The check step speaks GitHub's annotation syntax.
    assert "::warning file=sanjia_2024/projects/01-zhucun.yaml,line=" in outputs[2]
    built = sorted(p.name for p in (repo / workflow["env"]["OUTDIR"]).iterdir()
                   if not p.name.startswith("."))
    assert built == ["承德县三家镇人民政府_2024年部门预算绩效文本.docx",
                     "承德县三家镇人民政府_2024年部门预算绩效文本.pdf"]
    # The installed perfdoc is the wheel, not this source tree.
    where = subprocess.run([str(venv / "bin/python"), "-c", "import perfdoc; print(perfdoc.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout
    assert str(venv) in where
