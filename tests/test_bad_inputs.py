"""The bad-input corpus: every broken document in tests/bad_inputs/ and its golden.

Each case folder holds only what differs from examples/sanjia_2024 (see
tests/bad_inputs/README.md).  One parametrized test copies the example, applies
the case and runs its command in-process; stdout and the exit code must match
``expected.txt`` and stderr must never show a traceback.  Run with
``PERFDOC_UPDATE_GOLDEN=1`` to rewrite the goldens, then read every one.

The rest of the file holds what a golden cannot say: the literal text in a
built .docx, internal errors, unreadable files and untrusted templates.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from perfdoc.rules import RULES
from tests import docxtemplates
from tests.conftest import EXAMPLE, Run

CASES_DIR = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and re.match(r"\d{3}-", p.name))
UPDATE = os.environ.get("PERFDOC_UPDATE_GOLDEN") == "1"

# Files that steer a case rather than being copied into the document.
CONTROL = {"cmd.txt", "expected.txt", "outputs.txt", "delete.txt", "generate.py", "stderr.txt"}
PARENT = "parent"  # a case's parent/ folder is copied beside the document
DOC_NAME = "sanjia_2024"
TMP_MARK = "<tmp>"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    monkeypatch.delenv("PERFDOC_DEBUG", raising=False)


@dataclass
class Outcome:
    """A case's run, with the tmp folder replaced by a mark in stdout."""

    doc: Path
    code: int
    out: str
    err: str


def command(case: Path) -> list[str]:
    """The case's command: the first line of cmd.txt that is not a # comment.

    ``check`` and ``build`` run only the rules a ``# rules: a,b`` comment
    names: every other rule is disabled, including rules added after the
    golden was written, so a new rule never rewrites the corpus.
    """
    path = case / "cmd.txt"
    if not path.exists():
        return ["validate", "."]
    wanted: set[str] = set()
    args = ["validate", "."]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# rules:"):
            wanted = {r.strip() for r in line.split(":", 1)[1].split(",") if r.strip()}
        elif line.strip() and not line.lstrip().startswith("#"):
            args = shlex.split(line)
            break
    if args[0] in ("check", "build"):
        others = sorted(set(RULES) - wanted - _enabled(args))
        if others:
            args += ["--disable", ",".join(others)]
    return args


def _enabled(args: list[str]) -> set[str]:
    """The rules a command line switches on with --enable."""
    return {r for flag, value in zip(args, args[1:], strict=False) if flag == "--enable"
            for r in value.split(",")}


def prepare(name: str, tmp_path: Path) -> Path:
    """Lay out the case's document in *tmp_path* and return the document folder."""
    case = CASES_DIR / name
    doc = tmp_path / "ws" / DOC_NAME
    shutil.copytree(EXAMPLE, doc, ignore=shutil.ignore_patterns("build"))
    for src in sorted(case.rglob("*")):
        rel = src.relative_to(case)
        if src.is_dir() or rel.as_posix() in CONTROL or "__pycache__" in rel.parts:
            continue
        if rel.parts[0] == PARENT:
            target = doc.parent / Path(*rel.parts[1:])
        else:
            target = doc / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    deletions = case / "delete.txt"
    if deletions.exists():
        for line in deletions.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            target = doc / line.strip()
            assert target.exists(), f"{name}/delete.txt: {line} is not in the example"
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()
    hook = case / "generate.py"
    if hook.exists():
        spec = importlib.util.spec_from_file_location(f"bad_inputs_{name}", hook)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate(doc)
    return doc


def environment(case: Path) -> dict[str, str]:
    """The variables ``# env: NAME=VALUE`` lines of cmd.txt set for the run."""
    path = case / "cmd.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return dict(line[len("# env:"):].strip().split("=", 1) for line in lines
                if line.startswith("# env:"))


