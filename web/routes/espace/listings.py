"""Forms for an organisation's places, services, permanences and closures;
soft delete and undo (history and restore: ``web.routes.espace.history``).
Readers get each listing read-only, in words.

Every write goes through api.services.partner.editing, like the partner API: same
checks, same optimistic locking (a hidden ``version`` field plays If-Match),
same moderation, same revisions (attributed to the signed-in user).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic_core import to_jsonable_python
from sqlmodel import Session, col, select
from starlette.datastructures import FormData

from api.deps import SessionDep
from api.i18n import _
from api.models import Organization, PendingChange, Place, Role, Service
from api.models.common import utcnow
from api.models.partner import Write
from api.services.accounts import access
from api.services.accounts.access import Principal
from api.services.content import falc
from api.services.coordination import moderation
from api.services.listings import history
from api.services.partner import editing, sharing
from api.services.partner.editing import RESOURCES, PartnerError, Resource
from api.services.places import geocode
from api.services.places.directory import categories_tree
from api.services.schedules import schedule_builder
from api.services.schedules.hours import paris_day
from api.settings import get_settings
from api.vocabulary import (
    PUBLICS,
    SERVICE_TYPES,
    label,
)
from web.model_forms import display_values, form_values, validate
from web.routes.common import PageLang
from web.routes.espace import language_picker
from web.routes.espace.common import (
    EspaceError,
    back_to,
    conflict_message,
    organization_for,
    page,
)
from web.routes.espace.session import FormDep, PrincipalDep

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Kind:
    slug: str  # in the URL
    resource: Resource

    @property
    def template(self) -> str:
        return f"espace/forms/{self.resource.name}.html"


KINDS = {
    "lieux": Kind("lieux", RESOURCES["places"]),
    "services": Kind("services", RESOURCES["services"]),
    "permanences": Kind("permanences", RESOURCES["permanences"]),
    "fermetures": Kind("fermetures", RESOURCES["closures"]),
}


def kind_of(slug: str) -> Kind:
    if slug not in KINDS:
        raise EspaceError(404, _("Cette page n'existe pas."))
    return KINDS[slug]


def _choices(session: Session, organization_id: uuid.UUID) -> dict[str, Any]:
    """What the forms offer to pick from."""
    places = session.exec(
        select(Place)
        .where(
            Place.organization_id == organization_id, col(Place.deleted_at).is_(None)
        )
        .order_by(col(Place.name))
    ).all()
    services = session.exec(
        select(Service)
        .where(
            Service.organization_id == organization_id,
            col(Service.deleted_at).is_(None),
        )
        .order_by(col(Service.name))
    ).all()
    return {
        "places": places,
        # Other organisations' places shared with this one (permanences only).
        "shared_places": sharing.shared_with(session, organization_id),
        "services": services,
        "categories": categories_tree(),
        "publics": [(code, label(PUBLICS, code)) for code in PUBLICS],
        "service_types": [(code, label(SERVICE_TYPES, code)) for code in SERVICE_TYPES],
    }


def _read(kind: Kind, form: Any) -> tuple[Write | None, dict[str, str], dict[str, Any]]:
    """The posted form as the API's write model; the schedule builder writes
    ``opening_hours`` for permanences unless the expert field is chosen."""
    values = form_values(kind.resource.schema, form, skip=frozenset({"source_id"}))
    extra: dict[str, str] = {}
    if kind.slug == "permanences":
        values["hours_mode"] = "raw" if form.get("hours_mode") == "raw" else "builder"
        spec, builder_errors = schedule_builder.from_form(form)
        values["builder"] = schedule_builder.submitted_values(form)
        if values["hours_mode"] == "builder":
            extra.update(builder_errors)
            if spec is not None and not builder_errors:
                values["opening_hours"] = schedule_builder.to_opening_hours(spec)
                anchor = schedule_builder.anchor_value(
                    spec, str(values.pop("biweekly_anchor", "")), paris_day(utcnow())
                )
                if anchor:
                    values["biweekly_anchor"] = anchor
            elif not builder_errors:
                extra["builder"] = _("Indiquez au moins un créneau.")
    if kind.slug == "services":
        values["languages"] = language_picker.picked(form)
    data, errors = validate(
        kind.resource.schema,
        {k: v for k, v in values.items() if k not in ("hours_mode", "builder")},
    )
    if extra:  # the builder's messages; the expert field was not chosen
        errors.pop("opening_hours", None)
    errors.update(extra)
    errors.update(_form_checks(kind, values, errors))
    return (None if errors else data), errors, values  # type: ignore[return-value]


def _form_checks(kind: Kind, values: dict[str, Any], errors: dict[str, str]) -> Any:
    """Messages the form says next to a field where the API names the body."""
    found: dict[str, str] = {}
    if kind.slug == "services" and "languages" in errors:
        found["languages"] = _(
            "Une langue s'écrit avec son code de 2 ou 3 lettres, par exemple "
            "« wo » pour le wolof ; séparez les codes par des virgules."
        )
    needs_place = values.get("mode") in ("in_person", "itinerant")
    if kind.slug == "permanences" and needs_place and not values.get("place_id"):
        errors.pop("", None)  # the API's sentence, said next to the field instead
        found["place_id"] = _(
            "Choisissez le lieu de la permanence, ou changez « Comment ? » "
            "(par téléphone, à distance)."
        )
    return found


@dataclass
class Target:
    """What a listing route works on, resolved from its path: the kind of
    listing, the organisation (access checked), the writer, and the row."""

    lang: str
    kind: Kind
    organization: Organization
    principal: Principal
    writer: editing.Partner
    session: Session
    row: Any = None

    @property
    def dashboard(self) -> str:
        return f"/{self.lang}/espace/structures/{self.organization.id}"


def _target(needed: Role, with_row: bool) -> Any:
    def resolve(
        lang: PageLang,
        organization_id: uuid.UUID,
        slug: str,
        session: SessionDep,
        principal: PrincipalDep,
        row_id: uuid.UUID | None = None,
    ) -> Target:
        kind = kind_of(slug)
        organization = organization_for(session, principal, organization_id, needed)
        writer = access.writer(session, principal, organization_id)
        target = Target(lang, kind, organization, principal, writer, session)
        if with_row and row_id is not None:
            try:
                target.row = editing.owned(session, writer, kind.resource, row_id)
            except PartnerError as error:
                raise EspaceError(error.status, str(error.detail)) from error
        return target

    return Depends(resolve)


NewTarget = Annotated[Target, _target(Role.editor, with_row=False)]
ReadTarget = Annotated[Target, _target(Role.reader, with_row=True)]
EditTarget = Annotated[Target, _target(Role.editor, with_row=True)]


def _form_page(
    request: Request,
    target: Target,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
    reports: dict[str, Any] | None = None,
    version: Any = None,
    found: str | None = None,
    sharing_errors: dict[str, str] | None = None,
) -> HTMLResponse:
    row = target.row
    if version is None and row is not None:
        version = row.version
    return page(
        request,
        target.kind.template,
        target.lang,
        target.principal,
        status=status,
        organization=target.organization,
        kind=target.kind,
        row=row,
        values=values,
        errors=errors or {},
        version=version,
        falc=reports or {},
        found=found,
        geocoder=bool(get_settings().geocoder_url),
        tile_url=get_settings().tile_url,
        # The schedule builder says which parity this week has.
        current_week=paris_day(utcnow()).isocalendar().week,
        # A place's page lists whom it is shared with (web.routes.espace.sharing).
        grants=sharing.grants_of(target.session, row) if isinstance(row, Place) else [],
        sharing_errors=sharing_errors,
        can_edit="write" in target.writer.scopes,
        read_only="write" not in target.writer.scopes,
        readable=_readable(target) if "write" not in target.writer.scopes else [],
        language_choices=language_picker.choices(target.lang),
        spoken=language_picker.as_form(values.get("languages")),
        **_choices(target.session, target.organization.id),
    )


def _readable(target: Target) -> list[Any]:
    """A reader's view of the listing: its fields in words (history's labels
    and values), the ones the form would show."""
    if target.row is None:
        return []
    fields = set(target.kind.resource.schema.model_fields) - {"source_id"}
    current = to_jsonable_python(target.row.model_dump(warnings=False))
    shown = {name: value for name, value in current.items() if name in fields}
    model = target.kind.resource.model
    return history.compare(target.session, model, {}, shown, target.lang)


# Texts that get easy-to-read feedback (form field names).
FALC_FIELDS = ("falc_summary", "description")


def _falc_reports(values: dict[str, Any]) -> dict[str, Any]:
    """For « Vérifier la lisibilité »: what POST /api/v1/falc/check answers for
    each text, with the text (findings quote it). Advice only: nothing is saved."""
    reports = {}
    for name in FALC_FIELDS:
        text = values.get(name)
        if isinstance(text, str) and text:
            findings = falc.check(text)
            reports[name] = {
                "text": text,
                "score": falc.score(findings),
                "findings": findings,
            }
    return reports


def _preview(form: Any, values: dict[str, Any]) -> dict[str, Any] | None:
    """The buttons that answer without saving: « Vérifier la lisibilité » and
    « Trouver la position » (when a geocoder is configured)."""
    action = form.get("action")
    if action == "falc":
        return {"errors": {}, "reports": _falc_reports(values)}
    if action == "geocode":
        try:
            found = geocode.geocode(
                str(values.get("address") or ""),
                str(values.get("postal_code") or ""),
                str(values.get("commune") or ""),
                get_settings(),
            )
        except geocode.GeocodeError as error:
            return {"errors": {"address": str(error)}}
        values.update(lat=f"{found.lat:.6f}", lon=f"{found.lon:.6f}")
        return {"errors": {}, "found": found.label}
    return None


def _default_place(
    session: Session, organization_id: uuid.UUID, asked: str
) -> dict[str, Any]:
    """A new permanence's mode and place that agree: on site at the place
    asked for, or the organisation's first place; by phone when it has none."""
    if asked:
        return {"mode": "in_person", "place_id": asked}
    choices = _choices(session, organization_id)
    first = next(iter([*choices["places"], *choices["shared_places"]]), None)
    if first is None:
        return {"mode": "phone", "place_id": ""}
    return {"mode": "in_person", "place_id": str(first.id)}


