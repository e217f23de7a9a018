"""Documents: the folder layout, and loading a whole folder through load and validate.

A folder holding ``document.yaml`` is a document.  ``load_document`` reads
its files (stage 1, ``load``), validates each against its model (stage 2,
``validate``) and returns a :class:`Document`, which every later stage reads:
the rules, the template context and the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from perfdoc.i18n import _

# Re-exported: the layout's names were defined here first, and are imported from here.
from perfdoc.layout import DOCUMENT_FILE as DOCUMENT_FILE
from perfdoc.layout import GOALS_FILE as GOALS_FILE
from perfdoc.layout import PROJECTS_DIR as PROJECTS_DIR
from perfdoc.layout import project_files as project_files
from perfdoc.load import load_yaml
from perfdoc.model import DocumentFile, GoalsFile, ProjectFile
from perfdoc.problems import Level, Problem, display_path
from perfdoc.validate import field_label, validate_file
from perfdoc.yamlfile import YamlFile

M = TypeVar("M", bound=BaseModel)

DEFAULT_MONEY_UNIT = "万元"
#: Fields a project may leave to document.yaml.
SHARED_FIELDS = ("unit_code", "unit_name", "money_unit")


@dataclass
class Project:
    """One project table with the file it came from."""

    source: YamlFile
    model: ProjectFile
    # The line above the table, resolved: the project's own value, else
    # document.yaml's default (money_unit: else 万元).  ``from_document`` names
    # the fields that came from document.yaml, so problems point there.
    unit_code: str = ""
    unit_name: str = ""
    money_unit: str = DEFAULT_MONEY_UNIT
    from_document: frozenset[str] = frozenset()

    @property
    def stem(self) -> str:
        """The file name without extension, e.g. ``01-zhucun``."""
        return self.source.path.stem


@dataclass
class Document:
    """A validated document folder."""

    folder: Path
    meta: DocumentFile
    goals: GoalsFile
    projects: list[Project]
    sources: dict[str, YamlFile] = field(default_factory=dict)


def _load(path: Path, model: type[M]) -> tuple[YamlFile | None, M | None, list[Problem]]:
    yf, problems = load_yaml(path, display_path(path))
    if yf is None:
        return None, None, problems
    instance, more = validate_file(yf, model)
    return yf, instance, problems + more


def is_inside(path: Path, root: Path) -> bool:
    """Say whether *path*, with symlinks resolved, lies inside *root*."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def outside(path: Path, bases: Sequence[Path]) -> Problem | None:
    """Refuse *path* when, links resolved, it lies outside every folder of *bases*.

    A link to ``/etc/shadow`` saved as ``projects/03.yaml`` must not be read:
    its lines would come back quoted in messages.  The problem quotes nothing
    of the file.  *bases* is the document folder, then the workspace root if
    there is one.
    """
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if not path.is_symlink():
            return None  # simply missing: the load says so
        return Problem(display_path(path), 1, 1, Level.ERROR, "io",
                       _("this link points at nothing; replace it with the file"))
    except (OSError, RuntimeError):  # a loop of links
        return Problem(display_path(path), 1, 1, Level.ERROR, "io",
                       _("this link cannot be followed (the links form a loop); replace it "
                         "with the file"))
    if any(is_inside(real, base) for base in bases):
        return None
    if len(bases) == 1:
        message = _("this is a link to a place outside the document folder; perfdoc reads "
                    "only files inside it, so copy the file in")
    else:
        message = _("this is a link to a place outside the document folder and the "
                    "workspace; perfdoc reads only files inside them, so copy the file in")
    return Problem(display_path(path), 1, 1, Level.ERROR, "io", message)


def _resolve_shared(project: Project, meta: DocumentFile) -> list[Problem]:
    """Fill the project's unit line from document.yaml where the project leaves it out."""
    problems = []
    for name in SHARED_FIELDS:
        own, default = getattr(project.model, name), getattr(meta, name)
        if own is not None:
            setattr(project, name, own)
        elif default is not None:
            setattr(project, name, default)
            project.from_document |= {name}
        elif name != "money_unit":
            problems.append(project.source.problem((), _(
                "missing required field {field}: write it here, or once in document.yaml "
                "for every project").format(field=field_label(ProjectFile, (name,))),
                rule="schema", key=True))
    return problems


