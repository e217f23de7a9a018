"""The command line's language, --lang anywhere, --quiet, refused builds and DIR paths.

Chinese is the default everywhere: perfdoc's messages, the help texts and
click's own messages (usage errors, "Usage:", "Options").  Tests marked
``needs_catalog`` look the expected Chinese up in the compiled catalog, so
they fail while a message lacks its translation.
"""

from __future__ import annotations

import gettext
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir

import perfdoc.convert
from perfdoc import i18n
from perfdoc.cli import cli as perfdoc_cli
from perfdoc.convert import ConverterPool
from tests.conftest import EXAMPLE, ROOT, Run, edit, lines
from tests.test_i18n import en_line, tool, zh_line

FAKE_CONVERTER = ROOT / "tests" / "fixtures" / "fake_converter.py"


@pytest.fixture(autouse=True)
def _keep_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_translation", i18n._translation)


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PERFDOC_LANG: the default language."""
    monkeypatch.delenv("PERFDOC_LANG", raising=False)


@pytest.fixture
def misspelt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chinese: None) -> str:
    """The example with ``fiscal`` misspelt, as a path relative to the cwd."""
    shutil.copytree(EXAMPLE, tmp_path / "sanjia_2024", ignore=shutil.ignore_patterns("build"))
    edit(tmp_path / "sanjia_2024" / "projects" / "01-zhucun.yaml",
         "  fiscal: 6.19", "  fiscle: 6.19")
    monkeypatch.chdir(tmp_path)
    return "sanjia_2024"


def zh(msgid: str) -> str:
    """The Chinese of *msgid* in the shipped catalog; fails while it is untranslated."""
    catalog = gettext.translation(i18n.DOMAIN, localedir=i18n.locale_dir(), languages=["zh_CN"])
    text = catalog.gettext(msgid)
    assert text != msgid or not msgid.isascii(), f"no Chinese for {msgid!r} yet"
    return text


# --------------------------------------------------------------------------- --lang anywhere


@pytest.mark.parametrize("args", [
    ("--lang", "en", "validate", "{dir}"),
    ("validate", "--lang", "en", "{dir}"),
    ("validate", "{dir}", "--lang", "en"),
    ("validate", "{dir}", "--lang=en"),
    ("--lang", "zh", "validate", "{dir}", "--lang", "en"),  # the last one wins, as in click
])
def test_lang_anywhere_on_the_line(cli: Callable[..., Run], misspelt: str,
                                   args: tuple[str, ...]) -> None:
    run = cli(*(a.format(dir=misspelt) for a in args))
    assert run.code == 1
    assert lines(run.out) == [en_line(misspelt)]
    assert lines(run.err) == ["0 document(s) valid, 1 with errors"]


def test_lang_after_the_command_for_check_and_build(cli: Callable[..., Run],
                                                     misspelt: str) -> None:
    assert lines(cli("check", misspelt, "--lang", "en").out) == [en_line(misspelt)]
    run = cli("build", "--lang", "en", misspelt, "--format", "docx")
    assert run.code == 1
    assert lines(run.out) == [en_line(misspelt)]
    assert lines(cli("check", misspelt).out) == [zh_line(misspelt)]


def test_debug_anywhere_on_the_line(cli: Callable[..., Run], misspelt: str,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFDOC_DEBUG", "0")  # put back as it was after the test
    assert cli("validate", misspelt, "--debug").code == 1
    assert os.environ.get("PERFDOC_DEBUG") == "1"


def test_nothing_after_double_dash_moves(cli: Callable[..., Run], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "--lang").mkdir()
    run = cli("--lang", "en", "validate", "--", "--lang")
    assert run.code == 1  # "--lang" is the folder, and holds no document
    assert "no document.yaml here" in run.out


def test_lang_without_a_value(cli: Callable[..., Run]) -> None:
    for args in (("check", "--lang"), ("--lang",)):
        run = cli(*args)
        assert run.code == 2
        assert "Option '--lang' requires an argument." in run.err


def test_an_unknown_lang_option_is_a_usage_error(cli: Callable[..., Run]) -> None:
    run = cli("check", "--lang", "fr")
    assert run.code == 2
    assert "'fr' is not one of 'zh', 'en'." in run.err


# --------------------------------------------------------------------------- PERFDOC_LANG


def test_unknown_perfdoc_lang_warns_and_falls_back_to_chinese(
    cli: Callable[..., Run], misspelt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "fr")
    run = cli("validate", misspelt)
    assert lines(run.out) == [zh_line(misspelt)]
    assert "PERFDOC_LANG=fr" in lines(run.err)[0]
    assert lines(run.err)[1:] == ["0 个文档校验通过，1 个有错误"]
    # --lang wins, and then the variable does not matter.
    run = cli("validate", misspelt, "--lang", "en")
    assert "PERFDOC_LANG" not in run.err


@pytest.mark.parametrize("value", ["en_US.UTF-8", "en-GB", "EN"])
def test_english_locales_are_english(cli: Callable[..., Run], misspelt: str,
                                     monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PERFDOC_LANG", value)
    run = cli("validate", misspelt)
    assert lines(run.out) == [en_line(misspelt)]
    assert lines(run.err) == ["0 document(s) valid, 1 with errors"]


@pytest.mark.parametrize("value", ["zh_CN.UTF-8", "zh-cn", "cn"])
def test_chinese_locales_are_chinese(cli: Callable[..., Run], misspelt: str,
                                     monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PERFDOC_LANG", value)
    run = cli("validate", misspelt)
    assert lines(run.out) == [zh_line(misspelt)]
    assert "PERFDOC_LANG" not in run.err


def test_unknown_perfdoc_lang_warning_is_chinese(
    cli: Callable[..., Run], misspelt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "fr")
    warning = zh("warning: PERFDOC_LANG={value} is not a language perfdoc knows (zh or en); "
                 "messages are in Chinese").format(value="fr")
    assert lines(cli("validate", misspelt).err)[0] == warning


# --------------------------------------------------------------------------- help and click


def test_help_is_english_with_lang_en(cli: Callable[..., Run]) -> None:
    run = cli("--lang", "en", "--help")
    assert run.code == 0
    assert "Usage: perfdoc [OPTIONS] COMMAND [ARGS]..." in run.out
    assert "Check documents against the schema and the domain rules." in run.out
    assert "Show this message and exit." in run.out
    run = cli("build", "--help", "--lang", "en")
    words = " ".join(run.out.split())  # click wraps the help texts
    assert "Print only the problems: no summary, no progress." in words
    assert "[default: all]" in words


def test_click_usage_errors_are_english_with_lang_en(cli: Callable[..., Run]) -> None:
    run = cli("build", "--bogus", "--lang", "en")
    assert run.code == 2
    assert "Try 'perfdoc build --help' for help." in run.err
    assert "Error: No such option '--bogus'." in run.err
    run = cli("--lang", "en", "import")
    assert run.code == 2
    assert "Error: Missing argument 'FILES...'." in run.err


def test_help_is_chinese_by_default(cli: Callable[..., Run], chinese: None) -> None:
    run = cli("--help")
    assert run.code == 0
    assert run.out.startswith(zh("Usage:"))
    for msgid in ("Check documents against the schema and the domain rules.",
                  "Show this message and exit.", "Show the version and exit.",
                  "Message language (default: PERFDOC_LANG or zh)."):
        assert zh(msgid) in run.out
    assert f"{zh('Options')}:" in run.out and f"{zh('Commands')}:" in run.out
    run = cli("build", "--help")
    words = "".join(run.out.split())  # click wraps the help texts
    for msgid in ("Compile documents into the Word draft and PDF.",
                  "Print only the problems: no summary, no progress.",
                  "Build even when `check` finds errors."):
        assert "".join(zh(msgid).split()) in words
    assert "".join(zh("default: {default}").format(default="all").split()) in words


def test_click_usage_errors_are_chinese_by_default(cli: Callable[..., Run],
                                                   chinese: None) -> None:
    run = cli("build", "--bogus")
    assert run.code == 2
    assert zh("Try '{command} {option}' for help.").format(
        command="perfdoc build", option="--help") in run.err
    assert zh("Error: {message}").format(
        message=zh("No such option {name!r}.").format(name="--bogus")) in run.err
    run = cli("check", "--format", "xml")
    assert run.code == 2
    assert zh("{value!r} is not one of {choices}.").format(
        value="xml", choices="'text', 'json', 'github'") in run.err
    run = cli("import")
    assert zh("Missing argument") in run.err
    run = cli("buidl")
    assert zh("No such command {name!r}.").format(name="buidl") in run.err


def test_the_help_language_does_not_stick(cli: Callable[..., Run], chinese: None) -> None:
    english = cli("--lang", "en", "check", "--help").out
    chinese_help = cli("check", "--help").out
    assert cli("--lang", "en", "check", "--help").out == english
    assert cli("check", "--help").out == chinese_help
    assert "Show this message and exit." in english


def test_every_help_text_is_in_the_catalog_template() -> None:
    msgids = {m.id for m in tool.template() if m.id}
    i18n.set_language("en")
    i18n.localize_help(perfdoc_cli)
    todo: list[click.Command] = [perfdoc_cli]
    missing = []
    while todo:
        cmd = todo.pop()
        texts = [cmd.help, *(p.help for p in cmd.params if isinstance(p, click.Option))]
        missing += [t for t in texts if t and t not in msgids]
        if isinstance(cmd, click.Group):
            todo += cmd.commands.values()
    assert missing == [], "mark help texts with _(..., defer=True)"


def test_click_messages_are_all_listed() -> None:
    """Every message the installed click translates is in perfdoc's catalog template."""
    found = {"required"}  # core.py translates it through a variable
    for _file, _line, message, _comments, _context in extract_from_dir(
        os.path.dirname(click.__file__), method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)},
    ):
        found.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    assert sorted(found - set(i18n.CLICK_MESSAGES)) == []


