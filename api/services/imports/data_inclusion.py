"""data·inclusion v1 structures and services (JSON or CSV) read as records:
the exporter's mapping (api.services.exports.data_inclusion) in reverse, so
that a file we export reads back to the same listings."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from api.i18n import _
from api.models import Fees, PermanenceMode
from api.services.exports.data_inclusion import SOURCE as OWN_SOURCE
from api.services.imports import values as v
from api.services.imports.reading import FileError, open_csv
from api.services.imports.records import (
    Batch,
    OrgRecord,
    PermanenceRecord,
    PlaceRecord,
    Rejection,
    ServiceRecord,
)

Row = dict[str, Any]
APPOINTMENT = "Sur rendez-vous"  # what the exporter writes for appointment_required
MEMBERSHIP = "Adhésion"
_ADDRESS = ("adresse", "code_postal", "commune", "code_insee", "latitude", "longitude")


def own_id(source: str | None, row_id: str) -> uuid.UUID | None:
    """The id of one of our rows when ``row_id`` is one we exported."""
    prefix = f"{OWN_SOURCE}--"
    if source != OWN_SOURCE or not row_id.startswith(prefix):
        return None
    try:
        return uuid.UUID(row_id[len(prefix) :])
    except ValueError:
        return None


def json_rows(raw: IO[bytes]) -> Iterator[tuple[int, Row]]:
    """A JSON array of rows, or our export's {"items": […]} (numbered from 1)."""
    try:
        data = json.load(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileError(_("Le fichier n’est pas un JSON lisible.")) from error
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise FileError(_("Le fichier JSON n’a pas de liste de lignes."))
    for index, item in enumerate(items, start=1):
        yield index, item if isinstance(item, dict) else {}


def file_rows(path: Path) -> Iterator[tuple[int, Row]]:
    with path.open("rb") as raw:
        if path.suffix.lower() == ".json":
            yield from json_rows(raw)
        else:
            _columns, rows = open_csv(raw)
            yield from rows


def _source(row: Row, forced: str | None) -> str:
    return forced or v.text(row, "source", 64) or "data-inclusion"


def structure(line: int, row: Row, forced: str | None) -> OrgRecord:
    source = _source(row, forced)
    row_id = v.required(row, "id", 128)
    siret = v.text(row, "siret")
    return OrgRecord(
        line,
        source,
        row_id,
        {
            "name": v.required(row, "nom", 200),
            "description": v.text(row, "description", 10_000),
            "siret": siret if siret and siret.isdigit() and len(siret) == 14 else None,
            "phone": v.text(row, "telephone", 32),
            "email": v.email(row, "courriel"),
            "website": v.url(row, "site_web"),
        },
        own_id=own_id(v.text(row, "source"), row_id),
    )


def _place(row: Row, name: str) -> PlaceRecord | None:
    commune = v.text(row, "commune", 100)
    if commune is None:
        return None
    return PlaceRecord(
        name=name[:200],
        address=v.text(row, "adresse", 300),
        postal_code=v.pattern(row, "code_postal", "postcode"),
        commune=commune,
        insee_code=v.pattern(row, "code_insee", "insee"),
        lat=v.number(row, "latitude", -90, 90),
        lon=v.number(row, "longitude", -180, 180),
    )


def service(
    line: int, row: Row, forced: str | None, structures: dict[str, Row]
) -> ServiceRecord:
    source = _source(row, forced)
    row_id = v.required(row, "id", 128)
    structure_id = v.required(row, "structure_id", 128)
    parent = structures.get(structure_id, {})
    # data·inclusion: a service without an address is held at its structure's.
    where = row if any(v.text(row, f) for f in _ADDRESS) else parent
    place_name = v.text(parent, "nom", 200) or v.required(row, "nom", 200)
    place = _place(where, place_name)
    modes = v.codes(row, "modes_accueil")
    precisions = v.text(row, "mobilisation_precisions", 10_000)
    fees_detail = v.text(row, "frais_precisions", 500)
    frais = v.text(row, "frais")
    fees = Fees.free if frais in (None, "gratuit") else Fees.paid
    if frais not in (None, "gratuit", "payant"):
        raise v.RowError(
            _("Code inconnu dans « %(column)s » : %(codes)s.")
            % {"column": "frais", "codes": frais}
        )
    mobilisable = v.codes(row, "mobilisable_par")
    values = {
        "name": v.required(row, "nom", 200),
        "description": v.text(row, "description", 10_000),
        "type": v.service_type(row, "type"),
        "categories": v.themes(row, "thematiques"),
        "publics": v.publics(row, "publics"),
        "fees": fees,
        "fees_detail": fees_detail,
        "phone": v.text(row, "telephone", 32),
        "email": v.email(row, "courriel"),
        "referral_required": mobilisable == ["professionnels"],
        "appointment_required": "rendez-vous" in (precisions or "").casefold(),
        "referral_how": None if precisions == APPOINTMENT else precisions,
        "referral_link": v.url(row, "lien_mobilisation"),
        "required_documents": v.text(row, "conditions_acces", 10_000),
        "eligibility_area": v.areas(row, "zone_eligibilite"),
    }
    permanences = []
    opening = v.opening_hours(row, "horaires_accueil")
    if opening is not None:
        in_person = place is not None and (not modes or "en-presentiel" in modes)
        permanences.append(
            PermanenceRecord(
                place=place if in_person else None,
                mode=PermanenceMode.in_person if in_person else PermanenceMode.remote,
                opening_hours=opening,
            )
        )
    return ServiceRecord(
        line=line,
        source=source,
        source_id=row_id,
        org=(_source(parent, forced) if parent else source, structure_id),
        values=values,
        permanences=permanences,
        own_id=own_id(v.text(row, "source"), row_id),
    )


def read(
    structures_rows: Iterator[tuple[int, Row]],
    services_rows: Iterator[tuple[int, Row]],
    forced_source: str | None = None,
) -> Batch:
    """Records of both files; a row that cannot be read is rejected alone."""
    batch = Batch()
    by_id: dict[str, Row] = {}
    seen: dict[str, int] = {}
    for line, row in structures_rows:
        batch.rows += 1
        try:
            record = structure(line, row, forced_source)
        except v.RowError as error:
            batch.rejected.append(Rejection(line, f"structures: {error}"))
            continue
        if record.source_id in seen:
            batch.rejected.append(
                _duplicate("structures", line, seen[record.source_id])
            )
            continue
        seen[record.source_id] = line
        by_id[record.source_id] = row
        batch.organizations.append(record)
    seen = {}
    for line, row in services_rows:
        batch.rows += 1
        try:
            found = service(line, row, forced_source, by_id)
        except v.RowError as error:
            batch.rejected.append(Rejection(line, f"services: {error}"))
            continue
        if found.source_id in seen:
            batch.rejected.append(_duplicate("services", line, seen[found.source_id]))
            continue
        seen[found.source_id] = line
        batch.services.append(found)
    return batch


def _duplicate(kind: str, line: int, first: int) -> Rejection:
    return Rejection(
        line,
        f"{kind}: "
        + _("Identifiant déjà donné ligne %(line)s : ligne ignorée.") % {"line": first},
    )


def read_path(path: Path, forced_source: str | None = None) -> Batch:
    """A directory holding structures.json|csv and services.json|csv, or one
    file (structures when its name says so, else services)."""
    if path.is_dir():
        found = {
            kind: next(
                (path / f"{kind}.{ext}" for ext in ("json", "csv")
                 if (path / f"{kind}.{ext}").exists()),
                None,
            )
            for kind in ("structures", "services")
        }  # fmt: skip
    elif "structure" in path.name.lower():
        found = {"structures": path, "services": None}
    else:
        found = {"structures": None, "services": path}
    empty: Iterator[tuple[int, Row]] = iter(())
    return read(
        file_rows(found["structures"]) if found["structures"] else empty,
        file_rows(found["services"]) if found["services"] else empty,
        forced_source,
    )
