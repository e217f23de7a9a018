"""Speed features, tested for what they must not break: early converters, the
private profile template, ``watch``, and several unoserver endpoints.

How fast they are is measured by ``make bench``, never asserted here.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfdoc import loprofile, spawn
from perfdoc.early import likely_stale
from perfdoc.watch import affected
from tests.conftest import EXAMPLE, ROOT, edit, needs_libreoffice
from tests.test_converter_security import make_batch, running_unoserver

STEM = "承德县三家镇人民政府_2024年部门预算绩效文本"


# --------------------------------------------------------------------------- early start


def test_prediction_follows_the_stamps(cli, example) -> None:
    assert likely_stale([example], None, "docx") == [example]  # never built
    assert cli("build", example, "--format", "docx").code == 0
    assert likely_stale([example], None, "docx") == []
    # A PDF build wants the PDF, which a .docx-only build did not write.
    assert likely_stale([example], None, "all") == [example]
    # Touched but unchanged: the content decides, not the time.
    target = example / "goals.yaml"
    os.utime(target, (time.time() + 60, time.time() + 60))
    assert likely_stale([example], None, "docx") == []
    edit(target, "坚持", "始终坚持")
    assert likely_stale([example], None, "docx") == [example]
    assert cli("build", example, "--format", "docx").code == 0
    assert likely_stale([example], None, "docx") == []
    # A new project file is a change too.
    shutil.copy(example / "projects" / "02-zhifa.yaml", example / "projects" / "03-copy.yaml")
    assert likely_stale([example], None, "docx") == [example]


def test_prediction_with_a_shared_output_folder(cli, tmp_path) -> None:
    ws = make_batch(tmp_path / "ws", 2)
    out = tmp_path / "out"
    assert cli("build", ws, "--format", "docx", "-o", out).code == 0
    a, b = sorted(ws.iterdir())
    assert likely_stale([a, b], out, "docx") == []
    edit(b / "document.yaml", "year: 2024", "year: 2025")
    assert likely_stale([a, b], out, "docx") == [b]
    # The stamps name their folder relative to themselves: a moved workspace keeps them.
    (tmp_path / "new").mkdir()
    shutil.move(tmp_path / "ws", tmp_path / "new" / "ws")
    shutil.move(out, tmp_path / "new" / "out")
    moved = sorted((tmp_path / "new" / "ws").iterdir())
    assert likely_stale(moved, tmp_path / "new" / "out", "docx") == moved[1:]


def test_a_stamp_someone_else_wrote_only_means_stale(cli, example) -> None:
    """The early start reads stamps before anything is validated: a bad one is a miss."""
    from perfdoc import early

    assert cli("build", example, "--format", "docx").code == 0
    stamp = next((example / "build").glob(early.STAMP_GLOB))
    good = stamp.read_text(encoding="utf-8")
    assert likely_stale([example], None, "docx") == []
    for text in ("{not json", "[1, 2]", '{"folder": 7, "sources": "x", "sha256": []}',
                 '{"folder": "../../../../etc", "sources": {}, "sha256": {}}',
                 '{"folder": ".", "sources": {"../document.yaml": "0"}, "sha256": {}}',
                 "\u0000" * 10_000, '{"a": ' * 5_000 + "1" + "}" * 5_000):
        stamp.write_text(text, encoding="utf-8")
        assert likely_stale([example], None, "docx") == [example], text[:40]
        argv = ["build", str(example), "--format", "pdf"]
        assert early._request(argv) is not None  # the reading is unaffected
    stamp.write_text(good, encoding="utf-8")
    assert likely_stale([example], None, "docx") == []


@needs_libreoffice
def test_an_unchanged_rebuild_starts_no_libreoffice(cli, example, monkeypatch) -> None:
    assert cli("build", example).code == 0
    import perfdoc.convert

    started: list[object] = []
    original = perfdoc.convert.Converter.launch

    def spy(self: perfdoc.convert.Converter) -> str:
        started.append(self)
        return original(self)

    # Every start of a LibreOffice, early or on demand, goes through launch.
    monkeypatch.setattr(perfdoc.convert.Converter, "launch", spy)
    os.utime(example / "goals.yaml")  # saved again, unchanged
    run = cli("build", example)
    assert run.code == 0 and "1 unchanged" in run.err, run.err
    assert started == []
    # A real change starts exactly one converter, at once.
    edit(example / "goals.yaml", "坚持", "始终坚持")
    assert cli("build", example).code == 0
    assert len(started) == 1


def test_libreoffice_starts_before_the_pipeline_is_imported(tmp_path) -> None:
    """The converters start while perfdoc imports pydantic, the models and the renderer.

    Anything the command line does before ``start_converters`` that pulls in
    the pipeline (once, a timeout's bound read from workspace.py) delays
    LibreOffice's start by that import, a quarter of a second.
    """
    probe = (
        "import sys\n"
        "import perfdoc.cli as cli\n"
        "heavy = ('pydantic', 'jinja2', 'docx', 'docxtpl', 'lxml', 'perfdoc.model',\n"
        "         'perfdoc.render', 'perfdoc.build', 'perfdoc.workspace')\n"
        "def spy(*args, **kwargs):\n"
        "    print('loaded:', sorted(m for m in heavy if m in sys.modules), flush=True)\n"
        "    import os; os._exit(0)  # the build itself is not the point\n"
        "cli.start_converters = spy\n"
        f"cli.main(['build', {str(EXAMPLE)!r}, '--force', '-o', {str(tmp_path / 'out')!r}])\n"
    )
    env = {**os.environ, "PERFDOC_TIMEOUT": "300", "SOURCE_DATE_EPOCH": "1700000000"}
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert "loaded: []" in run.stdout, run.stdout + run.stderr


def test_the_early_reading_knows_builds_options() -> None:
    """``early`` reads ``build``'s command line without click: it must know every option."""
    import click

    from perfdoc import early
    from perfdoc.cli import cli as group

    declared = {name: not param.is_flag for param in group.commands["build"].params
                if isinstance(param, click.Option) for name in param.opts}
    assert declared == early.BUILD_OPTIONS
    shared = {name: not param.is_flag for param in group.params
              if isinstance(param, click.Option) and param.expose_value for name in param.opts}
    assert shared == early.GLOBAL_OPTIONS


def _asked(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    """What ``perfdoc ARGV`` asks ``start_converters`` for, as click read the line."""
    from perfdoc import cli

    asked: list[tuple[object, ...]] = []

    def spy(folders, *, outdir, fmt, force, jobs, fonts):
        asked.append((tuple(folders), outdir, fmt, force, jobs, fonts))
        raise KeyboardInterrupt  # the build itself is not the point

    monkeypatch.setattr(cli, "start_converters", spy)
    with pytest.raises(SystemExit):
        cli.main(argv)
    assert len(asked) == 1, argv
    return asked[0]


def test_the_early_reading_agrees_with_click(tmp_path, monkeypatch) -> None:
    from perfdoc import early

    out, fonts = str(tmp_path / "out"), tmp_path / "fonts"
    fonts.mkdir()
    ex, examples = str(EXAMPLE), str(EXAMPLE.parent)
    for argv in (
        ["build", ex, "--force", "-o", out],
        ["--lang", "en", "build", ex, "-j", "2", "--format", "pdf", "-o", out],
        ["build", f"--output={out}", f"{ex}/document.yaml", "--fonts", str(fonts), "--debug",
         "--skip-rules", "--template", f"{ex}/document.yaml"],
        ["build", examples, "--jobs=1", "--pdfa", "--enable", "x", "--min-level", "error", "-q",
         "-o", out, "--lang=zh"],
        ["build", "-o", out, "--", ex],
    ):
        assert early._request(argv) == _asked(argv, monkeypatch), argv


def test_the_early_reading_starts_nothing_it_is_unsure_of(tmp_path) -> None:
    from perfdoc import early

    ex = str(EXAMPLE)
    for argv in (
        ["build", ex, "--check"], ["build", ex, "--converter", "localhost:2003"],
        ["build", ex, "--shard", "1/2"], ["build", ex, "--format", "docx"], ["check", ex],
        ["build", f"-o{tmp_path}", ex], ["build", ex, "--help"], ["--force", "build", ex],
        ["build", str(tmp_path / "missing")], ["build", str(tmp_path)], ["build", ex, "-j", "0"],
        ["build", ex, "-o"], ["build", ex, "--forc"], ["build", ex, "--force=yes"],
        ["build", ex, "-j=2"], ["build", ex, "-o", str(EXAMPLE / "document.yaml")],
    ):
        assert early._request(argv) is None, argv


class _Started:
    """Stands for a helper ``early.run`` started: only its discarding is watched."""

    def __init__(self) -> None:
        self.discarded = False

    def discard(self) -> None:
        self.discarded = True


def test_early_helpers_go_to_their_own_build_only(monkeypatch) -> None:
    from perfdoc import early

    asked = ((EXAMPLE,), None, "all", True, None, None)
    mine, other = _Started(), _Started()
    monkeypatch.setattr(early, "_early", (asked, [mine]))
    assert early._claim(asked) == [mine] and not mine.discarded
    monkeypatch.setattr(early, "_early", (asked, [other]))
    assert early._claim((*asked[:3], False, *asked[4:])) == [] and other.discarded
    assert early._early is None


_CONSOLE_PROBE = """
import subprocess, sys
helpers = []
popen = subprocess.Popen.__init__
def spy(self, args, *rest, **kwargs):
    if any(str(a).endswith("uno_server.py") for a in args):
        helpers.append(sorted(m for m in ("click", "pydantic", "perfdoc.cli") if m in sys.modules))
    popen(self, args, *rest, **kwargs)
subprocess.Popen.__init__ = spy
import atexit
atexit.register(lambda: print("helpers:", helpers, flush=True))
sys.argv = ["perfdoc", *sys.argv[1:]]
from perfdoc.early import run
run()
"""


def _console(*args: object, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run the console script's code on ARGS, with converter folders under *tmp*."""
    tmp.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-c", _CONSOLE_PROBE, *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "TMPDIR": str(tmp)})


@needs_libreoffice
def test_the_console_script_starts_libreoffice_before_click(tmp_path) -> None:
    out = tmp_path / "out"
    run = _console("build", EXAMPLE, "--force", "-o", out, tmp=tmp_path / "tmp")
    assert run.returncode == 0, run.stderr
    # One helper, started before click, and adopted: the build started no other.
    assert "helpers: [[]]" in run.stdout, run.stdout + run.stderr
    assert (out / f"{STEM}.pdf").read_bytes().startswith(b"%PDF")
    assert list((tmp_path / "tmp").glob("perfdoc-lo-*")) == []


@needs_libreoffice
def test_a_line_click_refuses_stops_the_early_converter(tmp_path) -> None:
    run = _console("build", EXAMPLE, "--force", "-o", tmp_path / "out", "--min-level", "loud",
                   tmp=tmp_path / "tmp")
    assert run.returncode == 2, run.stderr
    assert "helpers: [[]]" in run.stdout, run.stdout + run.stderr  # it did start early
    assert list((tmp_path / "tmp").glob("perfdoc-lo-*")) == []
    assert not (tmp_path / "out").exists()


@needs_libreoffice
def test_the_index_is_updated_again_only_when_its_text_moved() -> None:
    """The helper's 目录 update: once when only page numbers change, twice otherwise."""
    from perfdoc.libreoffice import find_uno_python, unoserver_path

    probe = """
import runpy, sys
helper = runpy.run_path(sys.argv[1], run_name="perfdoc_helper")

class Index:
    def __init__(self, texts):
        self.texts, self.updates = list(texts), 0
    def supportsService(self, name):
        return False  # not a content index: nothing to unnumber
    def getAnchor(self):
        return self
    def getString(self):
        return self.texts[min(self.updates, len(self.texts) - 1)]
    def update(self):
        self.updates += 1

class Document:
    def __init__(self, index):
        self.index, self.refreshes = index, 0
    def refresh(self):
        self.refreshes += 1
    def getDocumentIndexes(self):
        index = self.index
        class Indexes:
            def getCount(self):
                return 1
            def getByIndex(self, i):
                return index
        return Indexes()

cases = {
    # Cached entries without numbers, then numbered: nothing moved.
    "numbers": ["一、总体\\t\\n二、分项\\t", "一、总体\\t1\\n二、分项\\t2"],
    # An empty cached 目录 gains its lines: update again.
    "lines": ["", "一、总体\\t1\\n二、分项\\t2", "一、总体\\t1\\n二、分项\\t3"],
}
for name, texts in cases.items():
    index = Index(texts)
    helper["_update_indexes"](Document(index), set())
    print(name, index.updates)
"""
    python = find_uno_python()
    assert python is not None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((unoserver_path(), str(ROOT / "src")))}
    run = subprocess.run([python, "-c", probe, str(ROOT / "src/perfdoc/data/uno_server.py")],
                         capture_output=True, text=True, env=env, timeout=60)
    assert run.stdout.split("\n")[:2] == ["numbers 1", "lines 2"], run.stdout + run.stderr


@pytest.fixture
def runtime_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private $XDG_RUNTIME_DIR and no TMPDIR: where converters' folders then go."""
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.delenv("TMPDIR", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    spawn.converter_root.cache_clear()
    yield run
    run.chmod(0o700)
    spawn.converter_root.cache_clear()


def test_converter_folders_go_to_memory_unless_tmpdir_is_set(runtime_folder, tmp_path,
                                                             monkeypatch) -> None:
    assert spawn.converter_root() == str(runtime_folder)
    # The user's TMPDIR wins; a folder that cannot be written is passed over.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    spawn.converter_root.cache_clear()
    assert spawn.converter_root() is None
    monkeypatch.delenv("TMPDIR")
    runtime_folder.chmod(0o500)
    spawn.converter_root.cache_clear()
    assert spawn.converter_root() != str(runtime_folder) or os.geteuid() == 0
    # So is one that does not exist (this holds for root too).
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "missing"))
    spawn.converter_root.cache_clear()
    assert spawn.converter_root() != str(tmp_path / "missing")


@needs_libreoffice
def test_a_converter_in_the_runtime_folder_leaves_nothing_there(example, runtime_folder) -> None:
    from perfdoc import convert

    with convert.ConverterPool() as pool:
        assert pool.convert(docx_of(example), label="x").startswith(b"%PDF")
        folders = list(runtime_folder.glob("perfdoc-lo-*"))
        assert len(folders) == 1 and folders[0].stat().st_mode & 0o777 == 0o700
    # (LibreOffice's own dconf folder may appear there, as for any program.)
    assert list(runtime_folder.glob("perfdoc-lo-*")) == []


# --------------------------------------------------------------------------- the profile


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def made_template(cache_home: Path, tmp_path: Path) -> tuple[str, str, dict[str, str], Path]:
    """The real template, made in a private cache: (soffice, identity, env, template)."""
    from perfdoc.libreoffice import find_soffice, libreoffice_identity

    soffice, identity = find_soffice(), libreoffice_identity()
    assert soffice and identity
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    made = loprofile.template(soffice, identity, env)
    assert made is not None and made.parent == cache_home / "perfdoc"
    return soffice, identity, env, made


@needs_libreoffice
def test_the_template_profile_is_made_once_and_private(made_template, tmp_path) -> None:
    soffice, identity, env, made = made_template
    assert (made / "user" / "registrymodifications.xcu").is_file()
    for path in [made, *made.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            assert path.stat().st_mode & 0o077 == 0, path
    # Nothing half-made is left beside it, and a second call reuses it.
    assert [p.name for p in made.parent.iterdir()] == [made.name]
    stamp = (made / "user" / "registrymodifications.xcu").stat().st_mtime_ns
    assert loprofile.template(soffice, identity, env) == made
    assert (made / "user" / "registrymodifications.xcu").stat().st_mtime_ns == stamp
    copy = tmp_path / "profile"
    assert loprofile.copy_into(made, copy)
    assert copy.stat().st_mode & 0o777 == 0o700


@needs_libreoffice
def test_a_converter_on_the_template_skips_the_graphics_self_test(made_template,
                                                                   tmp_path) -> None:
    """The template records the version, so LibreOffice does not test its drawing again."""
    from perfdoc.libreoffice import libreoffice_version

    soffice, _identity, env, made = made_template
    found = re.search(r"(\d+)\.(\d+)", libreoffice_version() or "")
    assert found is not None
    major_minor = f"{found[1]}.{found[2]}"
    settings = (made / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert f'"ooSetupLastVersion" oor:op="fuse"><value>{major_minor}</value>' in settings
    # The self-test writes its log at each run: a start on a copy leaves it alone.
    assert (made / "user" / "GraphicsRenderTests.log").is_file()
    text = tmp_path / "blank.txt"
    text.write_text("perfdoc\n", encoding="utf-8")
    for name, profile in (("template", tmp_path / "copy"), ("bare", tmp_path / "bare")):
        assert loprofile.copy_into(made, profile)
        if name == "bare":  # the same profile without the recorded version: the test runs again
            xcu = profile / "user" / "registrymodifications.xcu"
            xcu.write_text(xcu.read_text(encoding="utf-8").replace(">" + major_minor + "<",
                                                                   ">0.0<"), encoding="utf-8")
        (profile / "user" / "GraphicsRenderTests.log").write_bytes(b"")
        done = subprocess.run(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
             "--convert-to", "pdf", "--outdir", str(tmp_path / name), str(text)],
            capture_output=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        ran = (profile / "user" / "GraphicsRenderTests.log").read_bytes()
        assert (ran == b"") == (name == "template"), name


def _fake_template(cache_home: Path) -> Path:
    path = loprofile.template_path("7.4")
    (path / "user").mkdir(parents=True, mode=0o700)
    path.chmod(0o700)
    cache_home.chmod(0o755)
    (cache_home / "perfdoc").chmod(0o700)
    return path


def test_a_template_others_can_write_is_not_used(cache_home) -> None:
    path = _fake_template(cache_home)
    assert loprofile.template("soffice", "7.4", {}) == path
    path.chmod(0o770)  # the group could put a macro in it
    assert loprofile.template("soffice", "7.4", {}) is None
    path.chmod(0o700)
    (cache_home / "perfdoc").chmod(0o777)  # anyone could swap the template
    assert loprofile.template("soffice", "7.4", {}) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_a_template_of_another_user_is_not_used(cache_home) -> None:
    path = _fake_template(cache_home)
    os.chown(path, 65534, 65534)  # nobody
    assert loprofile.template("soffice", "7.4", {}) is None


def test_a_linked_template_is_not_used(cache_home, tmp_path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "user").mkdir(parents=True, mode=0o700)
    elsewhere.chmod(0o700)
    path = loprofile.template_path("7.4")
    path.parent.mkdir(parents=True, mode=0o700)
    path.symlink_to(elsewhere)
    assert loprofile.template("soffice", "7.4", {}) is None


# --------------------------------------------------------------------------- watch


def test_a_change_rebuilds_its_own_document(tmp_path) -> None:
    a, b = tmp_path / "ws" / "a", tmp_path / "ws" / "b"
    assert affected({a / "goals.yaml"}, [a, b]) == [a]
    assert affected({b / "projects" / "01.yaml", a / "document.yaml"}, [a, b]) == [a, b]
    assert affected({tmp_path / "ws" / "perfdoc.toml"}, [a, b]) == [a, b]


def _perfdoc(args: list[str], cwd: Path, own_tmp: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PERFDOC_LANG": "en", "TMPDIR": str(own_tmp),
           "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-m", "perfdoc", *args], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait(what, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@needs_libreoffice
def test_watch_rebuilds_on_save_keeps_good_outputs_and_leaves_nothing(tmp_path) -> None:
    doc = tmp_path / "doc"
    shutil.copytree(EXAMPLE, doc, ignore=shutil.ignore_patterns("build"))
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    pdf, docx = doc / "build" / f"{STEM}.pdf", doc / "build" / f"{STEM}.docx"
    proc = _perfdoc(["watch", "doc"], tmp_path, own_tmp)
    try:
        _wait(lambda: _digest(pdf) is not None and _digest(docx) is not None)
        first = _digest(pdf)
        time.sleep(0.5)  # the watch begins once the first round is printed
        edit(doc / "goals.yaml", "坚持", "始终坚持")
        _wait(lambda: _digest(pdf) != first)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "始终坚持" in text
        good = (_digest(pdf), _digest(docx))
        # An invalid save: the problem is printed; the outputs stay as they were.
        (doc / "goals.yaml").write_text(
            (doc / "goals.yaml").read_text(encoding="utf-8") + "\nmeasures: [\n",
            encoding="utf-8")
        time.sleep(3)
        assert (_digest(pdf), _digest(docx)) == good
        # Files beside the document (an editor's backup) rebuild nothing.
        (doc / "notes.txt").write_text("x", encoding="utf-8")
        time.sleep(1)
        assert (_digest(pdf), _digest(docx)) == good
        assert list(own_tmp.glob("perfdoc-lo-*")), "the converter should stay warm"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "goals.yaml:" in out + err and "error" in out + err
    time.sleep(0.5)
    assert list(own_tmp.iterdir()) == []  # no converter folder, no lu*.tmp
    ps = subprocess.run(["ps", "-ww", "-eo", "args="], capture_output=True, text=True).stdout
    assert str(own_tmp) not in ps


# --------------------------------------------------------------------------- endpoints


def _conversions(log: Path) -> int:
    return log.read_text(errors="replace").count("Exporting to")


@needs_libreoffice
def test_a_batch_spreads_across_two_endpoints_and_skips_a_dead_one(cli, tmp_path) -> None:
    ws = make_batch(tmp_path / "ws", 4)
    log1, log2 = tmp_path / "s1.log", tmp_path / "s2.log"
    with running_unoserver(tmp_path / "s1", log1) as (p1, _s1), \
            running_unoserver(tmp_path / "s2", log2) as (p2, s2):
        endpoints = f"127.0.0.1:{p1},127.0.0.1:{p2}"
        run = cli("build", ws, "--converter", endpoints)
        assert run.code == 0, run.err
        assert len(list(ws.glob("*/build/*.pdf"))) == 4
        # The 目录 needs the pages: each document goes to a server once or twice.
        one, two = _conversions(log1), _conversions(log2)
        assert one >= 2 and two >= 2, (one, two)
        # One server gone: a warning, and the other converts everything.
        os.killpg(s2.pid, signal.SIGKILL)
        s2.wait()
        run = cli("build", ws, "--converter", endpoints, "--force")
        assert run.code == 0, run.err
        assert f"127.0.0.1:{p2}" in run.err and "skipped" in run.err
        assert run.err.count(f"127.0.0.1:{p2}") == 1  # said once, not per document
        assert _conversions(log1) >= one + 4


def test_each_endpoint_of_the_list_is_checked(cli, example) -> None:
    run = cli("build", example, "--converter", "127.0.0.1:2002,localhost")
    assert run.code == 2
    assert "not localhost" in run.err and not (example / "build").exists()


@needs_libreoffice
def test_a_python_without_uno_is_passed_over(example, monkeypatch, tmp_path) -> None:
    """The helper's first Python is not asked beforehand; one without uno says so."""
    import perfdoc.convert
    from perfdoc.libreoffice import uno_python_candidates

    found = uno_python_candidates()
    no_uno = tmp_path / "python-without-uno"
    no_uno.write_text(f"#!/bin/sh\nexec {sys.executable} -I \"$@\"\n", encoding="utf-8")
    no_uno.chmod(0o755)
    monkeypatch.setattr(perfdoc.convert, "uno_python_candidates", lambda: [str(no_uno), *found])
    from perfdoc.convert import ConverterPool

    with ConverterPool() as pool:
        pdf = pool.convert(docx_of(example), label="x")
        assert pdf.startswith(b"%PDF")
        assert pool._pythons.candidates == found
    # The same when the converter is started early, before any document.
    with ConverterPool() as pool:
        pool.prestart(1)
        assert pool.convert(docx_of(example), label="x").startswith(b"%PDF")
        assert pool._pythons.candidates == found
    monkeypatch.setattr(perfdoc.convert, "uno_python_candidates", lambda: [str(no_uno)])
    with ConverterPool() as pool, pytest.raises(Exception, match="python3-uno"):
        pool.convert(docx_of(example), label="x")


def docx_of(example: Path) -> bytes:
    from perfdoc.build import render
    from perfdoc.plan import BuildOptions, name_outputs, plan_one

    opts = BuildOptions(fmt="docx")
    named, _refused = name_outputs([example], opts)
    job, _problems = plan_one(example, opts, named[example])
    assert job is not None
    return render(job)
