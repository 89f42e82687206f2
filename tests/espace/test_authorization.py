"""Authorisation matrix of the partner space: every write route × every kind of
visitor. Forbidden means 403 (or the sign-in redirect for anonymous visitors)
and nothing changed; allowed means the route did its work."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import (
    ApiToken,
    ChangeAction,
    Closure,
    DeletionRequest,
    Membership,
    Permanence,
    Revision,
    Role,
)
from api.services.accounts.access import load_principal
from api.services.accounts.auth import issue_token
from api.services.coordination.moderation import queue
from api.services.listings.revisions import SYSTEM, save
from tests.espace.helpers import Browser, make_coordinator, make_user
from tests.factories import load_real_qpvs, make_organization, make_place, make_service

SANITAS = {"lat": 47.38165, "lon": 0.69977}
MALAKOFF = {"lat": 47.21535, "lon": -1.52306}
MALAKOFF_QPV = "QN04413M"
FOOD = "equipement-et-alimentation--alimentation"
READ, EDIT, OWN, REVIEW = "reader", "editor", "owner", "review"
PERSONAS = {
    # persona: the highest right it holds on the organisation
    "anonymous": None,
    "reader": READ,
    "editor": EDIT,
    "owner": OWN,
    "other organisation's owner": None,
    "coordinator of another territory": None,
    "coordinator of this territory": REVIEW,  # acts as an editor, and reviews
    "superadmin": OWN,
}
RANK = {None: -1, READ: 0, EDIT: 1, REVIEW: 1, OWN: 2}


class World:
    def __init__(self, session: Session) -> None:
        load_real_qpvs(session)
        self.org = make_organization(session, "asso")
        self.other = make_organization(session, "autre")
        self.place = make_place(session, self.org, "lieu", **SANITAS)
        self.service = make_service(session, self.org, "svc", categories=[FOOD])
        self.permanence = Permanence(
            service_id=self.service.id,
            place_id=self.place.id,
            opening_hours="Mo 09:00-12:00",
        )
        save(session, self.permanence, SYSTEM)
        self.closure = Closure(
            service_id=self.service.id, start=date(2030, 1, 1), end=date(2030, 1, 2)
        )
        save(session, self.closure, SYSTEM)
        self.token = issue_token(session, self.org, "sync", ["read"]).row
        session.commit()
        self.member = make_user(session, "member@example.org", self.org, Role.editor)
        make_user(session, "reader@example.org", self.org, Role.reader)
        make_user(session, "editor@example.org", self.org, Role.editor)
        make_user(session, "owner@example.org", self.org, Role.owner)
        make_user(session, "outsider@example.org", self.other, Role.owner)
        # The other territory covers an organisation (a place in Malakoff,
        # Nantes): a coordinator who may act on "some" organisation must
        # still be refused on this one.
        make_place(session, self.other, "ailleurs", commune="Nantes", **MALAKOFF)
        far = make_coordinator(session, "far@example.org", [MALAKOFF_QPV])
        assert load_principal(session, far.id).coordinated == {self.other.id}  # type: ignore[union-attr]
        make_coordinator(session, "near@example.org", [self.place.qpv_code])
        make_user(session, "admin@example.org", is_superadmin=True)
        self.change = queue(
            session,
            self.org.id,
            self.service,
            ChangeAction.update,
            SYSTEM,
            {"name": "x"},
        )
        session.commit()


EMAILS = {
    "reader": "reader@example.org",
    "editor": "editor@example.org",
    "owner": "owner@example.org",
    "other organisation's owner": "outsider@example.org",
    "coordinator of another territory": "far@example.org",
    "coordinator of this territory": "near@example.org",
    "superadmin": "admin@example.org",
}


def routes(w: World, session: Session) -> list[tuple[str, str, Any]]:
    """(needed right, path, form) for every write route, destructive ones last;
    forms are built when posted, with the versions current then."""
    o = f"/fr/espace/structures/{w.org.id}"

    def v(row: Any) -> str:
        session.refresh(row)
        return str(row.version)

    service_form = {
        "name": "Svc",
        "categories": [FOOD],
        "publics": ["tous-publics"],
        "fees": "free",
        "status": "published",
        "visibility": "public",
    }
    return [
        (EDIT, f"{o}/modifier", lambda: {"name": "Asso", "version": v(w.org)}),
        (EDIT, f"{o}/confirmer", lambda: {}),
        (EDIT, f"{o}/lieux/nouveau", lambda: {"name": "L", "commune": "Tours"}),
        (EDIT, f"{o}/services/nouveau", lambda: service_form),
        (
            EDIT,
            f"{o}/permanences/nouveau",
            lambda: {
                "service_id": str(w.service.id),
                "mode": "phone",
                "hours_mode": "raw",
                "opening_hours": "Tu 09:00-12:00",
            },
        ),
        (
            EDIT,
            f"{o}/fermetures/nouveau",
            lambda: {
                "service_id": str(w.service.id),
                "start": "2031-01-01",
                "end": "2031-01-02",
            },
        ),
        (
            EDIT,
            f"{o}/lieux/{w.place.id}",
            lambda: {
                "name": "L2",
                "commune": "Tours",
                "version": v(w.place),
                **{k: str(x) for k, x in SANITAS.items()},
            },
        ),
        (
            EDIT,
            f"{o}/services/{w.service.id}",
            lambda: {**service_form, "version": v(w.service)},
        ),
        (
            EDIT,
            f"{o}/permanences/{w.permanence.id}",
            lambda: {
                "service_id": str(w.service.id),
                "place_id": str(w.place.id),
                "mode": "in_person",
                "hours_mode": "raw",
                "opening_hours": "We 09:00-12:00",
                "version": v(w.permanence),
            },
        ),
        (
            EDIT,
            f"{o}/fermetures/{w.closure.id}",
            lambda: {
                "service_id": str(w.service.id),
                "start": "2030-02-01",
                "end": "2030-02-02",
                "version": v(w.closure),
            },
        ),
        (
            EDIT,
            f"{o}/services/{w.service.id}/historique/1",
            lambda: {"current": v(w.service)},
        ),
        # Sharing the place: its editors grant and revoke, nobody else.
        (EDIT, f"{o}/lieux/{w.place.id}/partage", lambda: {"organization": "autre"}),
        (EDIT, f"{o}/lieux/{w.place.id}/partage/{w.other.id}/retirer", lambda: {}),
        # Deleting the organisation: only its owners ask (or withdraw).
        (OWN, f"{o}/suppression", lambda: {}),
        (OWN, f"{o}/suppression/annuler", lambda: {}),
        (OWN, f"{o}/membres", lambda: {"email": "new@example.org", "role": "reader"}),
        (OWN, f"{o}/membres/{w.member.id}", lambda: {"role": "reader"}),
        (OWN, f"{o}/jetons", lambda: {"token-name": "t", "token-scopes": ["read"]}),
        (OWN, f"{o}/jetons/{w.token.id}/revoquer", lambda: {}),
        (
            REVIEW,
            f"/fr/espace/revue/{w.change.id}",
            lambda: {"decision": "reject", "message": "non"},
        ),
        (
            EDIT,
            f"{o}/fermetures/{w.closure.id}/supprimer",
            lambda: {"version": v(w.closure)},
        ),
        (
            EDIT,
            f"{o}/permanences/{w.permanence.id}/supprimer",
            lambda: {"version": v(w.permanence)},
        ),
        (
            EDIT,
            f"{o}/services/{w.service.id}/supprimer",
            lambda: {"version": v(w.service)},
        ),
        (
            EDIT,
            f"{o}/services/{w.service.id}/restaurer",
            lambda: {"version": v(w.service)},
        ),
        (EDIT, f"{o}/lieux/{w.place.id}/supprimer", lambda: {"version": v(w.place)}),
    ]


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_write_route(persona: str, client: TestClient, session: Session) -> None:
    world = World(session)
    browser = Browser(client)
    if persona != "anonymous":
        assert browser.sign_in(EMAILS[persona]).status_code == 303
    else:
        browser.get("/fr/espace/connexion")  # a form token, but no account
    right = PERSONAS[persona]
    for needed, path, form in routes(world, session):
        revisions = len(session.exec(select(Revision)).all())
        response = browser.post(path, form())
        may = (
            persona in ("superadmin", "coordinator of this territory")
            if needed == REVIEW
            else RANK[right] >= RANK[needed]
        )
        where = f"{persona} → {path}"
        if persona == "anonymous":
            assert response.status_code == 303, where
            assert "/espace/connexion" in response.headers["location"], where
        elif may:
            assert response.status_code in (200, 303), (where, response.status_code)
        else:
            assert response.status_code == 403, (where, response.status_code)
        if persona == "anonymous" or not may:
            session.expire_all()
            assert len(session.exec(select(Revision)).all()) == revisions, where
    session.expire_all()
    tokens = session.exec(select(ApiToken)).all()
    memberships = session.exec(select(Membership)).all()
    # Only an owner's deletion request was ever made (then withdrawn).
    asked = session.exec(select(DeletionRequest)).all()
    assert bool(asked) is (RANK[right] >= RANK[OWN]), persona
    if RANK[right] < RANK[OWN]:  # nothing an owner does happened
        assert len(tokens) == 1 and tokens[0].revoked_at is None
        assert {m.role for m in memberships if m.user_id == world.member.id} == {
            Role.editor
        }


def test_lists_never_leak_across_organisations(
    client: TestClient, session: Session
) -> None:
    world = World(session)
    hidden = make_service(session, world.other, "secret", name="Service caché")
    session.commit()
    browser = Browser(client)
    assert browser.sign_in("owner@example.org").status_code == 303
    home = browser.get("/fr/espace/", follow_redirects=True)
    assert home.status_code == 200 and "Org asso" in home.text
    assert "Org autre" not in home.text and "Service caché" not in home.text
    board = browser.get(f"/fr/espace/structures/{world.org.id}")
    assert board.status_code == 200 and ">svc<" in board.text
    assert "Service caché" not in board.text
    assert browser.get(f"/fr/espace/structures/{world.other.id}").status_code == 403
    mine = f"/fr/espace/structures/{world.org.id}/services/{hidden.id}"
    assert browser.get(mine).status_code == 403
    assert browser.get(f"{mine}/historique").status_code == 403
    assert browser.get("/fr/espace/revue").status_code == 403  # not a coordinator
