"""Translate every user-facing string through one function.

Message ids are English; the Chinese catalog is the default because perfdoc's
users are Chinese finance staff.  Adding a language means adding a catalog under
``locale/<lang>/LC_MESSAGES/perfdoc.mo``, never editing code.
"""

from __future__ import annotations

import gettext
import importlib
import inspect
import os
import sys
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

DOMAIN = "perfdoc"
DEFAULT_LANG = "zh_CN"
_LANG_ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "cn": "zh_CN", "en": "en"}

_translation: gettext.NullTranslations | None = None

#: A message quotes at most this many characters of any one value.
MAX_QUOTED = 80


class Whole(str):
    """Text perfdoc composed itself, such as the list of rule ids: never shortened."""


def shorten(value: object) -> object:
    """Cut a long text to its start and "…"; other values pass unchanged."""
    if isinstance(value, str) and not isinstance(value, Whole) and len(value) > MAX_QUOTED:
        return value[: MAX_QUOTED - 1] + "…"
    return value


class Message(str):
    """A translated message whose ``format`` shortens every long value it quotes.

    Values come from the user's files (a 1 MB indicator, a pasted paragraph);
    shortening them here, once, means no message anywhere can repeat a
    megabyte of input, whoever writes the next rule.
    """

    def format(self, *args: object, **kwargs: object) -> str:  # noqa: D102 - str's API
        return str.format(self, *(shorten(a) for a in args),
                          **{k: shorten(v) for k, v in kwargs.items()})


def locale_dir() -> str:
    """Return the folder holding the compiled catalogs."""
    return str(files("perfdoc") / "locale")


def _known(lang: str) -> str | None:
    """Return the language *lang* names (``zh_CN``, ``en``, or a catalog's), or ``None``."""
    key = lang.strip().lower()
    if key in _LANG_ALIASES:
        return _LANG_ALIASES[key]
    if key.replace("-", "_").split(".")[0].split("_")[0] == "en":
        return "en"  # en_US, en-GB, en_US.UTF-8: English is the message-id language
    if gettext.find(DOMAIN, localedir=locale_dir(), languages=[lang]) is not None:
        return lang  # zh_CN.UTF-8, or a language whose catalog was added
    return None


def set_language(lang: str | None = None) -> str:
    """Select the language for this process; ``None`` reads ``PERFDOC_LANG``.

    A language perfdoc does not know falls back to Chinese; the CLI warns
    about it (see :func:`unknown_language_warning`).
    """
    global _translation
    chosen = _known(lang or os.environ.get("PERFDOC_LANG") or DEFAULT_LANG) or DEFAULT_LANG
    if chosen == "en":
        # English is the message-id language, so no catalog is needed.
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=locale_dir(), languages=[chosen], fallback=True
        )
    return chosen


def unknown_language_warning() -> str | None:
    """Return the warning for a ``PERFDOC_LANG`` perfdoc does not know, or ``None``."""
    value = os.environ.get("PERFDOC_LANG")
    if not value or _known(value) is not None:
        return None
    return _("warning: PERFDOC_LANG={value} is not a language perfdoc knows (zh or en); "
             "messages are in Chinese").format(value=value)


def _current() -> gettext.NullTranslations:
    if _translation is None:
        set_language()
    assert _translation is not None
    return _translation


def _(message: str, *, defer: bool = False) -> Message:
    """Translate *message* into the selected language.

    With ``defer=True`` *message* is only marked for the catalog and returned
    as it is: the help texts of the command line are written at import time,
    before the language is known, and :func:`localize_help` translates them
    when a run starts.
    """
    if defer:
        return Message(message)
    return Message(_current().gettext(message))


# --------------------------------------------------------------------------- click


def _click_gettext(message: str) -> str:
    return _current().gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    # Both forms are plain messages of perfdoc's catalog; Chinese has one form.
    return _current().gettext(singular if n == 1 else plural)


#: click's modules that translate messages; ``_termui_impl`` is otherwise imported late.
_CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting",
                  "click.parser", "click.shell_completion", "click.termui", "click.types",
                  "click.utils", "click._termui_impl")


def route_click_messages() -> None:
    """Translate click's own messages ("Usage:", usage errors) with perfdoc's catalog.

    click calls ``gettext.gettext``, imported into each of its modules, which
    reads the process locale and a catalog of another domain; each module's
    reference is pointed at perfdoc's selected language instead.  Their
    message ids are listed in ``CLICK_MESSAGES``.
    """
    for name in _CLICK_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - another click's layout
            pass
    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click."):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _click_gettext  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]


def localize_help(command: click.Command) -> None:
    """Translate the help texts of *command*, its options and its subcommands.

    The English texts (message ids) are kept on each object the first time,
    so every run translates from them into its own language.
    """
    import click

    todo = [command]
    while todo:
        cmd = todo.pop()
        for obj, attr in ((cmd, "help"), (cmd, "short_help"),
                          *((param, "help") for param in cmd.params)):
            msgids: dict[str, str | None] = obj.__dict__.setdefault("_perfdoc_msgids", {})
            msgid = msgids.setdefault(attr, getattr(obj, attr, None))
            if msgid:
                setattr(obj, attr, _current().gettext(inspect.cleandoc(msgid)))
        # click makes the --help option once and keeps it, in the language of
        # that run; made again, it is in this run's.
        if getattr(cmd, "_help_option", None) is not None:
            cmd._help_option = None
        if isinstance(cmd, click.Group):
            todo.extend(cmd.commands.values())