def _initial(target: Target, row: Any, request: Request) -> dict[str, Any]:
    kind, session, organization_id = target.kind, target.session, target.organization.id
    if row is None:
        values: dict[str, Any] = {
            "service_id": request.query_params.get("service", ""),
            "place_id": request.query_params.get("lieu", ""),
        }
        if kind.slug == "services":
            values.update(
                languages="fr",
                publics=["tous-publics"],
                fees="free",
                status="published",
            )
        if kind.slug == "permanences":
            values.update(
                hours_mode="builder",
                builder=schedule_builder.form_values(None),
                **_default_place(session, organization_id, values["place_id"]),
            )
        return values
    values = display_values(row, kind.resource.schema)
    if kind.slug == "permanences":
        spec = schedule_builder.from_opening_hours(row.opening_hours)
        if spec is not None and row.biweekly_anchor is not None:
            spec, anchor = schedule_builder.in_this_year(
                spec, row.biweekly_anchor, paris_day(utcnow())
            )
            values["biweekly_anchor"] = anchor.isoformat()
        values["hours_mode"] = "builder" if spec else "raw"
        values["builder"] = schedule_builder.form_values(spec) if spec else {}
    return values


def _after_write(target: Target, result: Any) -> Response:
    notice = "en-attente" if isinstance(result, PendingChange) else "enregistre"
    return back_to(target.dashboard, notice)


