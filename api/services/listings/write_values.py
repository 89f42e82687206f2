"""The columns a partner's write model sets: one rule for the API, the web
space, bulk imports and approved moderation changes."""

from __future__ import annotations

import uuid
from typing import Any

from api.models.partner import PlaceIn, ServiceIn, Write


def source_of(organization_id: uuid.UUID) -> str:
    """Imports of an organisation: its source_ids never clash with another's."""
    return f"org:{organization_id}"


def values_of(organization_id: uuid.UUID, data: Write) -> dict[str, Any]:
    """The columns a write model sets."""
    values = data.model_dump()
    source_id = values.pop("source_id", None)
    if isinstance(data, PlaceIn | ServiceIn):
        values["organization_id"] = organization_id
        if source_id is not None:
            values.update(source=source_of(organization_id), source_id=source_id)
    return values


def apply(row: Any, organization_id: uuid.UUID, data: Write) -> None:
    for key, value in values_of(organization_id, data).items():
        setattr(row, key, value)
