"""Idempotent writes for imports: match rows by (source, source_id) or by position."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic_core import to_jsonable_python
from sqlmodel import Session, col, select

from api.models import Entity, utcnow
from api.services.listings.revisions import Actor, save

E = TypeVar("E", bound=Entity)


class ImportReport:
    """Counts what an import did, per table, plus the rows it had to reject."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()
        self.rejected: list[tuple[str, str]] = []

    def count(self, table: str, outcome: str) -> None:
        self.counts[(table, outcome)] += 1

    def reject(self, where: str, reason: str) -> None:
        self.rejected.append((where, reason))

    @property
    def changed(self) -> int:
        return sum(
            n for (_, outcome), n in self.counts.items() if outcome != "unchanged"
        )


def upsert(
    session: Session,
    model: type[E],
    source: str,
    source_id: str,
    values: dict[str, Any],
    actor: Actor,
    report: ImportReport,
    on_create: dict[str, Any] | None = None,
) -> E:
    """Create or update the row imported from ``source``/``source_id``;
    ``on_create`` holds values only a new row gets (a generated slug)."""
    row = session.exec(
        select(model).where(
            col(model.source) == source,  # type: ignore[attr-defined]
            col(model.source_id) == source_id,  # type: ignore[attr-defined]
        )
    ).first()
    created = row is None
    if row is None:
        row = model(source=source, source_id=source_id, **values, **(on_create or {}))
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.deleted_at = None
    changed = save(session, row, actor)
    outcome = "created" if created else "updated" if changed else "unchanged"
    report.count(model.__tablename__, outcome)  # type: ignore[arg-type]
    return row


def _matches(row: Entity, values: dict[str, Any]) -> bool:
    return all(
        to_jsonable_python(getattr(row, key)) == to_jsonable_python(value)
        for key, value in values.items()
    )


def sync_children(
    session: Session,
    model: type[E],
    parent_field: str,
    parent_id: Any,
    wanted: Sequence[dict[str, Any]],
    actor: Actor,
    report: ImportReport,
) -> None:
    """Make the live children of a parent (permanences, closures) match ``wanted``.

    Identical rows are kept as they are, then the rest are updated in place,
    created, or soft-deleted, so a shorter import never destroys history.
    """
    remaining = list(
        session.exec(
            select(model)
            .where(getattr(model, parent_field) == parent_id)
            .where(col(model.deleted_at).is_(None))
            .order_by(col(model.created_at))
        ).all()
    )
    table: str = model.__tablename__  # type: ignore[assignment]
    unmatched = []
    for values in wanted:
        same = next((row for row in remaining if _matches(row, values)), None)
        if same is None:
            unmatched.append(values)
        else:
            remaining.remove(same)
            report.count(table, "unchanged")
    for values in unmatched:
        if remaining:
            row = remaining.pop(0)
            for key, value in values.items():
                setattr(row, key, value)
            outcome = "updated"
        else:
            row = model(**{parent_field: parent_id}, **values)
            outcome = "created"
        save(session, row, actor)
        report.count(table, outcome)
    for row in remaining:
        row.deleted_at = utcnow()
        save(session, row, actor)
        report.count(table, "deleted")
