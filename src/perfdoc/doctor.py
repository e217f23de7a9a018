"""``perfdoc doctor``: say what the PDF step will use, and install what is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from importlib.resources import as_file, files

import click

from perfdoc.fonts import resolve_fonts
from perfdoc.i18n import _
from perfdoc.libreoffice import APT_PACKAGES, find_soffice, find_uno_python, libreoffice_version


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
        click.echo(_("missing: install with `perfdoc doctor --install` (Debian or Ubuntu: "
                     "{packages})").format(packages=APT_PACKAGES), err=True)
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
