"""Quality: the territory's listings that need work, and a distribution of
their easy-to-read (FALC) scores as an accessible server-side chart."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.services.coordination import quality, signals, territory
from web.routes.common import PageLang
from web.routes.coordination.common import (
    CoordinatorDep,
    coordination_page,
    page_number,
    paged,
)

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
CHART_HEIGHT = 160  # px of the tallest bar in the SVG's own units


def bars(distribution: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """(label, count, bar height) for the SVG; the tallest bar is full height."""
    top = max((n for _, n in distribution), default=0) or 1
    return [(label, n, round(CHART_HEIGHT * n / top)) for label, n in distribution]


@router.get("/{lang}/coordination/qualite")
def quality_page(
    request: Request, lang: PageLang, session: SessionDep, principal: CoordinatorDep
) -> HTMLResponse:
    scope = territory.stat_condition(session, principal)
    languages = quality.top_languages(signals.languages(session, scope, date.today()))
    items = quality.listings(
        session, territory.organization_scope(principal), languages
    )
    problem = request.query_params.get("probleme", "")
    if problem not in quality.PROBLEMS:
        problem = ""
    shown = [i for i in items if i.problems and (not problem or problem in i.problems)]
    counts = {p: sum(p in i.problems for i in items) for p in quality.PROBLEMS}
    return coordination_page(
        request,
        "coordination/quality.html",
        lang,
        principal,
        total=len(items),
        counts=counts,
        problem=problem,
        listing=paged(shown, page_number(request.query_params.get("page")), PAGE_SIZE),
        languages=languages,
        bars=bars(quality.distribution(items)),
        chart_height=CHART_HEIGHT,
    )
