"""Partner writes: token authentication, ownership, optimistic locking, soft delete.

Routes stay thin: they call these functions, which raise ``PartnerError`` with
the HTTP status and detail to send. Every write goes through ``save`` (version
bump + revision, attributed to the token) in the caller's transaction.
"""

from __future__ import annotations

import hmac
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    ApiToken,
    Closure,
    CoordinatorScope,
    Entity,
    Organization,
    Permanence,
    Place,
    Service,
    ServiceStatus,
    utcnow,
)
from api.models.moderation import ChangeAction
from api.models.partner import (
    BulkIn,
    BulkOut,
    ClosureIn,
    PermanenceIn,
    PlaceIn,
    ServiceIn,
    Write,
)
from api.services.accounts.auth import hash_token
from api.services.content import content_translations as content
from api.services.coordination import moderation
from api.services.coordination.scopes import is_moderated
from api.services.listings import history
from api.services.listings.cascades import PlaceGone, require_live_place
from api.services.listings.revisions import Actor, StaleVersion, save
from api.services.listings.upsert import ImportReport, upsert
from api.services.listings.write_values import apply, source_of, values_of
from api.services.partner import sharing

_BEARER = re.compile(r"^Bearer\s+(rp_[0-9a-f]{8})_([\w-]+)$")


class PartnerError(Exception):
    def __init__(self, status: int, detail: Any) -> None:
        super().__init__(str(detail))
        self.status = status
        self.detail = detail


def invalid(field: str, message: str) -> PartnerError:
    """A 422 shaped like FastAPI's own, naming the body field."""
    return PartnerError(
        422, [{"loc": ["body", field], "msg": message, "type": "value_error"}]
    )


@dataclass(frozen=True)
class Partner:
    """Who writes for one organisation: an API token, or a member in the web space."""

    organization_id: uuid.UUID
    scopes: frozenset[str]
    actor: Actor
    # Changes to published services wait for a coordinator (coordination.moderation).
    moderated: bool = False
    # A coordinator who reviews this organisation: never held by its moderation.
    reviewer: bool = False

    @property
    def source(self) -> str:
        return source_of(self.organization_id)


def authenticate(session: Session, authorization: str | None) -> Partner:
    match = _BEARER.match(authorization or "")
    if not match:
        raise PartnerError(
            401, _("jeton manquant ou mal formé (Authorization: Bearer …)")
        )
    token = session.exec(
        select(ApiToken).where(ApiToken.prefix == match.group(1))
    ).first()
    given = hash_token(f"{match.group(1)}_{match.group(2)}")
    if (
        token is None
        or token.revoked_at
        or not hmac.compare_digest(token.token_hash, given)
    ):
        raise PartnerError(401, _("jeton inconnu ou révoqué"))
    organization = session.get(Organization, token.organization_id)
    if organization is None or organization.deleted_at is not None:
        raise PartnerError(401, _("jeton inconnu ou révoqué"))
    now = utcnow()
    # Recorded at most once a minute: a busy sync must not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        session.add(token)
        session.commit()
    return Partner(
        token.organization_id,
        frozenset(token.scopes),
        Actor("token", f"token {token.name}", token.id),
        moderated=is_moderated(session, token.organization_id),
    )


def require_read(partner: Partner) -> None:
    """A token made only to write (a sync job) reads nothing back."""
    if "read" not in partner.scopes:
        raise PartnerError(403, _("ce jeton ne permet pas la lecture"))


def require_write(partner: Partner) -> None:
    if "write" not in partner.scopes:
        raise PartnerError(403, _("ce jeton ne permet que la lecture"))


@dataclass(frozen=True)
class Resource:
    name: str
    model: type[Entity]
    schema: type[Write]
    owner: Callable[[Session, Any], uuid.UUID | None]


def _service_owner(session: Session, service_id: uuid.UUID | None) -> uuid.UUID | None:
    service = session.get(Service, service_id) if service_id else None
    return service.organization_id if service else None


def _closure_owner(session: Session, closure: Any) -> uuid.UUID | None:
    if closure.service_id:
        return _service_owner(session, closure.service_id)
    place = session.get(Place, closure.place_id)
    return place.organization_id if place else None


