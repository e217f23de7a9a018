"""Fit the indicator table's columns to their content (part of stage 4, the context).

Fixed column widths cannot suit every unit: one writes "≤120.5 万元" where
another writes "3 个", one writes long 指标值确定依据 texts, another none.  So
each project's indicator table gets its own widths, computed from its text:

1. every column starts at its lower bound: a minimum per column, and, for 指标值,
   the width of its longest value of at most ten characters, so such a value
   never wraps;
2. the remaining width goes, step by step, where it shortens the table most
   (fewest lines in all);
3. a cell whose last line would hold one lone character gets a character's
   width from a column that can spare it without growing the table.

Widths are estimated, not measured: CJK characters are one em, Latin ones
take Times New Roman's advance widths (the template's Latin face), and
LibreOffice's extra quarter em between CJK and Latin text is counted.  Fixed
metrics keep the .docx a pure function of the YAML, the same on every machine,
whichever fonts it has.  A little slack per cell absorbs the difference
between these metrics and the real faces.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

#: The default template's table text: 五号 (10.5 pt), in twips.
EM = 210
#: Widths move in steps of half an em: a Latin digit, or half a CJK character.
STEP = EM // 2
#: Left and right cell margins (57 twips each), the border, and slack for the
#: difference between the estimated and the real glyph widths.
PADDING = 57 + 57 + 30
#: A value of at most this many characters (spaces not counted) never wraps.
SHORT_VALUE = 10

#: Times New Roman's advance widths (per 1000 em) for printable ASCII; the
#: template's Latin face, and Liberation Serif's, which is metric-compatible.
_LATIN = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~",
    (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,
     500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444,
     921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722,
     556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500,
     333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
     500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541),
    strict=True,
))

# Kinsoku: characters that may not begin a line stick to the one before them,
# characters that may not end one stick to the one after (GB/T 15834 usage).
_NO_LINE_START = set("，。、；：？！）】》」』〉”’…%％‰,.;:!?)]}")
_NO_LINE_END = set("（【《「『〈“‘([{")


def char_width(ch: str) -> float:
    """Return *ch*'s advance in em: Times New Roman's for ASCII, one em for the rest."""
    latin = _LATIN.get(ch)
    if latin is not None:
        return latin / 1000
    # Everything else (CJK, full-width forms, ≥ ≤ drawn from the CJK face) is
    # set one em wide by the CJK fonts perfdoc uses.
    return 0.0 if unicodedata.category(ch) in ("Mn", "Cf") else 1.0


def _is_latin(ch: str) -> bool:
    return ch in _LATIN and ch != " "


def _is_ideograph(ch: str) -> bool:
    # LibreOffice spaces Latin text from CJK letters only, not from CJK
    # punctuation such as （ or —.
    return ord(ch) > 0x2E7F and unicodedata.category(ch) == "Lo"


@lru_cache(maxsize=8192)
def _atoms(text: str) -> tuple[tuple[str, float, bool], ...]:
    """Split *text* into unbreakable pieces: (text, width in em, space before it).

    A Latin word is one piece, every CJK character is its own, and kinsoku
    characters join their neighbour.  The quarter em LibreOffice puts between
    a CJK letter and Latin text is added to the piece after the change.
    """
    pieces: list[str] = []
    widths: list[float] = []
    spaced: list[bool] = []
    space_before = False
    prev: str | None = None
    glue_next = False
    for ch in text:
        if ch == " ":
            space_before, prev, glue_next = True, " ", False
            continue
        width = char_width(ch)
        if prev is not None and (_is_latin(prev) and _is_ideograph(ch)
                                 or _is_ideograph(prev) and _is_latin(ch)):
            width += 0.25
        same_word = prev is not None and _is_latin(prev) and _is_latin(ch)
        if pieces and not space_before and (ch in _NO_LINE_START or glue_next or same_word):
            pieces[-1] += ch
            widths[-1] += width
        else:
            pieces.append(ch)
            widths.append(width)
            spaced.append(space_before)
        glue_next = ch in _NO_LINE_END
        space_before = False
        prev = ch
    return tuple(zip(pieces, widths, spaced, strict=True))


def natural_width(text: str) -> float:
    """Return the width of *text* on one line, in em."""
    width = 0.0
    for i, (_piece, piece_width, space) in enumerate(_atoms(text)):
        width += piece_width + (_LATIN[" "] / 1000 if space and i else 0.0)
    return width


@lru_cache(maxsize=65536)
def wrap(text: str, width_em: float) -> tuple[int, bool]:
    """Return the lines *text* takes in *width_em*, and whether the last holds one character.

    Greedy, as LibreOffice and Word fill a line: a piece that does not fit
    starts the next line; a piece wider than a whole line is broken anywhere.
    """
    if not text.strip():
        return 1, False
    lines = 1
    used = 0.0
    last_line_chars = 0
    for piece, piece_width, space in _atoms(text):
        gap = _LATIN[" "] / 1000 if space and used else 0.0
        if used and used + gap + piece_width > width_em + 1e-9:
            lines += 1
            used = 0.0
            last_line_chars = 0
            gap = 0.0
        if piece_width > width_em + 1e-9:
            # Too long for any line: broken by characters, each line full.
            extra, rest = divmod(piece_width, max(width_em, 0.5))
            lines += int(extra) - (1 if rest == 0 else 0)
            used = rest or width_em
            last_line_chars = 2
            continue
        used += gap + piece_width
        last_line_chars += len(piece)
    return lines, last_line_chars == 1 and lines > 1


@dataclass(frozen=True)
class Bounds:
    """A column's smallest and largest text width, in em."""

    low: float
    high: float


