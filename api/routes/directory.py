"""Public read API for places, organisations, QPVs and the theme tree."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import SessionDep
from api.models.public import (
    Category,
    OrganizationDetail,
    OrganizationRef,
    Page,
    PlaceDetail,
    QpvDetail,
    QpvPublic,
)
from api.routes.http import INVALID, NOT_FOUND, LangDep, cached_json, not_found
from api.services.places import directory
from api.services.search.filters import MAX_PAGE_SIZE

router = APIRouter()
PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
Size = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]


@router.get(
    "/places", response_model=Page[PlaceDetail], responses=INVALID, tags=["places"]
)
def list_places(
    request: Request,
    session: SessionDep,
    commune: Annotated[
        str | None, Query(pattern=r"^\d[\dAB]\d{3}$", description="INSEE code.")
    ] = None,
    qpv: Annotated[
        str | None, Query(max_length=16, description="QPV code: in or near it.")
    ] = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    """Places where services are held. Confidential places show no address."""
    return cached_json(
        request, directory.list_places(session, commune, qpv, page, size)
    )


@router.get(
    "/places/{place_id}",
    response_model=PlaceDetail,
    responses=NOT_FOUND,
    tags=["places"],
)
def get_place(request: Request, place_id: uuid.UUID, session: SessionDep) -> Response:
    """A place, its organisation, and the published services held there."""
    place = directory.place_detail(session, place_id)
    if place is None:
        raise not_found()
    return cached_json(request, place)


@router.get(
    "/organizations",
    response_model=Page[OrganizationRef],
    responses=INVALID,
    tags=["organizations"],
)
def list_organizations(
    request: Request,
    session: SessionDep,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of the name.")
    ] = None,
    page: PageNo = 1,
    size: Size = 20,
) -> Response:
    """Organisations, by name."""
    return cached_json(request, directory.list_organizations(session, q, page, size))


@router.get(
    "/organizations/{org_id}",
    response_model=OrganizationDetail,
    responses=NOT_FOUND,
    tags=["organizations"],
)
def get_organization(
    request: Request, org_id: uuid.UUID, session: SessionDep
) -> Response:
    """An organisation with its places and published services."""
    org = directory.organization_detail(session, org_id)
    if org is None:
        raise not_found()
    return cached_json(request, org)


@router.get("/qpv", response_model=list[QpvPublic], tags=["qpv"])
def list_qpvs(request: Request, session: SessionDep) -> Response:
    """Priority neighbourhoods, with how many published services each has."""
    return cached_json(request, directory.list_qpvs(session))


@router.get("/qpv/{code}", response_model=QpvDetail, responses=NOT_FOUND, tags=["qpv"])
def get_qpv(request: Request, code: str, session: SessionDep) -> Response:
    """A QPV: contour, and published services in or near it per category."""
    qpv = directory.qpv_detail(session, code)
    if qpv is None:
        raise not_found()
    return cached_json(request, qpv)


@router.get("/categories", response_model=list[Category], tags=["categories"])
def list_categories(request: Request, lang: LangDep) -> Response:
    """The 16 categories and 69 themes of data·inclusion, labelled in ``lang``."""
    return cached_json(request, directory.categories_tree(), max_age=3600)
