"""Start a new document folder to fill in (``perfdoc init``).

A new user's first hour should go to writing the 绩效文本, not to learning the
file shapes.  So ``init`` writes a folder that validates and builds at once:
every key the document needs is there, each with a Chinese comment above it
saying what it prints and how to write it, and every value nobody knows yet is
marked 【待填写】 (text) or 0 (a 预算数).  The ``placeholder`` rule lists those
as warnings, which is the to-do list; they never stop ``perfdoc build``.

The placeholders are chosen so that no other rule turns them into an error
that would refuse the build: the spending plan is 0/0/0/100, each project has
one indicator of every kind ``indicator-coverage`` asks for, and codes and
names are numbered so that ``duplicate-project`` sees no two alike.

The files are written by the import writer (``imports/write.py``): same key
order, same quoting, same schema lines.  The editor setup matches import's
too: the schemas are copied to ``.perfdoc/schemas/`` at the workspace root,
and VS Code's ``.vscode/settings.json`` there maps them to the three file
shapes; an existing settings file is merged, never overwritten.
"""

from __future__ import annotations

import datetime
import json
import os
import shlex
import tempfile
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import click
from pydantic import TypeAdapter, ValidationError

from perfdoc.document import (
    DOCUMENT_FILE,
    GOALS_FILE,
    PROJECTS_DIR,
    load_document,
    project_files,
)
from perfdoc.errors import EnvironmentProblem, UsageError
from perfdoc.i18n import Whole, _
from perfdoc.imports.draft import Number, Part
from perfdoc.imports.write import SCHEMA_HOME, relative, render_part, schema_dir
from perfdoc.imports.xlsx import placeholder_document, placeholder_goals
from perfdoc.model import Text
from perfdoc.problems import Level, Problem, display_path
from perfdoc.rules.placeholder import MARKER

#: The year range the schema accepts (model.Year).
MIN_YEAR, MAX_YEAR = 1900, 2200
#: More project files than this is a typing mistake, not a budget.
MAX_PROJECTS = 999
#: What VS Code reads; relative schema paths in it are relative to its workspace folder.
SETTINGS_FILE = Path(".vscode") / "settings.json"
#: The settings key of VS Code's YAML extension (redhat.vscode-yaml).
YAML_SCHEMAS = "yaml.schemas"
#: Which files each schema checks, as ``yaml.schemas`` globs.
SCHEMA_GLOBS = {
    "document": ["**/document.yaml"],
    "goals": ["**/goals.yaml"],
    "project": ["**/projects/*.yaml"],
}

# One indicator row per kind indicator-coverage requires by default, each with
# an example from examples/sanjia_2024 in its comment: (一级, 二级, short name,
# example).  A 时效 value must name a time (timeliness-value), so its
# placeholder says what to write in words the rule recognises.
_ROWS = (
    ("产出指标", "数量指标", "数量", "如“开展帮扶活动次数”，指标值“>15 次”"),
    ("产出指标", "质量指标", "质量", "如“工作队员后勤保障率”，指标值“100%”"),
    ("产出指标", "时效指标", "时效", "如“报账时间”，指标值“≤7 工作日”"),
    ("产出指标", "成本指标", "成本", "如“资金总成本”，指标值“≤6 万元”，不超过预算数"),
    ("效益指标", "社会效益指标", "社会效益",
     "如“促进帮扶群众收入提升”，指标值“≥5%”；效益指标也可以是经济效益指标、生态效益指标、"
     "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标", "满意度", "如“群众满意度”，指标值“≥95%”"),
)
_TIME_VALUE = f"{MARKER}完成时限，如日期或工作日"


def next_year() -> int:
    """Return the default year: budgets are drafted the year before they run."""
    return datetime.date.today().year + 1


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class Answers:
    """What the new document is for; ``unit`` is ``None`` until someone fills it in."""

    unit: str | None
    year: int
    projects: int


def _unit_or_none(value: str) -> str | None:
    """Return the unit typed, ``None`` for nothing; refuse what the schema would refuse."""
    if not value.strip():
        return None
    try:
        TypeAdapter(Text).validate_python(value)
    except ValidationError:
        raise click.BadParameter(_("the unit name must be one line of visible text, not "
                                   "{value}").format(value=repr(value))) from None
    return value.strip()