def _after_create(target: Target, row: Any) -> Response:
    """A new listing whose text (or publication) waits for review says so,
    not "saved" (under moderation, or brought under it by this place)."""
    waiting = moderation.pending_counts(target.session, target.organization.id)
    notice = "cree-en-attente" if waiting[row.id] else "enregistre"
    return back_to(target.dashboard, notice)


def _field_errors(error: PartnerError) -> dict[str, str]:
    if isinstance(error.detail, list):
        return {
            str(item["loc"][-1]): str(item["msg"])
            for item in error.detail
            if item.get("loc")
        }
    return {"": str(error.detail)}


def _message(error: PartnerError) -> str:
    """The refusal in words (a field error's message, not its JSON shape)."""
    return " ".join(_field_errors(error).values())


@router.get("/{lang}/espace/structures/{organization_id}/{slug}/nouveau")
def new_form(request: Request, target: NewTarget) -> HTMLResponse:
    return _form_page(request, target, _initial(target, None, request))


@router.post("/{lang}/espace/structures/{organization_id}/{slug}/nouveau")
def create_post(request: Request, target: NewTarget, form: FormDep) -> Response:
    data, errors, values = _read(target.kind, form)
    preview = _preview(form, values)
    if preview is not None:  # a check or a lookup: nothing is saved
        return _form_page(request, target, values, **preview)
    if data is not None:
        try:
            result = editing.create(
                target.session, target.writer, target.kind.resource, data
            )
            return _after_create(target, result)
        except PartnerError as error:
            errors = _field_errors(error)
    return _form_page(request, target, values, errors, status=400)


