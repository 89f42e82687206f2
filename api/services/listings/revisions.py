"""Every write to a listing goes through ``save``: version bump + Revision, or nothing.

A write that changes no value is a no-op (no new version, no revision): this is
what makes imports idempotent and bulk upserts safe to repeat.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic_core import to_jsonable_python
from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from api.models import Entity, Revision, utcnow

BOOKKEEPING = frozenset({"version", "updated_at", "created_at"})
# Lists whose order means nothing: stored once each, sorted, and compared as
# such, so that sending the same codes in another order is no change.
SETS: dict[str, frozenset[str]] = {
    "service": frozenset({"categories", "publics", "languages", "eligibility_area"}),
}


@dataclass(frozen=True)
class Actor:
    type: Literal["user", "token", "system"]
    label: str
    id: uuid.UUID | None = None


SYSTEM = Actor("system", "system")


class StaleVersion(Exception):
    """Two writers read the same version: the second one's write is refused
    (answered 412 by the API, 409 with the typed values kept by the forms)."""

    def __init__(self, table: str, row_id: uuid.UUID, version: int) -> None:
        super().__init__(f"{table} {row_id} changed since version {version}")
        self.version = version  # the version the refused writer had read


# Rows that must follow a change (translations of a changed French text) hook in
# here: called as hook(session, obj, diff, actor) after every update that changed
# something, in the same transaction, so that no writer can skip them.
ChangeHook = Callable[[Session, Entity, dict[str, list[Any]], Actor], None]
_change_hooks: list[ChangeHook] = []


def on_change(hook: ChangeHook) -> ChangeHook:
    """Register ``hook`` (a decorator); registering twice keeps one."""
    if hook not in _change_hooks:
        _change_hooks.append(hook)
    return hook


def snapshot(obj: Entity) -> dict[str, Any]:
    # warnings=False: table models hold enum values as plain strings when read back.
    return to_jsonable_python(obj.model_dump(warnings=False))  # type: ignore[no-any-return]


def canonical(obj: Entity) -> None:
    """Put the set-like lists of ``obj`` in their one stored form."""
    for name in SETS.get(str(type(obj).__tablename__), ()):
        value = getattr(obj, name, None)
        if isinstance(value, list | tuple | set | frozenset):
            ordered = sorted(set(value))
            if ordered != value:
                setattr(obj, name, ordered)


def _same(name: str, sets: frozenset[str], old: Any, new: Any) -> bool:
    if name in sets and isinstance(old, list) and isinstance(new, list):
        return set(old) == set(new)
    return bool(old == new)


def pending_changes(obj: Entity, session: Session) -> dict[str, list[Any]]:
    """Fields whose value really differs from the database: {field: [old, new]}.

    Call it with autoflush off: a flush in the middle (reading an expired
    attribute runs a query) would write the pending values without a version
    and clear their history, so they would be missing from the diff."""
    state = inspect(obj)
    sets = SETS.get(str(type(obj).__tablename__), frozenset())
    changes: dict[str, list[Any]] = {}
    stored: dict[str, Any] | None = None
    for attr in state.mapper.column_attrs:
        if attr.key in BOOKKEEPING:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        new_json = to_jsonable_python(getattr(obj, attr.key))
        if history.deleted:
            old_json = to_jsonable_python(history.deleted[0])
        else:
            # Set while expired (after a commit): SQLAlchemy kept no old value,
            # the last revision's snapshot has it.
            if stored is None:
                stored = _last_snapshot(session, obj)
            old_json = stored.get(attr.key)
        if not _same(attr.key, sets, old_json, new_json):
            changes[attr.key] = [old_json, new_json]
    return changes


def _last_snapshot(session: Session, obj: Entity) -> dict[str, Any]:
    query = (
        select(Revision.snapshot)
        .where(
            Revision.entity_type == type(obj).__tablename__,
            Revision.entity_id == obj.id,
        )
        .order_by(col(Revision.version).desc())
        .limit(1)
    )
    snapshot = session.exec(query).first()
    return snapshot or {}


def save(session: Session, obj: Entity, actor: Actor) -> bool:
    """Add or update ``obj``; return whether anything was written."""
    state = inspect(obj)
    created = state.transient
    with session.no_autoflush:  # see below: reading may load expired attributes
        canonical(obj)
    if created:
        obj.version = 1
        session.add(obj)
        session.flush()
        diff = {key: [None, value] for key, value in snapshot(obj).items()}
    else:
        # An object expired by a commit loads its attributes (id, version…) on
        # first read; with autoflush on, that load would flush the pending
        # values first and they would leave no trace in the diff.
        with session.no_autoflush:
            diff = pending_changes(obj, session)
            if not diff:
                return False
            row_id, read = obj.id, obj.version
            obj.version = read + 1
            obj.updated_at = utcnow()
        session.add(obj)
        try:
            session.flush()
        except StaleDataError as error:  # another writer saved this version first
            session.rollback()
            raise StaleVersion(type(obj).__tablename__, row_id, read) from error
    session.add(
        Revision(
            entity_type=type(obj).__tablename__,
            entity_id=obj.id,
            version=obj.version,
            actor_type=actor.type,
            actor_id=actor.id,
            actor_label=actor.label,
            snapshot=snapshot(obj),
            diff=diff,
        )
    )
    if not created:
        for hook in _change_hooks:
            hook(session, obj, diff, actor)
    return True
