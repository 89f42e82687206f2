"""QPV assignment at write time, with the real ANCT contours."""

from sqlmodel import Session, select

from api.models import Place, Qpv, Revision
from api.services.listings.revisions import SYSTEM, save
from tests.factories import load_real_qpvs, make_organization, make_place

SANITAS_TOURS = {"lat": 47.38165, "lon": 0.69977}
MALAKOFF_NANTES = {"lat": 47.21535, "lon": -1.52306}
LOIRE_NEAR_SAUMUR = {"lat": 47.273, "lon": -0.08}
# About 150 m north of the Sanitas contour.
NEAR_SANITAS = {"lat": 47.38639, "lon": 0.69889}


def test_all_shipped_qpvs_are_loaded_with_their_communes(session: Session) -> None:
    load_real_qpvs(session)
    qpvs = {q.code: q for q in session.exec(select(Qpv)).all()}
    assert len(qpvs) == 34
    assert qpvs["QN03709M"].name == "Sanitas"
    assert qpvs["QN04405M"].communes == ["44109", "44162"]  # Bellevue spans two


def test_a_place_in_the_sanitas_gets_the_tours_qpv_code(session: Session) -> None:
    load_real_qpvs(session)
    place = make_place(session, make_organization(session), "p", **SANITAS_TOURS)
    assert (place.qpv_code, place.near_qpv_code) == ("QN03709M", None)


def test_a_place_in_malakoff_gets_the_nantes_qpv_code(session: Session) -> None:
    load_real_qpvs(session)
    org = make_organization(session)
    place = make_place(session, org, "p", commune="Nantes", **MALAKOFF_NANTES)
    assert place.qpv_code == "QN04413M"


def test_a_point_in_the_loire_far_from_any_qpv_gets_none(session: Session) -> None:
    load_real_qpvs(session)
    place = make_place(session, make_organization(session), "p", **LOIRE_NEAR_SAUMUR)
    assert (place.qpv_code, place.near_qpv_code) == (None, None)


def test_a_place_within_300_m_of_a_contour_is_near_that_qpv(session: Session) -> None:
    load_real_qpvs(session)
    place = make_place(session, make_organization(session), "p", **NEAR_SANITAS)
    assert (place.qpv_code, place.near_qpv_code) == (None, "QN03709M")


def test_moving_a_place_recomputes_its_qpv_and_records_a_revision(
    session: Session,
) -> None:
    load_real_qpvs(session)
    place = make_place(session, make_organization(session), "p", **SANITAS_TOURS)
    place.lat, place.lon = MALAKOFF_NANTES["lat"], MALAKOFF_NANTES["lon"]
    assert save(session, place, SYSTEM)
    session.commit()
    session.refresh(place)
    assert place.qpv_code == "QN04413M"
    assert place.version == 2
    revisions = session.exec(
        select(Revision)
        .where(Revision.entity_id == place.id)
        .order_by(Revision.version)
    ).all()
    assert [r.version for r in revisions] == [1, 2]
    assert revisions[1].snapshot["qpv_code"] == "QN04413M"
    assert revisions[1].diff["lat"] == [SANITAS_TOURS["lat"], MALAKOFF_NANTES["lat"]]


def test_a_place_without_coordinates_has_no_qpv(session: Session) -> None:
    load_real_qpvs(session)
    place = make_place(session, make_organization(session), "p")
    assert (place.qpv_code, place.near_qpv_code) == (None, None)


def test_saving_unchanged_values_writes_no_revision(session: Session) -> None:
    load_real_qpvs(session)
    place = make_place(session, make_organization(session), "p", **SANITAS_TOURS)
    place.name = place.name
    place.lat = SANITAS_TOURS["lat"]
    assert save(session, place, SYSTEM) is False
    assert place.version == 1
    assert len(session.exec(select(Place)).all()) == 1