def ask_missing(unit: str | None, year: int | None, projects: int | None, *,
                interactive: bool) -> Answers:
    """Complete the values not given on the command line.

    On a terminal each missing value is asked for, with the default offered;
    anywhere else (a script, CI) the defaults are used, because a prompt
    nobody can answer would hang the run.
    """
    try:
        given = _unit_or_none(unit) if unit is not None else None
    except click.BadParameter as exc:
        raise UsageError(f"--unit: {exc.message}") from None
    if interactive and unit is None:
        given = click.prompt(_("Unit name (Enter to fill it in later)"), default="",
                             show_default=False, value_proc=_unit_or_none)
    if year is None:
        year = next_year()
        if interactive:
            year = click.prompt(_("Budget year"), default=year,
                                type=click.IntRange(MIN_YEAR, MAX_YEAR))
    if projects is None:
        projects = 1
        if interactive:
            projects = click.prompt(_("Number of projects"), default=projects,
                                    type=click.IntRange(1, MAX_PROJECTS))
    return Answers(given, year, projects)


# --------------------------------------------------------------------------- the files


def document_part(answers: Answers) -> Part:
    """Return document.yaml: the import's placeholder document, commented key by key.

    The unit code, table unit name and money unit go here once, shared by
    every project, so a new document has one place to fill them in.
    """
    part = placeholder_document(answers.unit, answers.year,
                                unit_code=f"{MARKER}单位编码",
                                unit_name=answers.unit or f"{MARKER}表上单位名称",
                                money_unit="万元")
    part.comments = {
        "unit": "单位名称：编制单位全称，印在封面上，也用作输出文件名",
        "year": "年度：预算年度，封面标题印作“<年度>年部门预算绩效文本”",
        "unit_code": "单位编码：印在每张项目绩效目标表上方，6 位数字，如 912001；"
                     "某个项目不同时，在该项目文件里另写 unit_code",
        "unit_name": "表上单位名称：印在每张表上方单位编码之后，如“××人民政府本级”；"
                     "项目文件可另写 unit_name",
        "money_unit": "金额单位：各表右上方的“单位：万元”，预算数按此单位填写（万元或元）",
        "cover": "封面",
        "cover.title": "标题：印作“<年度>年部门预算绩效文本”",
        "cover.draft_marker": "草案标记：印在标题下一行；留空则不印",
        "cover.compiled_by": "编制单位行，如“××人民政府编制”",
        "cover.reviewed_by": "审核单位行，如“××县财政局审核”；不印此行可整行删去",
        "settings": "设置，均可省略；还可写 template（重排版的模板）、checks（检查规则）、"
                    "date、numbering，见 docs/format.md",
        "settings.decimals": "金额小数位：金额按此位数印出，填写时也不得超过此位数",
        "settings.profile": "指标体系：default（财预〔2020〕10号）或 101（财预〔2021〕101号）",
        "overall_goal": "总体绩效目标：印在第一部分“一、总体绩效目标”下；每个非空行是一段",
    }
    return part


def goals_part() -> Part:
    """Return goals.yaml: the import's placeholder goals, commented key by key."""
    part = placeholder_goals()
    part.comments = {
        "itemized_goals": "分项绩效目标：第一部分“二、分项绩效目标”，自动编号“1、”；"
                          "可写多项，每项以“- title:”开头",
        "itemized_goals.0.title": "标题：该项的标题，不写编号",
        "itemized_goals.0.goal": "绩效目标：接在加粗的“绩效目标：”之后；每行一段",
        "itemized_goals.0.indicators": "绩效指标：接在加粗的“绩效指标：”之后；每行一段",
        "measures": "工作保障措施：第一部分“三、工作保障措施”，自动编号“1.”；"
                    "可写多条，每条以“- lead:”开头",
        "measures.0.lead": "要点句：加粗印在该条开头，如“加强组织领导，完善绩效制度。”",
        "measures.0.body": "正文：接在要点句之后；每行一段",
    }
    return part