RESOURCES = {
    "places": Resource("places", Place, PlaceIn, lambda s, row: row.organization_id),
    "services": Resource(
        "services", Service, ServiceIn, lambda s, row: row.organization_id
    ),
    "permanences": Resource(
        "permanences",
        Permanence,
        PermanenceIn,
        lambda s, row: _service_owner(s, row.service_id),
    ),
    "closures": Resource("closures", Closure, ClosureIn, _closure_owner),
}


def owned(
    session: Session, partner: Partner, resource: Resource, row_id: uuid.UUID
) -> Any:
    """The row if it is this partner's: 404 when missing, 403 when another's."""
    row = session.get(resource.model, row_id)
    if row is None:
        raise PartnerError(404, _("introuvable"))
    if resource.owner(session, row) != partner.organization_id:
        raise PartnerError(403, _("cette fiche appartient à une autre structure"))
    return row


def check_references(
    session: Session,
    partner: Partner,
    data: Write,
    current_place: uuid.UUID | None = None,
) -> None:
    """What a write points to must exist, and be this partner's where it matters
    (another organisation's place only with its grant; a permanence already
    there keeps it, so a revoked grant does not block editing its hours)."""
    service_id = getattr(data, "service_id", None)
    place_id = getattr(data, "place_id", None)
    if service_id and _service_owner(session, service_id) != partner.organization_id:
        raise invalid("service_id", _("ce service n'est pas l'un des vôtres"))
    if place_id:
        place = session.get(Place, place_id)
        if place is None or place.deleted_at is not None:
            raise invalid("place_id", _("lieu introuvable"))
        if (
            isinstance(data, ClosureIn)
            and place.organization_id != partner.organization_id
        ):
            raise invalid("place_id", _("ce lieu n'est pas l'un des vôtres"))
        if current_place != place.id and not sharing.may_use(
            session, place, partner.organization_id
        ):
            # A place belongs to its organisation: sharing it is the owner's call.
            raise invalid(
                "place_id",
                _("ce lieu est à une autre structure, qui ne vous l'a pas ouvert"),
            )


def _duplicate(
    session: Session, partner: Partner, resource: Resource, data: Write, row_id: Any
) -> None:
    source_id = getattr(data, "source_id", None)
    if not source_id:
        return
    model: Any = resource.model
    clash = session.exec(
        select(model.id).where(
            model.source == partner.source, model.source_id == source_id
        )
    ).first()
    if clash is not None and clash != row_id:
        raise PartnerError(
            409, _("source_id déjà utilisé : %(id)s") % {"id": source_id}
        )


def moderated_at(
    session: Session,
    partner: Partner,
    data: Write,
    scopes: list[CoordinatorScope] | None = None,
) -> Partner:
    """The writer, moderated when this write puts a place of theirs in a
    territory with moderation on: else a new organisation's first place there,
    or a place moved there, would bring unreviewed text with it."""
    if partner.moderated or partner.reviewer or not isinstance(data, PlaceIn):
        return partner
    place = Place(**values_of(partner.organization_id, data))
    if moderation.covers(session, place, scopes):
        return replace(partner, moderated=True)
    return partner


def create(session: Session, partner: Partner, resource: Resource, data: Write) -> Any:
    partner = moderated_at(session, partner, data)
    check_references(session, partner, data)
    _duplicate(session, partner, resource, data, None)
    values = values_of(partner.organization_id, data)
    if resource.model in (Place, Service):
        values["slug"] = f"{resource.name[:-1]}-{secrets.token_hex(6)}"
    if resource.model is Service:
        # Whoever creates a listing has just checked it: no reminder tomorrow.
        values["last_confirmed_at"] = utcnow()
    row = resource.model(**values)
    held = partner.moderated and moderation.holds(row)
    if held:
        row.status = ServiceStatus.pending
    # A new place's name and address, permanence's note or closure's reason
    # wait like any public text.
    text = (
        moderation.hold_new_text(session, row, data)
        if partner.moderated and resource.model in (Place, Permanence, Closure)
        else {}
    )
    save(session, row, partner.actor)
    if held:
        moderation.queue(
            session, partner.organization_id, row, ChangeAction.publish, partner.actor
        )
    if text:
        _queue_update(session, partner, row, data)
    session.commit()
    session.refresh(row)
    return row