# --------------------------------------------------------------------------- --quiet


@pytest.fixture
def here(example: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(example.parent)
    return example.name


def test_check_quiet_prints_only_the_problems(cli: Callable[..., Run], here: str) -> None:
    loud = cli("check", here)
    run = cli("check", here, "--quiet")
    assert run.code == 0
    assert run.out == loud.out and run.err == ""
    run = cli("check", here, "-q", "--min-level", "warning")
    assert len(lines(run.out)) == 5
    assert all("[warning]" in line for line in lines(run.out))
    assert run.err == ""


def test_validate_quiet(cli: Callable[..., Run], here: str) -> None:
    run = cli("validate", here, "--quiet")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_build_quiet(cli: Callable[..., Run], here: str, tmp_path: Path) -> None:
    run = cli("build", here, "--format", "docx", "-o", tmp_path, "--quiet",
              "--min-level", "error")
    assert (run.code, run.out, run.err) == (0, "", "")
    assert len(list(tmp_path.glob("*.docx"))) == 1
    run = cli("build", here, "--format", "docx", "-o", tmp_path, "--quiet")
    assert run.code == 0 and run.err == ""
    assert "(cost-vs-budget)" in run.out  # unchanged, but its problems are shown
    run = cli("build", here, "--format", "docx", "-o", tmp_path, "--check", "-q",
              "--min-level", "error")
    assert (run.code, run.out, run.err) == (0, "", "")


# --------------------------------------------------------------------------- refused builds


def test_a_build_refused_by_the_rules_says_how_to_build_anyway(
    cli: Callable[..., Run], example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A PDF build starts its converters lazily: the fake is never asked.
    monkeypatch.setattr(perfdoc.convert, "ConverterPool",
                        lambda **kw: ConverterPool(**{**kw, "helper": FAKE_CONVERTER}))
    edit(example / "projects" / "01-zhucun.yaml", "  fiscal: 6.19", "  fiscal: 5.19")
    run = cli("build", example, "-o", tmp_path)
    assert run.code == 1
    assert "(budget-sum)" in run.out
    assert lines(run.err)[:2] == [
        "not built because the rules found errors; `perfdoc build --skip-rules` builds anyway",
        "`--format docx` builds the .docx without LibreOffice",
    ]
    for args in (("--format", "docx"), ("--check",)):
        run = cli("build", example, "-o", tmp_path, *args)
        assert run.code == 1
        assert "builds anyway" in run.err and "LibreOffice" not in run.err
    run = cli("build", example, "-o", tmp_path, "--format", "docx", "--skip-rules")
    assert run.code == 0, run.err


def test_a_schema_error_gives_no_skip_rules_hint(cli: Callable[..., Run], example: Path,
                                                  tmp_path: Path) -> None:
    edit(example / "projects" / "01-zhucun.yaml", "  fiscal: 6.19", "  fiscle: 6.19")
    run = cli("build", example, "-o", tmp_path, "--format", "docx")
    assert run.code == 1
    assert "--skip-rules" not in run.err


# --------------------------------------------------------------------------- DIR paths


@pytest.mark.parametrize("command", ["validate", "check", "build"])
def test_a_document_yaml_path_means_its_folder(cli: Callable[..., Run], here: str,
                                               command: str, tmp_path: Path) -> None:
    extra = ("--format", "docx", "-o", str(tmp_path / "out")) if command == "build" else ()
    by_folder = cli(command, here, *extra)
    by_file = cli(command, f"{here}/document.yaml", *extra)
    assert by_file.code == by_folder.code == 0
    assert by_file.out == by_folder.out
    if command == "build":
        assert len(list((tmp_path / "out").glob("*.docx"))) == 1
        assert "unchanged" in by_file.err  # the same document as the first build
    else:
        assert by_file.err == by_folder.err


def test_another_file_is_not_a_document(cli: Callable[..., Run], here: str) -> None:
    run = cli("check", f"{here}/goals.yaml")
    assert run.code == 2
    assert "a document folder is needed here" in run.err
