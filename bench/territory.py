"""Rows of the synthetic territory: organisations, places, services, permanences,
drawn from one seeded generator (``random.Random(seed)``)."""

from __future__ import annotations

import math
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from api.models import PermanenceMode, ServiceStatus, Visibility, Wheelchair
from api.services.places.qpv import QpvIndex
from api.vocabulary import PUBLICS, THEMES, category_of
from bench import words as w

VERSION = "bench-v2"  # stored as ``source``: a reused database must match it
NOW = datetime(2026, 11, 1, tzinfo=UTC)
SIGMA_KM, MAX_KM = 5.0, 15.0


def source_tag(seed: int) -> str:
    return f"{VERSION}-{seed}"


def expected_sizes(services: int) -> dict[str, int]:
    return {
        "organizations": max(1, services // 50),
        "places": max(1, services // 5),
        "services": services,
        "permanences": 2 * services,
    }


class Territory:
    """Row dicts for every table, drawn from one seeded generator."""

    def __init__(self, services: int, seed: int, qpvs: QpvIndex) -> None:
        self.rng = random.Random(seed)
        self.source = source_tag(seed)
        self.qpvs = qpvs
        self.sizes = expected_sizes(services)
        self.themes = list(THEMES)
        self.publics = [p for p in PUBLICS if p != "tous-publics"]
        self.org_city: list[str] = []
        self.org_places: list[list[int]] = []
        self.city_places: dict[str, list[int]] = {c: [] for c in w.CITY_CENTRES}
        self.place_ids: list[uuid.UUID] = []

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def entity(self) -> dict[str, Any]:
        created = NOW - timedelta(days=self.rng.randint(0, 900))
        return {
            "id": self.uuid(),
            "created_at": created,
            "updated_at": created + timedelta(days=self.rng.randint(0, 60)),
            "version": 1,
            "deleted_at": None,
        }

    def sourced(self, kind: str, i: int) -> dict[str, Any]:
        return {"source": self.source, "source_id": f"{kind}-{i}", "is_demo": False}

    def phone(self, city: str) -> str:
        prefix = "02 47" if city == "Tours" else "02 40"
        return f"{prefix} {self.rng.randint(10, 99)} {self.rng.randint(10, 99)} " + (
            f"{self.rng.randint(10, 99)}"
        )

    def organizations(self) -> list[dict[str, Any]]:
        rows = []
        for i in range(self.sizes["organizations"]):
            city = self.rng.choice(list(w.CITY_CENTRES))
            self.org_city.append(city)
            self.org_places.append([])
            kind, name = self.rng.choice(w.ORG_KINDS), self.rng.choice(w.ORG_NAMES)
            rows.append(
                self.entity()
                | self.sourced("org", i)
                | {
                    "slug": f"org-{i}",
                    "name": f"{kind} {name} {i}",
                    "typology": "ASSO",
                    "siret": None,
                    "description": f"{kind} du quartier, à {city}.",
                    "phone": self.phone(city),
                    "email": f"contact{i}@example.org",
                    "website": None,
                }
            )
        return rows

    def point(self, city: str) -> tuple[float, float]:
        lat0, lon0 = w.CITY_CENTRES[city]
        while True:  # gaussian around the centre, cut at MAX_KM
            dy, dx = self.rng.gauss(0, SIGMA_KM), self.rng.gauss(0, SIGMA_KM)
            if dx * dx + dy * dy <= MAX_KM * MAX_KM:
                kx = 111.32 * math.cos(math.radians(lat0))
                return lat0 + dy / 110.574, lon0 + dx / kx

    def places(self, org_ids: list[uuid.UUID]) -> list[dict[str, Any]]:
        rows = []
        for i in range(self.sizes["places"]):
            org = i % len(org_ids)
            city = self.org_city[org]
            lat, lon = self.point(city)
            commune = min(
                w.COMMUNES[city], key=lambda c: (c[0] - lat) ** 2 + (c[1] - lon) ** 2
            )
            match = self.qpvs.locate(lon, lat)
            row = (
                self.entity()
                | self.sourced("place", i)
                | {
                    "organization_id": org_ids[org],
                    "slug": f"place-{i}",
                    "name": f"{self.rng.choice(w.ORG_KINDS)} {commune[3]} {i}",
                    "address": f"{self.rng.randint(1, 180)} "
                    f"{self.rng.choice(w.STREETS)}",
                    "postal_code": ("37" if city == "Tours" else "44") + "000",
                    "commune": commune[3],
                    "insee_code": commune[2],
                    "lat": lat,
                    "lon": lon,
                    "qpv_code": match.qpv_code,
                    "near_qpv_code": match.near_qpv_code,
                    "wheelchair": self.rng.choice(list(Wheelchair)),
                    "confidential": self.rng.random() < 0.02,
                    "opening_hours": None,
                }
            )
            self.org_places[org].append(i)
            self.city_places[city].append(i)
            self.place_ids.append(row["id"])
            rows.append(row)
        return rows

    def service(self, i: int, org_ids: list[uuid.UUID]) -> dict[str, Any]:
        rng = self.rng
        org = i % len(org_ids)
        chosen = rng.sample(self.themes, k=rng.choice([1, 1, 2, 2, 3]))
        labels = [THEMES[t].lower() for t in chosen]
        stem = rng.choice(w.NAMES[category_of(chosen[0])])
        status = (
            ServiceStatus.published
            if rng.random() < 0.95
            else rng.choice([ServiceStatus.draft, ServiceStatus.archived])
        )
        falc = rng.choice(
            ["On vous aide pour", "Vous pouvez venir pour", "On vous explique"]
        )
        return (
            self.entity()
            | self.sourced("service", i)
            | {
                "organization_id": org_ids[org],
                "slug": f"service-{i}",
                "name": stem
                if rng.random() < 0.6
                else f"{stem} ({self.org_city[org]})",
                "falc_summary": f"{falc} : {labels[0]}.",
                "description": f"{rng.choice(w.OPENERS)} {rng.choice(w.FOR_WHOM)} "
                f"{', '.join(labels)}. {rng.choice(w.CLOSERS)} "
                f"{rng.choice(w.CLOSERS)}",
                "categories": chosen,
                "type": "accompagnement",
                "publics": ["tous-publics"]
                if rng.random() < 0.3
                else rng.sample(self.publics, k=rng.randint(1, 2)),
                "fees": rng.choice(w.FEES),
                "fees_detail": None,
                "appointment_required": rng.random() < 0.4,
                "referral_required": rng.random() < 0.2,
                "languages": ["fr", *rng.sample(w.LANGUAGES, k=rng.randint(0, 3))],
                "phone": self.phone(self.org_city[org]) if rng.random() < 0.5 else None,
                "email": None,
                "status": status,
                "visibility": Visibility.public
                if rng.random() < 0.97
                else Visibility.professionals,
                "last_confirmed_at": NOW - timedelta(days=rng.randint(0, 400)),
            }
        )

    def permanence(self, service: dict[str, Any], org: int) -> dict[str, Any]:
        rng = self.rng
        mine = self.org_places[org] or self.city_places[self.org_city[org]]
        area = mine if rng.random() < 0.7 else self.city_places[self.org_city[org]]
        mode = rng.choices(list(PermanenceMode), weights=[90, 5, 3, 2])[0]
        valid_until = NOW.date() + timedelta(days=90) if rng.random() < 0.05 else None
        return self.entity() | {
            "service_id": service["id"],
            "place_id": None
            if mode == PermanenceMode.phone
            else self.place_ids[rng.choice(area)],
            "mode": mode,
            "opening_hours": rng.choice(w.HOURS),
            "valid_from": None,
            "valid_until": valid_until,
            "biweekly_anchor": None,
            "note": None,
        }
