"""The Chinese catalog: complete, current, faithful to placeholders, and the default.

Users are Chinese finance staff, so messages are Chinese unless
``PERFDOC_LANG=en`` or ``--lang en`` asks for English.
"""

from __future__ import annotations

import gettext
import importlib.util
import re
import shutil
import string
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from perfdoc import i18n
from tests.conftest import EXAMPLE, ROOT, Run, edit, lines

SCRIPT = ROOT / "scripts" / "i18n.py"
ZH_PO = ROOT / "src" / "perfdoc" / "locale" / "zh_CN" / "LC_MESSAGES" / "perfdoc.po"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("perfdoc_i18n_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_script()


@pytest.fixture(autouse=True)
def _keep_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give back whatever language the process had before the test."""
    monkeypatch.setattr(i18n, "_translation", i18n._translation)


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The ``{name!conv:spec}`` fields of a format string, sorted."""
    return sorted(
        (name, spec or "", conv or "")
        for _lit, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    )


def _zh_catalog() -> Catalog:
    with ZH_PO.open("rb") as fh:
        return read_po(fh)


# --------------------------------------------------------------------------- the catalog


def test_every_msgid_in_the_code_has_a_chinese_translation() -> None:
    assert ZH_PO in tool.po_files()
    msgids = [m.id for m in tool.template() if m.id]
    assert len(msgids) > 50, "the extractor found suspiciously few messages"
    assert tool.missing(ZH_PO) == [], "run `python scripts/i18n.py update` and translate"


def test_compiled_catalog_is_current() -> None:
    mo = ZH_PO.with_suffix(".mo")
    assert mo.exists(), "run `make locale`"
    assert mo.read_bytes() == tool.mo_bytes(ZH_PO), "the .mo is stale: run `make locale`"


def test_i18n_check_command_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code = tool.main("check")
    assert code == 0, capsys.readouterr().out


def test_po_header_names_the_language_and_encoding() -> None:
    # `update` must keep the header: without it the .mo loses Language and
    # Plural-Forms, and its POT-Creation-Date becomes "now" at every compile.
    with ZH_PO.with_suffix(".mo").open("rb") as fh:
        info = gettext.GNUTranslations(fh).info()
    assert info.get("language") == "zh_CN"
    assert info.get("plural-forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    assert info.get("content-type", "").lower() == "text/plain; charset=utf-8"


def test_translations_keep_every_placeholder() -> None:
    wrong = {
        str(m.id): str(m.string)
        for m in _zh_catalog()
        if m.id and m.string and _fields(str(m.id)) != _fields(str(m.string))
    }
    assert wrong == {}


def test_no_translation_is_fuzzy_or_obsolete() -> None:
    catalog = _zh_catalog()
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    assert list(catalog.obsolete) == []


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def misspelt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The example with ``fiscal`` misspelt, as a path relative to the cwd."""
    shutil.copytree(EXAMPLE, tmp_path / "sanjia_2024", ignore=shutil.ignore_patterns("build"))
    edit(tmp_path / "sanjia_2024" / "projects" / "01-zhucun.yaml",
         "  fiscal: 6.19", "  fiscle: 6.19")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFDOC_LANG", raising=False)
    return "sanjia_2024"


def _at(folder: str) -> str:
    """``path:line:col`` of the misspelt key, wherever the example puts it."""
    path = Path(folder) / "projects" / "01-zhucun.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.startswith("  fiscle:"))
    return f"{path.as_posix()}:{line}:3"


def zh_line(folder: str) -> str:
    return f"{_at(folder)}: [error] 未知的键“fiscle”；是否应为“fiscal”？ (schema)"


def en_line(folder: str) -> str:
    return f"{_at(folder)}: [error] unknown key 'fiscle'; did you mean 'fiscal'? (schema)"


def test_chinese_is_the_default(cli: Callable[..., Run], misspelt: str) -> None:
    run = cli("validate", misspelt)
    assert run.code == 1
    assert lines(run.out) == [zh_line(misspelt)]
    assert lines(run.err) == ["0 个文档校验通过，1 个有错误"]


def test_lang_en_switches_to_english(cli: Callable[..., Run], misspelt: str) -> None:
    run = cli("--lang", "en", "validate", misspelt)
    assert run.code == 1
    assert lines(run.out) == [en_line(misspelt)]
    assert lines(run.err) == ["0 document(s) valid, 1 with errors"]


def test_perfdoc_lang_en_switches_to_english(
    cli: Callable[..., Run], misspelt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    run = cli("validate", misspelt)
    assert lines(run.out) == [en_line(misspelt)]
    assert lines(run.err) == ["0 document(s) valid, 1 with errors"]


def test_lang_option_beats_the_environment(
    cli: Callable[..., Run], misspelt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PERFDOC_LANG", "en")
    run = cli("--lang", "zh", "validate", misspelt)
    assert lines(run.out) == [zh_line(misspelt)]


def test_english_does_not_stick_to_the_next_run(
    cli: Callable[..., Run], misspelt: str
) -> None:
    cli("--lang", "en", "validate", misspelt)
    run = cli("validate", misspelt)
    assert lines(run.out) == [zh_line(misspelt)]


def test_chinese_check_summary(cli: Callable[..., Run], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "sanjia_2024", ignore=shutil.ignore_patterns("build"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PERFDOC_LANG", raising=False)
    run = cli("check", "sanjia_2024")
    assert run.code == 0
    assert re.fullmatch(r"1 个文档：0 个错误，\d+ 个警告，\d+ 条提示", lines(run.err)[-1])