#: The indicator table's columns: 一级, 二级, 三级, 描述, 指标值, 依据.
INDICATOR_BOUNDS = (Bounds(4, 6), Bounds(4, 9), Bounds(4, 16), Bounds(4, 22),
                    Bounds(4, 11), Bounds(4, 16))
VALUE_COLUMN = 4


@dataclass(frozen=True)
class Row:
    """One row of cells; a merged cell's text is in the row that starts its merge."""

    cells: tuple[str, ...]
    starts: tuple[bool, ...]  # per column: False for the continuation of a vertical merge


def inner(width: int) -> float:
    """Return the text width of a column *width* twips wide, in em."""
    return (width - PADDING) / EM


class Table:
    """The rows of a table, and the cost of laying them out in given widths."""

    def __init__(self, header: Sequence[str], rows: Sequence[Row]) -> None:
        n = len(header)
        self.rows = [Row(tuple(header), (True,) * n), *rows]
        self.ncols = n
        # Columns with vertical merges (一级/二级): a merged cell spans its run
        # of rows and needs no height of its own unless its label is taller
        # than the whole run.
        self.spans = [c for c in range(n) if any(not r.starts[c] for r in self.rows)]
        self._columns: dict[tuple[int, int], tuple[tuple[int, ...], int]] = {}
        # Many widths wrap a column alike, and the searches below revisit the
        # same layouts over and over: each column's distinct wrappings get a
        # number, and a layout's cost is kept by those numbers.
        self._shapes: list[dict[tuple[tuple[int, ...], int], int]] = [{} for _ in range(n)]
        self._shape_of: dict[tuple[int, int], int] = {}
        self._costs: dict[tuple[int, ...], tuple[int, int]] = {}
        self._heights: dict[tuple[int, ...], list[int]] = {}
        self._ones = [1] * len(self.rows)  # every row is at least a line high
        self._starts = [[row.starts[c] for row in self.rows] for c in range(n)]

    def column(self, c: int, width: int) -> tuple[tuple[int, ...], int]:
        """Return column *c*'s lines per row in *width*, and its lone characters."""
        key = (c, width)
        found = self._columns.get(key)
        if found is None:
            text_width = inner(width)
            lines = []
            lone = 0
            for row in self.rows:
                if row.starts[c]:
                    count, alone = wrap(row.cells[c], text_width)
                    lone += alone
                else:
                    count = 0
                lines.append(count)
            found = self._columns[key] = (tuple(lines), lone)
        return found

    def _shape(self, c: int, width: int) -> int:
        key = (c, width)
        found = self._shape_of.get(key)
        if found is None:
            shapes = self._shapes[c]
            found = self._shape_of[key] = shapes.setdefault(self.column(c, width), len(shapes))
        return found

    def shape(self, c: int, width: int) -> int:
        """Return the number of column *c*'s wrapping in *width*: equal numbers, equal lines."""
        found = self._shape_of.get((c, width))
        return self._shape(c, width) if found is None else found

    def shapes(self, widths: Sequence[int]) -> list[int]:
        """Return each column's wrapping number in *widths*."""
        return [self.shape(c, w) for c, w in enumerate(widths)]

    def cost(self, widths: Sequence[int], shapes: Sequence[int] | None = None) -> tuple[int, int]:
        """Return (lines in all, cells ending in a lone character).

        *shapes* are ``self.shapes(widths)`` when the caller has them already:
        the searches know which columns they changed, and asking again for
        every column was a third of their time.
        """
        key = tuple(self.shapes(widths) if shapes is None else shapes)
        found = self._costs.get(key)
        if found is None:
            found = self._costs[key] = self._cost(widths)
        return found

    def _cost(self, widths: Sequence[int]) -> tuple[int, int]:
        # Every (column, width) here has had its shape asked for: wrapped already.
        columns = [self._columns[(c, w)] for c, w in enumerate(widths)]
        lone = sum(col[1] for col in columns)
        # The rows' heights depend only on the unmerged columns' wrappings,
        # which many layouts share.
        plain_key = tuple([self._shape_of[(c, w)] for c, w in enumerate(widths)
                           if c not in self.spans])
        heights = self._heights.get(plain_key)
        if heights is None:
            plain = [col[0] for c, col in enumerate(columns) if c not in self.spans]
            heights = self._heights[plain_key] = (list(map(max, self._ones, *plain)) if plain
                                                  else list(self._ones))
        total = sum(heights)
        for c in self.spans:
            need = 0
            have = 0
            for starts, lines, height in zip(self._starts[c], columns[c][0], heights,
                                             strict=True):
                if starts:
                    if need > have:  # the label is taller than its run of rows
                        total += need - have
                    need, have = lines, 0
                have += height
            if need > have:
                total += need - have
        return total, lone


