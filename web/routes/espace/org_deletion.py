"""Deleting an organisation from the web: an owner asks (or withdraws the
request) from the dashboard; a coordinator of its territory confirms or
dismisses it from the review page (``api.services.partner.org_deletion``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import SessionDep
from api.i18n import _
from api.models import DeletionRequest, Role
from api.services.partner import org_deletion
from web.routes.common import PageLang
from web.routes.espace.common import (
    EspaceError,
    back_to,
    organization_for,
    request_to_review,
)
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)
ORG = "/{lang}/espace/structures/{organization_id}/suppression"


@router.post(ORG)
def ask_post(
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization = organization_for(session, principal, organization_id, Role.owner)
    try:
        org_deletion.ask(session, organization, principal.actor.label)
    except org_deletion.DeletionError as error:
        raise EspaceError(409, str(error)) from error
    session.commit()
    return back_to(f"/{lang}/espace/structures/{organization_id}", "suppression")


@router.post(ORG + "/annuler")
def cancel_post(
    lang: PageLang,
    organization_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization_for(session, principal, organization_id, Role.owner)
    if not org_deletion.cancel(session, organization_id, principal.actor):
        raise EspaceError(404, _("Aucune demande de suppression en attente."))
    session.commit()
    path = f"/{lang}/espace/structures/{organization_id}"
    return back_to(path, "suppression-annulee")


@router.post("/{lang}/espace/revue/suppression/{request_id}")
def decide_post(
    lang: PageLang,
    request_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    request = request_to_review(session, principal, DeletionRequest, request_id)
    confirmed = form.get("decision") == "confirm"
    try:
        org_deletion.decide(session, request, principal.actor, confirmed)
    except org_deletion.DeletionError as error:
        raise EspaceError(409, str(error)) from error
    session.commit()
    notice = "structure-supprimee" if confirmed else "suppression-refusee"
    return back_to(f"/{lang}/espace/revue", notice)
