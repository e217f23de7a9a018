"""Hardening that the golden corpus cannot show: caches, file names, limits."""

from __future__ import annotations

import functools
import os
import stat
import zipfile
from pathlib import Path

import pytest

import perfdoc.convert
from perfdoc import sandbox
from perfdoc.convert import ConverterPool
from perfdoc.outputs import MAX_STEM_BYTES, output_stem
from tests.conftest import ROOT
from tests.docxtemplates import changed_template

FAKE_CONVERTER = ROOT / "tests" / "fixtures" / "fake_converter.py"


def test_template_cache_is_private_and_in_the_users_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = sandbox._private_bytecode_cache()
    assert cache is not None
    folder = tmp_path / "cache" / "perfdoc" / "jinja"
    assert folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_cache_others_can_write_is_not_used(tmp_path: Path, monkeypatch) -> None:
    # Compiled template code is loaded from the cache: a folder another user
    # can write would let them choose the code perfdoc runs.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "perfdoc" / "jinja"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    assert sandbox._private_bytecode_cache() is None


def test_long_unit_names_get_distinct_hashed_file_names() -> None:
    a = output_stem("甲" * 100 + "一", 2024)
    b = output_stem("甲" * 100 + "二", 2024)
    assert a != b
    assert len(a.encode("utf-8")) <= MAX_STEM_BYTES
    assert a.endswith("_2024年部门预算绩效文本")
    assert "~" in a
    # A name that fits is left alone.
    assert output_stem("承德县三家镇人民政府", 2024) == "承德县三家镇人民政府_2024年部门预算绩效文本"


@pytest.mark.parametrize("code", [
    "{{ 'x' * 999999999 }}",
    "{{ 10 ** 99999999 }}",
    "{{ 'x'|center(1500000000)|length }}",
    "{{ 'x'.ljust(3000000000) }}",
    "{{ '{:>3000000000}'.format('x') }}",
    "{{ 'x'|indent(3000000000) }}",
    "{{ '%3000000000s'|format('x') }}",
    "{{ '%3000000000s' % 'x' }}",
])
def test_templates_cannot_ask_for_huge_values(code: str) -> None:
    env = sandbox.environment()
    with sandbox.budget(5), pytest.raises(sandbox.TemplateBudgetExceeded):
        env.from_string(code).render()


@pytest.mark.parametrize(("code", "text"), [
    ("{{ '{:,}'.format(1234567) }}", "1,234,567"),
    ("{{ 'ab'|center(6) }}", "  ab  "),
    ("{{ 'a %s' % 'b' }}", "a b"),
    ("{{ 'ab'|truncate(5) }}", "ab"),
    ("{{ 'a b'|wordwrap(5) }}", "a b"),
])
def test_ordinary_text_functions_still_work(code: str, text: str) -> None:
    with sandbox.budget(5):
        assert sandbox.environment().from_string(code).render() == text


def test_range_counts_steps_against_the_deadline() -> None:
    env = sandbox.environment()
    with sandbox.budget(0.2), pytest.raises(sandbox.TemplateBudgetExceeded, match="0.2 s"):
        env.from_string(
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
        ).render()


def test_a_template_that_lost_a_heading_bookmark_is_the_templates_error(
        tmp_path: Path, cli, example, monkeypatch) -> None:
    # Saving a template in an editor that renames bookmarks must not end in
    # "the PDF has no bookmark" (exit 3, LibreOffice blamed): the template is
    # wrong, and that is found before any conversion, so the fake converter
    # (which would never be asked) stands in for LibreOffice here.
    monkeypatch.setattr(perfdoc.convert, "ConverterPool",
                        functools.partial(ConverterPool, helper=FAKE_CONVERTER))
    def rename(xml: str) -> str:
        marker = 'w:name="{{ headings.overall.anchor }}"'
        assert marker in xml
        return xml.replace(marker, 'w:name="Renamed"')

    custom = changed_template(tmp_path / "custom.docx", {"word/document.xml": rename})
    run = cli("build", example, "--template", custom, "--min-level", "error")
    assert run.code == 1, run.err
    assert "PerfdocOverall" in run.out and "(template)" in run.out
    assert not (example / "build").exists()


def test_an_external_entity_in_a_template_reads_nothing(tmp_path: Path, cli, example) -> None:
    # XXE: a template whose document.xml declares an entity pointing at a
    # local file.  python-docx parses parts without resolving entities, so
    # the secret must reach no part of the output, whatever the exit code.
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-XXE", encoding="utf-8")

    def xxe(xml: str) -> str:
        head, sep, rest = xml.partition("?>")
        doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        return head + sep + doctype + rest.replace(
            "<w:body>", "<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", 1)

    template = changed_template(tmp_path / "xxe.docx", {"word/document.xml": xxe})
    run = cli("build", example, "--format", "docx", "--template", template,
              "--min-level", "error")
    assert run.code in (0, 1), run.err
    assert "TOP-SECRET" not in run.out + run.err
    for docx in (example / "build").glob("*.docx"):
        with zipfile.ZipFile(docx) as z:
            assert not any(b"TOP-SECRET" in z.read(name) for name in z.namelist())
