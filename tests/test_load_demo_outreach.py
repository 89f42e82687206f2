"""reperes load-demo gives the « aller vers » pages and the coordination
indicators something to show: a small, deterministic, idempotent set of
outreach actions, rights checks and registrations in Tours and Nantes."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.models import OutreachAction, Registration, RightsCheck
from api.services.listings.upsert import ImportReport
from data.loaders.load_all import LOADER, load_everything
from data.loaders.outreach_demo import load_outreach_demo, sites
from tests.outreach.helpers import coordinator
from tests.outreach.test_indicators import page_tables, rows_of

TOURS_QPVS = ["QN03709M", "QN03708M"]


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _snapshot(session: Session) -> list[tuple[object, ...]]:
    rows = session.exec(
        select(
            OutreachAction.client_ref,
            OutreachAction.day,
            OutreachAction.people_met,
            OutreachAction.qpv_code,
        ).order_by(OutreachAction.client_ref)
    ).all()
    return [tuple(row) for row in rows]


def test_demo_outreach_rows_are_loaded_once_and_in_both_cities(
    session: Session,
) -> None:
    load_everything(session)
    found = sites(session)
    assert {s.qpv_code[:4] for s in found} == {"QN03", "QN04"}  # Tours, Nantes
    actions, checks = _count(session, OutreachAction), _count(session, RightsCheck)
    assert actions == 2 * 3 * len(found) and checks == 3 * 3 * len(found)
    assert _count(session, Registration) == 3 * len(found)
    for action in session.exec(select(OutreachAction)).all():
        assert action.people_new <= action.people_oriented <= action.people_met
        assert action.day <= date.today()
    before = _snapshot(session)
    again = ImportReport()
    load_outreach_demo(session, LOADER, again)
    assert again.changed == 0 and _snapshot(session) == before


def test_the_rows_are_the_same_for_the_same_day(session: Session) -> None:
    load_everything(session)
    day = date(2026, 3, 15)
    report = ImportReport()
    load_outreach_demo(session, LOADER, report, today=day)
    session.commit()
    march = [r for r in _snapshot(session) if "-202603-" in str(r[0])]
    assert march and all(r[1] <= day for r in march)
    assert report.changed > 0
    repeat = ImportReport()
    load_outreach_demo(session, LOADER, repeat, today=day)
    assert repeat.changed == 0


def test_the_coordinators_indicators_are_not_empty_after_load_demo(
    client: TestClient, session: Session
) -> None:
    load_everything(session)
    tours = coordinator(client, session, "coord@tours.fr", TOURS_QPVS)
    html = tours.get("/fr/coordination/indicateurs").text
    tables = page_tables(html)
    assert rows_of(tables, "actions")["Toutes les actions"][0] != "0"
    assert tables["qpvs"], "no QPV row for Tours"
    assert all(row[1].startswith("QN037") for row in tables["qpvs"])
