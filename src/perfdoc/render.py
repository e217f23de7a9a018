"""Stage 5: render the .docx from a docxtpl template, deterministically.

Custom templates are untrusted: they render in Jinja's sandbox with
``StrictUndefined`` and autoescape, so a value can never inject XML or template
code.  The saved package is re-zipped with fixed timestamps and core
properties, so the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from html import escape as _html_escape
from pathlib import Path
from typing import Any

import jinja2
import platformdirs
from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment, safe_range
from lxml import etree

from perfdoc.errors import DocumentError
from perfdoc.i18n import _
from perfdoc.problems import Level, Problem
from perfdoc.resources import resource
from perfdoc.safezip import ZipRefused, check_zip


def escape(text: str) -> str:
    """Escape text for XML content (``xml.sax.saxutils`` would import urllib, ~13 ms)."""
    return _html_escape(text, quote=False)


DEFAULT_TEMPLATE = "default/template.docx"
DEFAULT_DISPLAY = "<default template>"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: SOURCE_DATE_EPOCH of 9999-12-31 23:59:59 UTC, the last moment a .docx date can hold.
MAX_EPOCH = 253402300799

# ``{% vmerge expr %}`` in a cell: perfdoc's own tag, handled like docxtpl's
# ``{% colspan %}``.  docxtpl's ``{% vm %}`` merges whole loops, but 一级/二级
# cells must merge over runs of equal values computed by ``context``.
_CELL_WITH_VMERGE = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*vmerge\s+[^%]*?%}.*?</w:tc>", re.DOTALL
)
_VMERGE_TAG = re.compile(r"{%\s*vmerge\s+([^%]*?)\s*%}")


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl with perfdoc's ``{% vmerge %}`` cell tag.

    Only ``patch_xml`` (docxtpl's step that rewrites its own tags into Jinja)
    is extended, and it calls docxtpl's own first; the docxtpl range in
    pyproject.toml is the one this is tested with.  Earlier versions also
    skipped docxtpl's control-character scan and table-grid repair for
    speed; that saved about 4 ms a render and silently dropped the repair
    that custom templates with ``{%tc%}`` column loops need, so it is gone.
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


def default_template_bytes() -> bytes:
    """Return the shipped default template."""
    return resource("templates", *DEFAULT_TEMPLATE.split("/")).read_bytes()


#: A template renders within this many loop iterations, calls and output chunks.
MAX_STEPS = 50_000_000
#: The rendered document.xml may not grow beyond this (the default renders ~1 MB).
MAX_OUTPUT = 200 * 1024 * 1024
#: The template time limit when neither PERFDOC_TIMEOUT nor ``[render] timeout`` sets one.
DEFAULT_RENDER_TIMEOUT = 120.0


class TemplateBudgetExceeded(Exception):
    """A template ran past its time, step or output budget; ``message`` says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Budget:
    """What one render may still spend: a deadline and a count of steps.

    Python cannot interrupt a thread, and SIGALRM reaches only the main thread,
    so the sandbox itself counts: every call, every item of ``range`` and every
    chunk of output is a step, and the clock is read every 1,000 steps.  A
    subprocess would cost about 0.3 s of imports on every build instead.
    """

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.steps = 0

    def step(self) -> None:
        self.steps += 1
        if self.steps % 1000:
            return
        if self.steps > MAX_STEPS:
            raise TemplateBudgetExceeded(_(
                "the template ran more than {n} loop steps; does a loop never end?").format(
                n=MAX_STEPS))
        if time.monotonic() > self.deadline:
            raise TemplateBudgetExceeded(_(
                "the template did not finish within {s:g} s (PERFDOC_TIMEOUT or [render] "
                "timeout); does a loop never end?").format(s=self.timeout))


_budgets = threading.local()


def _step() -> None:
    budget: _Budget | None = getattr(_budgets, "current", None)
    if budget is not None:
        budget.step()


class _Counted:
    """``range`` for templates: Jinja's safe range, each item counted as a step."""

    def __init__(self, *args: int) -> None:
        self._range = safe_range(*args)

    def __iter__(self) -> Iterator[int]:
        for i in self._range:
            _step()
            yield i

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, i: int) -> int:
        return self._range[i]


def _sized(value: object) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


