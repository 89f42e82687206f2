"""A service's or a place's texts in other languages, side by side with the French.

Readers see them; editors write them (``api.services.content_translations``,
the write path of the partner API too). A hidden version per row plays
If-Match: a stale form is refused (409) with the typed texts kept. "Relue"
marks a translation reviewed: the public then shows it without the
"automatic translation" label.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.i18n import _
from api.models import Entity, Organization, Role, TranslationStatus
from api.services import access, partner
from api.services import content_translations as content
from api.services.access import Principal
from api.services.machine_translation import (
    MachineTranslationError,
    machine_fill,
    translator_from,
)
from api.services.partner import RESOURCES, PartnerError
from web.routes.common import PageLang
from web.routes.espace.common import (
    EspaceError,
    back_to,
    conflict_message,
    organization_for,
    page,
)
from web.routes.espace.session import FormDep, PrincipalDep

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
KINDS = {"services": RESOURCES["services"], "lieux": RESOURCES["places"]}
BASE = "/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/traductions"


def _entity(
    session: Session,
    principal: Principal,
    organization_id: uuid.UUID,
    slug: str,
    row_id: uuid.UUID,
) -> Any:
    if slug not in KINDS:
        raise EspaceError(404, _("Cette page n'existe pas."))
    writer = access.writer(session, principal, organization_id)
    try:
        return partner.owned(session, writer, KINDS[slug], row_id)
    except PartnerError as error:
        raise EspaceError(error.status, str(error.detail)) from error


def _language(request: Request, required: bool = False) -> str | None:
    code = request.query_params.get("langue") or None
    if code is None and not required:
        return None
    if code not in content.CONTENT_LANGUAGES:
        raise EspaceError(404, _("Cette page n'existe pas."))
    return code


def _version(row: Any) -> str:
    return str(row.version) if row is not None else ""


def _stored_values(sides: list[content.Side]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for side in sides:
        row = side.translation
        values[f"text-{side.field}"] = row.text if row else ""
        values[f"reviewed-{side.field}"] = (
            row is not None and row.status == TranslationStatus.reviewed
        )
    return values


def _form_page(
    request: Request,
    lang: str,
    principal: Principal,
    session: Session,
    organization: Organization,
    slug: str,
    entity: Entity,
    language: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    versions: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    sides = content.side_by_side(session, entity, language)
    return page(
        request,
        "espace/translations.html",
        lang,
        principal,
        status=status,
        organization=organization,
        slug=slug,
        entity=entity,
        language=language,
        sides=sides,
        values=_stored_values(sides) if values is None else values,
        errors=errors or {},
        versions=versions or {s.field: _version(s.translation) for s in sides},
        can_edit=access.has_role(session, principal, organization.id, Role.editor),
        machine=translator_from().configured,
    )


@router.get(BASE)
def translations_page(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    slug: str,
    row_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
) -> HTMLResponse:
    """Without ?langue=: the languages and how far each is; with it: the form."""
    organization = organization_for(session, principal, organization_id, Role.reader)
    entity = _entity(session, principal, organization_id, slug, row_id)
    language = _language(request)
    if language is not None:
        return _form_page(
            request, lang, principal, session, organization, slug, entity, language
        )
    fields = content.FIELDS[content.entity_type_of(entity)]
    return page(
        request,
        "espace/translations.html",
        lang,
        principal,
        organization=organization,
        slug=slug,
        entity=entity,
        language=None,
        counts=content.counts(session, entity),
        total=sum(1 for field in fields if getattr(entity, field)),
    )


@router.post(BASE)
def translations_post(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    slug: str,
    row_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    organization = organization_for(session, principal, organization_id, Role.editor)
    entity = _entity(session, principal, organization_id, slug, row_id)
    language = str(_language(request, required=True))
    entity_type = content.entity_type_of(entity)
    sides = content.side_by_side(session, entity, language)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for side in sides:
        name = f"text-{side.field}"
        values[name] = str(form.get(name) or "").strip()
        values[f"reviewed-{side.field}"] = bool(form.get(f"reviewed-{side.field}"))
        try:
            content.check(entity_type, side.field, language, values[name])
        except content.TranslationError as error:
            errors[name] = error.message
    posted = {s.field: str(form.get(f"version-{s.field}") or "") for s in sides}
    current = {s.field: _version(s.translation) for s in sides}
    if posted != current:  # someone saved, or the French changed, meanwhile
        return _form_page(
            request,
            lang,
            principal,
            session,
            organization,
            slug,
            entity,
            language,
            values,
            {"": conflict_message(), **errors},
            current,
            status=409,
        )
    if errors:
        return _form_page(
            request,
            lang,
            principal,
            session,
            organization,
            slug,
            entity,
            language,
            values,
            errors,
            posted,
            status=400,
        )
    for side in sides:
        text = values[f"text-{side.field}"]
        reviewed = values[f"reviewed-{side.field}"]
        row = side.translation
        if row is None and not text:
            continue
        if (
            row is not None
            and row.text == text
            and (row.status == TranslationStatus.reviewed) == reviewed
        ):
            continue  # untouched: a machine translation stays one
        content.upsert_translation(
            session,
            entity,
            side.field,
            language,
            text,
            TranslationStatus.reviewed if reviewed else TranslationStatus.to_review,
            principal.actor.label,
            principal.actor,
        )
    session.commit()
    return back_to(request.url.path + f"?langue={language}", "enregistre")


@router.post(BASE + "/automatique")
def machine_post(
    request: Request,
    lang: PageLang,
    organization_id: uuid.UUID,
    slug: str,
    row_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
) -> Response:
    """Fill the empty fields with the configured machine translation."""
    organization = organization_for(session, principal, organization_id, Role.editor)
    entity = _entity(session, principal, organization_id, slug, row_id)
    language = str(_language(request, required=True))
    translator = translator_from()
    if not translator.configured:
        raise EspaceError(404, _("Cette page n'existe pas."))
    try:
        machine_fill(session, entity, language, translator, principal.actor)
    except MachineTranslationError as error:
        session.rollback()
        log.warning("machine translation failed: %s", error)
        return _form_page(
            request,
            lang,
            principal,
            session,
            organization,
            slug,
            entity,
            language,
            errors={"": _("La traduction automatique n'a pas répondu.")},
            status=502,
        )
    session.commit()
    path = request.url.path.removesuffix("/automatique")
    return back_to(f"{path}?langue={language}", "enregistre")
