"""The directory as data·inclusion v1 structures and services (JSON, CSV).

A structure is an organisation (its address: its first place); a service is
one of our services, placed at its first in-person place, with the hours
held there. Files are written row by row from batched reads, so a large
directory never sits in memory.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine
from sqlmodel import Session

from api.models import (
    Fees,
    Organization,
    Permanence,
    PermanenceMode,
    Place,
    Service,
)
from api.services.exports import queries
from api.services.exports.licence import DATA_INCLUSION_SCHEMA, PUBLISHER, Licence
from api.services.schedules import hours
from api.settings import get_settings
from api.vocabulary import PUBLICS, SERVICE_TYPES, THEMES

SOURCE = "reperes"
Kind = Literal["structures", "services"]
Row = dict[str, Any]

STRUCTURE_COLUMNS = (
    "source", "id", "nom", "date_maj", "description", "siret", "telephone",
    "courriel", "site_web", "lien_source", "horaires_accueil", "adresse",
    "complement_adresse", "code_postal", "commune", "code_insee", "latitude",
    "longitude", "accessibilite_lieu", "reseaux_porteurs",
)  # fmt: skip
SERVICE_COLUMNS = (
    "source", "id", "structure_id", "nom", "description", "date_maj", "type",
    "thematiques", "publics", "publics_precisions", "frais", "frais_precisions",
    "modes_accueil", "modes_mobilisation", "mobilisable_par",
    "mobilisation_precisions", "conditions_acces", "telephone", "courriel",
    "contact_nom_prenom", "lien_source", "lien_mobilisation", "horaires_accueil",
    "adresse", "complement_adresse", "code_postal", "commune", "code_insee",
    "latitude", "longitude", "zone_eligibilite", "volume_horaire_hebdomadaire",
    "nombre_semaines",
)  # fmt: skip
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "structures": STRUCTURE_COLUMNS,
    "services": SERVICE_COLUMNS,
}
_ADDRESS_FIELDS = (
    "adresse", "code_postal", "commune", "code_insee", "latitude", "longitude"
)  # fmt: skip
_IN_PERSON = (PermanenceMode.in_person, PermanenceMode.itinerant)
_SIRET = re.compile(r"^\d{14}$")
_POSTCODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^\w{5}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A cell a spreadsheet would run as a formula, unless it is a number or phone.
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?[\d\s.()]+$")


def di_id(row_id: uuid.UUID) -> str:
    """data·inclusion ids are "{source}--{producer id}"."""
    return f"{SOURCE}--{row_id}"


def _link(path: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/{path}"


def _name(text: str) -> str:
    text = " ".join(text.split())[:150]
    return text if len(text) >= 3 else f"{text} ({PUBLISHER})"


def _email(value: str | None) -> str | None:
    return value if value and _EMAIL.match(value) else None


def _url(value: str | None) -> str | None:
    return value if value and value.startswith(("http://", "https://")) else None


def _address(place: Place | None) -> Row:
    """Address fields; a confidential place gives its town, never where."""
    if place is None:
        return dict.fromkeys(_ADDRESS_FIELDS)
    hidden = place.confidential
    return {
        "adresse": None if hidden else place.address,
        "code_postal": place.postal_code
        if not hidden and place.postal_code and _POSTCODE.match(place.postal_code)
        else None,
        "commune": place.commune,
        "code_insee": place.insee_code
        if not hidden and place.insee_code and _INSEE.match(place.insee_code)
        else None,
        "latitude": None if hidden else place.lat,
        "longitude": None if hidden else place.lon,
    }


def _date_maj(moment: datetime) -> str:
    return min(moment, datetime.now(UTC)).date().isoformat()


def structure_row(org: Organization, place: Place | None) -> Row:
    description = (org.description or "").strip()
    return {
        "source": SOURCE,
        "id": di_id(org.id),
        "nom": _name(org.name),
        "date_maj": _date_maj(org.updated_at),
        "description": description[:10_000] if len(description) >= 5 else None,
        "siret": org.siret if org.siret and _SIRET.match(org.siret) else None,
        "telephone": org.phone,
        "courriel": _email(org.email),
        "site_web": _url(org.website),
        "lien_source": _link(f"fr/structures/{org.id}"),
        "horaires_accueil": place.opening_hours if place else None,
        **_address(place),
    }


def _where(
    permanences: list[tuple[Permanence, Place | None]],
) -> tuple[Place | None, list[Permanence]]:
    """The place a service row shows (its first in-person one) and the
    permanences held there (all of them when it has no place)."""
    place = next((p for perm, p in permanences if p and perm.mode in _IN_PERSON), None)
    if place is None:
        return None, [perm for perm, _ in permanences]
    return place, [perm for perm, p in permanences if p and p.id == place.id]


def _hours(held: list[Permanence]) -> str | None:
    """One opening_hours string: several permanences are additional rules."""
    texts = list(dict.fromkeys(p.opening_hours for p in held if p.opening_hours))
    if len(texts) <= 1:
        return texts[0] if texts else None
    joined = ", ".join(texts)
    try:
        hours.parse(joined)
    except hours.HoursError:
        return texts[0]
    return joined


def _publics(codes: list[str]) -> list[str] | None:
    known = [c for c in dict.fromkeys(codes) if c in PUBLICS]
    if len(known) > 1 and "tous-publics" in known:
        known.remove("tous-publics")  # it must stand alone in data·inclusion
    return known or None


def _mobilisation(service: Service, modes: set[str]) -> list[str] | None:
    found = []
    if service.phone:
        found.append("telephoner")
    if _email(service.email):
        found.append("envoyer-un-courriel")
    if "en-presentiel" in modes and not service.appointment_required:
        found.append("se-presenter")
    return found or None


def service_row(
    service: Service,
    org: Organization,
    permanences: list[tuple[Permanence, Place | None]],
) -> Row:
    place, held = _where(permanences)
    modes = {
        "en-presentiel" if perm.mode in _IN_PERSON else "a-distance"
        for perm, _ in permanences
    }
    description = " ".join(
        text.strip()
        for text in (service.description, service.falc_summary)
        if text and text.strip()
    )
    if len(description) < 5:
        description = f"{service.name} – {org.name}"
    fees_detail = service.fees_detail
    if service.fees == Fees.membership and not fees_detail:
        fees_detail = "Adhésion"
    return {
        "source": SOURCE,
        "id": di_id(service.id),
        "structure_id": di_id(org.id),
        "nom": _name(service.name),
        "description": description[:10_000],
        "date_maj": _date_maj(service.updated_at),
        "type": service.type if service.type in SERVICE_TYPES else None,
        "thematiques": [c for c in dict.fromkeys(service.categories) if c in THEMES]
        or None,
        "publics": _publics(service.publics),
        "frais": "gratuit" if service.fees == Fees.free else "payant",
        "frais_precisions": fees_detail,
        "modes_accueil": sorted(modes, reverse=True) or None,
        "modes_mobilisation": _mobilisation(service, modes),
        "mobilisable_par": ["professionnels"]
        if service.referral_required
        else ["usagers", "professionnels"],
        "mobilisation_precisions": service.referral_how
        or ("Sur rendez-vous" if service.appointment_required else None),
        "lien_mobilisation": _url(service.referral_link),
        "conditions_acces": service.required_documents,
        "zone_eligibilite": service.eligibility_area or None,
        "telephone": service.phone,
        "courriel": _email(service.email),
        "lien_source": _link(f"fr/services/{service.id}"),
        "horaires_accueil": _hours(held),
        **_address(place),
    }


# --- reading -----------------------------------------------------------------


def structures(session: Session) -> Iterator[Row]:
    for batch in queries.organization_batches(session):
        places = queries.first_places(session, [org.id for org in batch])
        for org in batch:
            yield structure_row(org, places[org.id])


def services(session: Session) -> Iterator[Row]:
    for batch in queries.service_batches(session):
        ids = [s.id for s in batch]
        orgs = queries.organizations(session, {s.organization_id for s in batch})
        held = queries.permanences(session, ids)
        for service in batch:
            yield service_row(service, orgs[service.organization_id], held[service.id])


READERS: dict[Kind, Callable[[Session], Iterator[Row]]] = {
    "structures": structures,
    "services": services,
}


def rows(engine: Engine, kind: Kind) -> Iterator[Row]:
    """Every row of ``kind``, read in batches in a session of its own (a
    streamed response outlives the request's session)."""
    with Session(engine) as session:
        yield from READERS[kind](session)


# --- writing -----------------------------------------------------------------


def header(licence: Licence) -> Row:
    """The fields a JSON file carries around its rows."""
    return {
        "schema": DATA_INCLUSION_SCHEMA,
        "publisher": PUBLISHER,
        "licence": licence.name,
        "licence_url": licence.url,
        "attribution": licence.attribution,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def json_chunks(items: Iterable[Row], licence: Licence) -> Iterator[str]:
    """``{"schema": …, "licence": …, "items": [row, …]}``, a row at a time."""
    opening = json.dumps(header(licence), ensure_ascii=False)[:-1]
    yield opening + ', "items": ['
    for index, row in enumerate(items):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(value)
    text = str(value)
    if _FORMULA.match(text) and not _NUMBER.match(text):
        return "'" + text  # shown as typed, never run by a spreadsheet
    return text


def csv_chunks(kind: Kind, items: Iterable[Row]) -> Iterator[str]:
    """A header of data·inclusion field names, then a line per row; lists are
    comma-separated codes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns = COLUMNS[kind]
    writer.writerow(columns)
    for row in items:
        writer.writerow([_cell(row.get(column)) for column in columns])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def licence_text(licence: Licence) -> str:
    return (
        f"Données : {PUBLISHER}, {licence.name} – {licence.url}\n"
        f"Format : {DATA_INCLUSION_SCHEMA}\n"
        "Les lieux confidentiels n’ont ni adresse ni position ; seuls les "
        "services publiés et ouverts à tous sont exportés.\n"
    )


def write_directory(engine: Engine, target: Path, licence: Licence) -> dict[str, int]:
    """structures.json|csv, services.json|csv and LICENCE.txt in ``target``;
    the number of rows of each kind."""
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for kind in ("structures", "services"):
        count = 0

        def counted(kind: Kind = kind) -> Iterator[Row]:
            nonlocal count
            for row in rows(engine, kind):
                count += 1
                yield row

        with (target / f"{kind}.json").open("w", encoding="utf-8") as out:
            out.writelines(json_chunks(counted(), licence))
        with (target / f"{kind}.csv").open("w", encoding="utf-8", newline="") as out:
            out.writelines(csv_chunks(kind, rows(engine, kind)))
        counts[kind] = count
    (target / "LICENCE.txt").write_text(licence_text(licence), encoding="utf-8")
    return counts
