"""The shipped CI workflow and pre-commit hooks, run locally for real."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def _runner(tmp_path: Path, workflow: dict[str, Any]) -> tuple[Path, dict[str, str]]:
    """Give a workflow's steps what a runner has: a fresh venv, sudo, the workflow's env.

    Returns the venv and the environment: no PERFDOC_ variable of this
    session, perfdoc installed from this checkout (PERFDOC_SOURCE).
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    shim = tmp_path / "shim"
    shim.mkdir()
    # The runner has sudo; as root here it is a pass-through.
    (shim / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
    (shim / "sudo").chmod(0o755)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PERFDOC_", "VIRTUAL_ENV"))},
        **{k: str(v) for k, v in workflow["env"].items()},
        "PERFDOC_SOURCE": str(ROOT),
        "PATH": f"{venv / 'bin'}:{shim}:{os.environ['PATH']}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return venv, env


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

    venv, env = _runner(tmp_path, workflow)
    repo = tmp_path / "docs-repo"
    shutil.copytree(EXAMPLE, repo / "sanjia_2024", ignore=shutil.ignore_patterns("build"))
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


# --------------------------------------------------------------------------- the sharded workflow

SHARDED = ROOT / "examples/ci/perfdoc-sharded.yml"


def _sharded_workflow() -> dict:
    return yaml.safe_load(SHARDED.read_text(encoding="utf-8"))


def _for_shard(script: str, shard: int) -> str:
    """The script a runner of the matrix runs: GitHub substitutes the expression first."""
    script = script.replace("${{ matrix.shard }}", str(shard))
    assert "${{" not in script, script
    return script


def _run_steps(steps: list[dict], shard: int, cwd, env: dict[str, str]) -> list[str]:
    outputs = []
    for step in steps:
        script = _for_shard(step["run"], shard)
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, script + done.stdout + done.stderr
        outputs.append(done.stderr)
    return outputs


def _download_merged(parts: list, into) -> dict[str, bytes]:
    """What actions/download-artifact with merge-multiple gives: every artifact's files in one
    folder.  It would silently overwrite a name two shards wrote, so none may."""
    merged: dict[str, bytes] = {}
    into.mkdir(parents=True)
    for part in parts:
        # upload-artifact leaves hidden files (the stamps) out; an empty shard uploads nothing.
        found = part.iterdir() if part.is_dir() else iter(())
        for path in sorted(p for p in found if not p.name.startswith(".")):
            assert path.name not in merged, f"{path.name} was built by two shards"
            merged[path.name] = path.read_bytes()
            shutil.copy(path, into / path.name)
    return merged


def test_sharded_workflow_is_the_plain_one_split_three_ways() -> None:
    import fnmatch

    plain = yaml.safe_load((ROOT / "examples/ci/perfdoc.yml").read_text(encoding="utf-8"))
    sharded = _sharded_workflow()
    assert set(sharded["jobs"]) == {"check", "build", "collect"}
    assert sharded["env"]["PERFDOC_SOURCE"] == plain["env"]["PERFDOC_SOURCE"]
    assert sharded["env"]["DOCUMENTS"] == plain["env"]["DOCUMENTS"]
    plain_steps = plain["jobs"]["documents"]["steps"]
    first_use = next(i for i, s in enumerate(plain_steps) if s.get("name") == "Check the documents")
    installs = plain_steps[:first_use]  # checkout, Python, perfdoc, LibreOffice and the fonts
    assert len(installs) == 4

    # `build`: the same installation, then one slice per runner, uploaded per shard.
    build = sharded["jobs"]["build"]
    shards = build["strategy"]["matrix"]["shard"]
    assert shards == [1, 2, 3]
    assert build["strategy"]["fail-fast"] is False
    assert build["runs-on"] == plain["jobs"]["documents"]["runs-on"]
    assert build["steps"][:4] == installs
    run_build, upload = build["steps"][4:]
    assert f'--shard "${{{{ matrix.shard }}}}/{len(shards)}"' in run_build["run"]
    assert run_build["run"].startswith('perfdoc build "$DOCUMENTS" ')
    assert '-o "$OUTDIR"' in run_build["run"]
    assert upload["uses"] == "actions/upload-artifact@v4"
    assert upload["with"]["path"] == "${{ env.OUTDIR }}"
    names = [upload["with"]["name"].replace("${{ matrix.shard }}", str(k)) for k in shards]
    assert len(set(names)) == len(shards)

    # `check`: annotations once, for the whole workspace, without LibreOffice.
    check = sharded["jobs"]["check"]
    assert check["steps"] == installs[:3] + [
        s for s in plain_steps if s.get("name") == "Check the documents"]

    # `collect`: after every shard, all of their artifacts into one.
    collect = sharded["jobs"]["collect"]
    assert collect["needs"] == "build"
    download, merged = collect["steps"]
    assert download["uses"] == "actions/download-artifact@v4"
    assert download["with"]["merge-multiple"] is True
    pattern = download["with"]["pattern"]
    assert all(fnmatch.fnmatchcase(name, pattern) for name in names)
    assert merged["uses"] == "actions/upload-artifact@v4"
    assert not fnmatch.fnmatchcase(merged["with"]["name"], pattern)
    assert download["with"]["path"] == merged["with"]["path"]


def test_sharded_workflow_steps_run_locally_without_libreoffice(cli, tmp_path) -> None:
    """Run the `run:` steps of every job and shard, each runner in its own checkout.

    The install steps are left out and `perfdoc` is this tree's, which builds
    with `--format docx` (a shim adds it), so no LibreOffice is needed; the
    test below runs everything for real.
    """
    from tests.test_shard import PROVINCE, make_province

    workflow = _sharded_workflow()
    source = make_province(tmp_path / "source")
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "perfdoc").write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = build ]; then exec "{sys.executable}" -m perfdoc "$@" --format docx; fi\n'
        f'exec "{sys.executable}" -m perfdoc "$@"\n')
    (shim / "perfdoc").chmod(0o755)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PERFDOC_")},
        **{k: str(v) for k, v in workflow["env"].items()},
        "PERFDOC_LANG": "en",
        "PATH": f"{shim}:{os.environ['PATH']}",
    }

    def steps(job: str) -> list[dict]:
        return [s for s in workflow["jobs"][job]["steps"]
                if "run" in s and not s["name"].startswith("Install")]

    assert len(steps("check")) == 1 and len(steps("build")) == 1
    checkout = tmp_path / "runner-check" / "repo"
    shutil.copytree(source, checkout)
    _run_steps(steps("check"), 0, checkout, env)

    parts = []
    for k in workflow["jobs"]["build"]["strategy"]["matrix"]["shard"]:
        checkout = tmp_path / f"runner-{k}" / "work" / "repo"  # a path of its own
        shutil.copytree(source, checkout)
        err = _run_steps(steps("build"), k, checkout, env)[0]
        assert f"shard {k}/3: 3 of 9 document(s)" in err
        parts.append(checkout / workflow["env"]["OUTDIR"])
    merged = _download_merged(parts, tmp_path / "collected")

    full = tmp_path / "full"
    assert cli("build", source, "--format", "docx", "-o", full).code == 0
    expected = {p.name: p.read_bytes() for p in full.iterdir() if not p.name.startswith(".")}
    assert len(expected) == len(PROVINCE)
    assert merged == expected


