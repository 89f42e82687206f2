"""data·inclusion imports: the exporter's mapping read back, idempotent by
(source, id), each listing written whole or not at all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from api.cli import app as cli
from api.models import Permanence, Place, Revision, Service, ServiceStatus
from api.services.exports import data_inclusion as exporter
from api.services.exports.licence import current
from api.services.imports import files
from api.services.imports.runner import Options, Summary
from api.services.listings.revisions import Actor
from tests.api.test_exports_data_inclusion import assert_valid
from tests.factories import load_real_qpvs

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "data_inclusion_sample"
ACTOR = Actor("system", "import test")


def import_sample(session: Session, path: Path = SAMPLE, full: bool = False) -> Summary:
    return files.import_path(
        session, path, "data-inclusion", None, Options(actor=ACTOR, full=full)
    )


def revisions(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Revision)).one()


def by_source_id(session: Session, source_id: str) -> Service:
    return session.exec(select(Service).where(Service.source_id == source_id)).one()


def test_a_data_inclusion_sample_becomes_listings_with_every_field(
    session: Session,
) -> None:
    load_real_qpvs(session)
    summary = import_sample(session)
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    reasons = {r.line: r.reason for r in summary.rejected}
    assert set(reasons) == {5, 6}
    assert "Horaires illisibles" in reasons[5]
    assert "dora--nobody" in reasons[6]

    rights = by_source_id(session, "dora--a1")
    assert rights.source == "dora" and rights.status == ServiceStatus.published
    assert rights.required_documents == "Pièce d'identité"
    assert rights.eligibility_area == ["37261", "37"]
    assert rights.referral_how == "Sur rendez-vous au 02 47 00 00 01"
    assert rights.appointment_required and not rights.referral_required
    [held] = session.exec(select(Permanence).where(Permanence.service_id == rights.id))
    assert held.opening_hours == "We[2,4] 14:00-17:00; PH off"
    place = session.get(Place, held.place_id)
    assert place is not None
    # No address of its own: held at its structure's, in the Sanitas QPV.
    assert place.address == "10 place Saint-Paul" and place.insee_code == "37261"
    assert place.qpv_code is not None

    food = by_source_id(session, "dora--a2")
    assert food.fees == "paid" and food.fees_detail == "1 € par colis"
    assert food.referral_required
    assert food.referral_link == "https://cs-sanitas.example.org/orientation"
    [food_hours] = session.exec(
        select(Permanence).where(Permanence.service_id == food.id)
    )
    assert food_hours.opening_hours == "Mo 09:00-12:00"  # the forms' lenient reader

    phone = by_source_id(session, "dora--b2")
    [line] = session.exec(select(Permanence).where(Permanence.service_id == phone.id))
    assert line.place_id is None and line.mode == "remote"


def test_importing_the_same_file_again_changes_nothing(session: Session) -> None:
    load_real_qpvs(session)
    import_sample(session)
    before = revisions(session)
    again = import_sample(session)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert revisions(session) == before


def test_a_changed_row_is_updated_with_one_revision(
    session: Session, tmp_path: Path
) -> None:
    load_real_qpvs(session)
    import_sample(session)
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    rows = json.loads((copy / "services.json").read_text())
    rows[0]["horaires_accueil"] = "We[2,4] 14:00-18:00; PH off"
    (copy / "services.json").write_text(json.dumps(rows))
    before = revisions(session)
    summary = import_sample(session, copy)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 3)
    assert revisions(session) == before + 1  # the permanence only
    rights = by_source_id(session, "dora--a1")
    [held] = session.exec(
        select(Permanence).where(
            Permanence.service_id == rights.id, col(Permanence.deleted_at).is_(None)
        )
    )
    assert held.opening_hours == "We[2,4] 14:00-18:00; PH off"


def test_full_archives_what_the_file_no_longer_holds(
    session: Session, tmp_path: Path
) -> None:
    load_real_qpvs(session)
    import_sample(session)
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy)
    rows = json.loads((copy / "services.json").read_text())
    # Only the readable rows: a rejected row could be a listing still there.
    kept = [r for r in rows if r["id"] in ("dora--a1", "dora--a2", "dora--b1")]
    (copy / "services.json").write_text(json.dumps(kept))
    summary = import_sample(session, copy, full=True)
    assert (summary.unchanged, summary.archived) == (3, 1)
    gone = by_source_id(session, "dora--b2")
    assert gone.status == ServiceStatus.archived and gone.deleted_at is None
    # Back in the file: published again.
    summary = import_sample(session, full=False)
    assert summary.updated == 1
    assert by_source_id(session, "dora--b2").status == ServiceStatus.published


def test_round_trip_import_export_reimport_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    load_real_qpvs(session)
    import_sample(session)
    exported = tmp_path / "export"
    exporter.write_directory(session.get_bind(), exported, current())  # type: ignore[arg-type]
    for kind in ("structures", "services"):
        rows = json.loads((exported / f"{kind}.json").read_text())["items"]
        assert len(rows) == (2 if kind == "structures" else 4)
        for row in rows:
            assert_valid(kind, row)  # imported listings export valid rows
    before = revisions(session)
    listings = session.exec(select(func.count()).select_from(Service)).one()
    for name in ("json", "csv"):
        folder = tmp_path / name
        folder.mkdir()
        for kind in ("structures", "services"):
            shutil.copy(exported / f"{kind}.{name}", folder)
        summary = import_sample(session, folder)
        assert (summary.created, summary.updated, summary.archived) == (0, 0, 0)
        assert summary.unchanged == 4 and summary.rejected == []
    assert revisions(session) == before
    assert session.exec(select(func.count()).select_from(Service)).one() == listings


def test_the_command_line_prints_the_summary(
    session: Session, use_database: str
) -> None:
    load_real_qpvs(session)
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        cli, ["import", str(SAMPLE), "--format", "data-inclusion"]
    )
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "│ 4" in result.output
    assert "rejected line 5" in result.output


@pytest.mark.parametrize("broken", ["{not json", '{"items": 3}'])
def test_an_unreadable_file_writes_nothing(
    session: Session, tmp_path: Path, broken: str
) -> None:
    (tmp_path / "services.json").write_text(broken)
    summary = import_sample(session, tmp_path)
    assert summary.created == 0 and len(summary.rejected) == 1
    assert session.exec(select(func.count()).select_from(Service)).one() == 0
