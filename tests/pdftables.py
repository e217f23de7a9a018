"""Read the indicator tables back out of a PDF, cell by cell, with their line breaks.

pdfplumber finds the tables by their ruling lines.  A project's two tables sit
flush, so it often sees them as one table on a union of both grids; the
indicator head row (一级指标 … 指标值确定依据), which repeats on every page,
tells which x position is which column.  Each cell's text is cropped from the
page, one line of the PDF per line of text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

HEADS = ("一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据")


@dataclass(frozen=True)
class PdfRow:
    """An indicator row as printed: its page (0-based), and its cells' lines by column."""

    page: int
    first_on_page: bool  # the first row under the head on its page
    cells: dict[int, list[str]]  # column -> lines; a merge's continuation is absent

    def text(self, column: int) -> str:
        return "".join(self.cells.get(column, []))


def _lines(page: pdfplumber.page.Page, bbox: tuple[float, float, float, float]) -> list[str]:
    # A hair inside the ruling lines, so neighbouring cells' glyphs stay out.
    x0, top, x1, bottom = bbox
    text = page.crop((x0 + 0.5, top + 0.5, x1 - 0.5, bottom - 0.5)).extract_text() or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def indicator_rows(pdf: Path) -> Iterator[PdfRow]:
    """Yield every indicator row of *pdf*, in order."""
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            for table in page.find_tables():
                columns: list[float] | None = None
                first = False
                for row in table.rows:
                    cells = [c for c in row.cells if c is not None]
                    texts = ["".join(_lines(page, c)) for c in cells]
                    if tuple(texts) == HEADS:
                        columns = [c[0] for c in cells]
                        first = True
                        continue
                    if columns is None:
                        continue  # the project's header block above the indicators
                    found: dict[int, list[str]] = {}
                    for cell in cells:
                        column = min(range(len(columns)), key=lambda i: abs(columns[i] - cell[0]))
                        found[column] = _lines(page, cell)
                    yield PdfRow(number, first, found)
                    first = False


def all_cells(pdf: Path) -> list[str]:
    """Return the text of every table cell of *pdf*, each cell's lines joined."""
    found = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for table in page.find_tables():
                for row in table.rows:
                    found += ["".join(_lines(page, c)) for c in row.cells if c is not None]
    return found