def project_part(number: int) -> Part:
    """Return the project file of project *number*, which no rule refuses to build.

    Its 项目编码 and 项目名称 carry the number, because two projects with
    the same code are an error (duplicate-project) and the same name a
    warning.
    """
    part = Part()
    values = part.values
    values["code"] = f"{MARKER}项目{number}编码"
    values["name"] = f"{MARKER}项目{number}名称"
    # 0 is the placeholder rule's other mark; fiscal 0 keeps budget-sum quiet
    # now and makes it speak if 预算数 is filled in without its parts.
    values["budget"] = {"total": Number("0"), "fiscal": Number("0"), "other": None}
    values["use_of_funds"] = f"{MARKER}资金用途"
    # Cumulative and ending at 100, as spending-plan requires.
    values["funding_plan"] = {"mar": Number("0"), "jun": Number("0"), "oct": Number("0"),
                              "dec": Number("100")}
    values["goals"] = [f"{MARKER}项目绩效目标"]
    rows = []
    for level1, level2, short, _example in _ROWS:
        rows.append({
            "level1": level1,
            "level2": level2,
            "name": f"{MARKER}{short}指标名称",
            "description": f"{MARKER}指标描述",
            "value": _TIME_VALUE if level2 == "时效指标" else f"{MARKER}指标值",
            "basis": f"{MARKER}指标值确定依据",
        })
    values["indicators"] = rows
    part.comments = {
        "code": "项目编码：预算系统中的编码，如 13082124P00011110021J。单位编码、表上单位名称"
                "和金额单位取自 document.yaml，本项目不同时可在此另写 unit_code、unit_name、"
                "money_unit",
        "name": "项目名称：印在表中，也是表题“N.<项目名称>绩效目标表”，列入目录",
        "budget": "预算规模，金额单位见 money_unit（默认万元）：只写数字，不带单位，如 6.19",
        "budget.total": "预算数：等于财政资金与其他资金之和",
        "budget.fiscal": "其中：财政资金",
        "budget.other": "其他资金：没有就留空",
        "use_of_funds": "资金用途：印在预算规模下一行；不需要可整行删去",
        "funding_plan": "资金支出计划（%）：各时点的累计支出比例，0–100 的数字，不带 %，"
                        "只增不减",
        "funding_plan.mar": "3月底",
        "funding_plan.jun": "6月底",
        "funding_plan.oct": "10月底",
        "funding_plan.dec": "12月底：应为 100",
        "goals": "绩效目标：每条一行，自动编号“1.”；可写多条",
        "indicators": "绩效指标：每行一个三级指标，一级指标相同的行写在一起。每个项目须有产出、"
                      "效益、满意度指标，产出指标须有数量、质量、时效、成本指标"
                      "（见 docs/rules.md）",
        "indicators.0.level1": "一级指标：产出指标、效益指标或满意度指标",
        "indicators.0.level2": f"二级指标：如数量指标、质量指标、时效指标、成本指标。"
                               f"本行{_ROWS[0][1]}{_ROWS[0][3]}",
        "indicators.0.name": "三级指标：指标名称",
        "indicators.0.description": "绩效指标描述：说明指标衡量什么，不要只重复指标名称；可留空",
        "indicators.0.value": "指标值：照写照印，如 ≥95%、>15 次、≤7 工作日；"
                              "以 > 开头时写在引号里，如 \">15 次\"",
        "indicators.0.basis": "指标值确定依据：如资金拨付单、调查问卷；可留空",
    }
    # Each later row opens with its example.  The first row's goes into its
    # level2 comment: a comment on the row itself would sit above the
    # comments of its first key, at a different indentation.
    for n, (_level1, level2, _short, example) in enumerate(_ROWS[1:], start=1):
        part.comments[f"indicators.{n}"] = f"{level2}：{example}"
    return part


# --------------------------------------------------------------------------- VS Code


class SettingsStatus(Enum):
    """What became of ``.vscode/settings.json``."""

    CREATED = "created"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    LEFT_ALONE = "left alone"  # it could not be merged; the user is told what to add


def schema_mapping() -> dict[str, list[str]]:
    """Return perfdoc's ``yaml.schemas`` entries, relative to the workspace root.

    yaml-language-server resolves a relative schema path against the folder
    VS Code has open, which is the folder holding ``.vscode/``.  The ``./``
    keeps it from mistaking the path for one that starts with the name of
    another folder of a multi-root workspace.
    """
    home = SCHEMA_HOME.as_posix()
    return {f"./{home}/{name}.schema.json": list(globs) for name, globs in SCHEMA_GLOBS.items()}


