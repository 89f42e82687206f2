"""Load the official France services list (ANCT, Licence Ouverte 2.0).

Each row becomes an organisation, its place, and one service ("help with
administrative procedures") held there on the row's opening hours.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from api.models import Organization, Permanence, Place, Service, ServiceStatus
from api.services.listings.revisions import Actor
from api.services.listings.upsert import ImportReport, sync_children, upsert

SOURCE = "anct-france-services"
# Date of the ANCT snapshot: what "last confirmed" honestly means for these rows.
SNAPSHOT_DATE = datetime(2024, 8, 1, tzinfo=UTC)
DAY_COLUMNS = {
    "Mo": "h_lundi",
    "Tu": "h_mardi",
    "We": "h_mercredi",
    "Th": "h_jeudi",
    "Fr": "h_vendredi",
    "Sa": "h_samedi",
}
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
CATEGORIES = [
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "numerique--acceder-a-des-services-en-ligne",
]
DESCRIPTION = (
    "Un guichet unique de proximité : des agents formés vous accompagnent dans "
    "vos démarches avec la CAF, l'Assurance maladie, l'Assurance retraite, "
    "France Travail, la MSA, les impôts, l'ANTS (carte grise, permis, titres "
    "d'identité), La Poste et le ministère de la Justice."
)
FALC = "On vous aide pour vos papiers. C'est gratuit. Venez avec vos documents."


class HoursFormatError(ValueError):
    pass


def anct_day_to_osm(cell: str) -> str:
    """'09:00 - 12:00 / 13:30 - 17:00' -> '09:00-12:00,13:30-17:00'."""
    ranges = []
    for part in cell.split("/"):
        match = _RANGE.match(part)
        if not match:
            raise HoursFormatError(f"unreadable hours {cell!r}")
        h1, m1, h2, m2 = match.groups()
        ranges.append(f"{int(h1):02d}:{m1}-{int(h2):02d}:{m2}")
    return ",".join(ranges)


def anct_row_to_osm(row: dict[str, str]) -> str | None:
    """Group consecutive days with the same hours: 'Mo-Th 09:00-12:00; Fr …; PH off'."""
    days = [
        (day, anct_day_to_osm(row[col]))
        for day, col in DAY_COLUMNS.items()
        if row[col].strip()
    ]
    if not days:
        return None
    order = list(DAY_COLUMNS)
    rules: list[tuple[list[str], str]] = []
    for day, hours in days:
        last = rules[-1] if rules else None
        if (
            last
            and last[1] == hours
            and order.index(last[0][-1]) + 1 == order.index(day)
        ):
            last[0].append(day)
        else:
            rules.append(([day], hours))
    parts = [
        (f"{d[0]}-{d[-1]}" if len(d) > 1 else d[0]) + f" {hours}" for d, hours in rules
    ]
    return "; ".join([*parts, "PH off"])


def load_france_services(
    session: Session, path: Path, actor: Actor, report: ImportReport
) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        load_row(session, row, actor, report)


def load_row(
    session: Session, row: dict[str, str], actor: Actor, report: ImportReport
) -> None:
    source_id = row["id_fs"]
    slug = f"france-services-{source_id}"
    try:
        hours = anct_row_to_osm(row)
    except HoursFormatError as error:
        report.reject(f"France services {source_id}", str(error))
        hours = None
    org = upsert(
        session,
        Organization,
        SOURCE,
        source_id,
        {
            "slug": slug,
            "name": row["lib_fs"].strip(),
            "typology": "france-services",
            "phone": row["telephone"] or None,
            "email": row["mail"] or None,
        },
        actor,
        report,
    )
    place = upsert(
        session,
        Place,
        SOURCE,
        source_id,
        {
            "organization_id": org.id,
            "slug": slug,
            "name": row["lib_fs"].strip(),
            "address": ", ".join(
                p for p in (row["adresse"], row["complement_adresse"]) if p
            ),
            "postal_code": row["code_postal"] or None,
            "commune": row["lib_com"],
            "insee_code": row["insee_com"] or None,
            "lat": float(row["latitude"]) if row["latitude"] else None,
            "lon": float(row["longitude"]) if row["longitude"] else None,
            "opening_hours": hours,
        },
        actor,
        report,
    )
    service = upsert(
        session,
        Service,
        SOURCE,
        source_id,
        {
            "organization_id": org.id,
            "slug": f"{slug}-demarches",
            "name": "Aide aux démarches administratives (France services)",
            "falc_summary": FALC,
            "description": DESCRIPTION,
            "categories": CATEGORIES,
            "type": "accompagnement",
            "publics": ["tous-publics"],
            "appointment_required": row["prise_rdv"].strip().lower() == "oui",
            "languages": ["fr"],
            "status": ServiceStatus.published,
            "last_confirmed_at": SNAPSHOT_DATE,
        },
        actor,
        report,
    )
    wanted = (
        []
        if hours is None
        else [
            {
                "place_id": place.id,
                "opening_hours": hours,
                "note": row["commentaire"].strip() or None,
            }
        ]
    )
    sync_children(session, Permanence, "service_id", service.id, wanted, actor, report)
