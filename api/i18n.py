"""Interface languages: gettext catalogs under ``locales/`` and the request locale.

The current locale lives in a context variable so that services (schedules,
error messages) translate without a request object being passed around.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DEFAULT_LOCALE = "fr"
# Locales the interface is offered in; French is the source language.
LOCALES: dict[str, str] = {
    "fr": "Français",
    "falc": "Français facile (FALC)",
    "en": "English",
    "ar": "العربية",
    "fa": "دری",
    "ps": "پښتو",
    "uk": "Українська",
    "ru": "Русский",
    "es": "Español",
    "tr": "Türkçe",
    "ro": "Română",
    "ti": "ትግርኛ",
}
RTL_LOCALES = frozenset({"ar", "fa", "ps"})
# URL code -> gettext catalog, where they differ: /fa/ is Dari (fa_AF); /falc/ is
# easy-to-read French, a gettext variant of French ("fr@falc", like "sr@latin").
CATALOG_NAMES = {"fa": "fa_AF", "falc": "fr@falc"}

_current: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> NullTranslations:
    """Compiled catalog for ``locale``; French (the source) needs none."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    messages = LOCALES_DIR / catalog_name(locale) / "LC_MESSAGES"
    source, compiled = messages / "messages.po", messages / "messages.mo"
    # Compiled catalogs are build products, not in git: an install or image
    # made from a clone has none (or stale ones). Compile them here then.
    if source.is_file() and (
        not compiled.is_file() or compiled.stat().st_mtime < source.stat().st_mtime
    ):
        return compile_in_memory(source, catalog_name(locale))
    return Translations.load(
        str(LOCALES_DIR), [catalog_name(locale)], domain="messages"
    )


def compile_in_memory(source: Path, catalog: str) -> Translations:
    with source.open("rb") as file:
        parsed = read_po(file, locale=catalog.partition("@")[0])
    compiled = BytesIO()
    write_mo(compiled, parsed)  # fuzzy entries left out, as pybabel compile does
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def catalog_name(code: str) -> str:
    """The directory of ``code``'s catalog under ``locales/``: fa -> fa_AF."""
    return CATALOG_NAMES.get(code, code)


def babel_locale(code: str) -> str:
    """The Babel locale that formats dates and lists: the catalog's language
    without its gettext variant (falc -> fr: FALC is written in French)."""
    return catalog_name(code).partition("@")[0]


def html_lang(code: str) -> str:
    """The BCP 47 tag for ``lang`` attributes: fa -> fa-AF, falc -> fr."""
    return babel_locale(code).replace("_", "-")


def get_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(get_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(get_locale()).ngettext(singular, plural, n)


def lazy_gettext(message: str) -> LazyProxy:
    """For strings defined at import time and rendered later in a request."""
    return LazyProxy(gettext, message, enable_cache=False)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


_ = gettext
