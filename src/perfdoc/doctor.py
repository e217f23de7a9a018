"""``perfdoc doctor``: say what the PDF step will use, and install what is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.resources import as_file, files
from pathlib import Path

import click

from perfdoc.fonts import FONT_NAMES, resolve_fonts, template_fonts, unmapped_fonts
from perfdoc.i18n import _
from perfdoc.libreoffice import apt_packages, find_soffice, find_uno_python, libreoffice_version


def run_doctor(template: tuple[bytes, str] | None = None, fonts_dir: Path | None = None) -> int:
    """Print the environment report; exit 3 when the PDF step cannot run.

    With *template* (its bytes and the path to show), the fonts listed are
    the template's, and each one LibreOffice would replace is warned about;
    *fonts_dir* is ``--fonts DIR``, searched first as a build searches it.
    """
    ok = True
    soffice = find_soffice()
    version = libreoffice_version()
    click.echo(f"LibreOffice: {soffice or _('not found')} {version or ''}".rstrip())
    python = find_uno_python()
    click.echo(_("uno-capable Python: {python}").format(python=python or _("not found")))
    ok = bool(soffice and python)
    names = template_fonts(template[0]) if template else list(FONT_NAMES)
    click.echo(_("fonts (requested name -> file that draws it):"))
    for name, path in resolve_fonts(fonts_dir, tuple(names)).items():
        click.echo(f"  {name} -> {path or _('not found')}")
    if template is not None:
        for font, fallback in unmapped_fonts(names, fonts_dir).items():
            click.echo(_("{template}:1:1: [warning] the template asks for the font {font}, which "
                         "this machine lacks and perfdoc's fonts.conf does not map; the PDF "
                         "will use {fallback} instead (font)").format(
                template=template[1], font=font, fallback=fallback or _("a fallback face")),
                err=True)
    if not ok:
        click.echo(_("missing: install with `perfdoc doctor --install` (Debian or Ubuntu: "
                     "{packages})").format(packages=apt_packages()), err=True)
        return 3
    return 0


def install_system_packages(*, with_test_deps: bool) -> int:
    """Install the system packages of data/system-packages.txt; return the exit code.

    The script runs apt-get as root, or through sudo for another user; it
    does nothing when everything is already there.  A failure is the
    environment's (exit 3).
    """
    if os.geteuid() != 0 and shutil.which("sudo") is None:
        click.echo(_("installing system packages needs root or sudo"), err=True)
        return 3
    with as_file(files("perfdoc") / "data" / "install-system-deps.sh") as script:
        args = ["bash", str(script)] + (["--with-test-deps"] if with_test_deps else [])
        done = subprocess.run(args, check=False)
    return 0 if done.returncode == 0 else 3
