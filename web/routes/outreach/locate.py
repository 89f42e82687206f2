"""Small JSON and script answers the outreach form's enhancement needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from api.deps import SessionDep
from api.services.outreach import scope
from api.services.outreach.locate import nearest_qpv
from web.assets import STATIC_DIR
from web.routes.common import PageLang
from web.routes.espace.session import PrincipalDep

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/aller-vers/qpv-proche")
def nearest(
    lang: PageLang,
    session: SessionDep,
    principal: PrincipalDep,
    lat: Annotated[float, Query(ge=-90, le=90)],
    lon: Annotated[float, Query(ge=-180, le=180)],
) -> JSONResponse:
    """The QPV at (lat, lon), or the nearest of those the form offers."""
    offered = {q.code for q in scope.qpv_choices(session, principal)}
    found = nearest_qpv(session, lat, lon, offered)
    body = (
        {"code": found[0].code, "name": found[0].name, "inside": found[1]}
        if found
        else {"code": None}
    )
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@router.get("/{lang}/aller-vers/sw.js")
def service_worker(lang: PageLang) -> Response:
    """The service worker, served under /{lang}/aller-vers/ so that its scope
    covers the outreach pages (a script under /static/ could only control
    /static/)."""
    script = (STATIC_DIR / "js" / "outreach-sw.js").read_text()
    return Response(
        script,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