def _decimal_places(doc: Document) -> list[Problem]:
    """Refuse money with more decimals than the document prints: never round silently."""
    decimals = doc.meta.settings.decimals
    step = Decimal(1).scaleb(-decimals)
    problems = []
    for project in doc.projects:
        for name in ("total", "fiscal", "other"):
            value = getattr(project.model.budget, name)
            if value is None or value == value.quantize(step):
                continue
            at = ("budget", name)
            # The suggestion rounds half up (四舍五入), as budget offices do.
            problems.append(project.source.problem(at, _(
                "{field} is {given}, with more decimal places than settings.decimals "
                "({decimals}); perfdoc never rounds money: write it with {decimals} decimals "
                "(e.g. {rounded}), or raise settings.decimals").format(
                    field=field_label(ProjectFile, at), given=f"{value:f}", decimals=decimals,
                    rounded=f"{value.quantize(step, rounding=ROUND_HALF_UP):f}"), rule="schema"))
    return problems


def allowed_bases(folder: Path, workspace_root: Path | None) -> list[Path]:
    """Return the folders a document's files may lie in: its own and the workspace root."""
    return [folder.resolve()] + ([workspace_root.resolve()] if workspace_root else [])


def load_document(
    folder: Path, workspace_root: Path | None = None, *, read: dict[Path, YamlFile] | None = None
) -> tuple[Document | None, list[Problem]]:
    """Load and validate a whole document folder, collecting every problem.

    Every file must lie inside *folder* or *workspace_root* (the folder of
    perfdoc.toml) once links are resolved; one that does not is refused unread.
    Files in *read* were loaded already (a batch reads document.yaml first to
    name the outputs) and are not read again.
    """
    problems: list[Problem] = []
    sources: dict[str, YamlFile] = {}
    bases = allowed_bases(folder, workspace_root)

    def load(path: Path, model: type[M]) -> tuple[YamlFile | None, M | None, list[Problem]]:
        refused = outside(path, bases)
        if refused is not None:
            return None, None, [refused]
        if read and path in read:
            yf = read[path]
            instance, found = validate_file(yf, model)
            return yf, instance, found
        return _load(path, model)

    meta_yf, meta, found = load(folder / DOCUMENT_FILE, DocumentFile)
    problems += found
    goals_path = folder / GOALS_FILE
    goals: GoalsFile | None = None
    if goals_path.exists() or goals_path.is_symlink():
        goals_yf, goals, found = load(goals_path, GoalsFile)
        problems += found
        if goals_yf:
            sources[GOALS_FILE] = goals_yf
    else:
        problems.append(
            Problem(display_path(goals_path), 1, 1, Level.ERROR, "io",
                    _("goals.yaml is missing: every document needs its itemized goals "
                      "and work-guarantee measures"))
        )
    if meta_yf:
        sources[DOCUMENT_FILE] = meta_yf

    projects: list[Project] = []
    pdir = folder / PROJECTS_DIR
    refused = outside(pdir, bases)
    paths = [] if refused else project_files(folder)
    if refused:
        problems.append(refused)
    elif not paths:
        problems.append(
            Problem(display_path(pdir), 1, 1, Level.ERROR, "io",
                    _("no project files: add at least one projects/NN-name.yaml"))
        )
    for path in paths:
        yf, model, found = load(path, ProjectFile)
        problems += found
        if yf is not None:
            sources[f"{PROJECTS_DIR}/{path.name}"] = yf
        if yf is not None and model is not None:
            projects.append(Project(yf, model))

    if meta is not None:
        for project in projects:
            problems += _resolve_shared(project, meta)
    if meta is None or goals is None or any(p.level is Level.ERROR for p in problems):
        return None, problems
    doc = Document(folder, meta, goals, projects, sources)
    places = _decimal_places(doc)
    if places:
        return None, problems + places
    return doc, problems
