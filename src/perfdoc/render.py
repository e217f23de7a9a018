"""Stage 5: render the .docx from a docxtpl template, deterministically.

Custom templates are untrusted: they render in perfdoc's sandbox
(``sandbox.py``), within a time, step and output budget, after their zip was
checked against size limits (``safezip.py``).  The saved package is re-zipped
with fixed timestamps and core properties, so the same input always gives the
same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from html import escape as _html_escape
from pathlib import Path
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from lxml import etree

from perfdoc.errors import DocumentError
from perfdoc.i18n import _
from perfdoc.outputs import source_date_epoch
from perfdoc.problems import Level, Problem
from perfdoc.resources import resource
from perfdoc.safezip import ZipRefused, check_zip
from perfdoc.sandbox import DEFAULT_RENDER_TIMEOUT, TemplateBudgetExceeded, budget, environment
from perfdoc.symbols import unify_symbols


def escape(text: str) -> str:
    """Escape text for XML content (``xml.sax.saxutils`` would import urllib, ~13 ms)."""
    return _html_escape(text, quote=False)


DEFAULT_TEMPLATE = "default/template.docx"
DEFAULT_DISPLAY = "<default template>"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# ``{% vmerge expr %}`` in a cell: perfdoc's own tag, handled like docxtpl's
# ``{% colspan %}``.  docxtpl's ``{% vm %}`` merges whole loops, but 一级/二级
# cells must merge over runs of equal values computed by ``context``.
_CELL_WITH_VMERGE = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+[^%]*?%}.*?</w:tc>", re.DOTALL
)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+([^%]*?)\s*%}")


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl with perfdoc's ``{% vmerge %}`` cell tag: what custom templates render with.

    Only ``patch_xml`` (docxtpl's step that rewrites its own tags into Jinja)
    is extended, and it calls docxtpl's own first.  Everything else is
    docxtpl's, including the table-grid repair ``{%tc%}`` column loops need.
    """

    def patch_xml(self, src_xml: str) -> str:  # noqa: D102 - docxtpl hook
        xml: str = super().patch_xml(src_xml)

        def move_into_tcpr(m: re.Match[str]) -> str:
            cell = m.group(0)
            expr = _VMERGE_TAG.search(cell)
            assert expr is not None
            cell = _VMERGE_TAG.sub("", cell, count=1)
            cell = re.sub(r"<w:vMerge[^>]*/>", "", cell)
            merge = f'<w:vMerge w:val="{{{{ {expr.group(1)} }}}}"/>'
            # vMerge must come before vAlign in w:tcPr.
            if "<w:vAlign" in cell:
                return cell.replace("<w:vAlign", merge + "<w:vAlign", 1)
            return cell.replace("</w:tcPr>", merge + "</w:tcPr>", 1)

        return _CELL_WITH_VMERGE.sub(move_into_tcpr, xml)


# docxtpl turns \t, \n, \a and \f inside text runs into tabs, breaks and new
# paragraphs; only a run holding one of them needs that rewrite.
_LISTING_CHARS = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")


class _DefaultTemplate(_Template):
    """The default template, without two docxtpl steps it provably does not need.

    docxtpl scans every run for control characters and re-checks every
    table's grid for ``{%tc%}`` column loops.  The default template has no
    such loops, and a run needs the rewrite only when it holds a control
    character; skipping both saves about 65 ms per render of a 17-table
    document (90 vs 155 ms), most of a batch's Python time.  Custom templates
    never get this class, and a test renders the example both ways and
    compares the bytes, against the docxtpl range pinned in pyproject.toml.
    """

    def resolve_listing(self, xml: str) -> str:  # noqa: D102 - docxtpl hook
        if not _LISTING_CHARS.search(xml):
            return xml
        return str(super().resolve_listing(xml))

    def fix_tables(self, xml: str) -> Any:  # noqa: D102 - docxtpl hook
        # Still a strict parse: broken XML is an error, never repaired silently.
        return etree.fromstring(xml)


