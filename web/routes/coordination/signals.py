"""Non-recours signals: what the territory's residents search for, what they
do not find, in which languages (k-anonymous: see services.coordination.signals)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.i18n import _
from api.services.coordination import signals, territory
from api.vocabulary import CATEGORIES, label
from web.routes.common import PageLang
from web.routes.coordination.common import (
    CoordinatorDep,
    coordination_page,
    page_number,
    paged,
)
from web.routes.espace.common import EspaceError, back_to
from web.routes.espace.session import FormDep

router = APIRouter(include_in_schema=False)
PATH = "/{lang}/coordination/signaux"
NOTICES = {
    "masque": lambda: _("Recherche masquée. Vous pouvez l'afficher de nouveau."),
    "affiche": lambda: _("Recherche affichée de nouveau."),
}


def _month(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


@router.get(PATH)
def signals_page(
    request: Request, lang: PageLang, session: SessionDep, principal: CoordinatorDep
) -> HTMLResponse:
    today = date.today()
    scope = territory.stat_condition(session, principal)
    themes = signals.by_theme(session, scope, today)
    notice = NOTICES.get(request.query_params.get("fait", ""))
    return coordination_page(
        request,
        "coordination/signals.html",
        lang,
        principal,
        k=signals.K,
        months=[_month(m) for m in themes.months],
        themes=themes,
        theme_labels={
            **{code: label(CATEGORIES, code) for code in CATEGORIES},
            signals.NO_THEME: _("sans thème choisi"),
        },
        areas=signals.by_area(session, scope, today),
        languages=signals.languages(session, scope, today),
        unmet=paged(
            signals.unmet_queries(session, scope, today),
            page_number(request.query_params.get("page")),
            25,
        ),
        hidden=signals.unmet_queries(session, scope, today, hidden=True),
        notice=notice() if notice else None,
    )


def _query_here(form: FormDep, session: SessionDep, principal: CoordinatorDep) -> str:
    """The posted query, if it is one of this territory's unmet queries."""
    query = form.get("query")
    scope = territory.stat_condition(session, principal)
    if not isinstance(query, str) or not signals.is_unmet_here(
        session, scope, date.today(), query
    ):
        raise EspaceError(404, _("Cette recherche n'existe pas dans votre territoire."))
    return query


@router.post(PATH + "/masquer")
def hide_query(
    lang: PageLang, session: SessionDep, principal: CoordinatorDep, form: FormDep
) -> Response:
    signals.hide(session, _query_here(form, session, principal), principal.user_id)
    return back_to(f"/{lang}/coordination/signaux", "masque")


@router.post(PATH + "/afficher")
def show_query(
    lang: PageLang, session: SessionDep, principal: CoordinatorDep, form: FormDep
) -> Response:
    signals.show_again(session, _query_here(form, session, principal))
    return back_to(f"/{lang}/coordination/signaux", "affiche")