def expected_version(if_match: str | None, row: Any) -> None:
    """Optimistic locking: 428 without If-Match, 412 when it is not current.
    (Two writers passing this check at once are told apart by the UPDATE
    itself: see Entity.__mapper_args__ and ``saved``.)"""
    if not if_match:
        raise PartnerError(428, _("en-tête If-Match obligatoire (l'ETag lu avec GET)"))
    tags = [t.strip().removeprefix("W/").strip('"') for t in if_match.split(",")]
    if "*" not in tags and str(row.version) not in tags:
        raise changed_since(row.version)


def changed_since(version: int) -> PartnerError:
    return PartnerError(
        412,
        _("la fiche a changé depuis votre lecture (version %(v)s)") % {"v": version},
    )


def keep_in_territory(session: Session, partner: Partner) -> None:
    """A moderated partner cannot leave moderation by moving or deleting its
    places: such a change is refused (the coordination can make it)."""
    if partner.moderated and not is_moderated(session, partner.organization_id):
        session.rollback()
        raise PartnerError(
            409,
            _(
                "ce changement sortirait votre structure du territoire de sa "
                "coordination : demandez-le à la coordination"
            ),
        )


def saved(session: Session, row: Any, actor: Actor) -> bool:
    """``save``, with a concurrent write of the same version answered 412 (a
    PartnerError, so that forms can keep what was typed)."""
    try:
        return save(session, row, actor)
    except StaleVersion as error:
        raise changed_since(error.version) from error


def _keep_held_text(
    partner: Partner, row: Any, data: Write
) -> tuple[Write, dict[str, Any]]:
    """Under moderation, the public text this write changes waits for review:
    the write keeps the current values for it; returns that write and the
    held fields."""
    text = moderation.held_text(row, data) if partner.moderated else {}
    if text:
        data = data.model_copy(update={name: getattr(row, name) for name in text})
    return data, text


def _queue_update(session: Session, partner: Partner, row: Any, data: Write) -> Any:
    """Queue ``data`` for review as a change of ``row``; the PendingChange."""
    return moderation.queue(
        session,
        partner.organization_id,
        row,
        ChangeAction.update,
        partner.actor,
        data.model_dump(mode="json"),
    )


def _request_update(session: Session, partner: Partner, row: Any, data: Write) -> Any:
    """``_queue_update``, committed."""
    change = _queue_update(session, partner, row, data)
    session.commit()
    return change


def _request_publish(session: Session, partner: Partner, row: Any) -> Any:
    """Queue ``row``'s publication for review; the PendingChange."""
    change = moderation.queue(
        session, partner.organization_id, row, ChangeAction.publish, partner.actor
    )
    session.commit()
    return change


def update(
    session: Session,
    partner: Partner,
    resource: Resource,
    row: Any,
    data: Write,
    if_match: str | None,
) -> Any:
    expected_version(if_match, row)
    partner = moderated_at(session, partner, data)
    check_references(session, partner, data, getattr(row, "place_id", None))
    _duplicate(session, partner, resource, data, row.id)
    if partner.moderated and moderation.holds(row):
        current = to_jsonable_python(current_values(resource, row))
        if current == data.model_dump(mode="json"):
            return row  # the same values (codes in another order too): no review
        return _request_update(session, partner, row, data)
    publish = (
        partner.moderated
        and isinstance(data, ServiceIn)
        and data.status == ServiceStatus.published
    )
    if publish:  # not published yet: it waits for approval
        data = data.model_copy(update={"status": ServiceStatus.pending})
    # Under moderation a place's name, a permanence's note or a closure's
    # reason waits for review; the rest of the write applies now.
    wanted = data
    data, text = _keep_held_text(partner, row, data)
    apply(row, partner.organization_id, data)
    if isinstance(row, Service) and partner.actor.type == "user":
        # A person saving the form has checked it (an API sync repeating the
        # same values changes nothing, so that re-sending stays a no-op).
        row.last_confirmed_at = utcnow()
    saved(session, row, partner.actor)
    keep_in_territory(session, partner)
    if publish:
        moderation.queue(
            session, partner.organization_id, row, ChangeAction.publish, partner.actor
        )
    if text:
        session.flush()  # the request is made against the version just written
        return _request_update(session, partner, row, wanted)
    session.commit()
    session.refresh(row)
    return row


