"""A deleted organisation hides everything under it publicly (services, places,
pages, API, search, exports, HSDS); an owner asks from the dashboard, a
coordinator confirms; the CLI deletes and restores; restoring brings all back."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.cli import app
from api.models import DeletionRequest, Organization, Role
from tests.espace.helpers import Browser, make_coordinator, make_user
from tests.factories import load_real_qpvs, make_organization, make_place
from tests.factories import make_service as factory_service

runner = CliRunner(env={"COLUMNS": "200"})
NAME = "Permanence juridique gratuite"


def make_world(session: Session) -> tuple[Organization, str, str]:
    """An organisation with a published service held at its place in Sanitas."""
    from api.models import Permanence

    load_real_qpvs(session)
    org = make_organization(session, "asso-droit", name="Asso Droit")
    place = make_place(
        session, org, "local-droit", name="Local droit", lat=47.38165, lon=0.69977
    )
    service = factory_service(session, org, "juridique", name=NAME)
    session.flush()
    session.add(
        Permanence(
            service_id=service.id, place_id=place.id, opening_hours="Mo 09:00-12:00"
        )
    )
    session.commit()
    return org, str(service.id), str(place.id)


def public_surfaces(
    client: TestClient, org: Organization, sid: str, pid: str
) -> dict[str, bool]:
    """Where the organisation shows publicly: True when it is seen there."""
    search = client.get("/api/v1/services", params={"q": "juridique"}).json()
    places = client.get("/api/v1/places", params={"size": 100}).json()
    results = client.get("/fr/services", params={"q": "juridique"})
    return {
        "api service": client.get(f"/api/v1/services/{sid}").status_code == 200,
        "service page": client.get(f"/fr/services/{sid}").status_code == 200,
        "api place": client.get(f"/api/v1/places/{pid}").status_code == 200,
        "place page": client.get(f"/fr/lieux/{pid}").status_code == 200,
        "organisation": client.get(f"/api/v1/organizations/{org.id}").status_code
        == 200,
        "search": sid in [item["id"] for item in search["items"]],
        "places list": pid in [p["id"] for p in places["items"]],
        "results page": NAME in results.text,
        "export": NAME in client.get("/exports/data-inclusion/services.json").text,
        "hsds": NAME in client.get("/hsds/services").text,
        "hsds service": client.get(f"/hsds/services/{sid}").status_code == 200,
    }


def test_the_cli_deletes_and_restores_everything_under_an_organisation(
    client: TestClient, session: Session, use_database: str
) -> None:
    org, sid, pid = make_world(session)
    before = public_surfaces(client, org, sid, pid)
    assert all(before.values()), before

    result = runner.invoke(app, ["delete-org", "asso-droit"])
    assert result.exit_code == 0, result.output
    hidden = public_surfaces(client, org, sid, pid)
    assert not any(hidden.values()), hidden

    result = runner.invoke(app, ["restore-org", "asso-droit"])
    assert result.exit_code == 0, result.output
    assert public_surfaces(client, org, sid, pid) == before
    unknown = runner.invoke(app, ["delete-org", "nobody"])
    assert unknown.exit_code != 0


def test_an_owner_asks_and_a_coordinator_confirms(
    client: TestClient, session: Session
) -> None:
    org, sid, pid = make_world(session)
    make_user(session, "owner@droit.fr", org, Role.owner)
    make_user(session, "editor@droit.fr", org, Role.editor)
    make_coordinator(session, "coord@tours.fr", ["QN03709M"])
    other = make_organization(session, "ailleurs", name="Ailleurs")
    make_user(session, "owner@ailleurs.fr", other, Role.owner)
    base = f"/fr/espace/structures/{org.id}/suppression"

    editor = Browser(TestClient(client.app))
    editor.must_sign_in("editor@droit.fr")
    assert editor.post(base, {}).status_code == 403  # owners only
    stranger = Browser(TestClient(client.app))
    stranger.must_sign_in("owner@ailleurs.fr")
    assert stranger.post(base, {}).status_code == 403

    owner = Browser(TestClient(client.app))
    owner.must_sign_in("owner@droit.fr")
    asked = owner.post(base, {})
    assert asked.status_code == 303, asked.text
    dashboard = owner.get(f"/fr/espace/structures/{org.id}")
    assert "Annuler la demande" in dashboard.text
    assert client.get(f"/api/v1/services/{sid}").status_code == 200  # not yet
    request = session.exec(select(DeletionRequest)).one()

    # Neither the owner nor another territory's coordinator confirms.
    decide = f"/fr/espace/revue/suppression/{request.id}"
    assert owner.post(decide, {"decision": "confirm"}).status_code == 403
    coordinator = Browser(TestClient(client.app))
    coordinator.must_sign_in("coord@tours.fr")
    assert "Asso Droit" in coordinator.get("/fr/espace/revue").text
    confirmed = coordinator.post(decide, {"decision": "confirm"})
    assert confirmed.status_code == 303, confirmed.text
    assert not any(public_surfaces(client, org, sid, pid).values())
    assert coordinator.post(decide, {"decision": "confirm"}).status_code == 409


def test_an_owner_withdraws_the_request(client: TestClient, session: Session) -> None:
    org, sid, pid = make_world(session)
    make_user(session, "owner@droit.fr", org, Role.owner)
    owner = Browser(TestClient(client.app))
    owner.must_sign_in("owner@droit.fr")
    base = f"/fr/espace/structures/{org.id}/suppression"
    assert owner.post(base, {}).status_code == 303
    assert owner.post(f"{base}/annuler", {}).status_code == 303
    assert owner.post(f"{base}/annuler", {}).status_code == 404
    session.expire_all()
    (request,) = session.exec(select(DeletionRequest)).all()
    assert request.confirmed is False
    assert client.get(f"/api/v1/services/{sid}").status_code == 200
