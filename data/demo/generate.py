"""Write ``data/demo/directory.json``: an invented, realistic directory for demos.

Deterministic (seeded): running it again gives the same file. Every
organisation is marked "(démo)", e-mails are under ``.demo.reperes.fr`` and
phone numbers are fake. Places are drawn inside the real QPV contours, so every
QPV has services in it.

    python -m data.demo.generate
"""

# ruff: noqa: E501  (the special organisations hold French sentences)

from __future__ import annotations

import json
import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shapely.geometry import Point, shape

from data.demo.catalogue import (
    ARCHETYPES,
    CITIES,
    CITY_STRUCTURES,
    CITYWIDE,
    STREETS,
    Archetype,
)
from data.demo.catalogue import DEMARCHES as DEMARCHES_CODE
from data.loaders.paths import DEMO_DIRECTORY, QPV_GEOJSON

SEED = 2026
CLOSURES = [
    {"start": "2026-12-24", "end": "2027-01-02", "reason": "Fermeture de fin d'année"},
    {"start": "2027-02-15", "end": "2027-02-19", "reason": "Vacances d'hiver"},
    {"start": "2026-12-14", "end": "2026-12-18", "reason": "Formation de l'équipe"},
]
LANGUAGES = ["ar", "en", "tr", "ru", "uk", "ps", "fa", "ti", "es", "ro", "pt", "wo"]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    # Bounded: slugs are joined into longer ones and columns have a length.
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")


class Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.organizations: list[dict[str, Any]] = []
        self.phones: set[str] = set()

    def phone(self, department: str) -> str:
        prefix = "02 47" if department == "37" else "02 40"
        while True:
            digits = [self.rng.randint(0, 99) for _ in range(3)]
            number = f"{prefix} 9{digits[0] % 10} {digits[1]:02d} {digits[2]:02d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def point_in(self, polygon: Any) -> tuple[float, float]:
        min_x, min_y, max_x, max_y = polygon.bounds
        for _ in range(500):
            x, y = self.rng.uniform(min_x, max_x), self.rng.uniform(min_y, max_y)
            if polygon.contains(Point(x, y)):
                return round(y, 5), round(x, 5)
        point = polygon.representative_point()
        return round(point.y, 5), round(point.x, 5)

    def languages(self, extra: int) -> list[str]:
        return ["fr", *self.rng.sample(LANGUAGES, k=extra)]

    def confirmed(self) -> str:
        # Mostly recent; about one in seven older than six months (stale).
        days = (
            self.rng.randint(200, 600)
            if self.rng.random() < 0.15
            else self.rng.randint(2, 170)
        )
        return (date(2026, 11, 20) - timedelta(days=days)).isoformat()

    def service(
        self, org_slug: str, arch: Archetype, places: list[str], index: int
    ) -> dict[str, Any]:
        status = "published"
        roll = self.rng.random()
        if roll < 0.03:
            status = "draft"
        elif roll < 0.05:
            status = "archived"
        return {
            "slug": f"{org_slug}-{slugify(arch.name)}-{index}",
            "name": arch.name,
            "falc_summary": arch.falc if self.rng.random() < 0.85 else None,
            "description": arch.description,
            "categories": list(arch.categories),
            "type": arch.type,
            "publics": list(arch.publics),
            "fees": arch.fees,
            "fees_detail": arch.fees_detail,
            "appointment_required": arch.appointment,
            "referral_required": arch.referral,
            "languages": self.languages(self.rng.choice(arch.languages)),
            "phone": None,
            "email": None,
            "status": status,
            "last_confirmed_at": self.confirmed(),
            "permanences": [
                {
                    "place": place,
                    "mode": arch.mode,
                    "opening_hours": self.rng.choice(arch.hours),
                    "note": arch.note,
                }
                for place in places
            ]
            if arch.mode != "phone"
            else [
                {
                    "place": None,
                    "mode": "phone",
                    "opening_hours": arch.hours[0],
                    "note": arch.note,
                }
            ],
            "closures": [self.rng.choice(CLOSURES)] if self.rng.random() < 0.12 else [],
        }


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    builder = Builder(rng)
    features = json.loads(QPV_GEOJSON.read_text("utf-8"))["features"]
    by_commune: dict[str, list[tuple[dict[str, Any], Any]]] = {}
    for feature in features:
        props = feature["properties"]
        commune = props["lib_com"].split(",")[0]
        by_commune.setdefault(commune, []).append((props, shape(feature["geometry"])))
    for commune, qpvs in sorted(by_commune.items()):
        department = qpvs[0][0]["insee_dep"]
        insee = qpvs[0][0]["insee_com"].split(",")[0]
        postal = (
            "37000" if commune == "Tours" else "44000" if commune == "Nantes" else None
        )
        for archetype_group in CITYWIDE:
            org_slug = f"{archetype_group.slug}-{slugify(commune)}"
            org = {
                "slug": org_slug,
                "name": f"{archetype_group.name} {commune_phrase(commune)} (démo)",
                "typology": archetype_group.typology,
                "description": archetype_group.description,
                "phone": builder.phone(department),
                "email": f"contact@{org_slug}.demo.reperes.fr",
                "website": None,
                "places": [],
                "services": [],
            }
            for props, polygon in qpvs:
                lat, lon = builder.point_in(polygon)
                org["places"].append(
                    place(
                        builder,
                        org_slug,
                        props,
                        lat,
                        lon,
                        commune,
                        insee,
                        postal,
                        f"{archetype_group.place_name} {props['lib_qp']}",
                    )
                )
            for index, arch in enumerate(archetype_group.services):
                chosen = [p["slug"] for p in org["places"]]
                org["services"].append(builder.service(org_slug, arch, chosen, index))
            builder.organizations.append(org)
        for props, polygon in qpvs:
            builder.organizations.append(
                neighbourhood_org(
                    builder, props, polygon, commune, insee, postal, department
                )
            )
    builder.organizations += special_organizations(builder, by_commune)
    builder.organizations += city_structures(builder, by_commune)
    return {
        "demo": True,
        "notice": "Données de démonstration inventées — ne pas utiliser pour orienter une personne.",
        "generated_by": "python -m data.demo.generate",
        "organizations": builder.organizations,
    }


