"""Public pages under a language prefix (/fr/, /en/, …)."""

from __future__ import annotations

from babel import negotiate_locale
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.deps import SessionDep
from api.i18n import DEFAULT_LOCALE, LOCALES
from api.services.places.communes import names_in_directory
from api.services.places.territory import qpv_summaries
from web.routes.common import PageLang
from web.templating import render, templates
from web.themes import THEMES

router = APIRouter(include_in_schema=False)


def preferred_locale(accept_language: str) -> str:
    wanted = [
        part.split(";")[0].strip().replace("-", "_")
        for part in accept_language.split(",")
    ]
    return negotiate_locale(wanted, list(LOCALES), sep="_") or DEFAULT_LOCALE


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI, self-hosted, for /openapi.json."""
    return templates.TemplateResponse(request, "api_docs.html")


@router.get("/")
def root(request: Request) -> RedirectResponse:
    """Accept-Language is only used for this first redirect; the URL decides after."""
    locale = preferred_locale(request.headers.get("accept-language", ""))
    return RedirectResponse(f"/{locale}/", status_code=307)


@router.get("/{lang}/")
def home(request: Request, lang: PageLang, session: SessionDep) -> HTMLResponse:
    return render(
        request,
        "home.html",
        lang,
        qpvs=qpv_summaries(session),
        themes=THEMES,
        commune_names=names_in_directory(session),
    )


INFO_PAGES = {
    "a-propos": "info/about.html",
    "confidentialite": "info/privacy.html",
    "accessibilite": "info/accessibility.html",
}


@router.get("/{lang}/{slug}")
def info_page(request: Request, lang: PageLang, slug: str) -> HTMLResponse:
    if slug not in INFO_PAGES:
        raise HTTPException(status_code=404)
    return render(request, INFO_PAGES[slug], lang)
