"""/{lang}/aller-vers/: the list of outreach actions with filters, the form to
log one (plain POST; the offline queue in outreach-offline.js replays the
same POST), an action's edit form with its history, delete and restore."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session, select

from api.deps import SessionDep
from api.i18n import _
from api.models import OutreachAction, Qpv
from api.services.accounts.access import Principal
from api.services.outreach import actions
from api.services.outreach.actions import ActionIn, Filters
from api.services.outreach.forms import service_choices
from api.services.outreach.history import LABELS, action_history, described
from web.routes.common import PageLang
from web.routes.espace.common import EspaceError, back_to
from web.routes.espace.session import FormDep, PrincipalDep
from web.routes.outreach.common import (
    choices,
    handle_form,
    new_entry,
    outreach_page,
    page_number,
    read_form,
    require_logger,
)

router = APIRouter(include_in_schema=False)


def _day(value: str | None, errors: dict[str, str], name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = _("Saisissez une date valide (AAAA-MM-JJ).")
        return None


def _filters(request: Request) -> tuple[Filters, dict[str, str], dict[str, str]]:
    params = request.query_params
    errors: dict[str, str] = {}
    organization = params.get("structure") or None
    try:
        organization_id = uuid.UUID(organization) if organization else None
    except ValueError:
        organization_id, errors["structure"] = None, _("Identifiant invalide.")
    filters = Filters(
        start=_day(params.get("du"), errors, "du"),
        end=_day(params.get("au"), errors, "au"),
        type=params.get("type") or None,
        qpv_code=params.get("qpv") or None,
        organization_id=organization_id,
        deleted=params.get("supprimees") == "1",
        page=page_number(params.get("page", "1")),
    )
    return filters, errors, dict(params)


@router.get("/{lang}/aller-vers/")
def action_list(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    filters, errors, params = _filters(request)
    found = actions.list_actions(session, principal, filters)
    names = dict(session.exec(select(Qpv.code, Qpv.name)).all())
    return outreach_page(
        request,
        "outreach/list.html",
        lang,
        principal,
        found=found,
        filters=filters,
        params=params,
        errors=errors,
        qpv_names=names,
        **choices(session, principal, lang),
    )


def _form(
    request: Request,
    lang: str,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    action: OutreachAction | None = None,
    status: int = 200,
) -> HTMLResponse:
    return outreach_page(
        request,
        "outreach/form.html",
        lang,
        principal,
        status=status,
        values=values,
        errors=errors,
        labels=LABELS,
        action=action,
        history=action_history(session, action, lang) if action else [],
        facts=described(session, action, lang) if action else [],
        can_edit=action is None or actions.scope.can_write(session, principal, action),
        services=(
            service_choices(
                session, action.qpv_code, values.get("oriented_services") or []
            )
            if action
            else []
        ),
        **choices(session, principal, lang),
    )


@router.get("/{lang}/aller-vers/nouveau")
def new_form(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    require_logger(principal)
    values = new_entry(session, principal)
    return _form(request, lang, session, principal, values, {})


@router.post("/{lang}/aller-vers/nouveau")
def create_post(
    request: Request,
    lang: PageLang,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    require_logger(principal)
    return handle_form(
        session,
        form,
        ActionIn,
        lambda data: actions.create(session, principal, data),
        (f"/{lang}/aller-vers/", "enregistre"),
        lambda values, errors: _form(
            request, lang, session, principal, values, errors, status=400
        ),
    )


def _readable(session: Session, principal: Principal, action_id: uuid.UUID) -> Any:
    try:
        return actions.readable(session, principal, action_id)
    except actions.NotFound as error:
        raise EspaceError(404, _("Cette action n'existe pas.")) from error


def _writable(session: Session, principal: Principal, action_id: uuid.UUID) -> Any:
    try:
        return actions.writable(session, principal, action_id)
    except actions.NotFound as error:
        raise EspaceError(404, _("Cette action n'existe pas.")) from error
    except actions.Forbidden as error:
        raise EspaceError(
            403, _("Vous pouvez consulter cette action, pas la modifier.")
        ) from error


def _stored(action: OutreachAction) -> dict[str, Any]:
    values = action.model_dump(include=set(actions.EDITABLE))
    values["day"] = action.day.isoformat()
    values["organization_id"] = str(action.organization_id or "")
    return values


@router.get("/{lang}/aller-vers/{action_id}")
def edit_form(
    request: Request,
    lang: PageLang,
    action_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    action = _readable(session, principal, action_id)
    values = {**_stored(action), "version": action.version}
    return _form(request, lang, session, principal, values, {}, action)


@router.post("/{lang}/aller-vers/{action_id}")
def update_post(
    request: Request,
    lang: PageLang,
    action_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    action = _writable(session, principal, action_id)
    version = str(form.get("version") or "")
    if version != str(action.version):
        values = {**read_form(ActionIn, form)[2], "version": action.version}
        errors = {
            "": _(
                "Quelqu'un a modifié cette action entre-temps : vérifiez et "
                "enregistrez de nouveau."
            )
        }
        return _form(request, lang, session, principal, values, errors, action, 409)
    return handle_form(
        session,
        form,
        ActionIn,
        lambda data: actions.update(session, principal, action, data),
        (f"/{lang}/aller-vers/{action_id}", "modifie"),
        lambda values, errors: _form(
            request,
            lang,
            session,
            principal,
            {**values, "version": version},
            errors,
            action,
            400,
        ),
    )


def _set_deleted(
    lang: str,
    action_id: uuid.UUID,
    session: Session,
    principal: Principal,
    deleted: bool,
) -> Response:
    action = _writable(session, principal, action_id)
    actions.set_deleted(session, principal, action, deleted)
    notice = "supprime" if deleted else "restaure"
    return back_to(f"/{lang}/aller-vers/{action_id}", notice)


@router.post("/{lang}/aller-vers/{action_id}/supprimer")
def delete_post(
    lang: PageLang,
    action_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    return _set_deleted(lang, action_id, session, principal, True)


@router.post("/{lang}/aller-vers/{action_id}/restaurer")
def restore_post(
    lang: PageLang,
    action_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    return _set_deleted(lang, action_id, session, principal, False)