def special_organizations(
    builder: Builder, by_commune: dict[str, list[tuple[dict[str, Any], Any]]]
) -> list[dict[str, Any]]:
    """An itinerant bus with stops in Nantes QPVs, and a confidential shelter."""
    stops = by_commune["Nantes"][:4]
    days = ["Mo", "Tu", "Th", "Fr"]
    bus_places = []
    for (props, polygon), _day in zip(stops, days, strict=True):
        lat, lon = builder.point_in(polygon)
        bus_places.append(
            place(
                builder,
                "bus-numerique",
                props,
                lat,
                lon,
                "Nantes",
                "44109",
                "44000",
                f"Arrêt du bus, {props['lib_qp']}",
            )
        )
    bus = {
        "slug": "bus-numerique",
        "name": "Bus numérique et France services itinérant (démo)",
        "typology": "france-services",
        "description": "Un bus équipé d'ordinateurs qui s'arrête chaque semaine dans les quartiers.",
        "phone": builder.phone("44"),
        "email": "contact@bus-numerique.demo.reperes.fr",
        "website": None,
        "places": bus_places,
        "services": [
            {
                "slug": "bus-numerique-demarches",
                "name": "Démarches en ligne dans le bus",
                "falc_summary": "Le bus vient dans votre quartier. On vous aide pour vos papiers sur internet.",
                "description": "Deux conseillers vous aident pour vos démarches en ligne (CAF, Assurance maladie, impôts, ANTS) et prêtent un ordinateur. Arrêts chaque semaine dans quatre quartiers.",
                "categories": [
                    "numerique--acceder-a-des-services-en-ligne",
                    DEMARCHES_CODE,
                ],
                "type": "accompagnement",
                "publics": ["tous-publics"],
                "fees": "free",
                "fees_detail": None,
                "appointment_required": False,
                "referral_required": False,
                "languages": ["fr", "ar", "en"],
                "phone": None,
                "email": None,
                "status": "published",
                "last_confirmed_at": "2026-11-02",
                "permanences": [
                    {
                        "place": p["slug"],
                        "mode": "itinerant",
                        "opening_hours": f"{day} 09:30-12:30; PH off",
                        "note": "Stationné près de la place principale",
                    }
                    for p, day in zip(bus_places, days, strict=True)
                ],
                "closures": [CLOSURES[0]],
            }
        ],
    }
    props, polygon = by_commune["Tours"][0]
    lat, lon = builder.point_in(polygon)
    shelter_place = place(
        builder,
        "accueil-femmes",
        props,
        lat,
        lon,
        "Tours",
        "37261",
        "37000",
        "Accueil de jour",
    )
    shelter_place["confidential"] = True
    shelter = {
        "slug": "accueil-femmes",
        "name": "Accueil de jour pour femmes (démo)",
        "typology": "association",
        "description": "Accueil, écoute et mise à l'abri des femmes victimes de violences et de leurs enfants.",
        "phone": builder.phone("37"),
        "email": "contact@accueil-femmes.demo.reperes.fr",
        "website": None,
        "places": [shelter_place],
        "services": [
            {
                "slug": "accueil-femmes-ecoute",
                "name": "Écoute et accompagnement des femmes victimes de violences",
                "falc_summary": "Vous subissez des violences ? Appelez-nous. L'adresse est secrète.",
                "description": "Écoute, accompagnement dans les démarches (plainte, logement, droits) et mise à l'abri. L'adresse du lieu est donnée par téléphone.",
                "categories": ["famille--surmonter-conflits-separation-violence"],
                "type": "accompagnement",
                "publics": ["femmes"],
                "fees": "free",
                "fees_detail": None,
                "appointment_required": True,
                "referral_required": False,
                "languages": ["fr", "ar", "en", "es"],
                "phone": None,
                "email": None,
                "status": "published",
                "last_confirmed_at": "2026-10-15",
                "permanences": [
                    {
                        "place": shelter_place["slug"],
                        "mode": "in_person",
                        "opening_hours": "Mo-Fr 09:00-17:00; PH off",
                        "note": None,
                    }
                ],
                "closures": [],
            }
        ],
    }
    return [bus, shelter]


