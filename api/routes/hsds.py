"""Open Referral HSDS 3.1 read API over the public directory."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BeforeValidator

from api.deps import SessionDep
from api.i18n import _
from api.routes.http import INVALID, NOT_FOUND, cached_json, not_found, unprocessable
from api.services.exports import hsds
from api.services.exports.licence import current
from api.services.search.filters import ISO, MAX_PAGE_SIZE

router = APIRouter(prefix="/hsds", tags=["hsds"])
PageNo = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")]
_NOTE = (
    " HSDS 3.1 (Human Services Data Specification: an Open Referral "
    "resource, https://openreferral.org/, CC BY-SA 4.0); the data's licence is "
    "in the `Link` header. Only published services open to all; confidential "
    "places without address or position."
)


def _iso_date_time(value: object) -> object:
    # Pydantic would read a bare number as a Unix timestamp: people mean a date.
    if value is not None and not (
        isinstance(value, str | datetime) and ISO.match(str(value))
    ):
        raise ValueError(_("date et heure attendues, par exemple 2026-12-09T15:00"))
    return value


def _term(parameter: str, value: str | None) -> str | None:
    """The code of a term given by id or code: a 422 naming the parameter
    when it is none."""
    if value is None:
        return None
    code = hsds.term_code(value)
    if code is None:
        message = _("catégorie inconnue : %(codes)s") % {"codes": value}
        raise unprocessable(parameter, message)
    return code


def _object(required: list[str]) -> dict[str, Any]:
    return {"type": "object", "required": required}


def _page(item: dict[str, Any]) -> dict[str, Any]:
    fields = ["total_items", "total_pages", "page_number", "size"]
    flags = ["first_page", "last_page", "empty"]
    return {
        "type": "object",
        "required": [*fields, *flags, "contents"],
        "properties": {
            **{name: {"type": "integer"} for name in fields},
            **{name: {"type": "boolean"} for name in flags},
            "contents": {"type": "array", "items": item},
        },
    }


def _ok(schema: dict[str, Any], extra: dict[int | str, Any]) -> dict[int | str, Any]:
    content = {"application/json": {"schema": schema}}
    return {200: {"description": "HSDS 3.1", "content": content}, **extra}


SERVICE = _object(["id", "name", "status"])
ORGANIZATION = _object(["id", "name", "description"])
LOCATION = _object(["id", "location_type"])
TERM = _object(["id", "name", "description"])


def _json(request: Request, body: Any) -> Response:
    response = cached_json(request, body)
    response.headers["Link"] = current().link_header
    return response


def _found(request: Request, body: Any) -> Response:
    """One record, or a 404 when there is none."""
    if body is None:
        raise not_found()
    return _json(request, body)


@router.get(
    "/",
    responses=_ok(_object(["version", "profile", "openapi_url"]), {}),
    summary="HSDS version and profile",
    description="The HSDS version, profile and licences of this API." + _NOTE,
)
def hsds_root(request: Request) -> Response:
    return _json(request, hsds.root())


@router.get(
    "/services",
    responses=_ok(_page(SERVICE), INVALID),
    summary="HSDS services, paginated",
    description="Services with their one-to-one fields (`full=true`: fully "
    "nested, as `/services/{id}`)." + _NOTE,
)
def hsds_services(
    request: Request,
    session: SessionDep,
    search: Annotated[
        str | None, Query(max_length=200, description="Words of the text.")
    ] = None,
    taxonomy_term_id: Annotated[
        str | None,
        Query(
            max_length=120,
            description="A term of `/hsds/taxonomy_terms`, by id or code; a "
            "category term finds its sub-themes' services.",
        ),
    ] = None,
    organization_id: Annotated[
        uuid.UUID | None, Query(description="Services of this organisation.")
    ] = None,
    modified_after: Annotated[
        datetime | None,
        BeforeValidator(_iso_date_time),
        Query(description="Changed at or after this time (UTC when no offset)."),
    ] = None,
    full: Annotated[bool, Query(description="Fully nested services.")] = False,
    page: PageNo = 1,
    per_page: PerPage = 20,
) -> Response:
    term = _term("taxonomy_term_id", taxonomy_term_id)
    body = hsds.services_page(
        session,
        page,
        per_page,
        search=search,
        term=term,
        organization_id=organization_id,
        modified_after=hsds.as_utc(modified_after),
        full=full,
    )
    return _json(request, body)


@router.get(
    "/services/{service_id}",
    responses=_ok(SERVICE, {**NOT_FOUND, **INVALID}),
    summary="One HSDS service, fully nested",
    description="The service with its organization, service_at_locations "
    "(a place and the schedules held there: RRULE where it can say it, the "
    "whole OSM opening_hours in `description`), phones, languages and cost "
    "options." + _NOTE,
)
def hsds_service(
    request: Request, service_id: uuid.UUID, session: SessionDep
) -> Response:
    return _found(request, hsds.service_detail(session, service_id))


@router.get(
    "/organizations",
    responses=_ok(_page(ORGANIZATION), INVALID),
    summary="HSDS organizations, paginated",
    description="Organisations with at least one published service." + _NOTE,
)
def hsds_organizations(
    request: Request, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    return _json(request, hsds.organizations_page(session, page, per_page))


@router.get(
    "/organizations/{organization_id}",
    responses=_ok(ORGANIZATION, {**NOT_FOUND, **INVALID}),
    summary="One HSDS organization, with its locations and services",
    description="The organisation, its places and its published services "
    "(id and name)." + _NOTE,
)
def hsds_organization(
    request: Request, organization_id: uuid.UUID, session: SessionDep
) -> Response:
    return _found(request, hsds.organization_detail(session, organization_id))


@router.get(
    "/locations",
    responses=_ok(_page(LOCATION), INVALID),
    summary="HSDS locations, paginated",
    description="Places where published services are held." + _NOTE,
)
def hsds_locations(
    request: Request, session: SessionDep, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    return _json(request, hsds.locations_page(session, page, per_page))


@router.get(
    "/taxonomies",
    responses=_ok(_page(TERM), INVALID),
    summary="HSDS taxonomies",
    description="One taxonomy: the thématiques of data·inclusion v1." + _NOTE,
)
def hsds_taxonomies(
    request: Request, page: PageNo = 1, per_page: PerPage = 20
) -> Response:
    return _json(request, hsds.taxonomies_page(page, per_page))


@router.get(
    "/taxonomy_terms",
    responses=_ok(_page(TERM), INVALID),
    summary="HSDS taxonomy terms: data·inclusion thématiques",
    description="The 16 categories (top level) and their sub-themes, whose "
    "`code` is the data·inclusion thématique." + _NOTE,
)
def hsds_taxonomy_terms(
    request: Request,
    parent_id: Annotated[
        str | None,
        Query(max_length=120, description="Terms under this one (id or code)."),
    ] = None,
    top_only: Annotated[bool, Query(description="Only top-level terms.")] = False,
    page: PageNo = 1,
    per_page: PerPage = 20,
) -> Response:
    parent = _term("parent_id", parent_id)
    return _json(request, hsds.terms_page(page, per_page, parent, top_only))