def update_organization(
    session: Session, partner: Partner, organization: Organization, data: Write
) -> Any:
    """The organisation's own record (its form): under moderation its name and
    description wait for review like any public text; the rest applies now.
    The caller checks If-Match; a PendingChange is returned when held."""
    wanted = data
    data, text = _keep_held_text(partner, organization, data)
    for key, value in data.model_dump().items():
        setattr(organization, key, value)
    saved(session, organization, partner.actor)
    if text:
        session.flush()  # the request is made against the version just written
        return _request_update(session, partner, organization, wanted)
    session.commit()
    return organization


def current_values(resource: Resource, row: Any) -> dict[str, Any]:
    fields = set(resource.schema.model_fields)
    return {k: v for k, v in row.model_dump(warnings=False).items() if k in fields}


def set_deleted(
    session: Session, partner: Partner, row: Any, if_match: str | None, deleted: bool
) -> Any:
    """Soft delete, or restore: the row and its history stay. Under moderation,
    bringing back a published service asks for publication again."""
    expected_version(if_match, row)
    if deleted and partner.moderated and moderation.holds(row):
        change = moderation.queue(
            session, partner.organization_id, row, ChangeAction.delete, partner.actor
        )
        session.commit()
        return change
    if not deleted:  # as a write of place_id would: not back to a place gone
        _require_usable_place(session, partner, getattr(row, "place_id", None))
    row.deleted_at = utcnow() if deleted else None
    republish = not deleted and _wants_public(partner, row)
    if republish:
        row.status = ServiceStatus.pending
    saved(session, row, partner.actor)
    keep_in_territory(session, partner)
    if republish:
        return _request_publish(session, partner, row)
    session.commit()
    session.refresh(row)
    return row


def _require_usable_place(
    session: Session, partner: Partner, place_id: uuid.UUID | None
) -> None:
    """A permanence comes back only to a live place this partner may use (a
    revoked grant ended it: it waits for the place to be shared again)."""
    try:
        require_live_place(session, place_id)
    except PlaceGone as error:
        raise invalid("place_id", str(error)) from error
    place = session.get(Place, place_id) if place_id else None
    if place is not None and not sharing.may_use(
        session, place, partner.organization_id
    ):
        raise invalid(
            "place_id",
            _("ce lieu est à une autre structure, qui ne vous l'a pas ouvert"),
        )


def _wants_public(partner: Partner, row: Any) -> bool:
    """A moderated partner's service that would (again) be on the directory."""
    return (
        partner.moderated
        and isinstance(row, Service)
        and row.status in (ServiceStatus.published, ServiceStatus.pending)
    )


def restore_version(
    session: Session, partner: Partner, row: Any, version: int, if_match: str | None
) -> Any:
    """Write an earlier version back (``history.restore``). Under moderation a
    restored service's content waits for a coordinator like any other change:
    a live published one stays as it is until the request is approved; any
    other one is restored as pending with a publication request."""
    expected_version(if_match, row)
    live = moderation.holds(row) and row.deleted_at is None
    if partner.moderated and isinstance(row, Service) and live:
        values = history.values_at(session, row, version)
        if values.get("status") in (ServiceStatus.pending, ServiceStatus.draft):
            # Going back to a version from before approval is not unpublishing.
            values["status"] = ServiceStatus.published
        fields = set(ServiceIn.model_fields)
        data = ServiceIn.model_validate(
            {k: to_jsonable_python(v) for k, v in values.items() if k in fields}
        )
        current = current_values(RESOURCES["services"], row)
        if to_jsonable_python(current) == data.model_dump(mode="json"):
            return row
        return _request_update(session, partner, row, data)
    try:
        history.restore(session, row, version, partner.actor)
    except StaleVersion as error:
        raise changed_since(error.version) from error
    if isinstance(row, Permanence):  # restoring also undeletes
        _check_restored_place(session, partner, row)
    republish = _wants_public(partner, row)
    if republish:
        row.status = ServiceStatus.pending
        saved(session, row, partner.actor)
    keep_in_territory(session, partner)
    if republish:
        return _request_publish(session, partner, row)
    session.commit()
    return row