def city_structures(
    builder: Builder, by_commune: dict[str, list[tuple[dict[str, Any], Any]]]
) -> list[dict[str, Any]]:
    """The structures for the needs residents ask first, in each big city.

    Drawn last and from their own generator, so that adding them left every
    earlier row of the directory as it was. Always published, always with an
    easy-to-read summary: they are the demo's answer to those needs."""
    own = Builder(random.Random(f"{SEED}-city-structures"))
    own.phones = builder.phones  # still unique across the whole directory
    organizations = []
    for city in CITIES:
        qpvs = by_commune[city]
        department = qpvs[0][0]["insee_dep"]
        insee = qpvs[0][0]["insee_com"].split(",")[0]
        postal = "37000" if department == "37" else "44000"
        for group in CITY_STRUCTURES:
            org_slug = f"{group.slug}-{slugify(city)}"
            places = []
            for props, polygon in own.rng.sample(qpvs, k=2):
                lat, lon = own.point_in(polygon)
                places.append(
                    place(
                        own,
                        org_slug,
                        props,
                        lat,
                        lon,
                        city,
                        insee,
                        postal,
                        f"{group.place_name} {props['lib_qp']}",
                    )
                )
            services = []
            for index, arch in enumerate(group.services):
                service = own.service(
                    org_slug, arch, [p["slug"] for p in places], index
                )
                service["status"] = "published"
                service["falc_summary"] = arch.falc
                services.append(service)
            organizations.append(
                {
                    "slug": org_slug,
                    "name": f"{group.name} {commune_phrase(city)} (démo)",
                    "typology": group.typology,
                    "description": group.description,
                    "phone": own.phone(department),
                    "email": f"contact@{org_slug}.demo.reperes.fr",
                    "website": None,
                    "places": places,
                    "services": services,
                }
            )
    return organizations


def commune_phrase(commune: str) -> str:
    return (
        f"de {commune}"
        if not commune.startswith(("A", "E", "I", "O", "U"))
        else f"d'{commune}"
    )


def place(
    builder: Builder,
    org_slug: str,
    props: dict[str, Any],
    lat: float,
    lon: float,
    commune: str,
    insee: str,
    postal: str | None,
    name: str,
) -> dict[str, Any]:
    return {
        "slug": f"{org_slug}-{props['code_qp'].lower()}",
        "name": name,
        "address": f"{builder.rng.randint(1, 60)} {builder.rng.choice(STREETS)}",
        "postal_code": postal,
        "commune": commune,
        "insee_code": insee,
        "lat": lat,
        "lon": lon,
        "wheelchair": builder.rng.choice(
            ["yes", "yes", "yes", "limited", "no", "unknown"]
        ),
        "confidential": False,
        "opening_hours": "Mo-Fr 09:00-12:00,14:00-17:30; PH off",
    }


def neighbourhood_org(
    builder: Builder,
    props: dict[str, Any],
    polygon: Any,
    commune: str,
    insee: str,
    postal: str | None,
    department: str,
) -> dict[str, Any]:
    """A centre social for each QPV, holding the neighbourhood's own services."""
    qpv_name = props["lib_qp"]
    slug = f"centre-social-{slugify(qpv_name)}"
    lat, lon = builder.point_in(polygon)
    hall = place(
        builder,
        slug,
        props,
        lat,
        lon,
        commune,
        insee,
        postal,
        f"Maison de quartier {qpv_name}",
    )
    services = [
        builder.service(slug, arch, [hall["slug"]], index)
        for index, arch in enumerate(builder.rng.sample(ARCHETYPES, k=4))
    ]
    return {
        "slug": slug,
        "name": f"Centre social {qpv_name} (démo)",
        "typology": "centre-social",
        "description": "Centre social du quartier : accueil, activités et accompagnement "
        "des habitants de tous âges.",
        "phone": builder.phone(department),
        "email": f"accueil@{slug}.demo.reperes.fr",
        "website": None,
        "places": [hall],
        "services": services,
    }


def main(path: Path = DEMO_DIRECTORY) -> None:
    data = build()
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    services = sum(len(o["services"]) for o in data["organizations"])
    print(f"{len(data['organizations'])} organisations, {services} services -> {path}")


if __name__ == "__main__":
    main()