def default_template_bytes() -> bytes:
    """Return the shipped default template."""
    return resource("templates", *DEFAULT_TEMPLATE.split("/")).read_bytes()


def document_date(settings_date: datetime.date | None, year: int) -> datetime.datetime:
    """Pick the timestamp recorded in the .docx: the document's, SOURCE_DATE_EPOCH, or 1 Jan."""
    if settings_date is not None:
        return datetime.datetime(settings_date.year, settings_date.month, settings_date.day)
    try:
        epoch = source_date_epoch()
    except ValueError:  # the command line refuses it first (exit 2)
        epoch = None
    if epoch is not None:
        return datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc).replace(
            tzinfo=None
        )
    return datetime.datetime(year, 1, 1)


def _core_xml(title: str, author: str, when: datetime.datetime) -> bytes:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_UPDATE_FIELDS = f"{_W}updateFields"
#: The w:settings children the schema puts after w:updateFields (CT_Settings is
#: a sequence): updateFields goes before the first of these, or of any element
#: outside the w: namespace (m:mathPr, sl:schemaLibrary, w14:docId, w15:…).
_SETTINGS_AFTER_UPDATE_FIELDS = frozenset(f"{_W}{name}" for name in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
    "uiCompat97To2003", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol",
    "listSeparator",
))
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def set_update_fields(xml: bytes, *, update_fields: bool) -> bytes:
    """Ask Word to refresh the TOC on open only when perfdoc could not fill its numbers.

    ``w:updateFields`` goes at its place in the schema's order of ``w:settings``,
    so the part stays valid.  Settings that hold no ``w:updateFields`` and need
    none are returned byte for byte.
    """
    if not update_fields and b"updateFields" not in xml:
        return xml
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return xml  # a custom template's part that python-docx kept as opaque bytes
    if root.tag != f"{_W}settings":
        return xml
    for old in root.findall(_UPDATE_FIELDS):
        root.remove(old)
    if update_fields:
        new = root.makeelement(_UPDATE_FIELDS, {f"{_W}val": "true"})
        for index, child in enumerate(root):
            tag = child.tag
            if not isinstance(tag, str) or tag.startswith(_MC):
                continue  # a comment, or mc:AlternateContent that may stand anywhere
            if tag in _SETTINGS_AFTER_UPDATE_FIELDS or not tag.startswith(_W):
                root.insert(index, new)
                break
        else:
            root.append(new)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def rezip(docx: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """Re-zip *docx* deterministically, passing every part through *change*.

    python-docx stamps the wall clock into zip entries; fixed timestamps and a
    fixed entry order ([Content_Types].xml first, as Office writes it, the rest
    sorted) remove every source of variation but the content.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED
    ) as dst:
        for name in sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, change(name, src.read(name)))
    return out.getvalue()


def repack(
    docx: bytes, *, title: str, author: str, when: datetime.datetime, update_fields: bool
) -> bytes:
    """Re-zip *docx* with perfdoc's own core properties: identical input, identical bytes."""

    def change(name: str, data: bytes) -> bytes:
        if name == "docProps/core.xml":
            return _core_xml(title, author, when)
        if name == "word/settings.xml":
            return set_update_fields(data, update_fields=update_fields)
        return data

    return rezip(docx, change)


def render_docx(
    template: Path | bytes,
    context: Mapping[str, Any],
    *,
    template_display: str,
    title: str,
    author: str,
    when: datetime.datetime,
    toc_filled: bool,
    timeout: float = DEFAULT_RENDER_TIMEOUT,
) -> bytes:
    """Render *context* into *template* and return the .docx bytes.

    The template's code runs within *timeout* seconds and the step and output
    budgets; a template that exceeds them is the template's error (exit 1).
    """
    try:
        check_zip(template)
    except ZipRefused as exc:
        raise _template_error(template_display, exc.message) from None
    source = io.BytesIO(template) if isinstance(template, bytes) else template
    try:
        with budget(timeout):
            kind = _DefaultTemplate if template_display == DEFAULT_DISPLAY else _Template
            tpl = kind(source)
            tpl.render(dict(context), jinja_env=environment(), autoescape=True)
    except TemplateBudgetExceeded as exc:
        raise _template_error(template_display, exc.message) from None
    except jinja2.UndefinedError as exc:
        raise _template_error(template_display, _("unknown variable: {what}").format(
            what=exc.message), template, _names(exc.message or "")) from None
    except jinja2.exceptions.SecurityError as exc:
        raise _template_error(template_display, _("unsafe template code refused: {what}").format(
            what=exc), template, _names(str(exc))) from None
    except jinja2.TemplateSyntaxError as exc:
        raise _template_error(template_display, _("template syntax error: {what}").format(
            what=exc.message), template, unbalanced=True) from None
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise _template_error(template_display, _("not a usable .docx template: {what}").format(
            what=exc)) from None
    except Exception as exc:
        # Anything else raised while a custom template's own code runs, such as
        # {{ 1/0 }}, {% include %} or a range the sandbox refuses, is the
        # template's fault; in the default template it is a bug.
        if template_display == DEFAULT_DISPLAY:
            raise
        raise _template_error(template_display, _("the template's code failed: {what}").format(
            what=f"{type(exc).__name__}: {exc}")) from None
    unify_symbols(tpl.docx.element.body, tpl.docx.styles.element)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return repack(buffer.getvalue(), title=title, author=author, when=when,
                  update_fields=not toc_filled)


def _template_error(display: str, message: str, template: Path | bytes | None = None,
                    names: Sequence[str] = (), *, unbalanced: bool = False) -> DocumentError:
    """Return the template's error, at the paragraph or table cell where the tag sits.

    Jinja's line numbers are no help: a template's document.xml is one long
    line.  So the tag is looked for in the template's text instead, read as
    ``perfdoc import`` reads a .docx: by a name the error mentions, or, for a
    syntax error, as the first paragraph whose tags do not close.  Where
    nothing points at one place, the error is at 1:1.
    """
    line, where = 1, ""
    if template is not None and (names or unbalanced):
        found = _find_tag(template, names, unbalanced=unbalanced)
        if found is not None:
            line, where = found
    text = f"{where}: {message}" if where else message
    return DocumentError([Problem(display, line, 1, Level.ERROR, "template", text)])


def _names(message: str) -> list[str]:
    """Return the names a Jinja error quotes: 'foo' is undefined, has no attribute 'bar'."""
    quoted = re.findall(r"'([A-Za-z_][A-Za-z0-9_]*)'", message)
    # The attribute is more telling than the object it was looked up on.
    return [q for q in reversed(quoted) if q not in ("dict", "object", "str", "list")]


_OPENERS = (("{{", "}}"), ("{%", "%}"))


def _find_tag(template: Path | bytes, names: Sequence[str], *,
              unbalanced: bool) -> tuple[int, str] | None:
    from perfdoc.imports.docx import Para, read_docx

    try:
        data = template if isinstance(template, bytes) else template.read_bytes()
        blocks, _props = read_docx(data)
    except Exception:  # the template's error is reported anyway, at 1:1
        return None
    places: list[tuple[int, str, str]] = []  # (paragraph number, where, text)
    for block in blocks:
        if isinstance(block, Para):
            places.append((block.number, f"第 {block.number} 段", block.text))
            continue
        for r, row in enumerate(block.rows, start=1):
            for c, cell in enumerate(row, start=1):
                text = "".join(p.text for p in cell.paragraphs)
                places.append((cell.number, f"表 {block.index} 第 {r} 行第 {c} 列", text))
    for number, where, text in places:
        tags = re.findall(r"{[{%].*?[}%]}", text)
        if unbalanced and any(text.count(a) != text.count(b) for a, b in _OPENERS):
            return number, where
        for name in names:
            if any(re.search(rf"\b{re.escape(name)}\b", tag) for tag in tags):
                return number, where
    return None
