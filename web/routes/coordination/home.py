"""The coordinators' space home: what each page is for."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.routes.common import PageLang
from web.routes.coordination.common import CoordinatorDep, coordination_page

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/coordination/")
def home(request: Request, lang: PageLang, principal: CoordinatorDep) -> HTMLResponse:
    return coordination_page(request, "coordination/home.html", lang, principal)