class _Environment(SandboxedEnvironment):
    """The sandbox, with a budget per render, remembering compiled templates.

    docxtpl compiles the template's XML with ``from_string`` on every render.
    Within one process each distinct source is compiled once (a batch renders
    the same template for every document); across processes Jinja's bytecode
    cache keeps the compiled code, which saves a single build about a tenth of
    its start-up.  The cache lives in the user's own cache folder, which is
    created private (0700) and used only when it is ours and private: code
    loaded from a folder another user can write would be theirs to choose.
    """

    # String and list repetition, powers and concatenation are where a
    # one-line template can ask for gigabytes; they are checked before running.
    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.globals["range"] = _Counted
        self._compiled: dict[str, jinja2.Template] = {}
        self._lock = threading.Lock()
        self._disk = _private_bytecode_cache()

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805 - Jinja's API
             **kwargs: Any) -> Any:
        _step()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step()
        too_big = False
        if operator == "*":
            count = right if isinstance(right, int) else left if isinstance(left, int) else 0
            too_big = max(_sized(left), _sized(right)) * count > MAX_OUTPUT
        elif operator == "**":
            too_big = isinstance(left, int) and isinstance(right, int) and (
                abs(left) > 1 and right * max(abs(left).bit_length(), 1) > 1_000_000)
        elif operator == "+":
            too_big = _sized(left) + _sized(right) > MAX_OUTPUT
        if too_big:
            raise TemplateBudgetExceeded(_(
                "the template asks for a value too large to build ({op})").format(op=operator))
        return super().call_binop(context, operator, left, right)

    def concat(self, parts: Iterable[str]) -> str:
        """Join a render's output chunks, within the output budget."""
        out: list[str] = []
        size = 0
        for part in parts:
            _step()
            size += len(part)
            if size > MAX_OUTPUT:
                raise TemplateBudgetExceeded(_(
                    "the template's output grew beyond {mb} MB").format(
                    mb=MAX_OUTPUT // (1024 * 1024)))
            out.append(part)
        return "".join(out)

    def _compile_cached(self, source: str) -> jinja2.Template:
        if self._disk is None:
            return super().from_string(source)
        try:
            key = hashlib.sha256(source.encode()).hexdigest()
            bucket = self._disk.get_bucket(self, key, None, source)
            if bucket.code is None:
                bucket.code = self.compile(source)
                self._disk.set_bucket(bucket)
            return self.template_class.from_code(self, bucket.code, self.make_globals(None))
        except OSError:  # an unwritable cache only costs the compilation
            return super().from_string(source)

    def from_string(self, source: Any, globals: Any = None,  # noqa: A002 - Jinja's name
                    template_class: Any = None) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            compiled = self._compiled.get(source)
            if compiled is None:
                if len(self._compiled) > 32:
                    self._compiled.clear()
                compiled = self._compiled[source] = self._compile_cached(source)
            return compiled


def _private_bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return Jinja's bytecode cache in the user's cache folder, if it is private."""
    folder = Path(platformdirs.user_cache_dir("perfdoc")) / "jinja"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None  # someone else's, or open to others: compile instead
        return jinja2.FileSystemBytecodeCache(str(folder))
    except (OSError, AttributeError):  # AttributeError: no getuid (Windows)
        return None


_ENVIRONMENT = _Environment()


def _environment() -> SandboxedEnvironment:
    return _ENVIRONMENT


def document_date(settings_date: datetime.date | None, year: int) -> datetime.datetime:
    """Pick the timestamp recorded in the .docx: the document's, SOURCE_DATE_EPOCH, or 1 Jan."""
    if settings_date is not None:
        return datetime.datetime(settings_date.year, settings_date.month, settings_date.day)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isascii() and epoch.isdigit() and int(epoch) <= MAX_EPOCH:
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).replace(
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


_UPDATE_FIELDS = b'<w:updateFields w:val="true"/>'


def set_update_fields(xml: bytes, *, update_fields: bool) -> bytes:
    """Ask Word to refresh the TOC on open only when perfdoc could not fill its numbers."""
    xml = xml.replace(_UPDATE_FIELDS, b"")
    if update_fields:
        xml = re.sub(rb"(<w:settings[^>]*>)", rb"\1" + _UPDATE_FIELDS, xml, count=1)
    return xml


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
    _budgets.current = _Budget(timeout)
    try:
        tpl = _Template(source)
        tpl.render(dict(context), jinja_env=_environment(), autoescape=True)
    except TemplateBudgetExceeded as exc:
        raise _template_error(template_display, exc.message) from None
    except jinja2.UndefinedError as exc:
        raise _template_error(template_display, _("unknown variable: {what}").format(
            what=exc.message)) from None
    except jinja2.exceptions.SecurityError as exc:
        raise _template_error(template_display, _("unsafe template code refused: {what}").format(
            what=exc)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise _template_error(template_display, _("template syntax error: {what}").format(
            what=exc.message)) from None
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
    finally:
        _budgets.current = None
    buffer = io.BytesIO()
    tpl.save(buffer)
    return repack(buffer.getvalue(), title=title, author=author, when=when,
                  update_fields=not toc_filled)


def _template_error(display: str, message: str) -> DocumentError:
    problem = Problem(display, 1, 1, Level.ERROR, "template", message)
    return DocumentError([problem])
