"""Synonyms: teach search an everyday word (from an unmet query or typed),
list the words it knows, take back what one taught (see
services.coordination.synonyms for who may do what)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.i18n import _
from api.models import Synonym
from api.services.accounts.access import Principal
from api.services.coordination import synonyms
from api.vocabulary import CATEGORIES, THEMES, category_of, label
from web.routes.common import PageLang
from web.routes.coordination.common import (
    CoordinatorDep,
    coordination_page,
    page_number,
)
from web.routes.espace.common import EspaceError, back_to
from web.routes.espace.session import FormDep

router = APIRouter(include_in_schema=False)
PATH = "/{lang}/coordination/synonymes"
NOTICES = {
    "ajoute": lambda: _("Mot appris : la recherche le comprend désormais."),
    "retire": lambda: _("Mot retiré de la recherche."),
}


def _choices() -> dict[str, Any]:
    """Categories, and the themes of each, with their labels."""
    themes: dict[str, list[tuple[str, str]]] = {code: [] for code in CATEGORIES}
    for code in THEMES:
        themes.setdefault(category_of(code), []).append((code, label(THEMES, code)))
    return {
        "categories": [(code, label(CATEGORIES, code)) for code in CATEGORIES],
        "themes": themes,
        "labels": {
            **{c: label(CATEGORIES, c) for c in CATEGORIES},
            **{t: label(THEMES, t) for t in THEMES},
        },
        "languages": synonyms.LANGUAGES,
    }


def _render(
    request: Request,
    lang: str,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    params = request.query_params
    notice = NOTICES.get(params.get("fait", ""))
    return coordination_page(
        request,
        "coordination/synonyms.html",
        lang,
        principal,
        status=400 if errors else 200,
        listing=synonyms.listing(
            session,
            principal,
            params.get("q", ""),
            page_number(params.get("page")),
            params.get("dans", ""),
        ),
        search=params.get("q", ""),
        search_language=params.get("dans", ""),
        values=values,
        errors=errors or {},
        notice=notice() if notice else None,
        **_choices(),
    )


@router.get(PATH)
def synonyms_page(
    request: Request, lang: PageLang, session: SessionDep, principal: CoordinatorDep
) -> HTMLResponse:
    params = request.query_params
    values = {
        "term": params.get("mot", ""),
        "language": params.get("langue") or lang,
        "categories": params.getlist("theme"),
    }
    return _render(request, lang, session, principal, values)


@router.post(PATH)
def add_synonym(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    values = {
        "term": str(form.get("term") or ""),
        "language": str(form.get("language") or ""),
        "categories": [str(v) for v in form.getlist("categories")],
    }
    try:
        synonyms.teach(
            session,
            values["term"],
            values["language"],
            values["categories"],
            principal.user_id,
        )
    except synonyms.SynonymError as error:
        return _render(request, lang, session, principal, values, error.errors)
    return back_to(f"/{lang}/coordination/synonymes", "ajoute")


@router.post(PATH + "/{synonym_id}/retirer")
def remove_synonym(
    lang: PageLang,
    synonym_id: str,
    session: SessionDep,
    principal: CoordinatorDep,
    form: FormDep,
) -> Response:
    """Take a word back; the page offers to teach it again (prefilled)."""
    synonym = (
        session.get(Synonym, int(synonym_id))
        if synonym_id.isdigit() and len(synonym_id) < 10
        else None
    )
    if synonym is None:
        raise EspaceError(404, _("Ce mot n'existe pas."))
    term, language, before = synonym.term, synonym.language, set(synonym.categories)
    try:
        synonyms.remove(session, principal, synonym)
    except PermissionError as error:
        raise EspaceError(
            403, _("Seul qui a appris ce mot à la recherche peut le retirer.")
        ) from error
    left = session.get(Synonym, int(synonym_id))
    removed = sorted(before - set(left.categories if left else ()))
    again = urlencode(
        [("fait", "retire"), ("mot", term), ("langue", language)]
        + [("theme", code) for code in removed]
    )
    return back_to(f"/{lang}/coordination/synonymes?{again}#ajouter")
