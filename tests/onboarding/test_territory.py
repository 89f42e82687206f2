"""A coordinator decides only the requests of their own territory: a Tours
coordinator never sees nor decides a Nantes request."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Organization, OrganizationRequest, RequestStatus
from tests.espace.helpers import Browser, make_user
from tests.espace.test_accounts import outbox  # noqa: F401
from tests.onboarding.helpers import send_request, signed_in_coordinator

TOURS, NANTES = "37261", "44109"


def two_requests(
    client: TestClient, session: Session
) -> dict[str, OrganizationRequest]:
    send_request(client, name="Asso de Tours", commune="Tours")
    send_request(
        client,
        name="Asso de Nantes",
        commune="Nantes",
        contact_email="nantes@example.org",
    )
    rows = session.exec(select(OrganizationRequest)).all()
    return {r.insee_code: r for r in rows}


def test_a_tours_coordinator_never_sees_nor_decides_a_nantes_request(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    requests = two_requests(client, session)
    tours = signed_in_coordinator(client, session, "coord@tours.fr", [TOURS])
    page = tours.get("/fr/coordination/structures").text
    assert "Asso de Tours" in page and "Asso de Nantes" not in page
    nantes_id = requests[NANTES].id
    assert str(nantes_id) not in page
    for decision in ("approve", "reject"):
        answer = tours.post(
            f"/fr/coordination/structures/demandes/{nantes_id}",
            {"decision": decision, "message": "x"},
        )
        assert answer.status_code == 403
    session.expire_all()
    assert session.get(OrganizationRequest, nantes_id).status == RequestStatus.pending
    assert session.exec(select(Organization)).all() == []
    assert list(outbox.glob("*.eml")) == []

    nantes = signed_in_coordinator(client, session, "coord@nantes.fr", [NANTES])
    page = nantes.get("/fr/coordination/structures").text
    assert "Asso de Nantes" in page and "Asso de Tours" not in page


def test_a_territory_of_qpvs_covers_their_communes(
    client: TestClient, session: Session
) -> None:
    from api.models import CoordinatorScope
    from tests.factories import load_real_qpvs

    load_real_qpvs(session)
    two_requests(client, session)
    user = make_user(session, "qpv@tours.fr")
    session.add(
        CoordinatorScope(user_id=user.id, name="Sanitas", qpv_codes=["QN03705M"])
    )
    session.commit()
    browser = Browser(TestClient(client.app))
    assert browser.sign_in("qpv@tours.fr").status_code == 303
    page = browser.get("/fr/coordination/structures").text
    assert "Asso de Tours" in page and "Asso de Nantes" not in page


def test_the_superadmin_sees_every_request(
    client: TestClient, session: Session
) -> None:
    two_requests(client, session)
    make_user(session, "admin@example.org", is_superadmin=True)
    admin = Browser(TestClient(client.app))
    assert admin.sign_in("admin@example.org").status_code == 303
    page = admin.get("/fr/coordination/structures").text
    assert "Asso de Tours" in page and "Asso de Nantes" in page


def test_partners_and_strangers_are_kept_out(
    client: TestClient, session: Session
) -> None:
    requests = two_requests(client, session)
    anonymous = client.get("/fr/coordination/structures", follow_redirects=False)
    assert anonymous.status_code == 303
    assert "/fr/espace/connexion" in anonymous.headers["location"]
    make_user(session, "partner@example.org")
    partner = Browser(TestClient(client.app))
    partner.must_sign_in("partner@example.org")
    assert partner.get("/fr/coordination/structures").status_code == 403
    answer = partner.post(
        f"/fr/coordination/structures/demandes/{requests[TOURS].id}",
        {"decision": "approve"},
    )
    assert answer.status_code == 403
    session.expire_all()
    assert session.get(OrganizationRequest, requests[TOURS].id).status == "pending"


def test_the_coordinators_of_the_commune_are_told_a_request_waits(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    from tests.espace.test_accounts import last_mail
    from tests.onboarding.helpers import coordinator

    coordinator(session, "coord@tours.fr", [TOURS])
    coordinator(session, "coord@nantes.fr", [NANTES], name="Nantes")
    send_request(client, name="Asso de Tours", commune="Tours")
    to, subject, body = last_mail(outbox)
    assert to == "coord@tours.fr" and "Asso de Tours" in subject
    assert "/fr/coordination/structures" in body
    assert len(list(outbox.glob("*.eml"))) == 1  # not Nantes
    send_request(client, name="Asso de Tours", commune="Tours")  # the same again
    assert len(list(outbox.glob("*.eml"))) == 1


def test_a_message_with_a_control_character_decides_nothing(
    client: TestClient,
    session: Session,
    outbox: Path,  # noqa: F811
) -> None:
    requests = two_requests(client, session)
    tours = signed_in_coordinator(client, session, "coord@tours.fr", [TOURS])
    tours.get("/fr/coordination/structures")
    answer = tours.post(
        f"/fr/coordination/structures/demandes/{requests[TOURS].id}",
        {"decision": "reject", "message": "Non\x00"},
    )
    assert answer.status_code == 400 and "U+0000" in answer.text
    session.expire_all()
    assert session.get(OrganizationRequest, requests[TOURS].id).status == "pending"
    assert list(outbox.glob("*.eml")) == []
