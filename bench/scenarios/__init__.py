"""The benchmark's scenarios, in the order they run and are reported.

A scenario is a module with ``run(ctx: context.Context) -> report.Outcome``.
To add one: write the module, then add one line to SCENARIOS.
"""

from __future__ import annotations

from collections.abc import Callable

from context import Context
from report import Outcome

from . import docx_batch, floor, import_docx, pdf_batch, report, single, trace, watch

SCENARIOS: dict[str, Callable[[Context], Outcome]] = {
    "floor": floor.run,  # interpreter + imports vs the example's .docx
    "import": import_docx.run,  # perfdoc import of a 20-project .docx
    "docx": docx_batch.run,  # (a) perfdoc .docx batches vs (d) pandoc per file
    "pdf": pdf_batch.run,  # (b) perfdoc .docx + PDF batches vs (c) soffice per file
    "trace": trace.run,  # where a cold PDF build's time goes (after the others)
    "single": single.run,  # one document: perfdoc build vs soffice, in pairs
    "watch": watch.run,  # perfdoc watch: a save to the finished PDF
    "report": report.run,  # perfdoc report over 100 documents, no LibreOffice
}
