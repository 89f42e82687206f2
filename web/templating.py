"""Jinja2 environment with gettext, and the one function pages render through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.i18n import LOCALES, RTL_LOCALES, gettext, ngettext, use_locale

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"

environment = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"),
    autoescape=select_autoescape(),
    extensions=["jinja2.ext.i18n"],
)
environment.install_gettext_callables(  # type: ignore[attr-defined]
    gettext, ngettext, newstyle=True
)
environment.globals["LOCALES"] = LOCALES
templates = Jinja2Templates(env=environment)


def render(
    request: Request, template: str, lang: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with use_locale(lang):
        return templates.TemplateResponse(
            request,
            template,
            {"lang": lang, "dir": "rtl" if lang in RTL_LOCALES else "ltr", **context},
            status_code=status_code,
        )
