"""reperes load-demo: real open data plus the invented directory, idempotent."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, col, func, select

from api.models import Organization, Permanence, Place, Revision, Service
from api.services.places.territory import qpv_summaries
from api.vocabulary import PUBLICS, SERVICE_TYPES, THEMES
from data.demo.generate import build
from data.loaders.france_services import anct_day_to_osm, anct_row_to_osm
from data.loaders.load_all import load_everything
from data.loaders.paths import DEMO_DIRECTORY


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_load_demo_twice_changes_nothing_the_second_time(session: Session) -> None:
    first = load_everything(session)
    assert first.changed > 500
    revisions = count(session, Revision)
    second = load_everything(session)
    assert second.changed == 0, [
        k for k, n in second.counts.items() if k[1] != "unchanged"
    ]
    assert count(session, Revision) == revisions
    assert first.rejected == []


def test_every_qpv_has_at_least_three_published_services(session: Session) -> None:
    load_everything(session)
    thin = [(q.code, q.services) for q in qpv_summaries(session) if q.services < 3]
    assert thin == []


def test_invented_rows_are_flagged_and_named_as_demo(session: Session) -> None:
    load_everything(session)
    demo = session.exec(select(Organization).where(col(Organization.is_demo))).all()
    assert demo and all(o.name.endswith("(démo)") for o in demo)
    real = session.exec(
        select(Organization).where(col(Organization.is_demo).is_(False))
    )
    assert all(o.source == "anct-france-services" for o in real.all())


def test_france_services_keep_their_real_hours(session: Session) -> None:
    load_everything(session)
    sanitas = session.exec(
        select(Place).where(
            Place.source == "anct-france-services", Place.qpv_code == "QN03709M"
        )
    ).first()
    assert sanitas is not None
    permanence = session.exec(
        select(Permanence).join(Service).where(Service.source_id == sanitas.source_id)
    ).one()
    assert permanence.opening_hours.endswith("; PH off")


def test_a_confidential_place_and_an_itinerant_service_are_in_the_demo(
    session: Session,
) -> None:
    load_everything(session)
    assert (
        session.exec(select(Place).where(col(Place.confidential))).first() is not None
    )
    modes = set(session.exec(select(Permanence.mode)).all())
    assert {"in_person", "itinerant"} <= {str(m) for m in modes}


def test_the_shipped_demo_file_is_what_the_generator_writes() -> None:
    assert json.loads(DEMO_DIRECTORY.read_text("utf-8")) == build()


def test_demo_codes_are_valid_data_inclusion_codes() -> None:
    for org in build()["organizations"]:
        for service in org["services"]:
            assert set(service["categories"]) <= set(THEMES)
            assert set(service["publics"]) <= set(PUBLICS)
            assert service["type"] in SERVICE_TYPES
            if "tous-publics" in service["publics"]:
                assert service["publics"] == ["tous-publics"]


@pytest.mark.parametrize(
    ("cell", "osm"),
    [
        ("09:00 - 12:00 / 13:30 - 17:00", "09:00-12:00,13:30-17:00"),
        ("9:00 - 12:30", "09:00-12:30"),
    ],
)
def test_anct_day_cells_become_osm_ranges(cell: str, osm: str) -> None:
    assert anct_day_to_osm(cell) == osm


def test_anct_rows_group_consecutive_days() -> None:
    row = {
        "h_lundi": "09:00 - 12:00",
        "h_mardi": "09:00 - 12:00",
        "h_mercredi": "",
        "h_jeudi": "09:00 - 12:00",
        "h_vendredi": "14:00 - 17:00",
        "h_samedi": "",
    }
    assert (
        anct_row_to_osm(row)
        == "Mo-Tu 09:00-12:00; Th 09:00-12:00; Fr 14:00-17:00; PH off"
    )
