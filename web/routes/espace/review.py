"""The coordinators' review queue (moderation), and the one action open
without signing in: "still valid" from the signed link of a reminder mail."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic_core import to_jsonable_python
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.i18n import _
from api.models import AuditKind, Organization, PendingChange, Service
from api.services.accounts import audit
from api.services.accounts.audit import Actor
from api.services.content import content_translations as content
from api.services.content.falc import listing_score
from api.services.coordination import moderation
from api.services.listings import history
from api.services.listings.revisions import snapshot
from api.services.partner import org_deletion, reminders
from api.services.system import links
from api.settings import Settings
from web.routes.common import PageLang
from web.routes.espace.common import (
    EspaceError,
    back_to,
    notice_of,
    page,
    request_to_review,
)
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)


@router.get("/{lang}/espace/revue")
def review_queue(
    request: Request, lang: PageLang, session: SessionDep, principal: PrincipalDep
) -> HTMLResponse:
    if not principal.is_coordinator:
        raise EspaceError(403, _("La revue est réservée à la coordination."))
    scope = None if principal.is_superadmin else principal.coordinated
    items = []
    for change, organization, service in moderation.review_queue(session, scope):
        if change.entity_type == moderation.TRANSLATION:
            changes = [_translation_change(session, change, service)]
            tag = moderation.review_tag(change, None)
            items.append((change, organization, service, changes, None, tag))
            continue
        current = snapshot(service) if service else {}
        model = moderation.MODELS[change.entity_type][0]
        changes = history.compare(
            session, model, current, to_jsonable_python(change.values), lang
        )
        # The score of the text as it would be published, not as it is now.
        proposed = {**current, **to_jsonable_python(change.values)}
        tag = moderation.review_tag(change, service)
        score = listing_score(proposed) if model is Service else None
        items.append((change, organization, service, changes, score, tag))
    return page(
        request,
        "espace/review.html",
        lang,
        principal,
        items=items,
        deletions=org_deletion.open_requests(session, scope),
        notice=notice_of(request),
    )


def _translation_change(
    session: Session, change: PendingChange, entity: object
) -> history.FieldChange:
    """A queued translation as one line: which field in which language, the
    live text before and the requested one after."""
    values = change.values
    current = (
        content.find(session, entity, values["field"], values["language"])  # type: ignore[arg-type]
        if entity is not None
        else None
    )
    before = current.text if current and current.deleted_at is None else ""
    name = _(history.FIELD_LABELS.get(values["field"], values["field"]))
    label = f"{name} ({values['language']})"
    return history.FieldChange(
        field=values["field"],
        label=label,
        before=before or history.EMPTY,
        after=values["text"],
        words=history.word_diff(before, values["text"]) if before else None,
    )


@router.post("/{lang}/espace/revue/{change_id}")
def review_post(
    request: Request,
    lang: PageLang,
    change_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    change = request_to_review(session, principal, PendingChange, change_id)
    approve = form.get("decision") == "approve"
    try:
        if approve:
            seen = str(form.get("seen") or "")
            service = moderation.approve(session, change, principal.actor, seen)
            subject = getattr(service, "name", None) or change.entity_type
        else:
            moderation.reject(
                session, change, principal.actor, str(form.get("message") or "")
            )
            listing = moderation.reviewed_row(session, change)
            subject = getattr(listing, "name", None) or change.entity_type
    except moderation.ReviewError as error:
        raise EspaceError(409, str(error)) from error
    # Recorded after the decision is committed: a refused decision leaves no line.
    audit.record(
        session,
        [change.organization_id],
        AuditKind.change_approved if approve else AuditKind.change_rejected,
        Actor(principal.user_id, principal.email),
        subject=subject,
        detail=change.action,
    )
    session.commit()
    moderation.tell_author(session, change, settings, lang)
    notice = "valide" if form.get("decision") == "approve" else "refuse"
    return back_to(f"/{lang}/espace/revue", notice)


@router.get("/{lang}/espace/valider/{token}")
def confirm_link(
    request: Request,
    lang: PageLang,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """A page with one button: mail scanners follow links, they don't post forms."""
    return _confirm_page(request, lang, token, session, settings, confirm=False)


@router.post("/{lang}/espace/valider/{token}")
def confirm_link_post(
    request: Request,
    lang: PageLang,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    form: FormDep,
) -> HTMLResponse:
    return _confirm_page(request, lang, token, session, settings, confirm=True)


def _confirm_page(
    request: Request,
    lang: str,
    token: str,
    session: Session,
    settings: Settings,
    confirm: bool,
) -> HTMLResponse:
    try:
        organization_id, service_ids = reminders.read_confirm_link(token, settings)
    except links.LinkError as error:
        return page(request, "espace/error.html", lang, status=400, message=str(error))
    if confirm:
        reminders.confirm_by_link(session, organization_id, service_ids)
    return page(
        request,
        "espace/confirm_link.html",
        lang,
        organization=session.get(Organization, organization_id),
        services=reminders.services_of(session, organization_id, service_ids),
        token=token,
        done=confirm,
    )
