"""Partner API /api/v1/partner: a structure's own places, services, permanences
and closures, with a Bearer token scoped to one organisation."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import PendingChange
from api.models.partner import BulkIn, BulkOut, WrittenRow, partial
from api.routes.http import NOT_JSON, ErrorModel, ValidationErrorModel
from api.services.partner import editing as svc
from api.services.partner import sharing
from api.services.partner.editing import Partner, PartnerError, Resource
from api.services.system.ratelimit import client_ip, limiter_for, too_many
from api.validation import translated


class PendingOut(BaseModel):
    pending_change: uuid.UUID
    status: str
    detail: str


ERRORS: dict[int | str, dict[str, Any]] = {
    **NOT_JSON,
    401: {"model": ErrorModel, "description": "No token, or an unknown or revoked one"},
    403: {
        "model": ErrorModel,
        "description": "Another organisation's row, a read-only token writing "
        "or a write-only token reading",
    },
    404: {"model": ErrorModel, "description": "No such row"},
    202: {
        "model": PendingOut,
        "description": "Moderated territory: the change waits for a coordinator",
    },
    409: {"model": ErrorModel, "description": "source_id already used"},
    412: {"model": ErrorModel, "description": "If-Match is not the current version"},
    422: {"model": ValidationErrorModel, "description": "Invalid field; loc names it"},
    428: {"model": ErrorModel, "description": "If-Match header missing"},
    429: {
        "model": ErrorModel,
        "description": "Too many requests; wait Retry-After seconds",
    },
}


def http_error(error: PartnerError) -> HTTPException:
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return HTTPException(error.status, error.detail, headers=headers)


# Requests per minute: generous for a sync job, a wall for a runaway loop or
# someone guessing tokens.
PER_IP, PER_TOKEN, WINDOW = 600, 300, 60


def current_partner(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> Partner:
    limiter = limiter_for(settings)
    wait = limiter.hit(f"api:ip:{client_ip(request)}", PER_IP, WINDOW)
    if wait:
        raise too_many(wait)
    try:
        partner = svc.authenticate(session, authorization)
    except PartnerError as error:
        raise http_error(error) from error
    wait = limiter.hit(f"api:token:{partner.actor.id}", PER_TOKEN, WINDOW)
    if wait:
        raise too_many(wait)
    return partner


PartnerDep = Annotated[Partner, Depends(current_partner)]
IfMatch = Annotated[str | None, Header(description="The ETag of the version you read.")]
router = APIRouter(prefix="/partner", tags=["partner"], responses=ERRORS)


def written(response: Response, row: Any) -> Any:
    """The row as stored; or, under moderation, 202 and the change waiting."""
    if isinstance(row, PendingChange):
        return JSONResponse(
            {
                "pending_change": str(row.id),
                "status": row.status,
                "detail": _(
                    "modification en attente de validation par la coordination"
                ),
            },
            status_code=202,
            headers={"Cache-Control": "no-store"},
        )
    response.headers["ETag"] = f'"{row.version}"'
    response.headers["Cache-Control"] = "no-store"  # private, always fresh
    return row.model_dump(warnings=False)


def validated(build: Any) -> Any:
    """422 in FastAPI's shape for a model validated by hand (PATCH)."""
    try:
        return build()
    except ValidationError as error:
        errors = [{**e, "loc": ["body", *e["loc"]]} for e in error.errors()]
        raise HTTPException(422, translated(errors)) from error


def guarded(call: Any) -> Any:
    try:
        return call()
    except PartnerError as error:
        raise http_error(error) from error


def add_routes(resource: Resource) -> None:
    """CRUD routes for one resource; annotations are evaluated here (no
    ``from __future__ import annotations``) so each route documents its schema."""
    schema, name = resource.schema, resource.name
    Patch = Annotated[
        dict[str, Any], Body(description=f"Fields of {schema.__name__} to change.")
    ]

    def mine(session: Any, partner: Partner, row_id: uuid.UUID) -> Any:
        return guarded(lambda: svc.owned(session, partner, resource, row_id))

    @router.get(f"/{name}", response_model=list[WrittenRow], name=f"list_{name}")
    def list_rows(
        session: SessionDep, partner: PartnerDep, deleted: bool = False
    ) -> Any:
        guarded(lambda: svc.require_read(partner))
        rows = svc.list_owned(session, partner, resource, deleted)
        return [row.model_dump(warnings=False) for row in rows]

    @router.post(
        f"/{name}", response_model=WrittenRow, status_code=201, name=f"create_{name}"
    )
    def create(
        session: SessionDep, partner: PartnerDep, response: Response, body: schema
    ) -> Any:  # type: ignore[valid-type]
        guarded(lambda: svc.require_write(partner))
        return written(
            response, guarded(lambda: svc.create(session, partner, resource, body))
        )

    @router.get(f"/{name}/{{row_id}}", response_model=WrittenRow, name=f"get_{name}")
    def read(
        session: SessionDep, partner: PartnerDep, response: Response, row_id: uuid.UUID
    ) -> Any:
        guarded(lambda: svc.require_read(partner))
        return written(response, mine(session, partner, row_id))

    @router.put(
        f"/{name}/{{row_id}}", response_model=WrittenRow, name=f"replace_{name}"
    )
    def replace(
        session: SessionDep,
        partner: PartnerDep,
        response: Response,
        row_id: uuid.UUID,
        body: schema,
        if_match: IfMatch = None,
    ) -> Any:  # type: ignore[valid-type]
        guarded(lambda: svc.require_write(partner))
        row = mine(session, partner, row_id)
        return written(
            response,
            guarded(
                lambda: svc.update(session, partner, resource, row, body, if_match)
            ),
        )

    @router.patch(
        f"/{name}/{{row_id}}", response_model=WrittenRow, name=f"patch_{name}"
    )
    def patch(
        session: SessionDep,
        partner: PartnerDep,
        response: Response,
        row_id: uuid.UUID,
        body: Patch,
        if_match: IfMatch = None,
    ) -> Any:
        guarded(lambda: svc.require_write(partner))
        row = mine(session, partner, row_id)
        data = validated(
            lambda: partial(schema, body, svc.current_values(resource, row))
        )
        return written(
            response,
            guarded(
                lambda: svc.update(session, partner, resource, row, data, if_match)
            ),
        )

    @router.delete(
        f"/{name}/{{row_id}}", response_model=WrittenRow, name=f"delete_{name}"
    )
    def delete(
        session: SessionDep,
        partner: PartnerDep,
        response: Response,
        row_id: uuid.UUID,
        if_match: IfMatch = None,
    ) -> Any:
        """Soft delete: hidden everywhere, restorable with POST …/restore."""
        guarded(lambda: svc.require_write(partner))
        row = mine(session, partner, row_id)
        return written(
            response,
            guarded(lambda: svc.set_deleted(session, partner, row, if_match, True)),
        )

    @router.post(
        f"/{name}/{{row_id}}/restore", response_model=WrittenRow, name=f"restore_{name}"
    )
    def restore(
        session: SessionDep,
        partner: PartnerDep,
        response: Response,
        row_id: uuid.UUID,
        if_match: IfMatch = None,
    ) -> Any:
        """Undo a delete."""
        guarded(lambda: svc.require_write(partner))
        row = mine(session, partner, row_id)
        return written(
            response,
            guarded(lambda: svc.set_deleted(session, partner, row, if_match, False)),
        )


