"""Stage 3: run the domain rules (``perfdoc check``) over a validated document."""

from __future__ import annotations

from dataclasses import dataclass

from perfdoc.problems import Problem
from perfdoc.validate import Document
from perfdoc.workspace import Workspace


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    """Per-run rule switches: ``--enable`` and ``--disable``."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()


def check_document(doc: Document, ws: Workspace, opts: CheckOptions) -> list[Problem]:
    """Run every enabled rule over *doc* and return its located problems."""
    return []
