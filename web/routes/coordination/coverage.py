"""Coverage: the QPV × category matrix of the territory, and its choropleth."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, SettingsDep
from api.models import utcnow
from api.services.coordination import territory
from api.services.coordination.coverage import WEEKS, coverage
from api.vocabulary import CATEGORIES, label
from web.coverage_map import STEPS, coverage_script
from web.routes.common import PageLang
from web.routes.coordination.common import CoordinatorDep, coordination_page

router = APIRouter(include_in_schema=False)


def _theme(request: Request) -> str:
    chosen = request.query_params.get("theme", "")
    return chosen if chosen in CATEGORIES else next(iter(CATEGORIES))


@router.get("/{lang}/coordination/couverture")
def coverage_page(
    request: Request, lang: PageLang, session: SessionDep, principal: CoordinatorDep
) -> HTMLResponse:
    qpvs = territory.qpvs_of(session, principal)
    matrix = coverage(session, qpvs, utcnow())
    theme = _theme(request)
    return coordination_page(
        request,
        "coordination/coverage.html",
        lang,
        principal,
        matrix=matrix,
        theme=theme,
        weeks=WEEKS,
        steps=STEPS,
        labels={code: label(CATEGORIES, code) for code in CATEGORIES},
    )


@router.get("/{lang}/coordination/couverture/carte.js")
def coverage_map(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    settings: SettingsDep,
    principal: CoordinatorDep,
) -> Response:
    """Folium's script of the choropleth for the chosen category."""
    qpvs = territory.qpvs_of(session, principal)
    matrix = coverage(session, qpvs, utcnow())
    script = coverage_script(qpvs, matrix.per_qpv(_theme(request)), settings.tile_url)
    return Response(
        script,
        media_type="text/javascript",
        headers={"Cache-Control": "private, no-store"},
    )
