"""What the outreach pages share: rendering, the form's choices, reading a form
into a write model."""

from __future__ import annotations

import typing
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api.i18n import N_, _, gettext, use_locale
from api.models import Organization
from api.services.accounts.access import Principal
from api.services.outreach import scope
from api.services.outreach.forms import Refused
from api.services.outreach.vocabulary import (
    CONFIDENCE,
    REASONS,
    RIGHTS,
    THEMES,
    TYPES,
    labelled,
    languages,
)
from api.validation import by_field
from web.routes.espace.common import EspaceError, back_to, page

NOTICES = {
    "enregistre": N_("Action enregistrée."),
    "modifie": N_("Modifications enregistrées."),
    "supprime": N_("Action supprimée. Vous pouvez la restaurer."),
    "restaure": N_("Action restaurée."),
    "diagnostic": N_("Diagnostic enregistré. Merci."),
    "frequentation": N_("Fréquentation enregistrée."),
}


def outreach_page(
    request: Request,
    template: str,
    lang: str,
    principal: Principal,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    notice = NOTICES.get(request.query_params.get("fait", ""))
    with use_locale(lang):
        shown = gettext(notice) if notice else None
    return page(
        request,
        template,
        lang,
        principal,
        status=status,
        notice=shown,
        may_log=scope.may_log(principal),
        **context,
    )


def require_logger(principal: Principal) -> None:
    if not scope.may_log(principal):
        raise EspaceError(
            403,
            _(
                "Seuls les membres d'une structure (hors lecture seule) et la "
                "coordination peuvent enregistrer des actions."
            ),
        )


def organization_choices(
    session: Session, principal: Principal
) -> list[tuple[str, str]]:
    """The organisations this user logs for (a coordinator may log for none)."""
    ids = scope.writable_organizations(principal)
    if not ids:
        return []
    rows = session.exec(
        select(Organization.id, Organization.name)
        .where(col(Organization.id).in_(ids), col(Organization.deleted_at).is_(None))
        .order_by(col(Organization.name))
    ).all()
    return [(str(i), name) for i, name in rows]


def partner_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.exec(
        select(Organization.id, Organization.name)
        .where(col(Organization.deleted_at).is_(None))
        .order_by(col(Organization.name))
    ).all()
    return [(str(i), name) for i, name in rows]


def choices(session: Session, principal: Principal, lang: str) -> dict[str, Any]:
    """Every list a form offers, labels in the page's language."""
    with use_locale(lang):
        return {
            "types": labelled(TYPES),
            "themes": labelled(THEMES),
            "rights": labelled(RIGHTS),
            "reasons": labelled(REASONS),
            "confidence": [(str(k), gettext(v)) for k, v in CONFIDENCE.items()],
            "languages": languages(lang),
            "qpvs": scope.qpv_choices(session, principal),
            "organizations": organization_choices(session, principal),
            "partners": partner_choices(session),
            "coordinator": principal.is_coordinator,
        }


def read_form(
    schema: type[BaseModel], form: FormData
) -> tuple[BaseModel | None, dict[str, str], dict[str, Any]]:
    """(model or None, errors by field, the values as typed, to show again)."""
    values: dict[str, Any] = {}
    for name, info in schema.model_fields.items():
        if typing.get_origin(info.annotation) is list:
            values[name] = [str(v) for v in form.getlist(name) if str(v).strip()]
        else:
            text = str(form.get(name) or "").strip()
            if text:
                values[name] = text
    try:
        return schema.model_validate(values), {}, values
    except ValueError as error:
        errors = by_field(error.errors()) if hasattr(error, "errors") else {}
        return None, errors, values


def new_ref() -> str:
    return str(uuid.uuid4())


def page_number(value: str) -> int:
    """A list's ?page=: anything but a short number is the first page."""
    return int(value) if value.isdigit() and len(value) < 6 else 1


def only_organization(session: Session, principal: Principal) -> str:
    """The form's preselected organisation: the user's one, if they have one."""
    organizations = organization_choices(session, principal)
    return organizations[0][0] if len(organizations) == 1 else ""


def new_entry(session: Session, principal: Principal) -> dict[str, Any]:
    """A blank entry form's values: today, a fresh replay key, the user's
    organisation when there is only one."""
    return {
        "day": date.today().isoformat(),
        "client_ref": new_ref(),
        "organization_id": only_organization(session, principal),
    }


def handle_form(
    session: Session,
    form: FormData,
    schema: type[BaseModel],
    save: Callable[[Any], object],
    done: tuple[str, str],
    again: Callable[[dict[str, Any], dict[str, str]], Response],
) -> Response:
    """Parse → validate → save → redirect to ``done`` (path, notice); or the
    form again (``again(values, errors)``) with each error next to its field
    and the values as typed, nothing saved."""
    data, errors, values = read_form(schema, form)
    if data is not None:
        try:
            save(data)
            return back_to(*done)
        except Refused as refused:
            session.rollback()
            errors = {refused.field: refused.message}
    return again(values, errors)