def _check_restored_place(session: Session, partner: Partner, row: Any) -> None:
    """An old version may point to a place since deleted or no longer shared
    (a revoked grant ended the permanence there): restoring it is refused like
    the same PUT or an undelete would be."""
    place = session.get(Place, row.place_id) if row.place_id else None
    if place is None:
        return
    if place.deleted_at is not None or not sharing.may_use(
        session, place, partner.organization_id
    ):
        session.rollback()
        raise PartnerError(
            409,
            _(
                "cette version rattache la permanence à un lieu "
                "qui ne vous est plus ouvert"
            ),
        )


def write_translation(
    session: Session,
    partner: Partner,
    entity: Any,
    field: str,
    language: str,
    text: str,
    status: str,
    author: str | None,
) -> Any:
    """A translation is public text: under moderation it waits for a
    coordinator (a PendingChange is returned), except on a listing the public
    does not see yet (a draft or pending service), where nothing is shown."""
    if partner.moderated and text.strip() and moderation.shown(entity):
        return moderation.queue_translation(
            session,
            partner.organization_id,
            entity,
            field,
            language,
            text,
            status,
            author,
            partner.actor,
        )
    return content.upsert_translation(
        session, entity, field, language, text, status, author, partner.actor
    )


def list_owned(
    session: Session, partner: Partner, resource: Resource, deleted: bool
) -> list[Any]:
    model: Any = resource.model
    query = select(model)
    if model in (Place, Service):
        query = query.where(model.organization_id == partner.organization_id)
    elif model is Permanence:
        query = query.join(Service).where(
            Service.organization_id == partner.organization_id
        )
    else:
        mine = select(Service.id).where(
            Service.organization_id == partner.organization_id
        )
        places = select(Place.id).where(
            Place.organization_id == partner.organization_id
        )
        query = query.where(
            col(Closure.service_id).in_(mine) | col(Closure.place_id).in_(places)
        )
    if not deleted:
        query = query.where(col(model.deleted_at).is_(None))
    return list(session.exec(query.order_by(col(model.created_at))).all())


def confirm(
    session: Session, partner: Partner, service_ids: list[uuid.UUID] | None
) -> int:
    """Mark services as still valid today; all of the organisation's when none given."""
    query = select(Service).where(
        Service.organization_id == partner.organization_id,
        col(Service.deleted_at).is_(None),
    )
    if service_ids is not None:
        query = query.where(col(Service.id).in_(service_ids))
    services = session.exec(query).all()
    if service_ids is not None and len(services) != len(set(service_ids)):
        raise invalid("service_ids", _("un des services n'est pas l'un des vôtres"))
    now = utcnow()
    for service in services:
        service.last_confirmed_at = now
        save(session, service, partner.actor)
    session.commit()
    return len(services)


def organization_name(session: Session, partner: Partner) -> str:
    org = session.get(Organization, partner.organization_id)
    return org.name if org else ""


