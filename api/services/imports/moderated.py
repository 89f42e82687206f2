"""Under moderation, an import changes a published service as the API does:
its new details wait for a coordinator (``coordination.moderation.queue``, a
pending update the review page shows and ``approve`` applies) while the
public keeps the approved version.

What a review can carry is what the forms and the API write (``ServiceIn``).
Hours, places and the import's own fields (required documents, eligibility
area, how to get referred) have no review of their own: a file that changes
them for a published service is refused for that row, nothing queued, so a
request is never approved half.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python
from sqlmodel import Session

from api.i18n import _
from api.models import ChangeAction, Service
from api.models.partner import ServiceIn
from api.services.coordination import moderation
from api.services.listings.revisions import Actor

REVIEWED = frozenset(ServiceIn.model_fields) - {"source_id"}


class Refused(ValueError):
    """The row cannot wait for review: its reason, in the reader's language."""


def _reviewed(values: dict[str, Any]) -> dict[str, Any]:
    return ServiceIn.model_validate(values).model_dump(mode="json")


def _without_source(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "source_id"}


def hold(
    session: Session,
    row: Service,
    values: dict[str, Any],
    same_places: bool,
    actor: Actor,
) -> bool:
    """Queue the file's changes to the published ``row``; whether a change
    waits (False: the file holds what is published). Raises Refused."""
    others = {k: v for k, v in values.items() if k not in REVIEWED}
    if not same_places or any(
        to_jsonable_python(getattr(row, k)) != to_jsonable_python(v)
        for k, v in others.items()
    ):
        raise Refused(
            _(
                "Ce service est publié : ses horaires, ses lieux et ses "
                "conditions d’accès changent avec son formulaire, pas par un "
                "import."
            )
        )
    current = {name: getattr(row, name) for name in REVIEWED}
    wanted = {k: v for k, v in values.items() if k in REVIEWED}
    try:
        before = _reviewed(current)
        after = _reviewed({**current, **wanted, "source_id": row.source_id})
    except ValidationError as error:
        first = error.errors()[0]
        raise Refused(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from error
    if _without_source(after) == _without_source(before):
        return False
    organization_id: uuid.UUID = row.organization_id
    moderation.queue(session, organization_id, row, ChangeAction.update, actor, after)
    return True