def _merged(current: dict[str, Any], ours: dict[str, list[str]]) -> dict[str, Any] | str:
    """Return *current* ``yaml.schemas`` with perfdoc's globs added; nothing is taken out.

    A glob or a list of globs already given for one of perfdoc's schemas is
    kept.  Any other value there is the user's to sort out: the reason is
    returned instead of a mapping, and the file is left alone.
    """
    result = dict(current)
    for schema, globs in ours.items():
        present = result.get(schema)
        if present is None:
            have: list[Any] = []
        elif isinstance(present, str):
            have = [present]
        elif isinstance(present, list):
            have = list(present)
        else:
            return _("its {key} entry for {schema} is neither a glob nor a list of globs").format(
                key=YAML_SCHEMAS, schema=schema)
        result[schema] = have + [g for g in globs if g not in have]
    return result


@dataclass
class SettingsOutcome:
    """The settings file, what happened to it, and why it was left alone if it was."""

    path: Path
    status: SettingsStatus
    reason: str = ""


def vscode_settings(root: Path) -> SettingsOutcome:
    """Map perfdoc's schemas in *root*'s ``.vscode/settings.json``, merging into what is there.

    Every other key and every other ``yaml.schemas`` entry is kept.  VS Code
    allows comments and trailing commas in this file, which JSON does not: a
    file that is not plain JSON is left exactly as it is, because rewriting it
    would drop the comments, and the caller tells the user what to add.
    """
    path = root / SETTINGS_FILE
    ours = schema_mapping()
    if not path.exists():
        _write_json(path, {YAML_SCHEMAS: ours})
        return SettingsOutcome(path, SettingsStatus.CREATED)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        # RecursionError: nested deeper than the json module reads.
        return SettingsOutcome(path, SettingsStatus.LEFT_ALONE,
                               _("it is not plain JSON ({error})").format(error=str(exc)))
    if not isinstance(data, dict):
        return SettingsOutcome(path, SettingsStatus.LEFT_ALONE, _("it does not hold a JSON object"))
    current = data.get(YAML_SCHEMAS, {})
    if not isinstance(current, dict):
        return SettingsOutcome(path, SettingsStatus.LEFT_ALONE,
                               _("its {key} is not a JSON object").format(key=YAML_SCHEMAS))
    merged = _merged(current, ours)
    if isinstance(merged, str):
        return SettingsOutcome(path, SettingsStatus.LEFT_ALONE, merged)
    if merged == current and YAML_SCHEMAS in data:
        return SettingsOutcome(path, SettingsStatus.UNCHANGED)
    data[YAML_SCHEMAS] = merged
    _write_json(path, data)
    return SettingsOutcome(path, SettingsStatus.MERGED)


def settings_snippet() -> str:
    """Return the lines to add to a settings file perfdoc could not merge into."""
    body = json.dumps({YAML_SCHEMAS: schema_mapping()}, ensure_ascii=False, indent=4)
    return body.strip()[1:-1].strip("\n")  # the entry itself, without the outer braces


def _write_json(path: Path, data: dict[str, Any]) -> None:
    # Through a temporary file: an interrupted run must not leave the user's
    # editor settings half-written.
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=4) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".perfdoc-tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- init


@dataclass
class Initialized:
    """What ``init`` wrote, for the report, and any problem found loading it back."""

    folder: Path
    written: list[Path]
    schemas: Path
    settings: SettingsOutcome
    problems: list[Problem] = field(default_factory=list)


def refuse_existing(folder: Path, *, force: bool) -> None:
    """Refuse a folder that holds anything (a document above all) unless *force*.

    The files a new document replaces may be a year of work, so a non-empty
    folder needs ``--force``, exactly as for ``perfdoc import``.
    """
    try:
        full = folder.is_dir() and any(folder.iterdir())
    except OSError as exc:  # a folder perfdoc may not list, it may not write either
        raise EnvironmentProblem(_("cannot write {path}: {reason}").format(
            path=display_path(folder), reason=exc.strerror or exc)) from None
    if full and not force:
        raise UsageError(_("{path} exists and is not empty; use --force to replace its "
                           "document").format(path=display_path(folder)))


