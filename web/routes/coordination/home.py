"""The coordinators' space home: one figure per page, each linking to it."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.models import utcnow
from api.services.coordination import freshness, signals, territory
from api.services.coordination.coverage import coverage
from web.routes.common import PageLang
from web.routes.coordination.common import CoordinatorDep, coordination_page

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/coordination/")
def home(
    request: Request, lang: PageLang, session: SessionDep, principal: CoordinatorDep
) -> HTMLResponse:
    qpvs = territory.qpvs_of(session, principal)
    matrix = coverage(session, qpvs, utcnow())
    ages = freshness.totals(
        freshness.freshness(session, territory.organization_scope(principal), utcnow())
    )
    scope = territory.stat_condition(session, principal)
    return coordination_page(
        request,
        "coordination/home.html",
        lang,
        principal,
        qpv_count=len(qpvs),
        gaps=sum(len(matrix.gaps(q.code)) for q in qpvs),
        unchecked=ages.get("old", 0) + ages.get("stale", 0),
        unmet=len(signals.unmet_queries(session, scope, date.today())),
    )
