"""``perfdoc doctor``: say what the PDF step will use, and what is missing."""

from __future__ import annotations

import click

from perfdoc.convert import APT_PACKAGES, find_soffice, find_uno_python, libreoffice_version
from perfdoc.fonts import resolve_fonts
from perfdoc.i18n import _


def run_doctor() -> int:
    """Print the environment report; exit 3 when the PDF step cannot run."""
    ok = True
    soffice = find_soffice()
    version = libreoffice_version()
    click.echo(f"LibreOffice: {soffice or _('not found')} {version or ''}".rstrip())
    python = find_uno_python()
    click.echo(_("uno-capable Python: {python}").format(python=python or _("not found")))
    ok = bool(soffice and python)
    click.echo(_("fonts (requested name -> file that draws it):"))
    for name, path in resolve_fonts(None).items():
        click.echo(f"  {name} -> {path or _('not found')}")
    if not ok:
        click.echo(_("missing: install with `sudo apt-get install {packages}`").format(
            packages=APT_PACKAGES), err=True)
        return 3
    return 0
