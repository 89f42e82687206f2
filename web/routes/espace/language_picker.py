"""The « languages spoken » picker of the service form: names in the
partner's interface language (Babel), ISO 639 codes underneath.

The stored value and the API stay a list of codes. Codes outside the picker
(typed by hand, sent through the API or an import) are kept: they show in
the « other languages » field, and come back unchanged when the form is saved.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from starlette.datastructures import FormData

from api.i18n import babel_locale

# Languages heard at the directory's counters (site languages first, then
# those of the main arrivals in Tours and Nantes); any other code stays typable.
COMMON = (
    "fr", "en", "ar", "fa", "ps", "uk", "ru", "es", "tr", "ro", "ti",
    "pt", "it", "de", "pl", "bg", "sq", "sr", "hy", "ka", "ku", "kab",
    "tzm", "am", "so", "sw", "wo", "bm", "ff", "ln", "zh", "vi", "ta",
    "ur", "bn", "hi", "rom",
)  # fmt: skip
OTHER = "languages_other"
_SEPARATORS = re.compile(r"[\s,;]+")


@lru_cache(maxsize=32)
def choices(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, name) for the picker, by name in ``locale``'s alphabet."""
    try:
        names = Locale.parse(babel_locale(locale)).languages
    except (ValueError, UnknownLocaleError):
        names = {}
    named = [(code, str(names.get(code) or code)) for code in COMMON]
    return tuple(sorted(named, key=lambda pair: pair[1].casefold()))


def picked(form: FormData) -> list[str]:
    """The codes chosen in the form: the ticked boxes and the typed ones."""
    # Each value is split too: « fr, ar » in one field (the form before the
    # picker, a script) still means two languages.
    typed = [*form.getlist("languages"), form.get(OTHER) or ""]
    codes = [c for value in typed for c in _SEPARATORS.split(str(value).lower())]
    seen: dict[str, None] = dict.fromkeys(c for c in codes if c)
    return list(seen)


def as_form(codes: Any) -> dict[str, Any]:
    """Stored codes as the picker shows them: ticked boxes, and the other
    codes in the free field."""
    if isinstance(codes, str):
        codes = [c for c in _SEPARATORS.split(codes.lower()) if c]
    codes = list(codes or [])
    known = set(COMMON)
    return {
        "languages": [c for c in codes if c in known],
        OTHER: ", ".join(c for c in codes if c not in known),
    }
