"""The document folder's layout: which files make a document, and where documents are.

Kept apart from ``document.py`` (which loads and validates) so that code which
only needs to *find* files, such as the command line before it starts the
converters, does not pay for importing pydantic and the models.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

CONFIG_FILE = "perfdoc.toml"  # marks a workspace's root
DOCUMENT_FILE = "document.yaml"
GOALS_FILE = "goals.yaml"
PROJECTS_DIR = "projects"
#: The longest conversion timeout perfdoc.toml or PERFDOC_TIMEOUT may set, in seconds:
#: no time limit above a day makes sense; it would only hide a hang.
MAX_TIMEOUT = 86400.0
# Folders never searched for documents: outputs, VCS data, virtualenvs.
SKIP_DIRS = frozenset({"build", ".git", ".venv", "venv", "node_modules", "__pycache__"})


def project_files(folder: Path) -> list[Path]:
    """Return the project files in table order: the file-name order."""
    pdir = folder / PROJECTS_DIR
    if not pdir.is_dir():
        return []
    return sorted(
        (p for p in pdir.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".")),
        key=lambda p: p.name,
    )


def source_files(folder: Path) -> list[Path]:
    """Return every file a document's build reads from its folder, as the loader finds them."""
    return [folder / DOCUMENT_FILE, folder / GOALS_FILE, *project_files(folder)]


def folder_argument(arg: str) -> Path | None:
    """Return the folder a DIR argument names, or ``None`` when it names no folder.

    ``perfdoc check sanjia/document.yaml`` means the document's folder.
    """
    path = Path(arg)
    if path.name == DOCUMENT_FILE and path.is_file():
        return path.parent
    return path if path.is_dir() else None


def find_documents(path: Path) -> list[Path]:
    """Return the document folders at or below *path*, in name order."""
    if (path / DOCUMENT_FILE).is_file():
        return [path]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        if DOCUMENT_FILE in filenames:
            found.append(Path(dirpath))
            dirnames[:] = []  # a document's own subfolders are not documents
    return found


def workspace_root(start: Path) -> Path | None:
    """Return the folder of the nearest ``perfdoc.toml`` at or above *start*, if any."""
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def read_stamp(path: Path) -> dict[str, Any]:
    """Return a build stamp's data, or an empty dict when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # deep nesting: json gives up, so do we
        return {}
    return data if isinstance(data, dict) else {}
