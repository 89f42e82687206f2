"""Easy-to-read feedback as a partner types, in a real browser: the findings
appear under the field after a pause, in a live region, with nothing sent
anywhere but the server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlmodel import Session

from api import db
from api.models import Role
from tests.browser.conftest import axe_violations
from tests.espace.helpers import PASSWORD, make_user
from tests.factories import make_organization
from tests.territory import Territory

pytestmark = pytest.mark.browser

LONG = (
    "Notre association propose un accompagnement personnalisé aux familles du "
    "quartier pour toutes leurs démarches administratives et sociales."
)


def test_findings_appear_while_typing(
    live: tuple[str, Territory], live_database: str, browser: Any
) -> None:
    base, _ = live
    with Session(db.make_engine(live_database)) as session:
        org = make_organization(session, "falc-live", name="Asso lisible")
        session.commit()
        org_id = org.id
        make_user(session, "falc-live@example.org", org, Role.editor)
    context = browser.new_context()
    context.set_default_timeout(10_000)
    outside: list[str] = []
    context.on(
        "request",
        lambda r: None if r.url.startswith(base + "/") else outside.append(r.url),
    )
    page = context.new_page()
    page.goto(f"{base}/fr/espace/connexion")
    page.get_by_label("Adresse e-mail").fill("falc-live@example.org")
    password = page.get_by_label(re.compile(r"^Mot de passe\b"))
    password.fill(PASSWORD)
    password.press("Enter")
    page.wait_for_url(re.compile(r"/espace/(structures/[0-9a-f-]+)?$"))
    page.goto(f"{base}/fr/espace/structures/{org_id}/services/nouveau")

    region = page.locator("#falc-falc_summary")
    assert region.get_attribute("aria-live") == "polite"
    field = page.get_by_label("Résumé facile à lire (FALC)")
    field.press_sequentially(LONG[:40])  # typing, no pause yet
    field.fill(LONG)
    finding = region.locator(".falc-findings li").first
    finding.wait_for()
    assert "Phrase trop longue" in finding.inner_text()
    assert finding.locator("q").inner_text().startswith("Notre association")
    assert re.search(r"Lisibilité : \d+ sur 100", region.inner_text())
    assert page.locator("#falc-description").inner_text() == ""

    field.fill("Des courses à petit prix.")
    page.wait_for_function(
        "() => document.querySelector('#falc-falc_summary')"
        ".textContent.includes('Rien à corriger.')"
    )
    assert region.locator("li").count() == 0
    field.fill("")
    page.wait_for_function(
        "() => document.querySelector('#falc-falc_summary').textContent === ''"
    )
    field.fill(LONG)
    finding.wait_for()
    assert axe_violations(page) == []
    context.close()
    assert outside == [], "no request may leave the server"