@needs_libreoffice
@pytest.mark.libreoffice
def test_sharded_workflow_shell_steps_run_locally(tmp_path) -> None:
    """Every `run:` step of examples/ci/perfdoc-sharded.yml, for each shard, as runners would.

    Each runner gets its own checkout at its own path; perfdoc is installed
    from this checkout into a fresh venv, as in the test of perfdoc.yml.
    """
    from tests.test_shard import PROVINCE, make_province

    workflow = _sharded_workflow()
    _venv, env = _runner(tmp_path, workflow)
    env["PERFDOC_LANG"] = "en"
    source = make_province(tmp_path / "source")

    def steps(job: str) -> list[dict]:
        return [s for s in workflow["jobs"][job]["steps"] if "run" in s]

    checkout = tmp_path / "runner-check" / "repo"
    shutil.copytree(source, checkout)
    _run_steps(steps("check"), 0, checkout, env)

    parts = []
    for k in workflow["jobs"]["build"]["strategy"]["matrix"]["shard"]:
        checkout = tmp_path / f"runner-{k}" / "repo"
        shutil.copytree(source, checkout)
        err = _run_steps(steps("build"), k, checkout, env)[-1]
        assert f"shard {k}/3: 3 of 9 document(s)" in err
        parts.append(checkout / workflow["env"]["OUTDIR"])
    merged = _download_merged(parts, tmp_path / "collected")
    units = sorted(unit for _where, _example, unit in PROVINCE)
    assert sorted(merged) == sorted(f"{unit}_2024年部门预算绩效文本.{ext}"
                                    for unit in units for ext in ("docx", "pdf"))