#: click's own message ids (click 8.5), for the catalog: scripts/i18n.py extracts
#: them from here.  ``ngettext`` forms are listed one by one.  A test compares
#: this list with the installed click.
CLICK_MESSAGES = (
    _("d", defer=True),
    _("{editor}: Editing failed", defer=True),
    _("{editor}: Editing failed: {e}", defer=True),
    _("Windows error: {error}", defer=True),
    _("Aborted!", defer=True),
    _("deprecated", defer=True),
    _("Options", defer=True),
    _("Positional arguments", defer=True),
    _("Got unexpected extra argument ({args})", defer=True),
    _("Got unexpected extra arguments ({args})", defer=True),
    _("DeprecationWarning: The command {name!r} is deprecated.{extra_message}", defer=True),
    _("Commands", defer=True),
    _("Missing command.", defer=True),
    _("Value must be an iterable.", defer=True),
    _("Takes {nargs} values but 1 was given.", defer=True),
    _("Takes {nargs} values but {len} were given.", defer=True),
    _("DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}", defer=True),
    _("Name '{name}' defined twice", defer=True),
    _("Boolean option {decl!r} cannot use the same flag for true/false.", defer=True),
    _("Could not determine name for option with declarations {decls!r}", defer=True),
    _("No options defined but a name was passed ({name}). "
      "Did you mean to declare an argument instead? Did you mean to pass '--{name}'?", defer=True),
    _("env var: {var}", defer=True),
    _("default: {default}", defer=True),
    _("(dynamic)", defer=True),
    _("Arguments take exactly one parameter declaration, got {length}: {decls}.", defer=True),
    _("Do you want to continue?", defer=True),
    _("Confirm the action without prompting.", defer=True),
    _("%(prog)s, version %(version)s", defer=True),
    _("Show the version and exit.", defer=True),
    _("Show this message and exit.", defer=True),
    _("Did you mean {possibility}?", defer=True),
    _("(Did you mean one of: {possibilities}?)", defer=True),
    _("Error: {message}", defer=True),
    _("Try '{command} {option}' for help.", defer=True),
    _("Invalid value: {message}", defer=True),
    _("Invalid value for {param_hint}: {message}", defer=True),
    _("Missing argument", defer=True),
    _("Missing option", defer=True),
    _("Missing parameter", defer=True),
    _("Missing {param_type}", defer=True),
    _("Missing parameter: {param_name}", defer=True),
    _("No such option {name!r}.", defer=True),
    _("No such command {name!r}.", defer=True),
    _("unknown error", defer=True),
    _("Could not open file {filename!r}: {message}", defer=True),
    _("Usage:", defer=True),
    _("Invalid start character for option ({option})", defer=True),
    _("Argument {name!r} takes {nargs} values.", defer=True),
    _("Option {name!r} does not take a value.", defer=True),
    _("Option {name!r} requires an argument.", defer=True),
    _("Option {name!r} requires {nargs} arguments.", defer=True),
    _("Shell completion is not supported for Bash versions older than 4.4.", defer=True),
    _("Couldn't detect Bash version, shell completion is not supported.", defer=True),
    _("Repeat for confirmation", defer=True),
    _("Error: The two entered values do not match.", defer=True),
    _("Error: invalid input", defer=True),
    _("Unknown color {colour!r}", defer=True),
    _("Press any key to continue...", defer=True),
    _("Choose from:\n\t{choices}", defer=True),
    _("{value!r} is not {choice}.", defer=True),
    _("{value!r} is not one of {choices}.", defer=True),
    _("Choice({choices})", defer=True),
    _("{value!r} does not match the format {format}.", defer=True),
    _("{value!r} does not match the formats {formats}.", defer=True),
    _("{value!r} is not a valid {number_type}.", defer=True),
    _("{value} is not in the range {range}.", defer=True),
    _("{value!r} is not a valid boolean. Recognized values: {states}", defer=True),
    _("{value!r} is not a valid UUID.", defer=True),
    _("file", defer=True),
    _("directory", defer=True),
    _("path", defer=True),
    _("{name} {filename!r} does not exist.", defer=True),
    _("{name} {filename!r} is a file.", defer=True),
    _("{name} {filename!r} is a directory.", defer=True),
    _("{name} {filename!r} is not readable.", defer=True),
    _("{name} {filename!r} is not writable.", defer=True),
    _("{name} {filename!r} is not executable.", defer=True),
    _("{len_type} values are required, but {len_value} was given.", defer=True),
    _("{len_type} values are required, but {len_value} were given.", defer=True),
    _("Unknown standard stream '{name}'", defer=True),
    _("required", defer=True),
)
