"""What follows a write, whoever makes it: a cleared French text takes its
translations with it, a deleted place ends its permanences (and nothing brings
one back there), new QPV contours re-place every place, and a list of codes in
another order is no change, even under moderation."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import (
    CoordinatorScope,
    Organization,
    PendingChange,
    Permanence,
    Place,
    Revision,
    Service,
    User,
    utcnow,
)
from api.services.accounts.auth import issue_token
from api.services.content import content_translations as content
from api.services.content.translations import load_texts
from api.services.listings import history
from api.services.listings.cascades import PlaceGone
from api.services.listings.revisions import SYSTEM, save
from tests.factories import (
    load_real_qpvs,
    make_organization,
    make_place,
    make_service,
)

SANITAS = {"lat": 47.38165, "lon": 0.69977}
CARE = "sante--acces-aux-soins"
FOOD = "equipement-et-alimentation--alimentation"


def test_a_cleared_french_text_takes_its_translations_offline(
    session: Session,
) -> None:
    service = make_service(
        session, make_organization(session), "aide", falc_summary="Des courses."
    )
    arabic = content.upsert_translation(
        session, service, "falc_summary", "ar", "تسوق", "reviewed", "Edith", SYSTEM
    )
    session.commit()
    assert load_texts(session, "service", [service.id], "ar")[service.id].get(
        "falc_summary", None
    )
    service.falc_summary = None
    assert save(session, service, SYSTEM)
    session.commit()
    assert arabic is not None
    session.refresh(arabic)
    assert arabic.deleted_at is not None
    texts = load_texts(session, "service", [service.id], "ar")[service.id]
    assert texts.get("falc_summary", None) is None
    assert texts.machine_fields == []


def _held_at(session: Session, hours: str = "Mo-Su 00:00-24:00") -> Permanence:
    org = make_organization(session)
    place = make_place(session, org, "maison", **SANITAS)
    service = make_service(session, org, "aide", name="Aide aux démarches")
    permanence = Permanence(
        service_id=service.id, place_id=place.id, opening_hours=hours
    )
    save(session, permanence, SYSTEM)
    session.commit()
    return permanence


def _open_at(client: TestClient) -> list[str]:
    response = client.get("/api/v1/services", params={"open_at": "2026-12-09T10:00"})
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def test_a_deleted_place_ends_its_permanences(
    client: TestClient, session: Session
) -> None:
    permanence = _held_at(session)
    assert _open_at(client) == ["Aide aux démarches"]
    place = session.get(Place, permanence.place_id)
    assert place is not None
    place.deleted_at = utcnow()
    save(session, place, SYSTEM)
    session.commit()
    session.refresh(permanence)
    assert permanence.deleted_at is not None
    assert _open_at(client) == []
    page = client.get(f"/fr/services/{permanence.service_id}")
    assert page.status_code == 200 and "Maison" not in page.text.split("<main")[-1]


def test_restoring_history_cannot_bring_a_permanence_back_to_a_deleted_place(
    session: Session,
) -> None:
    permanence = _held_at(session)
    place = session.get(Place, permanence.place_id)
    assert place is not None
    place.deleted_at = utcnow()
    save(session, place, SYSTEM)
    session.commit()
    with pytest.raises(PlaceGone):
        history.restore(session, permanence, 1, SYSTEM)
    session.rollback()
    session.refresh(permanence)
    assert permanence.deleted_at is not None and permanence.version == 2


def test_the_partner_api_cannot_undelete_a_permanence_at_a_deleted_place(
    client: TestClient, session: Session
) -> None:
    permanence = _held_at(session)
    service = session.get(Service, permanence.service_id)
    assert service is not None
    org = session.get(Organization, service.organization_id)
    token = issue_token(session, org, "sync", ["read", "write"])  # type: ignore[arg-type]
    session.commit()
    headers = {"Authorization": f"Bearer {token.secret}", "If-Match": '"1"'}
    place_url = f"/api/v1/partner/places/{permanence.place_id}"
    deleted = client.delete(place_url, headers=headers)
    assert deleted.status_code in (200, 204), deleted.text
    session.refresh(permanence)
    assert permanence.deleted_at is not None
    back = client.post(
        f"/api/v1/partner/permanences/{permanence.id}/restore",
        headers={**headers, "If-Match": f'"{permanence.version}"'},
    )
    assert back.status_code == 422, back.text
    session.refresh(permanence)
    assert permanence.deleted_at is not None


def test_loading_contours_places_the_places_written_before(session: Session) -> None:
    place = make_place(session, make_organization(session), "maison", **SANITAS)
    session.commit()
    assert place.qpv_code is None  # no contours yet
    load_real_qpvs(session)
    session.refresh(place)
    assert (place.qpv_code, place.near_qpv_code) == ("QN03709M", None)
    assert place.version == 1  # computed data: the partner's ETag stays valid
    revisions = session.exec(
        select(Revision).where(Revision.entity_id == place.id)
    ).all()
    assert len(revisions) == 1


def _moderated_partner(session: Session) -> tuple[dict[str, str], Service]:
    load_real_qpvs(session)
    org = make_organization(session)
    make_place(session, org, "maison", **SANITAS)
    service = make_service(
        session,
        org,
        "aide",
        categories=[FOOD, CARE],
        publics=["femmes", "familles"],
        languages=["uk", "fr"],
    )
    coordinator = User(email="coord@example.org")
    session.add(coordinator)
    session.flush()
    session.add(
        CoordinatorScope(
            user_id=coordinator.id,
            name="Sanitas",
            qpv_codes=["QN03709M"],
            moderation=True,
        )
    )
    token = issue_token(session, org, "sync", ["read", "write"])
    session.commit()
    return {"Authorization": f"Bearer {token.secret}"}, service


def _body(**changes: Any) -> dict[str, Any]:
    return {
        "name": "aide",
        "categories": [CARE, FOOD],
        "publics": ["familles", "femmes"],
        "languages": ["fr", "uk"],
        **changes,
    }


def test_codes_in_another_order_are_no_change_under_moderation(
    client: TestClient, session: Session
) -> None:
    headers, service = _moderated_partner(session)
    url = f"/api/v1/partner/services/{service.id}"
    shuffled = _body(
        categories=[FOOD, CARE],
        publics=["femmes", "familles"],
        languages=["uk", "fr"],
    )
    response = client.put(url, json=shuffled, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 200, response.text
    session.expire_all()
    assert session.get(Service, service.id).version == 1  # type: ignore[union-attr]
    assert session.exec(select(PendingChange)).all() == []
    # A real change still waits for the coordinator.
    changed = _body(languages=["fr", "uk", "ar"])
    response = client.put(url, json=changed, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 202, response.text
    assert len(session.exec(select(PendingChange)).all()) == 1
