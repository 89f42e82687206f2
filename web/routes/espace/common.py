"""What the partner-space pages share: rendering, access checks, redirects."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session

from api.i18n import _
from api.models import DeletionRequest, Organization, PendingChange, Role
from api.services.accounts import access
from api.services.accounts.access import Principal
from web.routes.espace.session import csrf_token
from web.templating import render


class EspaceError(Exception):
    """A refusal shown as a page (403, 404, 409…) in the partner space."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def page(
    request: Request,
    template: str,
    lang: str,
    principal: Principal | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A partner-space page: private, never cached, with the form token."""
    response = render(
        request,
        template,
        lang,
        status_code=status,
        csrf=csrf_token(request),
        principal=principal,
        **context,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def organization_for(
    session: Session, principal: Principal, organization_id: uuid.UUID, needed: Role
) -> Organization:
    """The organisation if this user holds ``needed`` in it: 404 / 403 otherwise."""
    organization = session.get(Organization, organization_id)
    if organization is None or organization.deleted_at is not None:
        raise EspaceError(404, _("Cette structure n'existe pas."))
    if not access.has_role(principal, organization_id, needed):
        raise EspaceError(
            403, _("Vous n'avez pas accès à cette action pour cette structure.")
        )
    return organization


Request_ = TypeVar("Request_", PendingChange, DeletionRequest)


def request_to_review(
    session: Session, principal: Principal, model: type[Request_], request_id: uuid.UUID
) -> Request_:
    """A request waiting for a coordinator, if this user reviews its
    organisation's territory: 404 / 403 otherwise."""
    request = session.get(model, request_id)
    if request is None:
        raise EspaceError(404, _("Cette demande n'existe pas."))
    if not access.can_review(principal, request.organization_id):
        raise EspaceError(403, _("Cette structure n'est pas sur votre territoire."))
    return request


def back_to(path: str, notice: str | None = None) -> RedirectResponse:
    """Post/redirect/get; the notice is shown once on the next page."""
    if notice:
        separator = "&" if "?" in path else "?"
        path = f"{path}{separator}fait={notice}"
    return RedirectResponse(path, status_code=303)


NOTICES = {
    "enregistre": lambda: _("Modifications enregistrées."),
    "en-attente": lambda: _(
        "Modification envoyée : elle sera publiée après validation par la coordination."
    ),
    "cree-en-attente": lambda: _(
        "Fiche créée : ce que vous avez écrit sera publié après validation "
        "par la coordination."
    ),
    "supprime": lambda: _(
        "Fiche supprimée. Vous pouvez la restaurer depuis le tableau de bord."
    ),
    "restaure": lambda: _("Fiche restaurée."),
    "partage": lambda: _("Lieu partagé."),
    "partage-retire": lambda: _("Ce lieu n'est plus partagé avec cette structure."),
    "suppression": lambda: _(
        "Demande envoyée : la coordination doit confirmer la suppression."
    ),
    "suppression-annulee": lambda: _("Demande de suppression annulée."),
    "structure-supprimee": lambda: _(
        "Structure supprimée : elle n'apparaît plus sur le site public."
    ),
    "suppression-refusee": lambda: _("Demande de suppression refusée."),
    "confirme": lambda: _("Merci : les fiches sont marquées comme toujours valables."),
    "invite": lambda: _("Invitation envoyée."),
    "membre": lambda: _("Membre mis à jour."),
    "jeton-revoque": lambda: _("Jeton révoqué."),
    "invitation-annulee": lambda: _("Invitation annulée."),
    "partout": lambda: _(
        "Vous êtes déconnecté de tous vos appareils. Connectez-vous de nouveau."
    ),
    "valide": lambda: _("Modification validée et publiée."),
    "refuse": lambda: _("Modification refusée ; l'auteur est prévenu."),
    "demande-acceptee": lambda: _(
        "Demande acceptée : la personne est invitée par e-mail comme responsable."
    ),
    "demande-refusee": lambda: _("Demande refusée : la personne est prévenue."),
}


def notice_of(request: Request) -> str | None:
    make = NOTICES.get(request.query_params.get("fait", ""))
    return make() if make else None


def conflict_message() -> str:
    return _(
        "Quelqu'un a modifié cette fiche pendant que vous la modifiiez. Vos "
        "changements sont gardés ci-dessous : vérifiez-les et enregistrez de nouveau."
    )
