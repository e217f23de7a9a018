"""Stage 3: run the domain rules (``perfdoc check``) over a validated document.

The rules live in ``perfdoc.rules``; this module is their runner.  It works out
each rule's configuration, layer by layer (run > document > workspace >
default), picks the indicator vocabulary, runs every enabled rule and stamps
the rule id and the configured level on what the rule found.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

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
    vocab, found = _vocabulary(doc, ws)
    problems += found
    project_vocab, found = _project_vocabularies(doc)
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
            problems.append(
                f.source.problem(f.at, f.message, rule=rule_id, level=f.level_under(config.level),
                                 key=f.key)
            )
    return problems


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


def _vocabulary(doc: Document, ws: Workspace) -> tuple[Vocabulary, list[Problem]]:
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


def _project_vocabularies(doc: Document) -> tuple[dict[Path, Vocabulary], list[Problem]]:
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
