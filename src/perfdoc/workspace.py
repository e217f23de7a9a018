"""Find documents and workspaces, read ``perfdoc.toml``, and enforce the path rules.

A folder holding ``document.yaml`` is a document; a folder holding document
folders at any depth is a workspace (docs/cli.md, "Documents and workspaces").
Files inside a document may refer only to paths inside that document or
inside the workspace root that holds a ``perfdoc.toml``.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from perfdoc.document import is_inside
from perfdoc.i18n import _
from perfdoc.layout import CONFIG_FILE as CONFIG_FILE  # re-exported
from perfdoc.layout import MAX_TIMEOUT as MAX_TIMEOUT  # re-exported
from perfdoc.layout import find_documents as find_documents  # re-exported
from perfdoc.model import RuleSetting
from perfdoc.problems import Level, Problem, display_path
from perfdoc.validate import schema_problems
from perfdoc.yamlfile import Path_

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class ConverterConfig(BaseModel):
    """[converter] in perfdoc.toml."""

    model_config = ConfigDict(extra="forbid")
    # Strict: TOML has real numbers, so "120" (a string) or true is a mistake.
    timeout: float = Field(120, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False, strict=True,
                           title="转换超时（秒）")
    restart_after: int = Field(200, ge=1, strict=True, title="转换多少次后重启 LibreOffice")
    jobs: int | None = Field(None, ge=1, strict=True, title="并行转换进程数")


class RenderConfig(BaseModel):
    """[render] in perfdoc.toml."""

    model_config = ConfigDict(extra="forbid")
    timeout: float | None = Field(None, gt=0, le=MAX_TIMEOUT, allow_inf_nan=False,
                                  strict=True, title="模板渲染超时（秒）")


class WorkspaceConfig(BaseModel):
    """perfdoc.toml: settings shared by every document in a workspace."""

    model_config = ConfigDict(extra="forbid")
    template: str | None = Field(None, title="共用模板")
    profile: str | None = Field(None, title="指标体系")
    checks: dict[str, RuleSetting | bool] = Field(default_factory=dict, title="检查规则")
    converter: ConverterConfig = Field(default_factory=ConverterConfig, title="转换设置")
    render: RenderConfig = Field(default_factory=RenderConfig, title="渲染设置")


@dataclass
class Workspace:
    """The workspace a document belongs to; ``root`` is ``None`` without a perfdoc.toml."""

    root: Path | None
    config: WorkspaceConfig = field(default_factory=WorkspaceConfig)


def _toml_problem(path: Path, exc: Exception) -> Problem:
    m = re.search(r"line (\d+), column (\d+)", str(exc))
    line, col = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
    return Problem(display_path(path), line, col, Level.ERROR, "schema",
                   _("perfdoc.toml is not valid TOML: {reason}").format(reason=exc))


def find_workspace(start: Path) -> tuple[Workspace, list[Problem]]:
    """Return the workspace of the nearest ``perfdoc.toml`` at or above *start*."""
    for folder in (start.resolve(), *start.resolve().parents):
        cfg = folder / CONFIG_FILE
        if cfg.is_file():
            info = cfg.stat()
            workspace, problems = _read_config(folder, info.st_mtime_ns, info.st_size,
                                               os.getcwd())
            return workspace, list(problems)
    return Workspace(None), []


@functools.lru_cache(maxsize=32)
def _read_config(folder: Path, _mtime: int, _size: int,
                 _cwd: str) -> tuple[Workspace, tuple[Problem, ...]]:
    """Read and validate *folder*'s perfdoc.toml once per version of the file.

    Every document of a batch asks for its workspace while it is named,
    checked and built; the file is read once, and again only if it changed
    (the modification time and size are part of the key, and so is the
    working directory, which the problems' paths are relative to).
    """
    cfg = folder / CONFIG_FILE
    try:
        data: dict[str, Any] = tomllib.loads(cfg.read_text(encoding="utf-8"))
        return Workspace(folder, WorkspaceConfig.model_validate(data)), ()
    except tomllib.TOMLDecodeError as exc:
        return Workspace(folder), (_toml_problem(cfg, exc),)
    except ValidationError as exc:
        source = TomlSource(cfg, prefix=())
        return Workspace(folder), tuple(schema_problems(exc, data, WorkspaceConfig,
                                                        source.located))
    except (OSError, UnicodeDecodeError) as exc:
        return Workspace(folder), (Problem(display_path(cfg), 1, 1, Level.ERROR, "io",
                                           str(exc)),)


class TomlSource:
    """Keys of perfdoc.toml, located by searching its text.

    ``tomllib`` keeps no positions, so each key of the path is looked for in
    turn, as a key (``name =``) or a table-header part (``[checks.name]``),
    starting where the previous one was found.
    """

    def __init__(self, path: Path, prefix: Path_ = ("checks",)) -> None:
        self.display = display_path(path)
        self.prefix = prefix
        try:
            self.text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self.text = ""

    def locate(self, at: Path_, *, value: bool = False) -> tuple[int, int]:
        """Return the 1-based line and column of the last key of *at* that can be found.

        With ``value=True`` the position is that of the key's value, after ``=``.
        """
        pos, found = 0, None
        for part in (*self.prefix, *at):
            name = re.escape(str(part))
            m = re.compile(rf"(?<![\w-])([\"']?){name}\1(?=\s*[=.\]])").search(self.text, pos)
            if m is None:
                break
            pos, found = m.end(), m.start()
        if found is None:
            return 1, 1
        if value:
            m = re.compile(r"\s*=\s*").match(self.text, pos)
            found = m.end() if m else found
        line = self.text.count("\n", 0, found) + 1
        return line, found - (self.text.rfind("\n", 0, found) + 1) + 1

    def problem(self, at: Path_, message: str, *, key: bool = False) -> Problem:
        """Build a schema problem located at *at*'s key (``key`` is accepted like YamlFile's)."""
        return self.located(at, message, rule="schema", key=True)

    def located(self, at: Path_, message: str, *, rule: str, key: bool = False) -> Problem:
        """Build a problem at *at*: at the key with ``key``, else at its value."""
        line, col = self.locate(at, value=not key)
        return Problem(self.display, line, col, Level.ERROR, rule, message)


def config_location(root: Path, key: str) -> tuple[int, int]:
    """Return the line and column of a top-level *key*'s value in ``perfdoc.toml``."""
    return TomlSource(root / CONFIG_FILE, prefix=()).locate((key,), value=True)


def resolve_document_path(
    written: str, *, document: Path, workspace: Workspace
) -> Path | None:
    """Resolve a path written inside a document; ``None`` when it escapes the allowed folders.

    Symlinks are resolved first, so a link pointing out of the folder is refused
    just like ``../`` or an absolute path.
    """
    candidate = Path(written)
    if candidate.is_absolute():
        return None
    bases = [document] + ([workspace.root] if workspace.root else [])
    target = document / candidate
    if any(is_inside(target, base) for base in bases):
        return target.resolve()
    return None