for _resource in svc.RESOURCES.values():
    add_routes(_resource)


class Confirmation(BaseModel):
    service_ids: list[uuid.UUID] | None = None


class Confirmed(BaseModel):
    confirmed: int


@router.post("/confirm", response_model=Confirmed)
def confirm(session: SessionDep, partner: PartnerDep, body: Confirmation) -> Confirmed:
    """Mark listings as still valid today (all of yours when no ids are given)."""
    try:
        svc.require_write(partner)
        return Confirmed(confirmed=svc.confirm(session, partner, body.service_ids))
    except PartnerError as error:
        raise http_error(error) from error


@router.post("/bulk", response_model=BulkOut)
def bulk(session: SessionDep, partner: PartnerDep, body: BulkIn) -> BulkOut:
    """Upsert places and services by source_id; idempotent, all or nothing."""
    guarded(lambda: svc.require_write(partner))
    return guarded(lambda: svc.bulk_upsert(session, partner, body))  # type: ignore[no-any-return]


class GrantIn(BaseModel):
    organization: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The slug (or id) of the organisation to share the place with.",
    )


class GrantOut(BaseModel):
    organization_id: uuid.UUID
    organization_slug: str
    organization_name: str
    granted_by: str
    created_at: datetime


def _own_place(session: Any, partner: Partner, place_id: uuid.UUID) -> Any:
    return guarded(
        lambda: svc.owned(session, partner, svc.RESOURCES["places"], place_id)
    )


@router.get("/places/{place_id}/grants", response_model=list[GrantOut])
def list_grants(
    session: SessionDep, partner: PartnerDep, place_id: uuid.UUID
) -> list[GrantOut]:
    """The organisations allowed to attach permanences to one of your places."""
    guarded(lambda: svc.require_read(partner))
    place = _own_place(session, partner, place_id)
    return [
        GrantOut(
            organization_id=org.id,
            organization_slug=org.slug,
            organization_name=org.name,
            granted_by=grant.granted_by,
            created_at=grant.created_at,
        )
        for grant, org in sharing.grants_of(session, place)
    ]


@router.post("/places/{place_id}/grants", response_model=GrantOut, status_code=201)
def create_grant(
    session: SessionDep, partner: PartnerDep, place_id: uuid.UUID, body: GrantIn
) -> GrantOut:
    """Share one of your places: that organisation may then hold permanences
    there (a France services hosting partners, say)."""
    guarded(lambda: svc.require_write(partner))
    place = _own_place(session, partner, place_id)
    org = sharing.find_organization(session, body.organization)
    if org is None:
        raise http_error(svc.invalid("organization", _("structure introuvable")))
    try:
        grant = sharing.grant(session, place, org, partner.actor.label)
    except sharing.SharingError as error:
        raise http_error(svc.invalid("organization", str(error))) from error
    session.commit()
    return GrantOut(
        organization_id=org.id,
        organization_slug=org.slug,
        organization_name=org.name,
        granted_by=grant.granted_by,
        created_at=grant.created_at,
    )


@router.delete("/places/{place_id}/grants/{organization_id}", status_code=204)
def delete_grant(
    session: SessionDep,
    partner: PartnerDep,
    place_id: uuid.UUID,
    organization_id: uuid.UUID,
) -> Response:
    """Stop sharing: that organisation's permanences there end (soft-deleted,
    back once shared again), and no new one is attached."""
    guarded(lambda: svc.require_write(partner))
    place = _own_place(session, partner, place_id)
    if not sharing.revoke(session, place, organization_id, partner.actor):
        raise http_error(PartnerError(404, _("introuvable")))
    session.commit()
    return Response(status_code=204)
