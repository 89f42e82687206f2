"""A service's or a place's texts in other languages, side by side with the French.

Readers see them; editors write them (``api.services.content.content_translations``,
the write path of the partner API too). A hidden version per row plays
If-Match: a stale form is refused (409) with the typed texts kept. "Relue"
marks a translation reviewed: the public then shows it without the
"automatic translation" label.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.i18n import _
from api.models import PendingChange, TranslationStatus
from api.services.content import content_translations as content
from api.services.content.machine_translation import (
    MachineTranslationError,
    machine_fill,
    translator_from,
)
from api.services.coordination import moderation
from api.services.partner import editing
from web.routes.espace.common import EspaceError, back_to, conflict_message, page
from web.routes.espace.listings import EditTarget, ReadTarget, Target
from web.routes.espace.session import FormDep

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
TRANSLATED = frozenset({"services", "lieux"})  # places: their name only
BASE = "/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/traductions"


def _translatable(target: Target) -> Target:
    if target.kind.slug not in TRANSLATED:
        raise EspaceError(404, _("Cette page n'existe pas."))
    return target


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


def _page(
    request: Request, target: Target, status: int = 200, **context: Any
) -> HTMLResponse:
    return page(
        request,
        "espace/translations.html",
        target.lang,
        target.principal,
        status=status,
        organization=target.organization,
        slug=target.kind.slug,
        entity=target.row,
        **context,
    )


def _form_page(
    request: Request,
    target: Target,
    language: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    versions: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    sides = content.side_by_side(target.session, target.row, language)
    return _page(
        request,
        target,
        status,
        language=language,
        sides=sides,
        values=_stored_values(sides) if values is None else values,
        errors=errors or {},
        versions=versions or {s.field: _version(s.translation) for s in sides},
        can_edit="write" in target.writer.scopes,
        machine=translator_from().configured,
    )


@router.get(BASE)
def translations_page(request: Request, target: ReadTarget) -> HTMLResponse:
    """Without ?langue=: the languages and how far each is; with it: the form."""
    entity = _translatable(target).row
    language = _language(request)
    if language is not None:
        return _form_page(request, target, language)
    fields = content.FIELDS[content.entity_type_of(entity)]
    return _page(
        request,
        target,
        language=None,
        counts=content.counts(target.session, entity),
        total=sum(1 for field in fields if getattr(entity, field)),
    )


@router.post(BASE)
def translations_post(request: Request, target: EditTarget, form: FormDep) -> Response:
    entity = _translatable(target).row
    language = str(_language(request, required=True))
    entity_type = content.entity_type_of(entity)
    sides = content.side_by_side(target.session, entity, language)
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
        errors = {"": conflict_message(), **errors}
        return _form_page(request, target, language, values, errors, current, 409)
    if errors:
        return _form_page(request, target, language, values, errors, posted, 400)
    held = False  # under moderation, translations wait for a coordinator
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
        written = editing.write_translation(
            target.session,
            target.writer,
            entity,
            side.field,
            language,
            text,
            TranslationStatus.reviewed if reviewed else TranslationStatus.to_review,
            target.principal.actor.label,
        )
        held = held or isinstance(written, PendingChange)
    target.session.commit()
    notice = "en-attente" if held else "enregistre"
    return back_to(request.url.path + f"?langue={language}", notice)


@router.post(BASE + "/automatique")
def machine_post(request: Request, target: EditTarget, form: FormDep) -> Response:
    """Fill the empty fields with the configured machine translation."""
    entity = _translatable(target).row
    language = str(_language(request, required=True))
    translator = translator_from()
    if not translator.configured:
        raise EspaceError(404, _("Cette page n'existe pas."))
    moderated = target.writer.moderated  # a reviewing coordinator is not
    try:
        written = machine_fill(
            target.session,
            entity,
            language,
            translator,
            target.principal.actor,
            moderated=moderated,
        )
    except MachineTranslationError as error:
        target.session.rollback()
        log.warning("machine translation failed: %s", error)
        message = _("La traduction automatique n'a pas répondu.")
        return _form_page(request, target, language, errors={"": message}, status=502)
    target.session.commit()
    path = request.url.path.removesuffix("/automatique")
    held = written and moderated and moderation.shown(entity)
    return back_to(f"{path}?langue={language}", "en-attente" if held else "enregistre")
