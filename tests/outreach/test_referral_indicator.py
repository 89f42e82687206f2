"""Referrals between partners feed the « résultat » level of the indicators:
sent in the period by the territory's organisations, counted, masked below 5,
the same in the CSV, absent from one QPV's indicators (a referral has no QPV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlmodel import Session

from api.models import Organization, Qpv, Referral, ReferralStatus, Urgency
from tests.factories import make_place, make_service
from tests.outreach.helpers import EUROPE, MALAKOFF, SANITAS, coordinator
from tests.outreach.test_indicators import build_fixture, page_tables, rows_of

LABEL = "Personnes orientées par une orientation entre partenaires"


def _send(
    session: Session,
    sender: Organization,
    receiver: Organization,
    at: datetime,
    count: int,
) -> None:
    service = make_service(session, receiver, f"service-{receiver.slug}-{at:%m%d%H}")
    for _ in range(count):
        session.add(
            Referral(
                service_id=service.id,
                sender_organization_id=sender.id,
                receiver_organization_id=receiver.id,
                sender_label="<script>alert(1)</script> عربي",
                theme="sante",
                status=ReferralStatus.sent,
                urgency=Urgency.normal,
                created_at=at,
            )
        )


def _inside(session: Session, code: str) -> dict[str, float]:
    qpv = session.get(Qpv, code)
    assert qpv is not None
    point = shape(qpv.geometry).representative_point()
    return {"lon": point.x, "lat": point.y}


def _world(session: Session) -> None:
    world = build_fixture(session)
    # The Tours structure has a place in Sanitas: it is in the territory.
    make_place(session, world.tours, "cs-sanitas", **_inside(session, SANITAS))
    make_place(
        session,
        world.nantes,
        "malakoff",
        commune="Nantes",
        **_inside(session, MALAKOFF),
    )
    november = datetime(2026, 11, 20, 10, tzinfo=UTC)
    _send(session, world.tours, world.nantes, november, 6)
    _send(session, world.tours, world.nantes, datetime(2026, 10, 3, tzinfo=UTC), 2)
    # 1 November 00:30 in Paris is still 31 October in UTC: November.
    _send(
        session,
        world.tours,
        world.nantes,
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        1,
    )
    _send(session, world.nantes, world.tours, november, 9)  # Nantes sends
    session.commit()


def test_referrals_are_a_result_line_counted_masked_and_exported(
    client: TestClient, session: Session
) -> None:
    _world(session)
    tours = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    html = tours.get("/fr/coordination/indicateurs?periode=2026-11").text
    people = rows_of(page_tables(html), "people")
    assert people[LABEL] == ["7", "< 5", "—"]  # Nantes' 9 are not Tours'
    # The outreach line is unchanged.
    assert people["Personnes orientées vers un service"] == ["11", "< 5", "—"]
    exported = tours.get("/fr/coordination/indicateurs.csv?periode=2026-11").text
    lines = list(csv.reader(io.StringIO(exported)))
    assert [line[2:] for line in lines if line[2:3] == [LABEL]] == [
        [LABEL, "7", "< 5", "—"]
    ]
    assert "<script>" not in exported and "<script>" not in html
    october = tours.get("/fr/coordination/indicateurs?periode=2026-10").text
    assert rows_of(page_tables(october), "people")[LABEL] == ["< 5", "< 5", "—"]


def test_one_qpv_and_its_report_leave_referrals_out(
    client: TestClient, session: Session
) -> None:
    _world(session)
    tours = coordinator(client, session, "coord@tours.fr", [SANITAS, EUROPE])
    page = tours.get(f"/fr/coordination/indicateurs?periode=2026-11&qpv={SANITAS}")
    assert LABEL not in rows_of(page_tables(page.text), "people")
    assert "ne sont pas rattachées à un quartier" in page.text
    exported = tours.get(
        f"/fr/coordination/indicateurs.csv?periode=2026-11&qpv={SANITAS}"
    ).text
    assert LABEL not in exported
    report = tours.get(
        f"/fr/coordination/indicateurs/{SANITAS}/rapport?periode=2026-11"
    )
    assert LABEL not in report.text


def test_nantes_coordinator_counts_nantes_referrals_only(
    client: TestClient, session: Session
) -> None:
    _world(session)
    nantes = coordinator(client, session, "coord@nantes.fr", [MALAKOFF])
    html = nantes.get("/ar/coordination/indicateurs?periode=2026-11").text
    tables = page_tables(html)
    values = [row[1] for row in tables["people"]]
    assert "9" in values and "7" not in values