def run_case(name: str, tmp_path: Path, cli: Callable[..., Run],
             monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Prepare case *name* and run its command with the document folder as cwd."""
    doc = prepare(name, tmp_path)
    monkeypatch.chdir(doc)
    for key, value in environment(CASES_DIR / name).items():
        monkeypatch.setenv(key, value)
    run = cli(*command(CASES_DIR / name))
    out, err = run.out, run.err
    for tmp in {str(tmp_path.resolve()), str(tmp_path)}:
        out = out.replace(tmp, TMP_MARK)
        err = err.replace(tmp, TMP_MARK)
    return Outcome(doc, run.code, out, err)


def outputs(doc: Path) -> list[str]:
    """Every file the run left in the document's build/ folder."""
    build = doc / "build"
    return sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, tmp_path: Path, cli, monkeypatch) -> None:
    case = CASES_DIR / name
    got = run_case(name, tmp_path, cli, monkeypatch)
    text = f"exit: {got.code}\n{got.out}"
    written = outputs(got.doc)
    if UPDATE:
        (case / "expected.txt").write_text(text, encoding="utf-8")
        if written:
            (case / "outputs.txt").write_text("\n".join(written) + "\n", encoding="utf-8")
        elif (case / "outputs.txt").exists():
            (case / "outputs.txt").unlink()
    assert "Traceback" not in got.err
    assert "internal error" not in got.err
    assert got.code != 4
    assert text == (case / "expected.txt").read_text(encoding="utf-8")
    if got.code == 1:
        # A wrong document writes nothing.
        assert not (got.doc / "build").exists()
    listed = case / "outputs.txt"
    expected = listed.read_text(encoding="utf-8").split() if listed.exists() else []
    assert written == expected
    # Messages that go to stderr (usage and environment errors) are checked
    # line by line: each line of stderr.txt must appear in stderr.
    said = case / "stderr.txt"
    for line in said.read_text(encoding="utf-8").splitlines() if said.exists() else []:
        assert line in got.err, f"{line!r} not in stderr:\n{got.err}"


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    for name in CASES:
        assert (CASES_DIR / name / "expected.txt").exists(), name


# --------------------------------------------------------------------------- literal text


def docx_text(doc: Path) -> str:
    """The XML of the one .docx the run built."""
    (docx,) = (doc / "build").glob("*.docx")
    with zipfile.ZipFile(docx) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_template_syntax_in_values_is_printed_literally(tmp_path, cli, monkeypatch) -> None:
    got = run_case("061-template-syntax-in-values", tmp_path, cli, monkeypatch)
    assert got.code == 0
    xml = docx_text(got.doc)
    assert "{{ unit }}与{{ 7 * 7 }}" in xml
    assert "{% if true %}真{% endif %}" in xml
    assert "{%- for x in range(3) %}{{ x }}{% endfor %}" in xml
    assert "{# 注释 #}" in xml
    assert "49" not in xml.split("{{ 7 * 7 }}")[1][:20]


def test_xml_specials_in_values_are_escaped(tmp_path, cli, monkeypatch) -> None:
    got = run_case("062-xml-specials-in-values", tmp_path, cli, monkeypatch)
    assert got.code == 0
    xml = docx_text(got.doc)
    assert "&lt;w:p&gt;&lt;/w:p&gt; &amp; R&amp;D" in xml
    assert "&lt;script&gt;" in xml
    # Quotes may stay literal or become entities; either way they are text.
    assert re.search(r"“引号” (\"|&quot;)双(\"|&quot;) ('|&apos;)单('|&apos;)", xml)
    assert "&amp;amp;" in xml  # an entity the author typed stays as typed
    with zipfile.ZipFile(next((got.doc / "build").glob("*.docx"))) as z:
        assert z.testzip() is None


# --------------------------------------------------------------------------- unreadable files


def test_unreadable_file(cli, example, monkeypatch) -> None:
    # The tests may run as root, where chmod 000 does not stop a read, so the
    # refusal is simulated for one file.
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "goals.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.chdir(example)
    run = cli("validate", ".")
    assert run.code == 1
    assert run.out.splitlines() == [
        "goals.yaml:1:1: [error] cannot read the file: Permission denied (io)"
    ]
    assert "Traceback" not in run.err


# --------------------------------------------------------------------------- internal errors


def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_internal_error_is_one_line(cli, example, monkeypatch) -> None:
    from perfdoc import __version__

    monkeypatch.setattr("perfdoc.check.load_document", _explode)
    run = cli("validate", example)
    assert run.code == 4
    assert run.err.splitlines() == [f"internal error — please report (perfdoc {__version__})"]
    assert run.out == ""


def test_internal_error_with_debug_shows_the_traceback(cli, example, monkeypatch) -> None:
    from perfdoc import __version__

    monkeypatch.setattr("perfdoc.check.load_document", _explode)
    run = cli("--debug", "validate", example)
    assert run.code == 4
    assert "Traceback (most recent call last)" in run.err
    assert "RuntimeError: boom" in run.err
    assert run.err.splitlines()[-1] == f"internal error — please report (perfdoc {__version__})"


def test_internal_error_in_a_build_stage(cli, example, monkeypatch) -> None:
    monkeypatch.setattr("perfdoc.build.render_docx", _explode)
    run = cli("build", example, "--format", "docx")
    assert run.code == 4
    assert "Traceback" not in run.err
    assert "internal error — please report (perfdoc " in run.err
    assert not (example / "build").exists()


