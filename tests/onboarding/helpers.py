"""Fill the public request form like a person: read its tokens, wait (a
backdated signed timestamp instead of sleeping), send."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from api.models import CoordinatorScope, User
from api.services.onboarding import form
from api.settings import get_settings
from tests.espace.helpers import Browser, make_user

VALID = {
    "name": "Association Les Fontaines",
    "siret": "552 100 554 00013",
    "commune": "Tours",
    "contact_name": "Awa Diallo",
    "contact_email": "awa@example.org",
    "contact_phone": "02 47 00 00 00",
    "description": "Aide aux devoirs et café des parents.",
}
_HIDDEN = re.compile(r'name="(csrf|depuis)" value="([^"]+)"')


def tokens(html: str) -> dict[str, str]:
    found = dict(_HIDDEN.findall(html))
    assert "csrf" in found and "depuis" in found, "the form carries its tokens"
    found["depuis"] = form.stamp(get_settings().secret_key, time.time() - 30)
    return found


def send_request(
    client: TestClient, lang: str = "fr", structure: str = "", **changes: Any
) -> Response:
    """Open /{lang}/referencer, fill it with VALID (and ``changes``), send."""
    query = f"?structure={structure}" if structure else ""
    page = client.get(f"/{lang}/referencer{query}")
    assert page.status_code == 200, page.text
    data = {**VALID, **changes, **tokens(page.text)}
    if structure:
        data["structure"] = structure
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/{lang}/referencer", data=data, follow_redirects=False)


def coordinator(
    session: Session,
    email: str,
    communes: list[str],
    name: str = "Tours",
) -> User:
    user = make_user(session, email)
    session.add(CoordinatorScope(user_id=user.id, name=name, communes=communes))
    session.commit()
    return user


def signed_in_coordinator(
    client: TestClient, session: Session, email: str, communes: list[str]
) -> Browser:
    coordinator(session, email, communes)
    browser = Browser(TestClient(client.app))
    assert browser.sign_in(email).status_code == 303
    return browser
