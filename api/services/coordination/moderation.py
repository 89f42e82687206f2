"""Optional moderation per territory: partner changes to published services wait
for a coordinator's approval; the public keeps seeing the approved version.

Scope (a choice, written down): services are moderated — creating a published
service holds it as ``pending``, and updates or deletes of a published service
are queued; so are translations (``entity_type == "translation"``), which are
public text too. Every path that writes goes through here: forms, API, bulk,
undelete and restoring an earlier version (``api.services.partner.editing``).

Approval applies exactly what the coordinator saw: the review form carries
``review_tag`` (the listing's version and a digest of the requested values),
and ``approve`` refuses when it no longer matches. A "still valid" confirmation
bumps the version without touching content, so it does not make a request stale.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from typing import Any

from pydantic_core import to_jsonable_python
from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    ChangeAction,
    Closure,
    CoordinatorScope,
    Organization,
    PendingChange,
    Permanence,
    Place,
    ReviewStatus,
    Revision,
    Service,
    ServiceStatus,
    User,
    utcnow,
)
from api.models.partner import (
    ClosureIn,
    OrganizationIn,
    PermanenceIn,
    PlaceIn,
    ServiceIn,
    Write,
)
from api.services.content import content_translations as content
from api.services.listings.revisions import Actor, save
from api.services.listings.write_values import apply
from api.services.places.communes import name_of, resolve_place
from api.services.places.qpv import assign_qpv
from api.services.system import links, mail
from api.settings import Settings


class ReviewError(ValueError):
    pass


TRANSLATION = "translation"
# What a "still valid" confirmation writes: no content a coordinator reviews.
NOT_CONTENT = frozenset({"last_confirmed_at", "updated_at"})


# What a queued update of each kind of row is read with, by entity_type.
MODELS: dict[str, tuple[Any, type[Write]]] = {
    Service.__tablename__: (Service, ServiceIn),
    Place.__tablename__: (Place, PlaceIn),
    Permanence.__tablename__: (Permanence, PermanenceIn),
    Closure.__tablename__: (Closure, ClosureIn),
    Organization.__tablename__: (Organization, OrganizationIn),
}
# The public free text of places, permanences and closures: under moderation a
# change to it waits (the rest of the write — hours, dates — applies at once).
FREE_TEXT: dict[type, tuple[str, ...]] = {
    Place: ("name", "address", "commune"),
    Permanence: ("note",),
    Closure: ("reason",),
    Organization: ("name", "description"),
}


def held_text(row: Any, data: Write) -> dict[str, Any]:
    """The free-text fields this write changes on a place, permanence or closure
    (a commune's official name is not free text)."""
    return {
        name: getattr(data, name)
        for name in FREE_TEXT.get(type(row), ())
        if getattr(data, name, None) != getattr(row, name, None)
        and not (name == "commune" and _official_commune(getattr(data, name)))
    }


def _official_commune(value: Any) -> bool:
    return isinstance(value, str) and bool(resolve_place(value))


def hold_new_text(session: Session, row: Any, data: Write) -> dict[str, Any]:
    """A new place's, permanence's or closure's public free text under
    moderation: returns what waits for review, and blanks it on ``row`` meanwhile.
    A place needs a name: it carries its organisation's (approved) name until
    its own is approved; its address stays empty; a commune that is not an
    official name shows the official name of its INSEE code (or none)."""
    text = held_text(type(row)(), data)
    for name in text:
        setattr(row, name, None)
    if "name" in text and isinstance(row, Place):
        organization = session.get(Organization, row.organization_id)
        row.name = organization.name if organization else "-"
    if "commune" in text and isinstance(row, Place):
        row.commune = (name_of(row.insee_code) if row.insee_code else None) or ""
    return text


def moderating(session: Session) -> list[CoordinatorScope]:
    """The territories with moderation on (read once for a bulk upload)."""
    return list(
        session.exec(
            select(CoordinatorScope).where(col(CoordinatorScope.moderation))
        ).all()
    )


def covers(
    session: Session, place: Place, scopes: list[CoordinatorScope] | None = None
) -> bool:
    """Whether a territory with moderation on covers this place, as written now
    (before it is saved: a write that brings an organisation's place into such
    a territory is moderated from that write on)."""
    scopes = moderating(session) if scopes is None else scopes
    if not scopes:
        return False
    assign_qpv(session, place)
    codes = {place.qpv_code, place.near_qpv_code} - {None}
    return any(
        place.insee_code in scope.communes or codes & set(scope.qpv_codes)
        for scope in scopes
    )


def shown(entity: Any) -> bool:
    """Whether the public sees this listing now: a draft or pending service is
    not shown, so its translations need no review yet."""
    return not isinstance(entity, Service) or entity.status == ServiceStatus.published


def holds(row: Any) -> bool:
    """Whether a write to this row must wait for approval (when moderated)."""
    return isinstance(row, Service) and row.status == ServiceStatus.published


def stale(session: Session, change: PendingChange, service: Any) -> bool:
    """Whether the listing's content changed since the request was made (a
    confirmation alone does not count: it would make every review void)."""
    if service.version == change.base_version:
        return False
    diffs = session.exec(
        select(Revision.diff).where(
            Revision.entity_type == type(service).__tablename__,
            Revision.entity_id == service.id,
            Revision.version > change.base_version,
        )
    ).all()
    return service.version < change.base_version or any(
        set(diff) - NOT_CONTENT for diff in diffs
    )


def review_tag(change: PendingChange, service: Service | None) -> str:
    """What the coordinator saw: the listing's version and the requested values."""
    values = json.dumps(change.values, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(values.encode()).hexdigest()[:16]
    return f"{service.version if service else 0}-{digest}"


def queue(
    session: Session,
    organization_id: uuid.UUID,
    row: Any,
    action: ChangeAction,
    actor: Actor,
    values: dict[str, Any] | None = None,
    entity_type: str | None = None,
) -> PendingChange:
    """Hold a change for review; the same change sent again waits once
    (imports are repeated, forms are sent twice)."""
    wanted = to_jsonable_python(values or {})
    for change in session.exec(
        select(PendingChange).where(
            PendingChange.entity_id == row.id,
            PendingChange.status == ReviewStatus.pending,
            PendingChange.action == action,
            PendingChange.entity_type == (entity_type or type(row).__tablename__),
        )
    ).all():
        # Only a request that can still be approved is the same request: an
        # old, stale one would leave the partner with nothing to approve.
        if change.values == wanted and not (
            entity_type is None and stale(session, change, row)
        ):
            return change
    change = PendingChange(
        organization_id=organization_id,
        entity_type=entity_type or type(row).__tablename__,
        entity_id=row.id,
        action=action,
        base_version=row.version,
        values=wanted,
        actor_type=actor.type,
        actor_id=actor.id,
        actor_label=actor.label,
    )
    session.add(change)
    return change


def pending_counts(session: Session, organization_id: uuid.UUID) -> Counter[uuid.UUID]:
    return Counter(
        session.exec(
            select(PendingChange.entity_id).where(
                PendingChange.organization_id == organization_id,
                PendingChange.status == ReviewStatus.pending,
            )
        ).all()
    )


def review_queue(
    session: Session, organization_ids: set[uuid.UUID] | None
) -> list[tuple[PendingChange, Organization, Any]]:
    """Pending changes, oldest first; ``None`` means every organisation."""
    query = (
        select(PendingChange, Organization)
        .join(Organization)
        .where(PendingChange.status == ReviewStatus.pending)
        .order_by(col(PendingChange.created_at))
    )
    if organization_ids is not None:
        query = query.where(col(PendingChange.organization_id).in_(organization_ids))
    return [
        (
            change,
            org,
            reviewed_row(session, change),
        )
        for change, org in session.exec(query).all()
    ]


def approve(
    session: Session,
    change: PendingChange,
    reviewer: Actor,
    seen: str | None = None,
) -> Any:
    """Apply the change as its author wrote it, exactly as the coordinator saw
    it (``seen``, the ``review_tag`` the review page showed); refused when the
    listing changed since (the author must redo it on the current version)."""
    if change.status != ReviewStatus.pending:
        raise ReviewError(_("Cette modification a déjà été traitée."))
    if change.entity_type == TRANSLATION:
        return _approve_translation(session, change, reviewer, seen)
    model, schema = MODELS[change.entity_type]
    service = session.get(model, change.entity_id)
    if service is None:
        raise ReviewError(_("Cette fiche n'existe plus."))
    if seen is not None and seen != review_tag(change, service):
        raise ReviewError(
            _(
                "Cette demande a changé depuis que vous l'avez ouverte : "
                "relisez-la avant de la valider."
            )
        )
    if change.action == ChangeAction.publish:
        # A listing set back to draft (or deleted) since is no longer asking.
        if service.status != ServiceStatus.pending or service.deleted_at:
            raise ReviewError(
                _("Cette fiche n'attend plus de publication : refusez la demande.")
            )
    elif stale(session, change, service):
        raise ReviewError(
            _("La fiche a changé depuis cette demande : refusez-la avec un message.")
        )
    author = _author(change, reviewer)
    if change.action == ChangeAction.publish:
        service.status = ServiceStatus.published
    elif change.action == ChangeAction.delete:
        service.deleted_at = utcnow()
    else:
        apply(service, change.organization_id, schema.model_validate(change.values))
    save(session, service, author)
    _close(change, ReviewStatus.approved, reviewer, None)
    session.add(change)
    session.commit()
    return service


def _author(change: PendingChange, reviewer: Actor) -> Actor:
    return Actor(
        change.actor_type,  # type: ignore[arg-type]
        _("%(author)s, validé par %(reviewer)s")
        % {"author": change.actor_label, "reviewer": reviewer.label},
        change.actor_id,
    )


def reviewed_row(session: Session, change: PendingChange) -> Any:
    """The row a request is about (for a translation, the translated listing)."""
    if change.entity_type == TRANSLATION:
        return translated_entity(session, change)
    model = MODELS.get(change.entity_type, (None,))[0]
    return session.get(model, change.entity_id) if model else None


def translated_entity(session: Session, change: PendingChange) -> Any:
    """The listing a queued translation belongs to."""
    model = content.MODELS.get(str(change.values.get("entity_type")))
    return session.get(model, change.entity_id) if model else None


def queue_translation(
    session: Session,
    organization_id: uuid.UUID,
    entity: Any,
    field: str,
    language: str,
    text: str,
    status: str,
    author: str | None,
    actor: Actor,
) -> PendingChange:
    """A moderated partner's translation waits like its French text does."""
    content.check(content.entity_type_of(entity), field, language, text.strip())
    current = content.find(session, entity, field, language)
    values = {
        "entity_type": content.entity_type_of(entity),
        "field": field,
        "language": language,
        "text": text.strip(),
        "status": str(status),
        "author": author,
    }
    change = queue(
        session,
        organization_id,
        entity,
        ChangeAction.update,
        actor,
        values,
        entity_type=TRANSLATION,
    )
    if change in session.new:  # checked against the translation, not the listing
        change.base_version = current.version if current else 0
    return change


def _approve_translation(
    session: Session, change: PendingChange, reviewer: Actor, seen: str | None
) -> Any:
    entity = translated_entity(session, change)
    if entity is None or entity.deleted_at is not None:
        raise ReviewError(_("Cette fiche n'existe plus."))
    values = change.values
    current = content.find(session, entity, values["field"], values["language"])
    if seen is not None and seen != review_tag(change, None):
        raise ReviewError(
            _(
                "Cette demande a changé depuis que vous l'avez ouverte : "
                "relisez-la avant de la valider."
            )
        )
    if (current.version if current else 0) != change.base_version:
        raise ReviewError(
            _("La fiche a changé depuis cette demande : refusez-la avec un message.")
        )
    content.upsert_translation(
        session,
        entity,
        values["field"],
        values["language"],
        values["text"],
        values["status"],
        values.get("author"),
        _author(change, reviewer),
    )
    _close(change, ReviewStatus.approved, reviewer, None)
    session.add(change)
    session.commit()
    return entity


def reject(
    session: Session, change: PendingChange, reviewer: Actor, message: str
) -> None:
    if change.status != ReviewStatus.pending:
        raise ReviewError(_("Cette modification a déjà été traitée."))
    message = message.strip()
    if not message:
        raise ReviewError(_("Expliquez le refus en quelques mots."))
    if change.action == ChangeAction.publish and change.entity_type != TRANSLATION:
        service = session.get(Service, change.entity_id)
        if service is not None and service.status == ServiceStatus.pending:
            service.status = ServiceStatus.draft
            save(session, service, reviewer)
    _close(change, ReviewStatus.rejected, reviewer, message[:2000])
    session.add(change)
    session.commit()


def _close(
    change: PendingChange, status: ReviewStatus, reviewer: Actor, message: str | None
) -> None:
    change.status = status
    change.reviewer_label = reviewer.label
    change.reviewed_at = utcnow()
    change.message = message


def tell_author(
    session: Session, change: PendingChange, settings: Settings, locale: str
) -> None:
    """Mail the author (a person, not a token) the coordinator's decision, for
    any kind of request (a place's name, a closure's reason, a translation…)."""
    if change.actor_type != "user" or change.actor_id is None:
        return
    author = session.get(User, change.actor_id)
    listing = _public_listing(session, reviewed_row(session, change))
    if author is None or listing is None:
        return
    path = PUBLIC_PATHS[type(listing)]
    subject, text = mail.render_mail(
        "moderation.txt",
        locale,
        name=listing.name,
        approved=change.status == ReviewStatus.approved,
        message=change.message or "",
        link=links.absolute(f"/{locale}/{path}/{listing.id}", settings),
    )
    mail.send(mail.Mail(to=author.email, subject=subject, text=text), settings)


PUBLIC_PATHS: dict[type, str] = {
    Service: "services",
    Place: "lieux",
    Organization: "structures",
}


def _public_listing(session: Session, row: Any) -> Any:
    """The listing a request is seen on: a permanence's or closure's service
    (or place), else the row itself."""
    if isinstance(row, Permanence | Closure):
        if row.service_id is not None:
            return session.get(Service, row.service_id)
        return session.get(Place, getattr(row, "place_id", None))
    return row if type(row) in PUBLIC_PATHS else None
