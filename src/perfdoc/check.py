"""Stage 3: run the domain rules (``perfdoc check``) over a validated document.

The rules live in ``perfdoc.rules``; this module is their runner.  It works out
each rule's configuration, layer by layer (run > document > workspace >
default), picks the indicator vocabulary, runs every enabled rule and stamps
the rule id and the configured level on what the rule found.
"""

from __future__ import annotations

import bisect
import codecs
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import ValidationError

from perfdoc.document import DOCUMENT_FILE, Document, load_document
from perfdoc.errors import UsageError
from perfdoc.i18n import Whole, _
from perfdoc.model import RuleSetting
from perfdoc.problems import Level, Problem
from perfdoc.rules import RULES, RuleContext
from perfdoc.rules.base import did_you_mean
from perfdoc.rules.vocab import DEFAULT_PROFILE, Vocabulary, available_profiles, load_vocabulary
from perfdoc.validate import schema_problems
from perfdoc.workspace import CONFIG_FILE, TomlSource, Workspace, find_workspace
from perfdoc.yamlfile import Path_, YamlFile

SCHEMA = "schema"


@dataclass(frozen=True, kw_only=True)
class CheckOptions:
    """Per-run rule switches: ``--enable`` and ``--disable``."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleConfig:
    """One rule's configuration once every layer has been applied."""

    enabled: bool
    level: Level
    options: dict[str, Any]


def check_folder(
    folder: Path, opts: CheckOptions, *, rules: bool = True,
    read: dict[Path, YamlFile] | None = None,
) -> tuple[Document | None, Workspace, list[Problem]]:
    """Load and validate one document folder and, when *rules*, run the rules over it.

    ``perfdoc check`` and ``perfdoc build`` both start here, so the two commands
    can never disagree about a document.  Files in *read* were loaded already.
    """
    ws, problems = find_workspace(folder)
    doc, found = load_document(folder, ws.root, read=read)
    problems += found
    if doc is not None and rules:
        problems += check_document(doc, ws, opts)
    return doc, ws, problems


def check_document(doc: Document, ws: Workspace, opts: CheckOptions) -> list[Problem]:
    """Run every enabled rule over *doc* and return its located problems."""
    # Stage: the command line is checked first; a wrong rule id there is a usage error.
    enable, disable = _run_switches(opts)
    # Stage: each rule's configuration, and the problems in that configuration.
    configs, problems = resolve_rules(doc, ws, enable=enable, disable=disable)
    # Stage: the indicator vocabulary of the chosen profile.
    vocab, found = document_vocabulary(doc, ws)
    problems += found
    project_vocab, found = project_vocabularies(doc)
    problems += found
    # Stage: the suppression comments of every file, and their mistakes.
    silenced: dict[Path, dict[int, set[str]]] = {}
    for yf in doc.sources.values():
        silenced[yf.path], found = suppressions(yf)
        problems += found
    # Stage: run the rules; the runner, not the rule, stamps id and level.
    for rule_id, rule in RULES.items():
        config = configs[rule_id]
        if not config.enabled:
            continue
        # Every layer's options were validated already, so this cannot fail.
        ctx = RuleContext(options=rule.Options.model_validate(config.options), vocab=vocab,
                          project_vocab=project_vocab)
        for f in rule.check(doc, ctx):
            problem = f.source.problem(f.at, f.message, rule=rule_id,
                                       level=f.level_under(config.level), key=f.key)
            if rule_id in silenced.get(f.source.path, {}).get(problem.line, ()):
                problem = replace(problem, suppressed=True)
            problems.append(problem)
    return problems


# --------------------------------------------------------------------------- suppression

#: What follows ``perfdoc:`` in a suppression comment: ``disable-line=RULE[,RULE…]``.
_DISABLE_LINE = re.compile(r"disable-line\s*=\s*([^\s,]+(?:\s*,\s*[^\s,]+)*)")