@router.get("/{lang}/espace/structures/{organization_id}/{slug}/{row_id}")
def edit_form(request: Request, target: ReadTarget) -> HTMLResponse:
    return _form_page(request, target, _initial(target, target.row, request))


@router.post("/{lang}/espace/structures/{organization_id}/{slug}/{row_id}")
def update_post(request: Request, target: EditTarget, form: FormDep) -> Response:
    read = str(form.get("version") or "")  # the version the person edited
    data, errors, values = _read(target.kind, form)
    preview = _preview(form, values)
    if preview is not None:  # a check or a lookup: nothing is saved
        return _form_page(request, target, values, version=read, **preview)
    status = 400
    if data is not None:
        try:
            result = editing.update(
                target.session,
                target.writer,
                target.kind.resource,
                target.row,
                data,
                read,
            )
            return _after_write(target, result)
        except PartnerError as error:
            if error.status == 412:
                status, errors = 409, {"": conflict_message()}
            else:
                errors = _field_errors(error)
    # After a conflict the person has seen the newer version; otherwise keep
    # the one they read, so a later save is still checked against it.
    version = target.row.version if status == 409 else read
    return _form_page(request, target, values, errors, status, version=version)


@router.post("/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/supprimer")
def delete_post(target: EditTarget, form: FormDep) -> Response:
    return _set_deleted(target, form, deleted=True)


@router.post("/{lang}/espace/structures/{organization_id}/{slug}/{row_id}/restaurer")
def undelete_post(target: EditTarget, form: FormDep) -> Response:
    return _set_deleted(target, form, deleted=False)


def _set_deleted(target: Target, form: FormData, deleted: bool) -> Response:
    try:
        result = editing.set_deleted(
            target.session,
            target.writer,
            target.row,
            str(form.get("version") or ""),
            deleted,
        )
    except PartnerError as error:
        status = 409 if error.status == 412 else error.status
        raise EspaceError(status, _message(error)) from error
    if isinstance(result, PendingChange):
        return _after_write(target, result)
    return back_to(target.dashboard, "supprime" if deleted else "restaure")
