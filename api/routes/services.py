"""Public read API for services: search, detail, GeoJSON for the map."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.models.public import SearchPage, ServiceDetail
from api.routes.http import (
    INVALID,
    NOT_FOUND,
    LangDep,
    NowDep,
    cached_json,
    not_found,
    unprocessable,
)
from api.services.search.detail import service_detail
from api.services.search.engine import UnknownFilterValue, search
from api.services.search.filters import SearchFilters
from api.services.search.geojson import Bbox, services_geojson
from api.services.search.stats import record_search

router = APIRouter(prefix="/services", tags=["services"])
FiltersDep = Annotated[SearchFilters, Query()]
ZOOM_DOC = (
    "Map zoom level: places that would overlap on screen come as one feature "
    "with `cluster: true`, `count` and `places`. Without it, every place alone."
)
BBOX_DOC = "Only places in this box: `west,south,east,north` in degrees."
_NUMBER = r"-?\d{1,3}(\.\d+)?"
BBOX_PATTERN = rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$"


@router.get("", response_model=SearchPage, responses=INVALID)
def list_services(
    request: Request,
    filters: FiltersDep,
    session: SessionDep,
    lang: LangDep,
    now: NowDep,
) -> Response:
    """Search published services: full text, filters, distance, opening hours."""
    try:
        page = search(session, filters, now)
    except UnknownFilterValue as error:
        raise unprocessable(error.param, str(error)) from error
    record_search(session, filters, page.total, lang, now.date())
    return released(session, cached_json(request, page))


GEOJSON = {
    200: {
        "description": "A GeoJSON FeatureCollection of points",
        "content": {"application/geo+json": {"schema": {"type": "object"}}},
    }
}


@router.get(
    ".geojson",
    response_class=Response,
    responses={**GEOJSON, **INVALID},
    summary="Services as GeoJSON points, for the map",
)
def services_as_geojson(
    request: Request,
    filters: FiltersDep,
    session: SessionDep,
    lang: LangDep,
    now: NowDep,
    zoom: Annotated[int | None, Query(ge=0, le=22, description=ZOOM_DOC)] = None,
    bbox: Annotated[
        str | None, Query(pattern=BBOX_PATTERN, description=BBOX_DOC)
    ] = None,
) -> Response:
    """The same filters as the search, every match (no paging): one feature
    per place with `count`, the matches held there. Confidential places have
    no point."""
    try:
        box = Bbox(*(float(v) for v in bbox.split(","))) if bbox else None
        collection = services_geojson(session, filters, now, zoom, box)
    except UnknownFilterValue as error:
        raise unprocessable(error.param, str(error)) from error
    response = cached_json(request, collection, media_type="application/geo+json")
    return released(session, response)


@router.get("/{service_id}", response_model=ServiceDetail, responses=NOT_FOUND)
def get_service(
    request: Request,
    service_id: uuid.UUID,
    session: SessionDep,
    lang: LangDep,
    now: NowDep,
) -> Response:
    """A whole published service: permanences, closures, places, organisation."""
    detail = service_detail(session, service_id, now)
    if detail is None:
        raise not_found()
    return released(session, cached_json(request, detail))


def released(session: Session, response: Response) -> Response:
    """The connection goes back to the pool here, in the route's worker thread,
    once the answer is built: the session's end then has nothing to wait for
    and needs no second trip to the thread pool (``api.deps.open_session``)."""
    session.close()
    return response