def _score(cost: tuple[int, int]) -> int:
    # A lone last character reads worse than a table a line or two longer:
    # it weighs two lines.
    lines, lone = cost
    return lines + lone * 2


def floors(rows: Sequence[Row], bounds: Sequence[Bounds] = INDICATOR_BOUNDS,
           short_column: int | None = VALUE_COLUMN) -> list[int]:
    """Return each column's smallest width in twips: its bound, or its short values' width."""
    low = [round(b.low * EM) + PADDING for b in bounds]
    if short_column is not None:
        # Values of up to ten characters must fit on one line: that is a floor.
        need = max((natural_width(r.cells[short_column]) for r in rows
                    if len(r.cells[short_column].replace(" ", "")) <= SHORT_VALUE), default=0.0)
        low[short_column] = max(low[short_column], _snap(need * EM) + PADDING)
    return low


def fit_columns(header: Sequence[str], rows: Sequence[Row], total: int,
                bounds: Sequence[Bounds] = INDICATOR_BOUNDS,
                short_column: int | None = VALUE_COLUMN) -> list[int]:
    """Return column widths in twips, summing to *total*, fitted to the table's text."""
    table = Table(header, rows)
    n = len(header)
    low = floors(rows, bounds, short_column)
    high = [max(round(b.high * EM) + PADDING, lo) for b, lo in zip(bounds, low, strict=True)]
    widths = list(low)
    if sum(widths) > total:
        # Too narrow a page for the minimums: shrink them alike.
        return _proportional(widths, total)
    free = (total - sum(widths)) // STEP
    # Phase 1: give width where it saves the most lines per step.
    shapes = table.shapes(widths)
    current = _score(table.cost(widths, shapes))
    while free > 0:
        best: tuple[float, int, int] | None = None  # (saving per step, column, steps)
        for c in range(n):
            room = min(free, (high[c] - widths[c]) // STEP)
            for k in range(1, room + 1):
                shape = table.shape(c, widths[c] + k * STEP)
                if shape == shapes[c]:
                    continue  # no cell of the column wraps differently: nothing gained
                trial = list(widths)
                trial[c] += k * STEP
                trial_shapes = list(shapes)
                trial_shapes[c] = shape
                saving = current - _score(table.cost(trial, trial_shapes))
                if saving > 0:
                    rate = saving / k
                    if best is None or rate > best[0]:
                        best = (rate, c, k)
                    break
        if best is None:
            break
        _rate, c, k = best
        widths[c] += k * STEP
        free -= k
        shapes[c] = table.shape(c, widths[c])
        current = _score(table.cost(widths, shapes))
    # Phase 2: what no column needs goes to the text columns, in proportion to
    # how much wider than their width their longest text is.
    desire = [max(natural_width(r.cells[c]) for r in table.rows) * EM + PADDING
              for c in range(n)]
    while free > 0:
        c = max(range(n), key=lambda i: (desire[i] - widths[i], -i))
        widths[c] += STEP
        free -= 1
    widths[max(range(n), key=lambda i: desire[i] - widths[i])] += total - sum(widths)
    # Phase 3: move width between columns while that makes the table better:
    # from one column to another, up to four characters' width, or from one
    # column to two others (a line given up in one column can free two cells
    # of their lone characters).
    return improve(table, widths, low)


#: A move of phase 3: from a source column, the width it gives (twips), and the
#: steps each of one or two target columns gets.
_Move = tuple[int, int, tuple[tuple[int, int], ...]]


def _moves(n: int) -> list[_Move]:
    """Return the moves phase 3 tries, smallest first."""
    pairs: list[_Move] = [(src, k * STEP, ((dst, k),)) for k in range(1, 9)
                          for src in range(n) for dst in range(n) if src != dst]
    triples: list[_Move] = [(src, (ka + kb) * STEP, ((a, ka), (b, kb)))
               for ka in (2, 4, 6) for kb in (2, 4, 6) if ka + kb <= 8
               for src in range(n) for a in range(n) for b in range(a + 1, n)
               if src not in (a, b)]
    return pairs + triples


def improve(table: Table, widths: list[int], low: Sequence[int]) -> list[int]:
    """Apply the first move that lowers the score, until none does (a local optimum)."""
    shapes = table.shapes(widths)
    current = _score(table.cost(widths, shapes))
    moves = _moves(len(widths))
    improved = True
    while improved:
        improved = False
        for src, given, targets in moves:
            if widths[src] - given < low[src]:
                continue
            trial_shapes = list(shapes)
            trial_shapes[src] = table.shape(src, widths[src] - given)
            for dst, k in targets:
                trial_shapes[dst] = table.shape(dst, widths[dst] + k * STEP)
            if trial_shapes == shapes:
                continue  # the same lines everywhere: no better
            trial = list(widths)
            trial[src] -= given
            for dst, k in targets:
                trial[dst] += k * STEP
            score = _score(table.cost(trial, trial_shapes))
            if score < current:
                widths, shapes, current, improved = trial, trial_shapes, score, True
                break
    return widths


def _snap(twips: float) -> int:
    """Round *twips* up to whole steps."""
    return -(-int(round(twips)) // STEP) * STEP


def _proportional(widths: Sequence[int], total: int) -> list[int]:
    scaled = [w * total // sum(widths) for w in widths]
    scaled[-1] += total - sum(scaled)
    return scaled
