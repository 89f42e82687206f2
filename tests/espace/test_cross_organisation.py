"""An owner of one organisation, signed in, posts to every partner-space route
under their own organisation's address but with another organisation's ids
(rows, members, tokens, places, review requests): each is refused, and
nothing changes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from api.models import ApiToken, Membership, PendingChange, Revision, Role
from tests.espace.helpers import Browser
from tests.espace.test_authorization import FOOD, MALAKOFF, SANITAS, World
from tests.factories import make_place, make_service

HOSTILE = "<script>alert(1)</script>\u202eمرحبا"


def attacks(w: World, mine: Any) -> list[tuple[str, dict[str, Any]]]:
    """(path, form): the attacker's organisation in the address, the
    victim's ids in the path or in the form."""
    o = f"/fr/espace/structures/{w.other.id}"
    service, place = w.service.id, w.place.id
    listing = {
        "name": HOSTILE,
        "categories": [FOOD],
        "publics": ["tous-publics"],
        "fees": "free",
        "status": "published",
        "visibility": "public",
        "version": "1",
    }
    return [
        (f"{o}/services/{service}", listing),
        (f"{o}/services/{service}/supprimer", {"version": "1"}),
        (f"{o}/services/{service}/restaurer", {"version": "1"}),
        (f"{o}/services/{service}/historique/1", {"current": "1"}),
        (f"{o}/services/{service}/traductions?langue=ar", {"text-name": HOSTILE}),
        (f"{o}/lieux/{place}", {"name": HOSTILE, "commune": "Tours", **SANITAS}),
        (f"{o}/lieux/{place}/partage", {"organization": "autre"}),
        (f"{o}/lieux/{place}/partage/{w.other.id}/retirer", {}),
        (f"{o}/permanences/{w.permanence.id}/supprimer", {"version": "1"}),
        (f"{o}/fermetures/{w.closure.id}/supprimer", {"version": "1"}),
        (
            f"{o}/permanences/nouveau",
            {
                "service_id": str(service),
                "mode": "phone",
                "hours_mode": "raw",
                "opening_hours": "Tu 09:00-12:00",
            },
        ),
        (
            f"{o}/permanences/nouveau",
            {
                "service_id": str(mine.id),
                "place_id": str(place),
                "mode": "in_person",
                "hours_mode": "raw",
                "opening_hours": "Tu 09:00-12:00",
            },
        ),
        (
            f"{o}/fermetures/nouveau",
            {"service_id": str(service), "start": "2031-01-01", "end": "2031-01-02"},
        ),
        (
            f"{o}/fermetures/nouveau",
            {"place_id": str(place), "start": "2031-01-01", "end": "2031-01-02"},
        ),
        (f"{o}/membres/{w.member.id}", {"role": "remove"}),
        (f"{o}/jetons/{w.token.id}/revoquer", {}),
        (f"/fr/espace/revue/{w.change.id}", {"decision": "approve", "seen": ""}),
    ]


def state(session: Session) -> tuple[Any, ...]:
    session.expire_all()
    return (
        session.exec(select(func.count()).select_from(Revision)).one(),
        session.exec(select(ApiToken.revoked_at)).all(),
        sorted(
            (str(m.user_id), m.organization_id.hex, m.role)
            for m in session.exec(select(Membership)).all()
        ),
        session.exec(select(PendingChange.status)).all(),
    )


def test_another_organisations_ids_are_refused_and_change_nothing(
    client: TestClient, session: Session
) -> None:
    w = World(session)
    make_place(session, w.other, "chez-moi", commune="Nantes", **MALAKOFF)
    mine = make_service(session, w.other, "le-mien", categories=[FOOD])
    session.commit()
    attacker = Browser(client).must_sign_in("outsider@example.org")
    before = state(session)
    for path, form in attacks(w, mine):
        response = attacker.post(path, form)
        assert response.status_code in (400, 403, 404, 409, 422), (path, response.text)
        assert HOSTILE not in response.text, path  # escaped if echoed
        assert state(session) == before, path
    assert w.member.id in {
        m.user_id
        for m in session.exec(
            select(Membership).where(Membership.role == Role.editor)
        ).all()
    }
