"""Sharing a place with another organisation, from the place's page: its
editors grant or revoke (``api.services.partner.sharing``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.i18n import _
from api.models import Place
from api.services.partner import sharing
from web.routes.espace.common import EspaceError, back_to
from web.routes.espace.listings import EditTarget, _form_page, _initial
from web.routes.espace.session import FormDep

router = APIRouter(include_in_schema=False)
PLACE = "/{lang}/espace/structures/{organization_id}/{slug}/{row_id}"


def _place(target: EditTarget) -> Place:  # type: ignore[valid-type]
    if not isinstance(target.row, Place) or target.row.deleted_at is not None:
        raise EspaceError(404, _("Seul un lieu peut être partagé."))
    return target.row


@router.post(PLACE + "/partage")
def grant_post(request: Request, target: EditTarget, form: FormDep) -> Response:
    place = _place(target)
    other = sharing.find_organization(
        target.session, str(form.get("organization") or "")
    )
    error = None if other else _("Aucune structure n'a cette adresse courte.")
    if other is not None:
        try:
            sharing.grant(target.session, place, other, target.principal.actor.label)
        except sharing.SharingError as refused:
            error = str(refused)
    if error:
        values = _initial(target, place, request)
        return _form_page(
            request, target, values, status=400, sharing_errors={"organization": error}
        )
    target.session.commit()
    return back_to(_path(target), "partage")


@router.post(PLACE + "/partage/{other_id}/retirer")
def revoke_post(target: EditTarget, other_id: uuid.UUID) -> Response:
    place = _place(target)
    actor = target.principal.actor
    if not sharing.revoke(target.session, place, other_id, actor):
        raise EspaceError(404, _("Ce lieu n'était pas partagé avec cette structure."))
    target.session.commit()
    return back_to(_path(target), "partage-retire")


def _path(target: EditTarget) -> str:  # type: ignore[valid-type]
    return f"{target.dashboard}/{target.kind.slug}/{target.row.id}"
