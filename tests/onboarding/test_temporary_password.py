"""A temporary password (printed by the command line) must be replaced at the
first sign-in: every partner-space and coordination page leads to the change
form until it is done."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import CoordinatorScope, Role, User
from tests.espace.helpers import PASSWORD, Browser, make_user
from tests.factories import make_organization

CHANGE = "/fr/espace/mot-de-passe-provisoire"
NEW = "my very own password"


def temporary_user(client: TestClient, session: Session) -> tuple[Browser, User]:
    organization = make_organization(session, "asso")
    session.commit()
    user = make_user(
        session, "new@example.org", organization, Role.owner, must_change_password=True
    )
    session.add(CoordinatorScope(user_id=user.id, name="Tours", communes=["37261"]))
    session.commit()
    browser = Browser(client)
    assert browser.sign_in("new@example.org").status_code == 303
    return browser, user


def test_every_page_leads_to_the_change_form_until_it_is_done(
    client: TestClient, session: Session
) -> None:
    browser, user = temporary_user(client, session)
    organization_id = make_organization(session, "other").id  # any id
    session.commit()
    for path in (
        "/fr/espace/",
        f"/fr/espace/structures/{organization_id}",
        "/fr/coordination/structures",
    ):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == f"{CHANGE}?suite={path}"
    posted = browser.post("/fr/coordination/structures/nouvelle", {"name": "X"})
    assert posted.status_code == 303 and posted.headers["location"].startswith(CHANGE)
    page = browser.get(f"{CHANGE}?suite=/fr/espace/")
    assert page.status_code == 200 and "provisoire" in page.text

    wrong = browser.post(
        CHANGE, {"current": "not it", "password": NEW, "password2": NEW}
    )
    assert wrong.status_code == 400 and "incorrect" in wrong.text
    same = browser.post(
        CHANGE, {"current": PASSWORD, "password": PASSWORD, "password2": PASSWORD}
    )
    assert same.status_code == 400 and "différent" in same.text
    short = browser.post(
        CHANGE, {"current": PASSWORD, "password": "short", "password2": "short"}
    )
    assert short.status_code == 400
    done = browser.post(
        CHANGE,
        {
            "current": PASSWORD,
            "password": NEW,
            "password2": NEW,
            "suite": "/fr/espace/",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/fr/espace/"
    session.expire_all()
    assert not session.get(User, user.id).must_change_password
    assert client.get("/fr/espace/", follow_redirects=False).status_code == 200
    assert client.get("/fr/coordination/structures").status_code == 200


def test_the_next_page_is_only_ever_our_own(
    client: TestClient, session: Session
) -> None:
    browser, _ = temporary_user(client, session)
    browser.get(CHANGE)
    done = browser.post(
        CHANGE,
        {
            "current": PASSWORD,
            "password": NEW,
            "password2": NEW,
            "suite": "https://evil.example/",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/fr/espace/"


def test_signed_out_the_change_form_asks_to_sign_in(client: TestClient) -> None:
    answer = client.get(CHANGE, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/fr/espace/connexion")


def test_a_password_chosen_by_a_reset_link_is_not_temporary(
    client: TestClient, session: Session
) -> None:
    from api.services.accounts import members

    _, user = temporary_user(client, session)
    members.reset_password(session, user, NEW)
    session.expire_all()
    assert not session.get(User, user.id).must_change_password
    browser = Browser(TestClient(client.app))
    assert browser.sign_in("new@example.org", NEW).status_code == 303
    assert browser.get("/fr/espace/", follow_redirects=False).status_code == 200
