"""Draw ≥, ≤ and their kin from one face wherever they stand (part of stage 5, render).

Word and LibreOffice disagree about characters such as ≥ that belong to no
script.  Word, told ``w:hint="eastAsia"`` as perfdoc's styles tell it, draws
them with the run's East Asian font.  LibreOffice gives them the script of the
text before them: "率≥98%" in a paragraph draws ≥ from the Chinese face, but
"≥95%" alone in a table cell draws it from the Latin one.  The same sign then
looks different in the body and in the tables, and different in Word.

So after rendering, each such character is put in a run of its own whose Latin
fonts are set to the run's East Asian font: every program then draws it from
that face, the one Word draws it from anyway.  Digits, ``%`` and ASCII ``<`` and
``>`` are Latin in every program, and full-width ＞ ＜ are East Asian in every
program; they need nothing.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from perfdoc.wordstyles import StyleSheet

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

#: Signs of no script that budget texts use, drawn from the East Asian face.
SYMBOLS = "≥≤≠±×÷‰℃°～"
_SPLIT = re.compile(f"([{SYMBOLS}]+)")


class _Styles(StyleSheet):
    """The East Asian font of each style, following basedOn, as Word resolves it."""

    def __init__(self, styles: Any) -> None:
        super().__init__(styles)
        defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr") if styles is not None \
            else None
        self.document_default = _east_asian(defaults)

    def font(self, style_id: str | None) -> str | None:
        """Return the East Asian font *style_id* sets itself or inherits, if any."""
        for style in self.chain(style_id):
            found = _east_asian(style.find(f"{_W}rPr"))
            if found is not None:
                return found
        return None


def _east_asian(rpr: Any) -> str | None:
    """Return the East Asian font name *rpr* sets, '' for a theme font, None if unset."""
    if rpr is None:
        return None
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is None:
        return None
    if fonts.get(f"{_W}eastAsiaTheme") is not None:
        return ""  # a theme font: resolved by the theme part, left alone
    name: str | None = fonts.get(f"{_W}eastAsia")
    return name


def unify_symbols(body: Any, styles: Any) -> None:
    """Give every sign in :data:`SYMBOLS` in *body* the East Asian font of its run, in place."""
    resolved = _Styles(styles)
    for text in list(body.iter(f"{_W}t")):
        if not text.text or not _SPLIT.search(text.text):
            continue
        run = text.getparent()
        if run is None or run.tag != f"{_W}r":
            continue
        # Only plain text runs are split: a run that also holds a tab, a break
        # or a field character keeps its order of children untouched.
        content = [c for c in run if c.tag != f"{_W}rPr"]
        if any(c.tag != f"{_W}t" for c in content):
            continue
        font = _run_font(run, resolved)
        if not font:
            continue
        _split(run, font)


def _run_font(run: Any, styles: _Styles) -> str | None:
    rpr = run.find(f"{_W}rPr")
    own = _east_asian(rpr)
    if own is not None:
        return own
    if rpr is not None and (rstyle := rpr.find(f"{_W}rStyle")) is not None:
        found = styles.font(rstyle.get(f"{_W}val"))
        if found is not None:
            return found
    paragraph = run.getparent()
    while paragraph is not None and paragraph.tag != f"{_W}p":
        paragraph = paragraph.getparent()
    style_id = styles.default_paragraph
    if paragraph is not None:
        pstyle = paragraph.find(f"{_W}pPr/{_W}pStyle")
        if pstyle is not None:
            style_id = pstyle.get(f"{_W}val")
    found = styles.font(style_id)
    return found if found is not None else styles.document_default


def _split(run: Any, font: str) -> None:
    """Replace *run* by runs of its text, each sign's with its Latin fonts set to *font*."""
    rpr = run.find(f"{_W}rPr")
    text = "".join(t.text or "" for t in run if t.tag == f"{_W}t")
    parent = run.getparent()
    index = parent.index(run)
    parent.remove(run)
    for n, piece in enumerate(p for p in _SPLIT.split(text) if p):
        new = run.makeelement(f"{_W}r", run.attrib)
        piece_rpr = copy.deepcopy(rpr) if rpr is not None else None
        if _SPLIT.fullmatch(piece):
            if piece_rpr is None:
                piece_rpr = new.makeelement(f"{_W}rPr", {})
            fonts = piece_rpr.find(f"{_W}rFonts")
            if fonts is None:
                fonts = piece_rpr.makeelement(f"{_W}rFonts", {})
                piece_rpr.insert(_rfonts_position(piece_rpr), fonts)
            for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
                fonts.attrib.pop(f"{_W}{attr}", None)
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(f"{_W}{attr}", font)
        if piece_rpr is not None:
            new.append(piece_rpr)
        t = new.makeelement(f"{_W}t", {})
        t.text = piece
        if piece != piece.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        new.append(t)
        parent.insert(index + n, new)


def _rfonts_position(rpr: Any) -> int:
    """Return where a new ``w:rFonts`` goes in *rpr*: after ``w:rStyle``, before all else.

    CT_RPr is a sequence (rStyle, rFonts, b, bCs, i, …): an rFonts anywhere
    else makes the part invalid, and Word may refuse or repair the file.
    """
    for index, child in enumerate(rpr):
        if child.tag == f"{_W}rStyle":
            return index + 1
    return 0
