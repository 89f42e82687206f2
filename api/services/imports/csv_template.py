"""Our own spreadsheet template: one row per permanence (a service held at
several places, or on several schedules, takes several rows with the same
``service_id``). Columns are documented in the README and in the template
a partner downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO

from api.i18n import _
from api.models import Fees, PermanenceMode
from api.services.imports import values as v
from api.services.imports.reading import open_csv
from api.services.imports.records import (
    Batch,
    OrgRecord,
    PermanenceRecord,
    PlaceRecord,
    Rejection,
    ServiceRecord,
)

COLUMNS = (
    "structure_id", "structure_nom", "service_id", "service_nom", "description",
    "thematiques", "publics", "type", "frais", "frais_precisions", "telephone",
    "courriel", "rendez_vous", "orientation", "comment_etre_oriente",
    "justificatifs", "zone_eligibilite", "langues", "mode", "lieu_nom", "adresse",
    "code_postal", "commune", "code_insee", "latitude", "longitude", "horaires",
    "debut", "fin", "note",
)  # fmt: skip
REQUIRED = ("service_id", "service_nom", "horaires")
# Only an import for the whole directory says whose services they are.
REQUIRED_CLI = ("structure_id", "structure_nom")
EXAMPLE = {
    "structure_id": "asso-12",
    "structure_nom": "Association du Sanitas",
    "service_id": "epicerie",
    "service_nom": "Épicerie solidaire",
    "description": "Des produits à petits prix pour les familles du quartier.",
    "thematiques": "equipement-et-alimentation--alimentation",
    "publics": "familles",
    "type": "aide-materielle",
    "frais": "gratuit",
    "telephone": "02 47 00 11 22",
    "rendez_vous": "non",
    "orientation": "oui",
    "comment_etre_oriente": "Sur orientation d’un travailleur social.",
    "justificatifs": "Pièce d’identité, justificatif de ressources",
    "zone_eligibilite": "37261",
    "langues": "fr,ar",
    "mode": "sur-place",
    "lieu_nom": "Local Saint-Paul",
    "adresse": "12 rue Saint-Paul",
    "code_postal": "37000",
    "commune": "Tours",
    "code_insee": "37261",
    "latitude": "47.3836",
    "longitude": "0.6952",
    "horaires": "We[2,4] 14:00-17:00; PH off",
}
MODES = {
    "sur-place": PermanenceMode.in_person,
    "telephone": PermanenceMode.phone,
    "a-distance": PermanenceMode.remote,
    "itinerant": PermanenceMode.itinerant,
}
FEES = {"gratuit": Fees.free, "payant": Fees.paid, "adhesion": Fees.membership}


def template() -> str:
    """The header and one example row, ``;``-separated (what French
    spreadsheets open directly), with a BOM so that Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE.get(column, "") for column in COLUMNS])
    return "\ufeff" + buffer.getvalue()


def _choice(
    row: dict[str, str], column: str, allowed: dict[str, str], default: str
) -> str:
    value = (v.text(row, column) or "").casefold()
    if not value:
        return default
    if value not in allowed:
        raise v.RowError(
            _("Code inconnu dans « %(column)s » : %(codes)s.")
            % {"column": column, "codes": value}
        )
    return allowed[value]


def _service_values(row: dict[str, str]) -> dict[str, object]:
    return {
        "name": v.required(row, "service_nom", 200),
        "description": v.text(row, "description", 10_000),
        "categories": v.themes(row, "thematiques"),
        "publics": v.publics(row, "publics"),
        "type": v.service_type(row, "type"),
        "fees": _choice(row, "frais", FEES, Fees.free),
        "fees_detail": v.text(row, "frais_precisions", 500),
        "phone": v.text(row, "telephone", 32),
        "email": v.email(row, "courriel"),
        "appointment_required": v.yes_no(row, "rendez_vous"),
        "referral_required": v.yes_no(row, "orientation"),
        "referral_how": v.text(row, "comment_etre_oriente", 10_000),
        "required_documents": v.text(row, "justificatifs", 10_000),
        "eligibility_area": v.areas(row, "zone_eligibilite"),
        "languages": v.codes(row, "langues"),
    }


