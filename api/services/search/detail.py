"""One listed service, whole: for the detail page and GET /services/{id}."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from api.i18n import get_locale
from api.models import Closure, Translation
from api.models.public import ClosurePublic, Coded, OrganizationPublic, ServiceDetail
from api.services.content.translations import load_texts
from api.services.schedules.hours import PARIS
from api.services.search.card import hit
from api.services.search.listing import load_listings
from api.services.search.sql import is_listed
from api.vocabulary import SERVICE_TYPES, label


def service_detail(
    session: Session, service_id: uuid.UUID, now: datetime
) -> ServiceDetail | None:
    """The listing if the public may see it, else None."""
    listing = load_listings(session, [service_id]).get(service_id)
    if listing is None or not is_listed(listing.service, listing.organization):
        return None
    service, organization = listing.service, listing.organization
    texts = load_texts(session, "service", [service_id], get_locale())[service_id]
    languages = session.exec(
        select(Translation.language)
        .where(
            Translation.entity_type == "service", Translation.entity_id == service_id
        )
        .where(col(Translation.deleted_at).is_(None))
        .distinct()
    ).all()
    summary = hit(listing, texts, None, now)
    return ServiceDetail(
        **summary.model_dump(exclude={"in_french"}),
        description=texts.get("description", service.description),
        type=Coded(code=service.type, label=label(SERVICE_TYPES, service.type))
        if service.type
        else None,
        fees_detail=service.fees_detail,
        email=service.email or organization.email,
        organization_detail=OrganizationPublic.model_validate(organization),
        permanences=listing.permanences_public(get_locale()),
        closures=listing.closures_public(now.date()),
        languages_available=sorted({"fr", *languages}),
        in_french=texts.in_french(
            {
                "name": service.name,
                "falc_summary": service.falc_summary,
                "description": service.description,
            }
        ),
    )


def place_closure(
    session: Session, place_id: uuid.UUID, now: datetime
) -> ClosurePublic | None:
    """The closure of a whole place running today (the last to end), if any."""
    today = now.astimezone(PARIS).date()
    closure = session.exec(
        select(Closure)
        .where(
            Closure.place_id == place_id,
            col(Closure.deleted_at).is_(None),
            col(Closure.start) <= today,
            col(Closure.end) >= today,
        )
        .order_by(col(Closure.end).desc())
    ).first()
    return ClosurePublic.model_validate(closure) if closure else None
