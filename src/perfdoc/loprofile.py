"""A pre-initialised LibreOffice profile, private to the user, copied for each converter.

A converter's LibreOffice starts on an empty profile folder.  The first start
on an empty profile does one-off work (it writes the registry, copies the
autotext and gallery, runs its graphics self-test) that costs about 0.6 s of
the 2 s start-up, on every build.  So perfdoc keeps one profile that has
already started, and each converter starts on its own copy of it: the copy
takes milliseconds, and the converter still keeps everything in its own
``perfdoc-lo-*`` folder, thrown away at the end.

The one-off work LibreOffice repeats anyway.  At every start it runs its
graphics self-test (``GraphicsRenderTests``: shapes drawn on 4096-pixel
bitmaps, 1.3 s and 280,000 page faults of a 2.1 s conversion on a 2-core
machine) while the profile says this LibreOffice version is new to it
(``/org.openoffice.Setup/Product/ooSetupLastVersion`` below the running
version).  LibreOffice records the version only from a document's window
(where it offers "What's New"), so a headless one never does and tests
again at every start.  The template records it, as that window would have.

Private, or not used.  A LibreOffice profile can hold macros, extensions and
settings that run code, so a profile another user can write is their code
running as the build user.  The template lives in the user's own cache folder
(``~/.cache/perfdoc/``), made mode 0700; it is used only when it and the
folders holding it belong to this user and nobody else may write them.  It is
made in a private temporary folder beside it and renamed into place whole, so
a build never copies a half-made one, and two builds making it at once both
succeed.  Anything unexpected means an empty profile, as before: slower, never
wrong.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from perfdoc.usercache import cache_root, is_ours

#: How long the one-off start that makes the template may take.
MAKE_TIMEOUT = 60.0
#: Part of the template's name: a template made by an older perfdoc (without
#: the recorded version, see above) is not used, and a new one is made.
TEMPLATE_FORMAT = 2

# Converters of one build start in parallel; one of them makes the template.
_making = threading.Lock()


def template_path(version: str) -> Path:
    """Return where the template for LibreOffice *version* lives (it may not exist).

    *version* is ``libreoffice.libreoffice_identity()``: a new LibreOffice
    gets a new template, made by itself.
    """
    tag = hashlib.sha256(f"{TEMPLATE_FORMAT}:{version}".encode()).hexdigest()[:16]
    return cache_root() / f"lo-profile-{tag}"


def template(soffice: str, version: str | None, env: dict[str, str]) -> Path | None:
    """Return the private template profile, making it once if need be; ``None`` if unusable.

    *env* is the environment a converter's LibreOffice gets (fonts.conf, a
    private TMPDIR), so the one-off start sees what the converters will see.
    """
    if version is None or not hasattr(os, "getuid"):
        return None
    root = cache_root()
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    # The cache folder may be readable by others (an older perfdoc made it
    # 0755); only writing it would let them swap the template.
    if not is_ours(root, 0o022):
        return None
    path = template_path(version)
    with _making:
        if not path.exists():
            _make(soffice, path, env)
    return path if is_ours(path) and is_ours(path / "user") else None


def _make(soffice: str, path: Path, env: dict[str, str]) -> None:
    """Start LibreOffice once on a new profile and move the result to *path*."""
    try:
        work = Path(tempfile.mkdtemp(prefix=".making-", dir=path.parent))
    except OSError:
        return
    try:
        profile = work / "profile"
        (work / "blank.txt").write_text("perfdoc\n", encoding="utf-8")
        # A whole start and one small conversion: LibreOffice does its
        # first-start work (the registry, the graphics self-test) and loads
        # Writer and the PDF export once, then exits normally, so the profile
        # is complete and nothing is left running.
        office = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
             "--nofirststartwizard", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
             "--convert-to", "pdf", "--outdir", str(work / "out"), str(work / "blank.txt")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=env, cwd=work, start_new_session=True,
            preexec_fn=lambda: os.umask(0o077),  # noqa: PLW1509 - only sets the umask
        )
        try:
            office.wait(timeout=MAKE_TIMEOUT)
        except subprocess.TimeoutExpired:
            # Its own session: the whole group (oosplash, soffice.bin) goes.
            with contextlib.suppress(OSError):
                os.killpg(office.pid, signal.SIGKILL)
            office.wait()
            return
        settings = profile / "user" / "registrymodifications.xcu"
        if settings.is_file():
            record_version(settings)
            # Another build may have finished first: then theirs stays.
            with contextlib.suppress(OSError):
                profile.rename(path)
    except (OSError, subprocess.SubprocessError):
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)


def copy_into(template_dir: Path, profile: Path) -> bool:
    """Copy the template to *profile* (which must not exist); say whether it worked."""
    try:
        # Modes are copied too: the template's files are private already.
        shutil.copytree(template_dir, profile, symlinks=True)
        profile.chmod(0o700)
        return True
    except (OSError, shutil.Error):
        shutil.rmtree(profile, ignore_errors=True)
        return False


#: The namespace of LibreOffice's registry files (``oor:``).
_OOR = "http://openoffice.org/2001/registry"


def record_version(settings: Path) -> bool:
    """Record in *settings* (a profile's registrymodifications.xcu) that this version has run.

    The version is LibreOffice's major.minor (``libreoffice_version``); when
    it cannot be read, nothing is written and LibreOffice keeps testing its
    graphics at every start: slower, never wrong.  Says whether it wrote.
    """
    # Imported here: lxml is heavy, and only the one-off making needs it.
    from lxml import etree

    from perfdoc.libreoffice import libreoffice_version

    found = re.search(r"(\d+)\.(\d+)", libreoffice_version() or "")
    if found is None:
        return False
    try:
        tree = etree.parse(str(settings), etree.XMLParser(resolve_entities=False,
                                                          no_network=True))
    except (OSError, etree.XMLSyntaxError):
        return False
    item = etree.SubElement(tree.getroot(), "item")
    item.set(f"{{{_OOR}}}path", "/org.openoffice.Setup/Product")
    prop = etree.SubElement(item, "prop")
    prop.set(f"{{{_OOR}}}name", "ooSetupLastVersion")
    prop.set(f"{{{_OOR}}}op", "fuse")
    etree.SubElement(prop, "value").text = f"{found[1]}.{found[2]}"
    tree.write(str(settings), xml_declaration=True, encoding="UTF-8")
    return True