def bulk_upsert(session: Session, partner: Partner, data: BulkIn) -> BulkOut:
    """Create or update by source_id, in one transaction: sending the same
    payload twice writes nothing the second time (no new version, no revision)."""
    report = ImportReport()
    ids: dict[str, dict[str, uuid.UUID]] = {"places": {}, "services": {}}
    scopes = moderation.moderating(session)  # once, not once a place
    for item in data.places:
        ids["places"][item.source_id] = _bulk_place(
            session, moderated_at(session, partner, item, scopes), item, report
        )
    if data.services and not partner.moderated:
        # This upload's places may have just brought it under moderation.
        session.flush()
        moderated = is_moderated(session, partner.organization_id)
        partner = replace(partner, moderated=moderated)
    for item in data.services:
        ids["services"][item.source_id] = _bulk_service(session, partner, item, report)
    keep_in_territory(session, partner)
    session.commit()
    counts: dict[str, dict[str, int]] = {"place": {}, "service": {}}
    for (table, outcome), n in report.counts.items():
        counts.setdefault(table, {})[outcome] = n
    return BulkOut(counts=counts, ids=ids)


def _bulk_values(partner: Partner, item: Write) -> tuple[str, dict[str, Any]]:
    values = values_of(partner.organization_id, item)
    values.pop("source", None)
    return values.pop("source_id"), values


def _bulk_place(
    session: Session, partner: Partner, item: Write, report: ImportReport
) -> uuid.UUID:
    """One place of a bulk upload; its held text queued under moderation."""
    source_id, values = _bulk_values(partner, item)
    held = _held_place_text(session, partner, item, values)
    slug = {"slug": f"place-{secrets.token_hex(6)}"}
    row = upsert(
        session, Place, partner.source, source_id, values, partner.actor, report, slug
    )
    if held:
        session.flush()  # the request is made against the version written
        _queue_update(
            session,
            partner,
            row,
            PlaceIn.model_validate(item.model_dump(exclude={"source_id"})),
        )
    return row.id


def _bulk_service(
    session: Session, partner: Partner, item: Write, report: ImportReport
) -> uuid.UUID:
    """One service of a bulk upload; under moderation a change of a published
    one is queued, and a new published one waits as pending."""
    source_id, values = _bulk_values(partner, item)
    if partner.moderated:
        held = _held_by_moderation(session, partner, item, values, report)
        if held is not None:
            return held
    # A new service is checked by whoever sends it (see ``create``).
    new = {"slug": f"service-{secrets.token_hex(6)}", "last_confirmed_at": utcnow()}
    row = upsert(
        session, Service, partner.source, source_id, values, partner.actor, report, new
    )
    if partner.moderated and row.status == ServiceStatus.pending:
        moderation.queue(
            session, partner.organization_id, row, ChangeAction.publish, partner.actor
        )
    return row.id


def _held_place_text(
    session: Session, partner: Partner, item: Write, values: dict[str, Any]
) -> dict[str, Any]:
    """Under moderation a place's new name or address waits for review: the
    import keeps the current text (a new place: its organisation's name, no
    address) and returns the held fields."""
    if not partner.moderated:
        return {}
    row = session.exec(
        select(Place).where(
            Place.source == partner.source,
            Place.source_id == getattr(item, "source_id", None),
        )
    ).first()
    if row is None:
        row = Place(
            organization_id=partner.organization_id,
            insee_code=getattr(item, "insee_code", None),
        )
        text = moderation.hold_new_text(session, row, item)
    else:
        text = moderation.held_text(row, item)
    values.update({name: getattr(row, name) for name in text})
    return text


def _held_by_moderation(
    session: Session,
    partner: Partner,
    item: Write,
    values: dict[str, Any],
    report: ImportReport,
) -> uuid.UUID | None:
    """Under moderation, a published service's changes are queued (once), and a
    new published service is created as pending; returns the id when queued."""
    row = session.exec(
        select(Service).where(
            Service.source == partner.source,
            Service.source_id == getattr(item, "source_id", None),
        )
    ).first()
    if not moderation.holds(row):
        # Publishing waits for approval: the row is (or stays) pending.
        if values.get("status") == ServiceStatus.published:
            values["status"] = ServiceStatus.pending
        return None
    with session.no_autoflush:
        current = {k: getattr(row, k) for k in values}
    if to_jsonable_python(current) == to_jsonable_python(values):
        report.count("service", "unchanged")
        return row.id
    moderation.queue(
        session,
        partner.organization_id,
        row,
        ChangeAction.update,
        partner.actor,
        item.model_dump(mode="json"),
    )
    report.count("service", "queued")
    return row.id