def _permanence(row: dict[str, str], place_name: str) -> PermanenceRecord:
    mode = _choice(row, "mode", MODES, PermanenceMode.in_person)
    place = None
    if mode in (PermanenceMode.in_person, PermanenceMode.itinerant):
        commune = v.required(row, "commune", 100)
        place = PlaceRecord(
            name=v.text(row, "lieu_nom", 200) or place_name,
            address=v.text(row, "adresse", 300),
            postal_code=v.pattern(row, "code_postal", "postcode"),
            commune=commune,
            insee_code=v.pattern(row, "code_insee", "insee"),
            lat=v.number(row, "latitude", -90, 90),
            lon=v.number(row, "longitude", -180, 180),
        )
    opening = v.opening_hours(row, "horaires")
    if opening is None:
        raise v.RowError(
            _("La colonne « %(column)s » est vide.") % {"column": "horaires"}
        )
    valid_from, valid_until = v.day(row, "debut"), v.day(row, "fin")
    if valid_from and valid_until and valid_until < valid_from:
        raise v.RowError(_("La date de fin est avant la date de début."))
    return PermanenceRecord(
        place=place,
        mode=mode,
        opening_hours=opening,
        valid_from=valid_from,
        valid_until=valid_until,
        note=v.text(row, "note", 500),
    )


def read(raw: IO[bytes], source: str, whole_directory: bool = True) -> Batch:
    """Records of a template file. ``whole_directory``: the structure columns
    say whose services they are (the command line); else they belong to the
    organisation uploading (the partner space) and those columns are ignored."""
    batch = Batch()
    columns, rows = open_csv(raw)
    needed = REQUIRED + (REQUIRED_CLI if whole_directory else ())
    missing = [c for c in needed if c not in columns]
    if missing:
        batch.rejected.append(
            Rejection(
                1,
                _("Colonnes manquantes : %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        )
        return batch
    services: dict[str, ServiceRecord] = {}
    orgs: dict[str, OrgRecord] = {}
    first_line: dict[str, int] = {}
    failed: set[str] = set()
    for line, row in rows:
        batch.rows += 1
        service_id = (row.get("service_id") or "").strip()
        try:
            service_id = v.required(row, "service_id", 128)
            if service_id in failed:
                raise v.RowError(
                    _("Le service %(id)s a une erreur ligne %(line)s.")
                    % {"id": service_id, "line": first_line[service_id]}
                )
            org_key = None
            if whole_directory:
                org_id = v.required(row, "structure_id", 128)
                org = OrgRecord(
                    line,
                    source,
                    org_id,
                    {"name": v.required(row, "structure_nom", 200)},
                )
                known = orgs.get(org_id)
                if known is not None and known.values != org.values:
                    raise v.RowError(
                        _("La structure %(id)s a un autre nom ligne %(line)s.")
                        % {"id": org_id, "line": known.line}
                    )
                orgs.setdefault(org_id, org)
                org_key = (source, org_id)
            values = _service_values(row)
            permanence = _permanence(row, str(values["name"]))
        except v.RowError as error:
            batch.rejected.append(Rejection(line, str(error)))
            if service_id and service_id not in first_line:
                first_line[service_id] = line
                failed.add(service_id)
            elif service_id in services:
                # A listing with one bad permanence would be half-written.
                failed.add(service_id)
                del services[service_id]
            continue
        known_service = services.get(service_id)
        if known_service is None:
            first_line[service_id] = line
            services[service_id] = ServiceRecord(
                line, source, service_id, org_key, values, [permanence]
            )
        elif known_service.values != values or known_service.org != org_key:
            batch.rejected.append(
                Rejection(
                    line,
                    _("Le service %(id)s est déjà décrit autrement ligne %(line)s.")
                    % {"id": service_id, "line": known_service.line},
                )
            )
        else:
            known_service.permanences.append(permanence)
    batch.organizations = list(orgs.values())
    batch.services = list(services.values())
    return batch


def rows_of(raw: IO[bytes]) -> Iterator[tuple[int, dict[str, str]]]:
    return open_csv(raw)[1]