def test_a_bug_in_one_document_does_not_stop_the_batch(cli, tmp_path, monkeypatch) -> None:
    # The second document trips a bug; the first and third are still built,
    # and the batch exits with the highest code, 4.
    for name in ("a", "b", "c"):
        shutil.copytree(EXAMPLE, tmp_path / name, ignore=shutil.ignore_patterns("build"))
        (tmp_path / name / "document.yaml").write_text(
            (tmp_path / name / "document.yaml").read_text(encoding="utf-8").replace(
                "unit: 承德县三家镇人民政府", f"unit: 单位{name}"), encoding="utf-8")
    real = __import__("perfdoc.build", fromlist=["render_docx"]).render_docx

    def flaky(template, context, **kwargs):
        if context["unit"] == "单位b":
            raise RuntimeError("boom")
        return real(template, context, **kwargs)

    monkeypatch.setattr("perfdoc.build.render_docx", flaky)
    run = cli("build", tmp_path, "--format", "docx", "--jobs", "1")
    assert run.code == 4
    assert run.err.count("internal error — please report") == 1
    assert len(list((tmp_path / "a" / "build").glob("*.docx"))) == 1
    assert len(list((tmp_path / "c" / "build").glob("*.docx"))) == 1
    assert not (tmp_path / "b" / "build").exists()


# --------------------------------------------------------------------------- untrusted templates


def template_with(tmp_path: Path, paragraph: str) -> Path:
    """Copy the default template and add a paragraph holding *paragraph* to its body."""
    return docxtemplates.template_with(tmp_path / "custom.docx", paragraph)


def test_template_with_unknown_variable(tmp_path, cli, example, monkeypatch) -> None:
    template = template_with(tmp_path, "{{ no_such_variable }}")
    monkeypatch.chdir(tmp_path)
    run = cli("build", example.name, "--format", "docx", "--template", template.name)
    assert run.code == 1
    assert "Traceback" not in run.err
    problems = [line for line in run.out.splitlines() if "(template)" in line]
    assert len(problems) == 1
    assert problems[0].startswith("custom.docx:1:1: [error] ")
    assert "no_such_variable" in problems[0]
    assert not (example / "build").exists()


@pytest.mark.parametrize("probe", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ range.__self__ }}",
])
def test_template_probing_python_fails_safely(tmp_path, cli, example, monkeypatch,
                                               probe: str) -> None:
    template = template_with(tmp_path, probe)
    monkeypatch.chdir(tmp_path)
    run = cli("build", example.name, "--format", "docx", "--template", template.name)
    assert "Traceback" not in run.err
    assert run.code in (0, 1)
    # A Python repr, raw or XML-escaped, would mean the probe was evaluated.
    leaks = ("class 'str'", "class 'object'", "object at 0x", "<built-in", "&lt;built-in",
             "'__builtins__':", "<module", "&lt;module")
    if run.code == 1:
        assert "(template)" in run.out
        assert "custom.docx" in run.out
        assert not (example / "build").exists()
    else:
        xml = docx_text(example)
        assert not any(leak in xml for leak in leaks)
    assert not any(leak in run.out for leak in leaks)


@pytest.mark.parametrize(("code", "what"), [
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{{ unit(1) }}", "TypeError"),
    ("{% include 'other.xml' %}", "TypeError"),
    ("{% for x in range(999999999) %}{% endfor %}", "OverflowError"),
    ("{{ unit", "template syntax error"),
])
def test_template_code_that_fails_is_a_located_error(tmp_path, cli, example, monkeypatch,
                                                     code: str, what: str) -> None:
    template = template_with(tmp_path, code)
    monkeypatch.chdir(tmp_path)
    run = cli("build", example.name, "--format", "docx", "--template", template.name)
    assert run.code == 1
    assert "Traceback" not in run.err
    (problem,) = [line for line in run.out.splitlines() if "(template)" in line]
    assert problem.startswith("custom.docx:1:1: [error] ")
    assert what in problem
    assert not (example / "build").exists()


@pytest.mark.parametrize(("code", "place"), [
    ("{{ headingz.part1 }}", "第 2 段"),
    ("{{ unit", "第 2 段"),
    ("{{ ''.__class__ }}", "第 2 段"),
])
def test_a_template_error_points_at_its_paragraph(tmp_path, cli, example, monkeypatch,
                                                   code: str, place: str) -> None:
    """Not 1:1: the paragraph (in reading order) where the bad tag sits."""
    from tests.docxtemplates import changed_template

    template = changed_template(tmp_path / "custom.docx", {"word/document.xml": lambda xml: xml.replace(
        "<w:body>", f"<w:body><w:p><w:r><w:t>cover</w:t></w:r></w:p><w:p><w:r><w:t>{code}</w:t></w:r></w:p>", 1)})
    monkeypatch.chdir(tmp_path)
    run = cli("build", example.name, "--format", "docx", "--template", template.name)
    assert run.code == 1
    (problem,) = [line for line in run.out.splitlines() if "(template)" in line]
    assert problem.startswith(f"custom.docx:2:1: [error] {place}: "), problem
