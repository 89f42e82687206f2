"""Writes read records into the directory, idempotently by (source, source_id).

- A listing that exists is updated through ``save`` (a revision when something
  changed, nothing at all when not), in a savepoint of its own: a row that
  fails is rolled back alone and rejected with its line, never half-written.
- New listings go in by bulk inserts, a thousand at a time with their
  revisions (the same snapshot ``save`` writes); should a bulk batch fail,
  its listings are written one by one through the savepoint path instead.
- ``full``: services of the imported sources that the file no longer holds
  are archived (status ``archived``, a revision), never deleted.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from pydantic_core import to_json, to_jsonable_python
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    ChangeAction,
    Organization,
    PendingChange,
    Permanence,
    Place,
    ReviewStatus,
    Revision,
    Service,
    ServiceStatus,
    utcnow,
)
from api.models.partner import PlaceIn
from api.services.coordination import moderation
from api.services.imports import moderated
from api.services.imports.ids import ordered_uuid
from api.services.imports.records import (
    Batch,
    OrgRecord,
    PermanenceRecord,
    PlaceRecord,
    Rejection,
    ServiceRecord,
)
from api.services.imports.tuning import import_settings
from api.services.listings.bulk import JsonText, insert_rows
from api.services.listings.revisions import SETS, Actor, save
from api.services.listings.upsert import ImportReport, sync_children, upsert
from api.services.places.qpv import qpv_index
from api.services.search.bulk_index import index_written

# Places are found again by address (records.PlaceRecord.key), whichever file
# named them first.
PLACE_SOURCE = "import"
# New listings per bulk insert, each batch in a savepoint of its own. A
# savepoint's cost on SQLite grows with the pages its batch touches, not the
# rows: 100,000 services took 12 s more CPU in batches of 1,000 than of 10,000.
BULK = 10_000
_CHUNK = 500


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    # Changes to published listings waiting for review (under moderation).
    queued: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.archived + self.queued


@dataclass
class Options:
    actor: Actor
    full: bool = False
    # Set for an organisation's own upload: every service is its, under its source.
    organization_id: uuid.UUID | None = None
    new_status: ServiceStatus = ServiceStatus.published
    # Under moderation a published listing changes through its form only, and
    # a place's new name, address or commune waits for review (as on the API).
    locked_published: bool = False
    advance: Callable[[int], None] = lambda _n: None


_TEMPLATES: dict[type, dict[str, Any]] = {}


def _blank(model: type) -> dict[str, Any]:
    """A new row of ``model`` as a dict of every column's default: building
    SQLModel objects costs milliseconds each, a dict copy microseconds."""
    if model not in _TEMPLATES:
        fields = model.model_fields  # type: ignore[attr-defined]
        # Placeholders for required columns only (the values overwrite them):
        # an optional one keeps its default (a place's hours stay empty).
        placeholders = {
            "slug": "x", "name": "x", "commune": "x", "opening_hours": "x",
            "organization_id": uuid.uuid4(), "service_id": uuid.uuid4(),
        }  # fmt: skip
        sample = model(
            **{
                k: v
                for k, v in placeholders.items()
                if k in fields and fields[k].is_required()
            }
        )
        _TEMPLATES[model] = sample.model_dump()
    row = dict(_TEMPLATES[model])
    for key, value in row.items():
        if isinstance(value, list):
            row[key] = list(value)
    row["id"] = ordered_uuid()
    return row


def _slug(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(6)}"


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _by_source(keys: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """(source, a chunk of its source ids) for these keys: looked up as
    ``source = … AND source_id IN (…)``. PostgreSQL planned a row-value
    ``(source, source_id) IN (…)`` of 500 pairs as 500 OR-ed index scans,
    0.3 s a chunk (a minute for 100,000 services, each import)."""
    ids: dict[str, list[str]] = {}
    for source, source_id in keys:
        ids.setdefault(source, []).append(source_id)
    for source, wanted in ids.items():
        for chunk in _chunks(wanted):
            yield source, chunk


class Runner:
    def __init__(self, session: Session, options: Options) -> None:
        self.session = session
        self.options = options
        self.summary = Summary()
        self.orgs: dict[tuple[str, str], uuid.UUID] = {}
        self.places: dict[str, uuid.UUID] = {}
        self._org_names: dict[uuid.UUID, str | None] = {}  # None: deleted
        self.now = utcnow()
        self._fresh_places: dict[str, Any] = {}
        # Places this import inserted, as ``_index`` hands them to the index:
        # a later batch's listings use them too, and reading them back cost a
        # second per 100,000 services. (A place, once in ``places``, is never
        # written again by the import; those of a batch rolled back are
        # asked for by no one, their ids being nowhere else.)
        self._placed: dict[uuid.UUID, Any] = {}
        self._fresh_held = 0  # place texts held by the row being written

    # --- organisations ------------------------------------------------------

    def organizations(self, records: list[OrgRecord]) -> None:
        self._known_orgs((r.source, r.source_id) for r in records)
        fresh = [
            r
            for r in records
            if r.own_id is None and (r.source, r.source_id) not in self.orgs
        ]
        inserted = self._insert_orgs(fresh)
        same = self._unchanged_orgs(records)
        for record in records:
            key = (record.source, record.source_id)
            if key in inserted or self.orgs.get(key) in same:
                continue
            own = (
                self.session.get(Organization, record.own_id)
                if record.own_id is not None
                else None
            )
            if own is not None:
                self._update_own(record, own)
                continue
            try:
                with self.session.begin_nested():
                    org = upsert(
                        self.session,
                        Organization,
                        record.source,
                        record.source_id,
                        record.values,
                        self.options.actor,
                        ImportReport(),
                        on_create={"slug": _slug("structure")},
                    )
                self.orgs[key] = org.id
            except SQLAlchemyError as error:
                self.reject(record.line, "structures", error)

    def _insert_orgs(self, fresh: list[OrgRecord]) -> set[tuple[str, str]]:
        """New organisations in one insert (with their revisions); the keys
        written, none when the batch clashed (then each goes alone)."""
        if not fresh:
            return set()
        try:
            with self.session.begin_nested():
                rows = [
                    self._new(
                        Organization,
                        source=r.source,
                        source_id=r.source_id,
                        slug=_slug("structure"),
                        **r.values,
                    )
                    for r in fresh
                ]
                insert_rows(self.session, Organization.__table__, rows)  # type: ignore[attr-defined]
                insert_rows(
                    self.session,
                    Revision.__table__,  # type: ignore[attr-defined]
                    [self._revision("organization", row) for row in rows],
                )
        except SQLAlchemyError:
            return set()
        for r, row in zip(fresh, rows, strict=True):
            self.orgs[(r.source, r.source_id)] = row["id"]
        return {(r.source, r.source_id) for r in fresh}

    def _unchanged_orgs(self, records: list[OrgRecord]) -> set[uuid.UUID]:
        """Ids of the known organisations that already hold what the file
        says: read a chunk at a time, compared in Python, never written."""
        wanted = {
            self.orgs[(r.source, r.source_id)]: r
            for r in records
            if (r.source, r.source_id) in self.orgs
        }
        same: set[uuid.UUID] = set()
        table = Organization.__table__  # type: ignore[attr-defined]
        for chunk in _chunks(list(wanted)):
            for row in self.session.execute(
                select(table).where(table.c.id.in_(chunk))
            ).all():
                record = wanted[row.id]
                if row.deleted_at is None and _holds(row, record.values):
                    same.add(row.id)
        return same

    def _update_own(self, record: OrgRecord, org: Organization) -> None:
        """One of our organisations read back from an export: found by id,
        its source and slug kept."""
        try:
            with self.session.begin_nested():
                for key, value in record.values.items():
                    setattr(org, key, value)
                save(self.session, org, self.options.actor)
        except SQLAlchemyError as error:
            self.session.expire(org)
            self.reject(record.line, "structures", error)
            return
        self.orgs[(record.source, record.source_id)] = org.id

    def _known_orgs(self, keys: Iterable[tuple[str, str]]) -> None:
        wanted = [k for k in set(keys) if k not in self.orgs]
        for source, chunk in _by_source(wanted):
            rows = self.session.exec(
                select(Organization.id, Organization.source, Organization.source_id)
                .where(col(Organization.deleted_at).is_(None))
                .where(col(Organization.source) == source)
                .where(col(Organization.source_id).in_(chunk))
            ).all()
            for org_id, source, source_id in rows:
                self.orgs[(source, source_id)] = org_id
        own = [k for k in wanted if k not in self.orgs and k[1].startswith("reperes--")]
        for source, source_id in own:
            try:
                found = self.session.get(Organization, uuid.UUID(source_id[9:]))
            except ValueError:
                found = None
            if found is not None and found.deleted_at is None:
                self.orgs[(source, source_id)] = found.id

    def org_of(self, record: ServiceRecord) -> uuid.UUID | None:
        if self.options.organization_id is not None:
            return self.options.organization_id
        return self.orgs.get(record.org) if record.org else None

    # --- services -----------------------------------------------------------

    def services(self, records: list[ServiceRecord]) -> None:
        if self.options.organization_id is None:
            self._known_orgs(r.org for r in records if r.org)
        existing = self._existing(records)
        fresh: list[ServiceRecord] = []
        known: list[tuple[ServiceRecord, uuid.UUID, Any]] = []
        for record in records:
            org_id = self.org_of(record)
            if org_id is None:
                self.summary.rejected.append(
                    Rejection(
                        record.line,
                        _("Structure inconnue : %(id)s.")
                        % {"id": record.org[1] if record.org else "?"},
                    )
                )
                self.options.advance(1)
                continue
            service_id = existing.get((record.source, record.source_id))
            if service_id is None and record.own_id is not None:
                service_id = existing.get(("", str(record.own_id)))
            if service_id is None:
                fresh.append(record)
                if len(fresh) >= BULK:
                    self._create_bulk(fresh)
                    fresh = []
            else:
                known.append((record, org_id, service_id))
                if len(known) >= _CHUNK:
                    self._update_chunk(known)
                    known = []
        if known:
            self._update_chunk(known)
        if fresh:
            self._create_bulk(fresh)

    def _update_chunk(self, known: list[tuple[ServiceRecord, uuid.UUID, Any]]) -> None:
        """Listings already there: those the file leaves as they are are
        counted without a write; the others go through ``_update``."""
        same = self._unchanged(known)
        for record, org_id, service_id in known:
            if service_id in same:
                self.summary.unchanged += 1
            else:
                self._update(record, org_id, service_id)
            self.options.advance(1)

    def _unchanged(self, known: list[tuple[ServiceRecord, uuid.UUID, Any]]) -> set[Any]:
        """Ids of the services whose row, places and permanences already
        hold what the file says: read in two queries, compared in Python."""
        ids = [service_id for _r, _o, service_id in known]
        rows = {
            row.id: row
            for row in self.session.exec(
                select(Service).where(col(Service.id).in_(ids))
            )
        }
        held = self._held(ids)
        same = set()
        for record, org_id, service_id in known:
            row = rows.get(service_id)
            if (
                row is None
                or row.deleted_at is not None
                or row.status == ServiceStatus.archived
                or row.organization_id != org_id
                or not _holds(row, record.values, SETS["service"])
            ):
                continue
            if _same_places(record, org_id, held[service_id]):
                same.add(service_id)
        return same

    def _held(self, ids: list[Any]) -> dict[Any, list[Any]]:
        """The live permanences (with their places) of these services, in
        the form ``_same_places`` compares."""
        held: dict[Any, list[Any]] = {service_id: [] for service_id in ids}
        found = self.session.exec(
            select(Permanence, Place)
            .outerjoin(Place, col(Place.id) == col(Permanence.place_id))
            .where(
                col(Permanence.service_id).in_(ids),
                col(Permanence.deleted_at).is_(None),
            )
        ).all()
        waiting = self._waiting_text({place.id for _p, place in found if place})
        for permanence, place in found:
            text = waiting.get(place.id, {}) if place else {}
            held[permanence.service_id].append(
                _stored_permanence(permanence, place, text)
            )
        return held

    def _waiting_text(self, place_ids: set[Any]) -> dict[Any, dict[str, Any]]:
        """Under moderation, the public text of these places waiting for
        review (their latest request): a file saying it again is no change."""
        if not self.options.locked_published or not place_ids:
            return {}
        waiting: dict[Any, dict[str, Any]] = {}
        for change in self.session.exec(
            select(PendingChange)
            .where(
                col(PendingChange.entity_id).in_(place_ids),
                PendingChange.entity_type == Place.__tablename__,
                PendingChange.action == ChangeAction.update,
                PendingChange.status == ReviewStatus.pending,
            )
            .order_by(col(PendingChange.created_at))
        ).all():
            text = moderation.FREE_TEXT[Place]
            waiting[change.entity_id] = {
                k: change.values[k] for k in text if k in change.values
            }
        return waiting

    def _existing(self, records: list[ServiceRecord]) -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        for source, chunk in _by_source([(r.source, r.source_id) for r in records]):
            rows = self.session.exec(
                select(Service.id, Service.source, Service.source_id).where(
                    col(Service.source) == source, col(Service.source_id).in_(chunk)
                )
            ).all()
            for service_id, source, source_id in rows:
                found[(source, source_id)] = service_id
        own = [r.own_id for r in records if r.own_id is not None]
        for chunk in _chunks(own):
            for service_id in self.session.exec(
                select(Service.id).where(col(Service.id).in_(chunk))
            ).all():
                found[("", str(service_id))] = service_id
        return found

    def _place_id(
        self, org_id: uuid.UUID, place: PlaceRecord, fresh: dict[str, Any]
    ) -> Any:
        key = place.key(str(org_id))
        if key in self.places:
            return self.places[key]
        if key in fresh:
            return fresh[key]
        values = {"organization_id": org_id, **place.values()}
        held = self._hold_place_text(key, values)
        row = upsert(
            self.session,
            Place,
            PLACE_SOURCE,
            key,
            values,
            self.options.actor,
            ImportReport(),
            on_create={"slug": _slug("place")},
        )
        if held is not None:
            self.session.flush()  # the request is made against the version written
            moderation.queue(
                self.session,
                org_id,
                row,
                ChangeAction.update,
                self.options.actor,
                held.model_dump(mode="json"),
            )
            self._fresh_held += 1
        fresh[key] = row.id
        return row.id

    def _hold_place_text(self, key: str, values: dict[str, Any]) -> PlaceIn | None:
        """Under moderation a place's new name, address or commune waits for
        review, by the API's rule (``moderation.hold_new_text``/``held_text``):
        the import keeps the current text in ``values`` (a new place: its
        organisation's name, no address) and returns the write to review."""
        if not self.options.locked_published:
            return None
        row = self.session.exec(
            select(Place).where(Place.source == PLACE_SOURCE, Place.source_id == key)
        ).first()
        fields = set(PlaceIn.model_fields) - {"source_id"}
        written = {**(row.model_dump() if row is not None else {}), **values}
        wanted = PlaceIn.model_validate(
            {k: v for k, v in written.items() if k in fields}
        )
        if row is None:
            row = Place(
                organization_id=values["organization_id"],
                insee_code=values.get("insee_code"),
            )
            text = moderation.hold_new_text(self.session, row, wanted)
        else:
            text = moderation.held_text(row, wanted)
        values.update({name: getattr(row, name) for name in text})
        return wanted if text else None

    def _write(
        self, record: ServiceRecord, org_id: uuid.UUID, row: Service | None
    ) -> bool:
        """One listing through ``save``; whether anything changed."""
        report = ImportReport()
        self._fresh_held = 0
        values = {"organization_id": org_id, **record.values}
        if row is None:
            row = Service(
                source=record.source,
                source_id=record.source_id,
                slug=_slug("service"),
                status=self.options.new_status,
                **values,
            )
            report.count("service", "created")
            save(self.session, row, self.options.actor)
        else:
            for key, value in values.items():
                setattr(row, key, value)
            row.deleted_at = None
            if row.status == ServiceStatus.archived:
                row.status = self.options.new_status
            if save(self.session, row, self.options.actor):
                report.count("service", "updated")
        fresh: dict[str, Any] = {}
        wanted = [
            {
                "place_id": self._place_id(org_id, p.place, fresh) if p.place else None,
                **p.values(),
            }
            for p in record.permanences
        ]
        sync_children(
            self.session,
            Permanence,
            "service_id",
            row.id,
            wanted,
            self.options.actor,
            report,
        )
        self._fresh_places = fresh
        return report.changed > 0

    def _update(
        self, record: ServiceRecord, org_id: uuid.UUID, service_id: Any
    ) -> None:
        row = self.session.get(Service, service_id)
        if row is None:
            return
        if self.options.locked_published and row.status == ServiceStatus.published:
            self._hold(record, org_id, row)
            return
        try:
            with self.session.begin_nested():
                changed = self._write(record, org_id, row)
        except (SQLAlchemyError, ValueError) as error:
            self.session.expire(row)
            self.reject(record.line, "services", error)
            return
        self.places.update(self._fresh_places)
        self.summary.queued += self._fresh_held
        if changed:
            self.summary.updated += 1
        else:
            self.summary.unchanged += 1

    def _hold(self, record: ServiceRecord, org_id: uuid.UUID, row: Service) -> None:
        """Under moderation: the file's changes to a published listing wait
        for review (once, however often the file is sent again)."""
        places = _same_places(record, org_id, self._held([row.id])[row.id])
        try:
            queued = moderated.hold(
                self.session, row, record.values, places, self.options.actor
            )
        except moderated.Refused as error:
            self.summary.rejected.append(Rejection(record.line, str(error)))
            return
        if queued:
            self.summary.queued += 1
        else:
            self.summary.unchanged += 1

    def _create_one(self, record: ServiceRecord) -> None:
        org_id = self.org_of(record)
        assert org_id is not None
        try:
            with self.session.begin_nested():
                self._write(record, org_id, None)
        except (SQLAlchemyError, ValueError) as error:
            self.reject(record.line, "services", error)
            return
        self.places.update(self._fresh_places)
        self.summary.queued += self._fresh_held
        self.summary.created += 1

    # --- bulk creation ------------------------------------------------------

    def _create_bulk(self, records: list[ServiceRecord]) -> None:
        if self.options.locked_published:
            # Under moderation a new place's text waits for review: each
            # listing goes through ``_write`` (one organisation's own file).
            self._create_each(records)
            return
        try:
            with self.session.begin_nested():
                created, places = self._insert(records)
        except SQLAlchemyError:
            # Something in this batch clashes: each listing alone, so that
            # only the faulty ones are rejected.
            self._create_each(records)
            return
        self.places.update(places)
        self.summary.created += len(created)
        self.options.advance(len(records))

    def _create_each(self, records: list[ServiceRecord]) -> None:
        for record in records:
            self._create_one(record)
            self.options.advance(1)

    def _known_places(self, keys: list[str]) -> None:
        wanted = [k for k in keys if k not in self.places]
        for chunk in _chunks(wanted):
            rows = self.session.exec(
                select(Place.id, Place.source_id).where(
                    col(Place.source) == PLACE_SOURCE,
                    col(Place.source_id).in_(chunk),
                    col(Place.deleted_at).is_(None),
                )
            ).all()
            for place_id, source_id in rows:
                self.places[source_id] = place_id

    def _revision(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        # Encoded in Rust (the same JSON as ``save``'s): building the Python
        # structures and ``json.dumps``-ing them was a fifth of an import.
        snap = JsonText(to_json(row).decode())
        diff = JsonText(to_json({key: [None, v] for key, v in row.items()}).decode())
        actor = self.options.actor
        return {
            "id": ordered_uuid(),
            "entity_type": table,
            "entity_id": row["id"],
            "version": 1,
            "actor_type": actor.type,
            "actor_id": actor.id,
            "actor_label": actor.label,
            "created_at": self.now,
            "snapshot": snap,
            "diff": diff,
        }

    def _new(self, model: type, **values: Any) -> dict[str, Any]:
        row = _blank(model)
        row.update(created_at=self.now, updated_at=self.now, version=1, **values)
        return row

    def _insert(
        self, records: list[ServiceRecord]
    ) -> tuple[list[uuid.UUID], dict[str, Any]]:
        """The rows of new listings, their places and permanences, inserted
        a table at a time with version-1 revisions."""
        keyed = [(record, self.org_of(record)) for record in records]
        self._known_places(
            [p.place.key(str(o)) for r, o in keyed for p in r.permanences if p.place]
        )
        index = qpv_index(self.session)
        places: dict[str, Any] = {}
        rows: dict[str, list[dict[str, Any]]] = {
            "place": [],
            "service": [],
            "permanence": [],
        }
        revisions: list[dict[str, Any]] = []
        for record, org_id in keyed:
            service = self._new(
                Service,
                source=record.source,
                source_id=record.source_id,
                slug=_slug("service"),
                status=self.options.new_status,
                organization_id=org_id,
                **record.values,
            )
            rows["service"].append(service)
            revisions.append(self._revision("service", service))
            for item in record.permanences:
                place_id = None
                if item.place is not None:
                    key = item.place.key(str(org_id))
                    place_id = self.places.get(key) or places.get(key)
                    if place_id is None:
                        place = self._new(
                            Place,
                            source=PLACE_SOURCE,
                            source_id=key,
                            slug=_slug("place"),
                            organization_id=org_id,
                            **item.place.values(),
                        )
                        if place["lat"] is not None and place["lon"] is not None:
                            match = index.locate(place["lon"], place["lat"])
                            place["qpv_code"] = match.qpv_code
                            place["near_qpv_code"] = match.near_qpv_code
                        places[key] = place_id = place["id"]
                        rows["place"].append(place)
                        revisions.append(self._revision("place", place))
                permanence = self._new(
                    Permanence, service_id=service["id"], place_id=place_id,
                    **item.values(),
                )  # fmt: skip
                rows["permanence"].append(permanence)
                revisions.append(self._revision("permanence", permanence))
        for model, table in (
            (Place, "place"),
            (Service, "service"),
            (Permanence, "permanence"),
        ):
            insert_rows(self.session, model.__table__, rows[table])  # type: ignore[attr-defined]
        insert_rows(self.session, Revision.__table__, revisions)  # type: ignore[attr-defined]
        self._index(rows)
        return [row["id"] for row in rows["service"]], places

    def _index(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        """The search index of the listings ``_insert`` just wrote, from
        those rows: what ``index.reindex`` would read back (published
        listings of live organisations, live permanences and places)."""
        live = self._live_orgs({row["organization_id"] for row in rows["service"]})
        services = {
            row["id"]: SimpleNamespace(**row, organization_name=live[org])
            for row in rows["service"]
            if row["status"] == ServiceStatus.published
            and (org := row["organization_id"]) in live
        }
        new_places = {row["id"]: SimpleNamespace(**row) for row in rows["place"]}
        self._placed.update(new_places)
        used = {p["place_id"] for p in rows["permanence"]} - {None}
        known = self._place_rows(used - self._placed.keys())
        known.update((id_, self._placed[id_]) for id_ in used & self._placed.keys())
        pairs: dict[uuid.UUID, list[tuple[Any, Any]]] = {id_: [] for id_ in services}
        for row in rows["permanence"]:
            if row["service_id"] in pairs:
                place_id = row["place_id"]
                place = new_places.get(place_id) or known.get(place_id)
                pairs[row["service_id"]].append((SimpleNamespace(**row), place))
        index_written(self.session, list(services.values()), pairs)

    def _live_orgs(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names of these organisations, the live ones only (cached: a
        file's services share a few thousand organisations)."""
        wanted = [id_ for id_ in ids if id_ not in self._org_names]
        for chunk in _chunks(wanted):
            for id_, name, deleted_at in self.session.execute(
                select(
                    Organization.id, Organization.name, Organization.deleted_at
                ).where(col(Organization.id).in_(chunk))  # type: ignore[call-overload]
            ).all():
                self._org_names[id_] = name if deleted_at is None else None
        return {id_: name for id_ in ids if (name := self._org_names.get(id_))}

    def _place_rows(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Any]:
        """Live places already in the directory that new listings use."""
        found: dict[uuid.UUID, Any] = {}
        for chunk in _chunks(list(ids)):
            for row in self.session.execute(
                select(Place.__table__)  # type: ignore[attr-defined]
                .where(Place.__table__.c.id.in_(chunk))  # type: ignore[attr-defined]
                .where(Place.__table__.c.deleted_at.is_(None))  # type: ignore[attr-defined]
            ).all():
                found[row.id] = row
        return found

    # --- archiving ----------------------------------------------------------

    def archive_missing(self, records: list[ServiceRecord], sources: set[str]) -> None:
        seen = {(r.source, r.source_id) for r in records}
        query = select(Service).where(
            col(Service.source).in_(sources),
            col(Service.deleted_at).is_(None),
            col(Service.status) != ServiceStatus.archived,
        )
        if self.options.organization_id is not None:
            query = query.where(Service.organization_id == self.options.organization_id)
        for row in self.session.exec(query).all():
            if (row.source, row.source_id) in seen:
                continue
            row.status = ServiceStatus.archived
            if save(self.session, row, self.options.actor):
                self.summary.archived += 1

    def reject(self, line: int, kind: str, error: Exception) -> None:
        reason = _("La ligne n’a pas pu être enregistrée.")
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
        self.summary.rejected.append(Rejection(line, f"{kind}: {reason} ({detail})"))


def _holds(
    row: Any, values: dict[str, Any], sets: frozenset[str] = frozenset()
) -> bool:
    """Whether ``row`` holds ``values`` (``sets``: lists whose order means
    nothing, stored sorted by ``save``)."""
    return all(
        _same_value(getattr(row, key), value, key in sets)
        for key, value in values.items()
    )


def _same_value(stored: Any, wanted: Any, as_set: bool) -> bool:
    stored, wanted = to_jsonable_python(stored), to_jsonable_python(wanted)
    if as_set and isinstance(stored, list) and isinstance(wanted, list):
        return set(stored) == set(wanted)
    return bool(stored == wanted)


def _same_places(record: ServiceRecord, org_id: uuid.UUID, held: list[Any]) -> bool:
    wanted = sorted(
        (_wanted_permanence(p, str(org_id)) for p in record.permanences), key=repr
    )
    return wanted == sorted(held, key=repr)


def _stored_permanence(
    permanence: Permanence, place: Place | None, waiting: dict[str, Any]
) -> Any:
    """A permanence as ``_wanted_permanence`` gives it; its place's text
    waiting for review (``waiting``) counts as already there."""
    where = None
    if place is not None:
        if place.deleted_at is not None or place.source != PLACE_SOURCE:
            where = ("other", str(place.id))
        else:
            values = {key: getattr(place, key) for key in PlaceRecord.FIELDS}
            values.update(waiting)
            where = (place.source_id, to_jsonable_python(values))
    return (where, to_jsonable_python(_permanence_values(permanence)))


def _permanence_values(permanence: Any) -> dict[str, Any]:
    return {
        key: getattr(permanence, key)
        for key in ("mode", "opening_hours", "valid_from", "valid_until", "note")
    }


def _wanted_permanence(item: PermanenceRecord, org_key: str) -> Any:
    where = None
    if item.place is not None:
        where = (item.place.key(org_key), to_jsonable_python(item.place.values()))
    return (where, to_jsonable_python(item.values()))


def _open_transaction(session: Session) -> None:
    """pysqlite opens a transaction only before a write, and a SAVEPOINT
    outside one becomes the transaction: its RELEASE would commit every
    listing at once, and a preview's rollback would undo nothing. So the
    transaction is opened first, and savepoints nest inside it."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:  # type: ignore[attr-defined]
        connection.exec_driver_sql("BEGIN")


def run(session: Session, batch: Batch, options: Options) -> Summary:
    """Write ``batch``; the caller commits (or rolls back, for a preview)."""
    _open_transaction(session)
    runner = Runner(session, options)
    runner.summary.rejected.extend(batch.rejected)
    with import_settings(session):
        if options.organization_id is None:
            runner.organizations(batch.organizations)
        runner.services(batch.services)
        # A rejected row may be a listing still there: nothing is archived then.
        if options.full and not batch.rejected:
            sources = {r.source for r in batch.services if r.own_id is None}
            if sources:
                runner.archive_missing(batch.services, sources)
    runner.summary.rejected.sort(key=lambda r: r.line)
    return runner.summary
