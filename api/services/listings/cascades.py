"""Rows that follow their parent: a deleted place ends the permanences held
there, and nothing brings a permanence back to a place that is gone.

Hooked into ``revisions.save`` (registered on import, by ``api.db``), so every
writer — partner API, web space, history restore, loaders — goes through it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from api.i18n import _
from api.models import Entity, Permanence, Place, utcnow
from api.services.listings.revisions import Actor, on_change, save


class PlaceGone(ValueError):
    """A permanence may not be (re)attached to a deleted or missing place."""


def require_live_place(session: Session, place_id: uuid.UUID | None) -> None:
    """Refuse a deleted or unknown place, as a write of ``place_id`` does."""
    if place_id is None:
        return
    place = session.get(Place, place_id)
    if place is None or place.deleted_at is not None:
        raise PlaceGone(_("lieu introuvable"))


@on_change
def _place_deleted(
    session: Session, obj: Entity, diff: dict[str, list[Any]], actor: Actor
) -> None:
    """A place deleted: the permanences held there end with it (soft, so the
    history keeps them), or an "open at" search would still list the service
    with an empty schedule."""
    if not isinstance(obj, Place) or "deleted_at" not in diff:
        return
    before, after = diff["deleted_at"]
    if before is not None or after is None:
        return
    with session.no_autoflush:
        held = session.exec(
            select(Permanence).where(
                Permanence.place_id == obj.id, col(Permanence.deleted_at).is_(None)
            )
        ).all()
    for permanence in held:
        permanence.deleted_at = utcnow()
        save(session, permanence, actor)
