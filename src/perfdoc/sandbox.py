"""The sandbox templates render in: Jinja's, with a budget and a private cache.

Custom templates are untrusted.  They render in Jinja's ``SandboxedEnvironment``
with ``StrictUndefined`` and autoescape, so a value can never inject XML or
template code and a template cannot reach Python's internals; on top of that
every render has a time, step and output budget, so a template cannot hang a
build or exhaust memory either.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, safe_range

from perfdoc.i18n import _
from perfdoc.usercache import private_folder

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


#: A number of nine digits or more in a format string: a width of gigabytes.
_WIDE = re.compile(r"[0-9]{9,}")

def _huge(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT


def _refuse_huge(name: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                 text: str = "") -> None:
    """Refuse a call whose arguments (or format string) ask for gigabytes of text."""
    if any(_huge(v) for v in (*args, *kwargs.values())) or (
            name in ("format", "format_map") and _WIDE.search(text)):
        raise TemplateBudgetExceeded(_(
            "the template asks for a value too large to build ({what})").format(
            what=f"{name}(…)"))


def _guarded(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a Jinja filter so that a huge width is refused before any text is built."""

    @functools.wraps(function)  # keeps Jinja's pass_environment marks
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _step()
        text = next((a for a in args if isinstance(a, str)), "") if name == "format" else ""
        _refuse_huge(name, args, kwargs, text)
        return function(*args, **kwargs)

    return guarded


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

    # String and list repetition, powers, concatenation and %-formatting are
    # where a one-line template can ask for gigabytes; they are checked first.
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.globals["range"] = _Counted
        # Filters that build text as wide as a number they are given.
        for name in ("center", "indent", "wordwrap", "truncate", "format"):
            self.filters[name] = _guarded(name, self.filters[name])
        self._compiled: dict[str, jinja2.Template] = {}
        self._lock = threading.Lock()
        self._disk = _private_bytecode_cache()

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805 - Jinja's API
             **kwargs: Any) -> Any:
        _step()
        # 'x'.ljust(3000000000) or '{:>3000000000}'.format('x'): refused unbuilt.
        if __obj is not _Counted:  # range: Jinja's safe_range bounds it already
            name = getattr(__obj, "__name__", "")
            owner = getattr(__obj, "__self__", None)
            _refuse_huge(name, args, kwargs, owner if isinstance(owner, str) else "")
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:  # noqa: D102 - Jinja's API
        # The sandbox wraps str.format when the attribute is looked up, so a
        # format string is checked here, before any call.
        if isinstance(obj, str) and attribute in ("format", "format_map"):
            _refuse_huge(attribute, (), {}, obj)
        return super().getattr(obj, attribute)

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
        elif operator == "%":
            too_big = isinstance(left, str) and _WIDE.search(left) is not None or (
                any(_huge(v) for v in (right if isinstance(right, tuple) else (right,))))
        if too_big:
            raise TemplateBudgetExceeded(_(
                "the template asks for a value too large to build ({what})").format(
                what=operator))
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
    folder = private_folder("jinja")
    # Someone else's, or open to others: compile instead.
    return None if folder is None else jinja2.FileSystemBytecodeCache(str(folder))


_ENVIRONMENT = _Environment()


def environment() -> SandboxedEnvironment:
    """Return the one sandbox every render uses (its compiled templates are shared)."""
    return _ENVIRONMENT


class budget:  # noqa: N801 - used as a context manager, like open()
    """Give the renders of this thread *timeout* seconds and the step and output budgets."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    def __enter__(self) -> None:
        _budgets.current = _Budget(self.timeout)

    def __exit__(self, *exc: object) -> None:
        _budgets.current = None
