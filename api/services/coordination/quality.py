"""Quality: which listings of the territory need work, and how easy to read
their texts are.

A published listing is flagged when it has no easy-to-read summary; when it
has no translation (of its summary or description, any status) in one of the
territory's most-used languages (the interface languages of its searches,
French aside, searched at least K times); when one of its schedules cannot be
put into words (residents then read "call to know"); when neither it nor its
organisation has a phone number.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.models import (
    Organization,
    Permanence,
    Service,
    ServiceStatus,
    Translation,
)
from api.services.content.falc import listing_score
from api.services.content.translations import FRENCH_LOCALES
from api.services.schedules.schedule_text import in_words

TOP_LANGUAGES = 3
PROBLEMS = ("falc", "translation", "schedule", "phone")
# FALC score bands for the distribution: (lowest score, label).
BANDS = ((0, "0–19"), (20, "20–39"), (40, "40–59"), (60, "60–79"), (80, "80–100"))


@dataclass
class Listing:
    service: Service
    organization: Organization
    missing_languages: list[str] = field(default_factory=list)
    raw_schedule: bool = False
    score: int | None = None

    @property
    def problems(self) -> list[str]:
        found = []
        if not (self.service.falc_summary or "").strip():
            found.append("falc")
        if self.missing_languages:
            found.append("translation")
        if self.raw_schedule:
            found.append("schedule")
        if not (self.service.phone or self.organization.phone):
            found.append("phone")
        return found


def top_languages(languages: list[tuple[str, int]]) -> list[str]:
    """The most-used languages other than French (signals.languages' output)."""
    return [lang for lang, _ in languages if lang not in FRENCH_LOCALES][:TOP_LANGUAGES]


def _translated(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    rows = session.exec(
        select(Translation.entity_id, Translation.language).where(
            Translation.entity_type == "service",
            col(Translation.entity_id).in_(ids),
            col(Translation.field).in_(["falc_summary", "description"]),
            col(Translation.deleted_at).is_(None),
        )
    ).all()
    found: dict[uuid.UUID, set[str]] = defaultdict(set)
    for entity_id, language in rows:
        found[entity_id].add(language)
    return found


def _raw_schedules(session: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    rows = session.exec(
        select(Permanence).where(
            col(Permanence.service_id).in_(ids), col(Permanence.deleted_at).is_(None)
        )
    ).all()
    return {
        p.service_id
        for p in rows
        if in_words(p.opening_hours, "fr", p.biweekly_anchor) is None
    }


def listings(
    session: Session, scope: frozenset[uuid.UUID] | None, languages: list[str]
) -> list[Listing]:
    """Every published listing of the territory, with what it lacks."""
    query = (
        select(Service, Organization)
        .join(Organization, col(Organization.id) == col(Service.organization_id))
        .where(
            col(Service.deleted_at).is_(None),
            col(Organization.deleted_at).is_(None),
            Service.status == ServiceStatus.published,
        )
        .order_by(col(Organization.name), col(Service.name))
    )
    if scope is not None:
        query = query.where(col(Organization.id).in_(scope))
    rows = session.exec(query).all()
    ids = [s.id for s, _ in rows]
    translated = _translated(session, ids)
    raw = _raw_schedules(session, ids)
    return [
        Listing(
            service,
            organization,
            [lang for lang in languages if lang not in translated.get(service.id, ())],
            service.id in raw,
            listing_score(service),
        )
        for service, organization in rows
    ]


def distribution(items: list[Listing]) -> list[tuple[str, int]]:
    """How many listings per FALC score band, then those without text ("")."""
    counts = [0] * len(BANDS)
    without = 0
    for item in items:
        if item.score is None:
            without += 1
            continue
        band = max(i for i, (low, _) in enumerate(BANDS) if item.score >= low)
        counts[band] += 1
    return [(label, n) for (_, label), n in zip(BANDS, counts, strict=True)] + [
        ("", without)
    ]