def _file_names(count: int) -> list[str]:
    # Zero-padded to one width, so that file-name order is the projects' order.
    width = max(2, len(str(count)))
    return [f"{n:0{width}d}.yaml" for n in range(1, count + 1)]


def init_document(folder: Path, answers: Answers, *, force: bool) -> Initialized:
    """Write a new document folder for *answers* into *folder*; see the module's docstring.

    With *force*, document.yaml, goals.yaml and the project files are
    replaced, and project files this run did not write are removed (they
    would join the new document); every other file is left alone.
    """
    refuse_existing(folder, force=force)
    target = folder
    try:
        projects_dir = folder / PROJECTS_DIR
        projects_dir.mkdir(parents=True, exist_ok=True)
        schemas = schema_dir(folder)
        written: list[Path] = []

        def write(part: Part, path: Path, schema: str, title: str) -> None:
            nonlocal target
            target = path
            rel = relative(schemas / f"{schema}.schema.json", path.parent)
            path.write_text(render_part(part, rel, title), encoding="utf-8")
            written.append(path)

        write(document_part(answers), folder / DOCUMENT_FILE, "document",
              "文档基本信息：单位、年度、封面与总体绩效目标。标有【待填写】的地方都要改为实际内容，"
              "perfdoc check 会一一列出")
        write(goals_part(), folder / GOALS_FILE, "goals",
              "部门整体绩效目标：分项绩效目标与工作保障措施")
        names = _file_names(answers.projects)
        for n, name in enumerate(names, start=1):
            write(project_part(n), projects_dir / name, "project",
                  f"预算项目绩效目标表：第 {n} 个项目。每个项目一个文件，按文件名顺序排列，"
                  "可改名为如 01-zhucun.yaml")
        # Exactly the files perfdoc reads as projects, and no others.
        for stale in project_files(folder):
            if stale.is_file() and stale not in written:
                target = stale
                stale.unlink()
        target = schemas.parent.parent / SETTINGS_FILE
        settings = vscode_settings(schemas.parent.parent)
    except OSError as exc:
        raise EnvironmentProblem(_("cannot write {path}: {reason}").format(
            path=display_path(target), reason=exc.strerror or exc)) from None
    # The folder must load as perfdoc reads it; a problem here is init's bug.
    _doc, problems = load_document(folder, folder)
    return Initialized(folder, written, schemas, settings,
                       [p for p in problems if p.level is Level.ERROR])


def report(result: Initialized) -> tuple[list[str], list[str]]:
    """Return what to print about *result*: the report for stdout, the warnings for stderr.

    The report lists what was written and the next step; a settings file
    left alone is a warning, followed by the entry to add to it.
    """
    shown = display_path(result.folder)
    lines = [_("wrote {n} file(s) into {path}").format(n=len(result.written), path=shown)]
    lines += [f"  {display_path(path)}" for path in result.written]
    lines.append(_("schemas for editors: {path}").format(path=display_path(result.schemas)))
    settings = display_path(result.settings.path)
    warnings: list[str] = []
    status = result.settings.status
    if status is SettingsStatus.CREATED:
        lines.append(_("wrote {path}: VS Code checks the YAML files against the schemas")
                     .format(path=settings))
    elif status is SettingsStatus.MERGED:
        lines.append(_("added the schemas to {key} in {path}").format(key=YAML_SCHEMAS,
                                                                       path=settings))
    elif status is SettingsStatus.UNCHANGED:
        lines.append(_("{path} already maps the schemas").format(path=settings))
    else:
        # The reason is perfdoc's own sentence, not a quoted value: never shortened.
        warnings.append(_("{path} was left unchanged: {reason}. To have VS Code check the "
                          "YAML files against the schemas, add this to it:").format(
                              path=settings, reason=Whole(result.settings.reason)))
        warnings.append(settings_snippet())
    command = shlex.quote(shown)
    lines.append(_("Next: replace every 【待填写】 with the real text, then run:"))
    lines += [f"  perfdoc check {command}", f"  perfdoc build {command}"]
    return lines, warnings
