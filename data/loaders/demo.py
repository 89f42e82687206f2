"""Load the invented demo directory (data/demo/directory.json).

Every row is flagged ``is_demo`` and the site footer says so: nothing here
may be used to refer a real person. Service names and easy-to-read summaries
(and the descriptions of the urgent ones: shelter, violence, food) come with
translations (``translations/<language>.json`` next to the
directory, keyed by the French text), stored as ``machine``: written for the
demo, still to be reviewed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from api.models import (
    Closure,
    Organization,
    Permanence,
    Place,
    Service,
    Translation,
    TranslationStatus,
)
from api.services.content.content_translations import (
    CONTENT_LANGUAGES,
    check,
    rows_of,
    upsert_translation,
)
from api.services.listings.bulk import insert_new
from api.services.listings.revisions import Actor
from api.services.listings.upsert import ImportReport, sync_children, upsert

SOURCE = "demo"
ORG_FIELDS = ("name", "typology", "description", "phone", "email", "website")
PLACE_FIELDS = (
    "name",
    "address",
    "postal_code",
    "commune",
    "insee_code",
    "lat",
    "lon",
    "wheelchair",
    "confidential",
    "opening_hours",
)
TRANSLATED_FIELDS = ("name", "falc_summary", "description")
TRANSLATOR = "Repères (traduction de démonstration)"
SERVICE_FIELDS = (
    "name",
    "falc_summary",
    "description",
    "categories",
    "type",
    "publics",
    "fees",
    "fees_detail",
    "appointment_required",
    "referral_required",
    "languages",
    "phone",
    "email",
    "status",
)


def pick(record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: record.get(field) for field in fields if field in record}


def read_demo(path: Path) -> list[dict[str, Any]]:
    organizations: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))[
        "organizations"
    ]
    return organizations


def read_translations(path: Path, report: ImportReport) -> dict[str, dict[str, str]]:
    """Per content language, French text -> its translation."""
    translations: dict[str, dict[str, str]] = {}
    for file in sorted((path.parent / "translations").glob("*.json")):
        if file.stem not in CONTENT_LANGUAGES:
            report.reject(file.name, f"not a content language: {file.stem!r}")
            continue
        translations[file.stem] = json.loads(file.read_text("utf-8"))
    return translations


def load_demo_directory(
    session: Session,
    path: Path,
    actor: Actor,
    report: ImportReport,
    advance: Callable[[], None] = lambda: None,
) -> None:
    organizations = read_demo(path)
    translations = read_translations(path, report)
    # Places first: a service may be held in another organisation's premises.
    places: dict[str, Place] = {}
    for record in organizations:
        org = upsert(
            session,
            Organization,
            SOURCE,
            record["slug"],
            {
                "slug": record["slug"],
                "is_demo": True,
                **pick(record, ORG_FIELDS),
            },
            actor,
            report,
        )
        record["_id"] = org.id
        for place in record.get("places", []):
            places[place["slug"]] = upsert(
                session,
                Place,
                SOURCE,
                place["slug"],
                {
                    "organization_id": org.id,
                    "slug": place["slug"],
                    "is_demo": True,
                    **pick(place, PLACE_FIELDS),
                },
                actor,
                report,
            )
    new_translations: list[dict[str, Any]] = []
    for record in organizations:
        for service in record.get("services", []):
            row = load_service(session, record["_id"], service, places, actor, report)
            new_translations += load_translations(
                session, row, translations, actor, report
            )
        advance()
    insert_new(session, Translation, new_translations, actor)


def load_service(
    session: Session,
    organization_id: Any,
    record: dict[str, Any],
    places: dict[str, Place],
    actor: Actor,
    report: ImportReport,
) -> Service:
    confirmed = record.get("last_confirmed_at")
    service = upsert(
        session,
        Service,
        SOURCE,
        record["slug"],
        {
            "organization_id": organization_id,
            "slug": record["slug"],
            "is_demo": True,
            "last_confirmed_at": (
                datetime.combine(
                    date.fromisoformat(confirmed), datetime.min.time(), UTC
                )
                if confirmed
                else None
            ),
            **pick(record, SERVICE_FIELDS),
        },
        actor,
        report,
    )
    permanences = []
    for item in record.get("permanences", []):
        place = places.get(item["place"]) if item.get("place") else None
        if item.get("place") and place is None:
            report.reject(record["slug"], f"unknown place {item['place']!r}")
            continue
        permanences.append(
            {
                "place_id": place.id if place else None,
                "mode": item.get("mode", "in_person"),
                "opening_hours": item["opening_hours"],
                "note": item.get("note"),
            }
        )
    sync_children(
        session, Permanence, "service_id", service.id, permanences, actor, report
    )
    closures = [
        {
            "start": date.fromisoformat(item["start"]),
            "end": date.fromisoformat(item["end"]),
            "reason": item.get("reason"),
        }
        for item in record.get("closures", [])
    ]
    sync_children(session, Closure, "service_id", service.id, closures, actor, report)
    return service


def load_translations(
    session: Session,
    service: Service,
    translations: dict[str, dict[str, str]],
    actor: Actor,
    report: ImportReport,
) -> list[dict[str, Any]]:
    """The shipped translation of each French text the service has. A row that
    already says the same is left alone, status included: a reviewer's
    "reviewed" survives the next load. A changed one is saved here; new ones
    are returned, for the caller to add all at once."""
    existing = {
        (row.language, row.field): row
        for row in rows_of(session, "service", service.id, None)
    }
    new: list[dict[str, Any]] = []
    for language, texts in translations.items():
        for field in TRANSLATED_FIELDS:
            french = getattr(service, field)
            text = texts.get(french) if french else None
            if text is None:
                continue
            row = existing.get((language, field))
            if row is not None and row.deleted_at is None and row.text == text:
                report.count("translation", "unchanged")
                continue
            if row is None:
                check("service", field, language, text)
                new.append(
                    {
                        "entity_type": "service",
                        "entity_id": service.id,
                        "field": field,
                        "language": language,
                        "text": text,
                        "status": TranslationStatus.machine,
                        "author": TRANSLATOR,
                    }
                )
            else:
                upsert_translation(
                    session,
                    service,
                    field,
                    language,
                    text,
                    TranslationStatus.machine,
                    TRANSLATOR,
                    actor,
                )
            report.count("translation", "created" if row is None else "updated")
    return new


def has_directory(session: Session) -> bool:
    return session.exec(select(Organization.id).limit(1)).first() is not None
