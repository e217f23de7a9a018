"""Keep the message catalogs in step with the code (``make locale``).

    python scripts/i18n.py extract   # write src/perfdoc/locale/perfdoc.pot from the code
    python scripts/i18n.py update    # merge new msgids into each .po (untranslated)
    python scripts/i18n.py compile   # .po -> .mo, what gettext reads at run time
    python scripts/i18n.py check     # fail when a msgid lacks a translation or a .mo is stale

Babel does the reading and writing of .pot/.po/.mo; perfdoc writes no parser.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "perfdoc"
LOCALE = SRC / "locale"
POT = LOCALE / "perfdoc.pot"


def template() -> Catalog:
    """Collect every ``_("…")`` in the package."""
    catalog = Catalog(project="perfdoc", charset="utf-8")
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        catalog.add(message, locations=[(filename, lineno)])
    return catalog


def po_files() -> list[Path]:
    """Every language's catalog."""
    return sorted(LOCALE.glob("*/LC_MESSAGES/perfdoc.po"))


def mo_bytes(po: Path) -> bytes:
    """Compile one .po to .mo bytes."""
    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def missing(po: Path) -> list[str]:
    """Message ids in the code that *po* does not translate."""
    with po.open("rb") as fh:
        catalog = read_po(fh)
    out = []
    for message in template():
        translated = catalog.get(message.id) if message.id else None
        if message.id and not (translated and translated.string):
            out.append(str(message.id))
    return out


def main(command: str) -> int:
    """Run one command; return the exit status."""
    if command == "extract":
        with POT.open("wb") as fh:
            write_po(fh, template(), omit_header=True, sort_output=True, width=0)
    elif command == "update":
        tpl = template()
        for po in po_files():
            with po.open("rb") as fh:
                catalog = read_po(fh)
            catalog.update(tpl, no_fuzzy_matching=True)
            with po.open("wb") as fh:
                # Keep the header: it carries Language and Plural-Forms, and its
                # fixed dates keep the compiled .mo reproducible.
                write_po(fh, catalog, omit_header=False, sort_output=True, width=0,
                         ignore_obsolete=True, include_previous=False)
    elif command == "compile":
        for po in po_files():
            po.with_suffix(".mo").write_bytes(mo_bytes(po))
    elif command == "check":
        bad = 0
        for po in po_files():
            for msgid in missing(po):
                print(f"{po.relative_to(ROOT)}: untranslated: {msgid!r}")
                bad += 1
            if po.with_suffix(".mo").read_bytes() != mo_bytes(po):
                print(f"{po.with_suffix('.mo').relative_to(ROOT)} is stale: run `make locale`")
                bad += 1
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
