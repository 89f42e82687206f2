"""Jinja2 environment with gettext, and the one function pages render through."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import segno
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from api.i18n import (
    LOCALES,
    RTL_LOCALES,
    babel_locale,
    catalog_name,
    get_locale,
    gettext,
    html_lang,
    ngettext,
    use_locale,
)
from api.services.listings.history import FIELD_LABELS
from api.services.schedules.schedule_text import (
    DEFAULT_STYLE,
    STYLES,
    clock_falc,
    describe,
)
from web.assets import static_url

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
_SVG_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)


@cache
def icon(name: str) -> Markup:
    """A self-hosted Lucide icon, inline so it takes the text colour; decorative."""
    svg = (STATIC_DIR / "icons" / f"{name}.svg").read_text()
    svg = _SVG_COMMENT.sub("", svg).replace(
        "<svg", '<svg aria-hidden="true" focusable="false"', 1
    )
    return Markup(svg)  # noqa: S704 - our own static file


def qr_svg(url: str) -> Markup:
    """A QR code as inline SVG; the caller gives it an accessible name."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=3, dark="#000", light="#fff", omitsize=False))  # noqa: S704


def query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of ``params`` with ``changes`` (None removes a key)."""
    merged = {**params, **changes}
    pairs = []
    for key, value in merged.items():
        values = value if isinstance(value, list) else [value]
        pairs += [(key, v) for v in values if v not in (None, "", False)]
    return urlencode(pairs)


def localized_date(value: Any, format: str = "long") -> str:
    return format_date(value, format=format, locale=babel_locale(get_locale()))


def localized_datetime(value: Any, format: str = "EEEE d MMMM, HH:mm") -> str:
    # Hours keep Latin digits whatever the locale: they are read to make a call.
    if get_locale() == "falc" and format.endswith(", HH:mm"):
        # Easy to read: times the same way everywhere ("14 heures").
        day = format_date(value, format=format[: -len(", HH:mm")], locale="fr")
        return f"{day}, {localized_time(value)}"
    if format.endswith(", HH:mm"):
        # The day and the hour joined by the locale's own comma (« ، » in Arabic
        # script, « ፣ » in Tigrinya), never a Latin one.
        comma = STYLES.get(get_locale(), DEFAULT_STYLE).comma
        day = format_date(
            value, format=format[: -len(", HH:mm")], locale=babel_locale(get_locale())
        )
        return f"{day}{comma}{localized_time(value)}"
    return format_datetime(
        value, format=format, locale=babel_locale(get_locale()), tzinfo=value.tzinfo
    )


def localized_time(value: Any) -> str:
    if get_locale() == "falc":
        return clock_falc(value.hour * 60 + value.minute)
    return format_time(value, format="HH:mm", locale="fr")


def schedule_words(raw: str, anchor: Any = None) -> str:
    """opening_hours in words in the page's language: never shown raw."""
    return describe(raw, get_locale(), anchor)


def tel_href(number: str) -> str:
    """'02 47 00 00 00' -> 'tel:+33247000000' (French numbers); else digits as given."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    if digits.startswith("0") and len(digits) == 10:
        digits = "+33" + digits[1:]
    return f"tel:{digits}"


def localized_list(items: Any) -> str:
    """A list with the locale's own separators ("français, anglais et pachto",
    "الفرنسية والإنجليزية والبشتو"): never a Latin comma in Arabic."""
    items = [str(i) for i in items]
    return format_list(items, locale=babel_locale(get_locale())) if items else ""


def combine(params: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**params, **changes}.items() if v is not None}


def autonym(code: str) -> str:
    """A language's name in that language ("العربية"), as its speakers look for it."""
    if "@" in catalog_name(code):  # a variant Babel has no name for: falc
        return LOCALES.get(code, code)
    try:
        return str(Locale.parse(code).get_display_name(code)).capitalize()
    except (ValueError, UnknownLocaleError):
        return code


def hreflang(code: str) -> str:
    """``hreflang`` of the pages of an interface language: its ``lang`` tag, and a
    private-use subtag for a variant with pages of its own (falc -> fr-x-falc),
    so that /fr/ and /falc/ are not two alternates for the same "fr"."""
    variant = catalog_name(code).partition("@")[2]
    return f"{html_lang(code)}-x-{variant}" if variant else html_lang(code)


def field_label(name: str) -> str:
    """A form field's human name (the history's labels), for error summaries."""
    return gettext(FIELD_LABELS[name]) if name in FIELD_LABELS else ""


def french_text(item: Any, field: str) -> Markup:
    """` lang="fr"` on a listing text shown in French inside another language's
    page, so screen readers read it with a French voice."""
    if field in (getattr(item, "in_french", None) or ()):
        return Markup(' lang="fr"')
    return Markup("")


environment = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"),
    autoescape=select_autoescape(),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    gettext, ngettext, newstyle=True
)
environment.globals.update(
    LOCALES=LOCALES,
    RTL_LOCALES=RTL_LOCALES,
    field_label=field_label,
    french_text=french_text,
    icon=icon,
    static=static_url,
    qr_svg=qr_svg,
    query=query,
    html_lang=html_lang,
    hreflang=hreflang,
)
environment.filters.update(
    date=localized_date,
    datetime=localized_datetime,
    time=localized_time,
    combine=combine,
    list_of=localized_list,
    autonym=autonym,
    tel=tel_href,
    schedule=schedule_words,
)
templates = Jinja2Templates(env=environment)


def render(
    request: Request, template: str, lang: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    path = request.url.path.split("/", 2)[2] if request.url.path.count("/") >= 2 else ""
    with use_locale(lang):
        return templates.TemplateResponse(
            request,
            template,
            {
                "lang": lang,
                "dir": "rtl" if lang in RTL_LOCALES else "ltr",
                "path_after_lang": path,
                "query_string": request.url.query,
                **context,
            },
            status_code=status_code,
        )
