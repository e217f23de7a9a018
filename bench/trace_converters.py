"""Run ``perfdoc ARGS…`` with its LibreOffice converter stages timed.

Used by run.py for one extra, unmeasured build, so the report can say where a
PDF build's time goes: starting converters, converting, stopping them.  It
wraps perfdoc's own ``Converter.start/convert/stop``; if those names change,
the build still runs and the trace only records why it is empty.

    python bench/trace_converters.py TRACE.json build DIR --force -o OUT
"""

from __future__ import annotations

import atexit
import functools
import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

T0 = time.perf_counter()
EVENTS: list[dict[str, Any]] = []
LOCK = threading.Lock()


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            with LOCK:
                EVENTS.append({"stage": name, "at_s": start - T0,
                               "seconds": time.perf_counter() - start,
                               "thread": threading.current_thread().name})
    return wrapper


def main() -> None:
    trace = Path(sys.argv[1])
    error = ""
    try:
        from perfdoc import convert

        # "_call" is the conversion alone; "convert" may include a start on
        # first use, so it is only the fallback.
        conv_method = "_call" if hasattr(convert.Converter, "_call") else "convert"
        for stage, method in (("start", "start"), ("convert", conv_method), ("stop", "stop")):
            setattr(convert.Converter, method, _timed(stage, getattr(convert.Converter, method)))
    except (ImportError, AttributeError) as exc:  # perfdoc's internals moved
        error = f"cannot trace: {exc!r}"

    def write() -> None:
        trace.write_text(json.dumps({"total_s": time.perf_counter() - T0, "error": error,
                                     "events": EVENTS}, indent=1) + "\n", encoding="utf-8")

    atexit.register(write)  # perfdoc's main() ends in sys.exit
    from perfdoc.cli import main as perfdoc_main

    perfdoc_main(sys.argv[2:])


if __name__ == "__main__":
    main()
