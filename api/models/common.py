"""Column types and mixins shared by every table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Enum
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declared_attr
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both back-ends (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        return (
            value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        )


# JSONB on PostgreSQL: it compares and indexes, where JSON cannot (DISTINCT fails).
JSONType = JSON().with_variant(JSONB(), "postgresql")


def json_list(**kwargs: Any) -> Any:
    """A JSON array column (codes, language tags, …) defaulting to empty."""
    return Field(default_factory=list, sa_type=JSONType, **kwargs)


def choice(enum: type[StrEnum], **kwargs: Any) -> Any:
    """An enum stored as its value in a VARCHAR: no native PostgreSQL enum types,
    so adding a value never needs a type migration."""
    sa_type = Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
    )
    return Field(sa_type=sa_type, **kwargs)


def timestamp(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Entity(SQLModel):
    """Mutable row: UUID public id, optimistic-locking version, soft delete."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    created_at: datetime = timestamp(default_factory=utcnow)
    updated_at: datetime = timestamp(default_factory=utcnow)
    # Served as the ETag; writers compare it with If-Match.
    version: int = Field(default=1)
    deleted_at: datetime | None = timestamp(default=None, nullable=True)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - SQLAlchemy's API
        """Every UPDATE says ``WHERE version = <the version read>``: of two
        writers who read the same version, the second matches no row and fails
        (StaleDataError → 412), even when both passed the If-Match check at
        once. ``save`` sets the new version itself."""
        return {
            "version_id_col": cls.__table__.c.version,  # type: ignore[attr-defined]
            "version_id_generator": False,
        }


class Sourced(SQLModel):
    """Rows that can come from an import; (source, source_id) keeps re-imports
    idempotent."""

    source: str = Field(default="reperes", max_length=64)
    source_id: str | None = Field(default=None, max_length=128)
    is_demo: bool = Field(default=False)
