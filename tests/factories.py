"""Small builders for rows tests need; they write through the real services."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.models import (
    Organization,
    Place,
    Service,
    ServiceStatus,
    Translation,
    TranslationStatus,
)
from api.services.listings.revisions import SYSTEM, save
from api.services.listings.upsert import ImportReport
from data.loaders.paths import QPV_GEOJSON
from data.loaders.qpv import load_qpvs


def load_real_qpvs(session: Session) -> None:
    load_qpvs(session, QPV_GEOJSON, ImportReport())
    session.commit()


def make_organization(
    session: Session, slug: str = "asso-test", **values: Any
) -> Organization:
    org = Organization(slug=slug, name=values.pop("name", f"Org {slug}"), **values)
    save(session, org, SYSTEM)
    return org


def make_place(session: Session, org: Organization, slug: str, **values: Any) -> Place:
    place = Place(
        organization_id=org.id,
        slug=slug,
        name=values.pop("name", slug),
        commune=values.pop("commune", "Tours"),
        **values,
    )
    save(session, place, SYSTEM)
    return place


def make_service(
    session: Session, org: Organization, slug: str, **values: Any
) -> Service:
    values.setdefault("status", ServiceStatus.published)
    service = Service(
        organization_id=org.id, slug=slug, name=values.pop("name", slug), **values
    )
    save(session, service, SYSTEM)
    return service


def make_translation(
    session: Session,
    entity_type: str,
    entity_id: Any,
    language: str,
    text: str,
    status: TranslationStatus,
    field: str = "name",
) -> Translation:
    """A translation of one field, saved (the caller commits)."""
    translation = Translation(
        entity_type=entity_type,
        entity_id=entity_id,
        field=field,
        language=language,
        text=text,
        status=status,
    )
    save(session, translation, SYSTEM)
    return translation