#: Where a comment may start: at the start of a line or after a space or a tab.
_HASH = re.compile(r"(?:^|(?<=[ \t]))#", re.MULTILINE)

#: What a file without any ``# perfdoc:`` comment lacks, in its bytes (ASCII in GB18030 too).
_MAYBE = re.compile(rb"#\s*perfdoc\s*:")

#: Every line break YAML knows, as "\n".
_BREAKS = str.maketrans({"\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})

#: The rule ids of problems that are not check findings; no comment silences them.
NOT_SUPPRESSIBLE = ("schema", "yaml", "io", "template", "import")


def suppressions(yf: YamlFile) -> tuple[dict[int, set[str]], list[Problem]]:
    """Return the check rules silenced on each line of *yf*, and the comments' mistakes.

    ``# perfdoc: disable-line=a,b`` at the end of a line silences the findings
    of rules ``a`` and ``b`` located on that line; alone on its line, it
    silences them on the line below.  A comment naming something other than
    a check rule, or written otherwise, is a ``schema`` warning at its ``#``.
    """
    lines: dict[int, set[str]] = {}
    problems: list[Problem] = []
    for line, col, alone, comment in _perfdoc_comments(yf):
        def warn(message: str, line: int = line, col: int = col) -> None:
            problems.append(Problem(yf.display, line, col, Level.WARNING, SCHEMA, message))

        match = _DISABLE_LINE.fullmatch(comment.partition(":")[2].strip())
        if match is None:
            warn(_("cannot read the comment '# {comment}'; a suppression comment reads "
                   "'# perfdoc: disable-line=RULE' (several rules separated by commas)").format(
                comment=comment))
            continue
        target = lines.setdefault(line + 1 if alone else line, set())
        for rule_id in (part.strip() for part in match.group(1).split(",")):
            if rule_id in RULES:
                target.add(rule_id)
            elif rule_id in NOT_SUPPRESSIBLE:
                warn(_("'{rule}' problems cannot be suppressed; a suppression comment "
                       "silences only the findings of check rules").format(rule=rule_id))
            else:
                warn(_("unknown rule '{rule}' in a suppression comment{hint} (the rules are: "
                       "{rules})").format(rule=rule_id, hint=did_you_mean(rule_id, RULES),
                                          rules=Whole(", ".join(RULES))))
    return lines, problems


def _perfdoc_comments(yf: YamlFile) -> Iterator[tuple[int, int, bool, str]]:
    """Yield each ``# perfdoc:`` comment of *yf*: line, column, alone on its line, its text.

    A ``#`` inside a quoted or block scalar is text, not a comment, so the
    file is scanned into YAML tokens and only what lies between them is read.
    """
    raw = yf.raw.removeprefix(codecs.BOM_UTF8)
    if not _MAYBE.search(raw):
        return  # the common case: no need to scan
    try:
        # One kind of line break, as the loader's, so lines are the editor's; YAML
        # also breaks lines at NEL, LS and PS, replaced one for one.
        text = raw.decode(yf.encoding).replace("\r\n", "\n").translate(_BREAKS)
        spans = sorted(_text_span(text, t) for t in yaml.scan(text, Loader=yaml.SafeLoader))
    except (UnicodeDecodeError, LookupError, yaml.YAMLError):
        return  # the loader reported this file already
    # Tokens with text do not overlap: the one that could hold a "#" starts last before it.
    spans = [(start, end) for start, end in spans if end > start]
    starts = [start for start, _end in spans]
    commented: set[int] = set()
    for hash_ in _HASH.finditer(text):
        at = hash_.start()
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < spans[i][1]:
            continue  # inside a token: text, not a comment
        line_start = text.rfind("\n", 0, at) + 1
        line = text.count("\n", 0, at) + 1
        if line in commented:
            continue  # a "#" inside a comment
        commented.add(line)
        line_end = text.find("\n", at)
        comment = text[at + 1:line_end if line_end >= 0 else len(text)].strip()
        head, sep, _rest = comment.partition(":")
        if sep and head.strip() == "perfdoc":
            yield line, at - line_start + 1, not text[line_start:at].strip(), comment


def _text_span(text: str, token: yaml.Token) -> tuple[int, int]:
    """Return where *token* holds text in *text*, as character offsets.

    A block scalar's header line (``key: |  # comment``) may end in a comment,
    so its text starts on the next line.
    """
    start, end = token.start_mark.index, token.end_mark.index
    if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
        newline = text.find("\n", start, end)
        start = end if newline < 0 else newline
    return start, end


# --------------------------------------------------------------------------- configuration


class _ConfigSource(Protocol):
    """Where a ``checks`` table was written, so its problems can be located."""

    def problem(self, at: Path_, message: str, *, key: bool = False) -> Problem:
        """Return a schema problem at *at*, a path below the ``checks`` table."""
        ...


@dataclass(frozen=True)
class _DocumentSource:
    """``settings.checks`` in document.yaml, located through the loader's positions."""

    yf: YamlFile
    prefix: Path_ = ("settings", "checks")

    def problem(self, at: Path_, message: str, *, key: bool = False) -> Problem:
        return self.yf.problem((*self.prefix, *at), message, rule=SCHEMA, key=key)


def _run_switches(opts: CheckOptions) -> tuple[set[str], set[str]]:
    """Return the rule ids of ``--enable`` and ``--disable``; refuse unknown ones."""
    chosen: dict[str, set[str]] = {}
    for flag, values in (("--enable", opts.enable), ("--disable", opts.disable)):
        # "--disable a,b" is accepted as well as "--disable a --disable b".
        ids = {part.strip() for v in values for part in v.split(",") if part.strip()}
        for rule_id in sorted(ids):
            if rule_id not in RULES:
                raise UsageError(
                    _("unknown rule '{rule}' in {flag}{hint} (the rules are: {rules})").format(
                        rule=rule_id, flag=flag, hint=did_you_mean(rule_id, RULES),
                        rules=Whole(", ".join(RULES)),
                    )
                )
        chosen[flag] = ids
    both = chosen["--enable"] & chosen["--disable"]
    if both:
        raise UsageError(
            _("rule '{rule}' is given to both --enable and --disable").format(rule=min(both))
        )
    return chosen["--enable"], chosen["--disable"]


def _apply(
    rule_id: str, setting: RuleSetting | bool, current: RuleConfig, source: _ConfigSource,
    problems: list[Problem],
) -> RuleConfig:
    """Return *current* changed by one layer's *setting*; report bad options.

    The layer's options are validated against the rule's ``Options`` model on
    their own, so a problem is reported where it was written; the options
    that pass override the layers below.
    """
    if isinstance(setting, bool):
        return replace(current, enabled=setting)
    model = RULES[rule_id].Options
    given: dict[str, Any] = {}
    for name, value in setting.options.items():
        if name in model.model_fields:
            given[name] = value
            continue
        known = Whole(", ".join(model.model_fields)) if model.model_fields else _("none")
        problems.append(source.problem(
            (rule_id, "options", name),
            _("unknown option '{option}' for rule {rule}{hint} (its options are: "
              "{options})").format(
                option=name, rule=rule_id, hint=did_you_mean(name, model.model_fields),
                options=known),
            key=True,
        ))
    try:
        model.model_validate(given)
    except ValidationError as exc:
        def at(at: Path_, message: str, *, rule: str, key: bool = False) -> Problem:
            return source.problem((rule_id, "options", *at), _(
                "option of rule {rule}: {message}").format(rule=rule_id, message=Whole(message)),
                key=key)

        problems.extend(schema_problems(exc, given, model, at))
        refused = {err["loc"][0] for err in exc.errors() if err["loc"]}
        given = {k: v for k, v in given.items() if k not in refused}
    # Only what this layer wrote overrides the layer below: a level given in
    # document.yaml must not re-enable a rule perfdoc.toml switched off.
    enabled = setting.enabled if "enabled" in setting.model_fields_set else current.enabled
    level = Level(setting.level) if setting.level is not None else current.level
    return RuleConfig(enabled, level, {**current.options, **given})


def resolve_rules(
    doc: Document, ws: Workspace, *, enable: Collection[str] = (), disable: Collection[str] = (),
) -> tuple[dict[str, RuleConfig], list[Problem]]:
    """Return each rule's configuration (run > document > workspace > default) and its problems.

    A configuration's options are the raw values each layer wrote that passed
    the rule's ``Options`` model; the defaults are the model's.
    """
    configs = {rid: RuleConfig(True, rule.LEVEL, {}) for rid, rule in RULES.items()}
    problems: list[Problem] = []
    layers: list[tuple[dict[str, RuleSetting | bool], _ConfigSource]] = []
    if ws.config.checks and ws.root is not None:
        layers.append((ws.config.checks, TomlSource(ws.root / CONFIG_FILE)))
    if doc.meta.settings.checks and DOCUMENT_FILE in doc.sources:
        layers.append((doc.meta.settings.checks, _DocumentSource(doc.sources[DOCUMENT_FILE])))
    for table, source in layers:
        for rule_id, setting in table.items():
            if rule_id not in RULES:
                problems.append(source.problem(
                    (rule_id,),
                    _("unknown rule '{rule}'{hint} (the rules are: {rules})").format(
                        rule=rule_id, hint=did_you_mean(rule_id, RULES),
                        rules=Whole(", ".join(RULES))
                    ),
                    key=True,
                ))
                continue
            configs[rule_id] = _apply(rule_id, setting, configs[rule_id], source, problems)
    for rule_id in enable:
        configs[rule_id] = replace(configs[rule_id], enabled=True)
    for rule_id in disable:
        configs[rule_id] = replace(configs[rule_id], enabled=False)
    return configs, problems


# --------------------------------------------------------------------------- vocabulary


def document_vocabulary(doc: Document, ws: Workspace) -> tuple[Vocabulary, list[Problem]]:
    """Return the profile's vocabulary: document > workspace > default."""
    settings = doc.meta.settings
    source: _ConfigSource | None = None
    if "profile" in settings.model_fields_set:
        name = settings.profile
        if DOCUMENT_FILE in doc.sources:
            source = _DocumentSource(doc.sources[DOCUMENT_FILE], prefix=("settings",))
    elif ws.config.profile is not None:
        name = ws.config.profile
        if ws.root is not None:
            source = TomlSource(ws.root / CONFIG_FILE, prefix=())
    else:
        name = DEFAULT_PROFILE
    vocab = load_vocabulary(name)
    if vocab is not None:
        return vocab, []
    profiles = available_profiles()
    message = _("unknown profile '{profile}'{hint} (the profiles are: {profiles}); "
                "the {default} profile is used instead").format(
        profile=name, hint=did_you_mean(name, profiles, cutoff=0.5),
        profiles=Whole(", ".join(profiles)), default=DEFAULT_PROFILE,
    )
    problems = [source.problem(("profile",), message)] if source is not None else []
    return Vocabulary.default(), problems


def project_vocabularies(doc: Document) -> tuple[dict[Path, Vocabulary], list[Problem]]:
    """Return the vocabulary of each project that names its own ``profile``."""
    found: dict[Path, Vocabulary] = {}
    problems: list[Problem] = []
    for project in doc.projects:
        name = project.model.profile
        if name is None:
            continue
        vocab = load_vocabulary(name)
        if vocab is not None:
            found[project.source.path] = vocab
            continue
        profiles = available_profiles()
        problems.append(project.source.problem(("profile",), _(
            "unknown profile '{profile}'{hint} (the profiles are: {profiles}); the document's "
            "profile is used for this project").format(
            profile=name, hint=did_you_mean(name, profiles, cutoff=0.5),
            profiles=Whole(", ".join(profiles))), rule=SCHEMA))
    return found, problems

