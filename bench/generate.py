"""A reproducible synthetic territory for benchmarks: bulk-inserted, then indexed
with the app's own document and facet builders (api.services.search.index)."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from sqlalchemy import Engine, insert, text
from sqlmodel import Session, SQLModel, select

from api.models import (
    Organization,
    Permanence,
    Place,
    Qpv,
    SearchDocument,
    Service,
    ServiceFacet,
)
from api.services.qpv import QpvIndex
from api.services.search.index import build_document, build_facets
from api.services.upsert import ImportReport
from api.vocabulary import PUBLICS, THEMES
from data.loaders.paths import QPV_GEOJSON, SYNONYMS
from data.loaders.qpv import load_qpvs
from data.loaders.synonyms import load_synonyms

CITIES = {"Tours": (47.39, 0.69, "37261"), "Nantes": (47.22, -1.55, "44109")}
HOURS = [
    "Mo-Fr 09:00-12:00; PH off",
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "We[2,4] 14:00-17:00; PH off",
    "week 01-53/2 Tu 14:00-17:00; PH off",
    "Tu,Th 09:00-11:30",
    "Mo[1] 09:00-12:00",
    "Sa 09:00-12:00",
    "Mo,We,Fr 13:30-16:30",
    "Sep-Jun Tu,Th 09:00-11:00; PH off",
    "Mo-Sa 08:30-12:30",
    "Th 14:00-18:00; PH off",
    "Fr[1,3] 09:00-11:00",
    "Mo-Fr 08:30-17:30; PH off",
    "We 10:00-12:00,14:00-16:00",
]
WORDS = [
    "aide",
    "accompagnement",
    "permanence",
    "accueil",
    "atelier",
    "conseil",
    "écoute",
    "orientation",
    "soutien",
    "information",
    "quartier",
    "familles",
]
LANGUAGES = ["ar", "en", "tr", "ru", "uk", "ps", "fa", "ti", "es", "ro"]
BATCH = 5_000


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _row(obj: SQLModel) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in type(obj).__table__.columns}  # type: ignore[attr-defined]


def generate(
    engine: Engine, services: int, console: Console, seed: int = 42
) -> dict[str, int]:
    rng = random.Random(seed)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    themes, publics = list(THEMES), [p for p in PUBLICS if p != "tous-publics"]
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with Session(engine) as session:
        report = ImportReport()
        load_qpvs(session, QPV_GEOJSON, report)
        load_synonyms(session, SYNONYMS, report)
        session.commit()
        qpvs = session.exec(select(Qpv)).all()
        index = QpvIndex({q.code: q.geometry for q in qpvs})
    n_orgs, n_places = max(1, services // 50), max(1, services // 5)
    orgs = [
        Organization(
            id=_uuid(rng),
            slug=f"org-{i}",
            name=f"Structure {i} {rng.choice(WORDS)}",
            source="bench",
            source_id=f"org-{i}",
            created_at=now,
            updated_at=now,
        )
        for i in range(n_orgs)
    ]
    places: list[Place] = []
    for i in range(n_places):
        city = rng.choice(list(CITIES))
        lat0, lon0, insee = CITIES[city]
        lat, lon = rng.gauss(lat0, 0.04), rng.gauss(lon0, 0.06)
        match = index.locate(lon, lat)
        places.append(
            Place(
                id=_uuid(rng),
                organization_id=orgs[i % n_orgs].id,
                slug=f"place-{i}",
                name=f"Lieu {i}",
                commune=city,
                insee_code=insee,
                lat=lat,
                lon=lon,
                qpv_code=match.qpv_code,
                near_qpv_code=match.near_qpv_code,
                wheelchair=rng.choice(["yes", "no", "limited", "unknown"]),
                source="bench",
                source_id=f"place-{i}",
                created_at=now,
                updated_at=now,
            )
        )
    timings["places"] = time.perf_counter() - started
    service_rows, permanence_rows, documents, facets = [], [], [], []
    org_by_id = {o.id: o for o in orgs}
    for i in range(services):
        chosen = rng.sample(themes, k=rng.randint(1, 3))
        labels = " ".join(THEMES[t] for t in chosen)
        service = Service(
            id=_uuid(rng),
            organization_id=orgs[i % n_orgs].id,
            slug=f"service-{i}",
            name=f"{rng.choice(WORDS).capitalize()} {THEMES[chosen[0]].lower()}",
            falc_summary=f"On vous aide : {labels.lower()}.",
            description=f"{rng.choice(WORDS).capitalize()} {labels} "
            f"{' '.join(rng.sample(WORDS, 4))}.",
            categories=chosen,
            type="accompagnement",
            publics=rng.sample(publics, k=rng.randint(1, 2))
            if rng.random() < 0.7
            else ["tous-publics"],
            fees=rng.choice(["free", "free", "free", "paid"]),
            appointment_required=rng.random() < 0.4,
            referral_required=rng.random() < 0.2,
            languages=["fr", *rng.sample(LANGUAGES, k=rng.randint(0, 3))],
            status="published" if rng.random() < 0.95 else "draft",
            last_confirmed_at=now,
            source="bench",
            source_id=f"service-{i}",
            created_at=now,
            updated_at=now,
        )
        pairs = []
        for _ in range(2):
            place = places[rng.randrange(n_places)]
            permanence = Permanence(
                id=_uuid(rng),
                service_id=service.id,
                place_id=place.id,
                opening_hours=rng.choice(HOURS),
                created_at=now,
                updated_at=now,
            )
            permanence_rows.append(_row(permanence))
            pairs.append((permanence, place))
        service_rows.append(_row(service))
        if service.status == "published":
            documents.append(
                build_document(service, org_by_id[service.organization_id], [])
            )
            facets += [
                {"service_id": service.id, "facet": f, "value": v}
                for f, v in build_facets(service, pairs)
            ]
    timings["build"] = time.perf_counter() - started - timings["places"]
    with Session(engine) as session:
        for model, rows in (
            (Organization, [_row(o) for o in orgs]),
            (Place, [_row(p) for p in places]),
            (Service, service_rows),
            (Permanence, permanence_rows),
            (SearchDocument, documents),
            (ServiceFacet, facets),
        ):
            t0 = time.perf_counter()
            for batch in _batches(rows):
                session.execute(insert(model), batch)
            table: str = model.__tablename__  # type: ignore[assignment]
            timings[table] = time.perf_counter() - t0
            console.print(f"  {table}: {len(rows):,} rows in {timings[table]:.1f} s")
        session.commit()
        session.execute(text("ANALYZE"))
        session.commit()
    return {
        "organizations": n_orgs,
        "places": n_places,
        "services": services,
        "permanences": len(permanence_rows),
        "facets": len(facets),
        "seconds": round(time.perf_counter() - started, 1),
    }
