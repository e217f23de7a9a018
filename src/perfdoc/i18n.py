"""Translate every user-facing string through one function.

Message ids are English; the Chinese catalog is the default because perfdoc's
users are Chinese finance staff.  Adding a language means adding a catalog under
``locale/<lang>/LC_MESSAGES/perfdoc.mo``, never editing code.
"""

from __future__ import annotations

import gettext
import os
from importlib.resources import files

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


def set_language(lang: str | None = None) -> str:
    """Select the language for this process; ``None`` reads ``PERFDOC_LANG``."""
    global _translation
    chosen = lang or os.environ.get("PERFDOC_LANG") or DEFAULT_LANG
    chosen = _LANG_ALIASES.get(chosen.lower(), chosen)
    if chosen == "en":
        # English is the message-id language, so no catalog is needed.
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=locale_dir(), languages=[chosen], fallback=True
        )
    return chosen


def _(message: str) -> Message:
    """Translate *message* into the selected language."""
    if _translation is None:
        set_language()
    assert _translation is not None
    return Message(_translation.gettext(message))
