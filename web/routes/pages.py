"""Public pages under a language prefix (/fr/, /en/, …)."""

from __future__ import annotations

from babel import negotiate_locale
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep
from api.i18n import DEFAULT_LOCALE, LOCALES
from api.services.territory import qpv_summaries
from web.templating import render

router = APIRouter(include_in_schema=False)


def preferred_locale(accept_language: str) -> str:
    wanted = [
        part.split(";")[0].strip().replace("-", "_")
        for part in accept_language.split(",")
    ]
    return negotiate_locale(wanted, list(LOCALES), sep="_") or DEFAULT_LOCALE


@router.get("/")
def root(request: Request) -> RedirectResponse:
    """Accept-Language is only used for this first redirect; the URL decides after."""
    locale = preferred_locale(request.headers.get("accept-language", ""))
    return RedirectResponse(f"/{locale}/", status_code=307)


def checked_locale(lang: str) -> str:
    if lang not in LOCALES:
        raise HTTPException(status_code=404)
    return lang


@router.get("/{lang}/")
def home(request: Request, lang: str, session: SessionDep) -> HTMLResponse:
    lang = checked_locale(lang)
    return render(request, "home.html", lang, qpvs=qpv_summaries(session))
