"""Easy-to-read feedback in the partner forms (live with JavaScript, the same on
submit without), and each listing's score as coordinators see it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Organization, PendingChange, Place, Service
from api.services.content.falc import listing_score, listing_text
from tests.espace.helpers import (
    Browser,
    make_coordinator,
    sanitas_organization,
    signed_in,
)
from tests.espace.test_listings import SERVICE, base, create_place, only

LONG = (
    "Notre association propose un accompagnement personnalisé aux familles du "
    "quartier pour toutes leurs démarches administratives et sociales."
)

# What the checker says of LONG, in order: (level, message, suggestion).
LONG_FINDINGS = [
    (
        "error",
        "Phrase trop longue (17 mots). Gardez 15 mots au plus.",
        "Coupez la phrase en deux.",
    ),
    ("warning", "« accompagnement » est un mot administratif.", "Dites plutôt : aide."),
    (
        "warning",
        "« personnalisé » est un mot difficile.",
        "Utilisez un mot plus courant.",
    ),
    (
        "warning",
        "« démarches administratives » est un mot administratif.",
        "Dites plutôt : papiers.",
    ),
]


@pytest.fixture
def org(session: Session) -> Organization:
    return sanitas_organization(session)


@pytest.fixture
def editor(client: TestClient, session: Session, org: Organization) -> Browser:
    return signed_in(client, session, "ed@example.org", org, name="Edith")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_the_form_loads_the_live_script_and_has_empty_live_regions(
    editor: Browser, org: Organization, client: TestClient
) -> None:
    page = editor.get(f"{base(org)}/services/nouveau")
    html = soup(page.text)
    scripts = html.select("script")
    assert scripts and all(s.get("src") and not s.string for s in scripts)
    assert "/static/js/falc-live.js" in [s["src"].split("?v=")[0] for s in scripts]
    script = html.select_one("script[src^='/static/js/falc-live.js?v=']")
    assert script.has_attr("defer")
    for name in ("falc_summary", "description"):
        region = html.select_one(f"#falc-{name}")
        assert region["aria-live"] == "polite" and not region.get_text(strip=True)
        assert region["data-falc-for"] == f"f-{name}"
        assert region["data-falc-url"] == "/api/v1/falc/check?lang=fr"
        assert "{score}" in region["data-score"]
    button = html.select_one("button[name=action][value=falc]")
    assert button.get_text() == "Vérifier la lisibilité"
    action = f"{base(org)}/services/nouveau"
    assert html.select_one("form.espace-form")["action"] == action
    assert button["formaction"] == f"{action}#falc-falc_summary"  # back at it
    # Enter in a field still saves: the first submit button of the form.
    assert html.select_one("form.espace-form button[type=submit]").get("name") is None
    script = client.get("/static/js/falc-live.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "/api/v1/falc/check" not in script.text  # the URL comes from the page
    assert "aria-live" not in script.text  # the region is the server's


def test_checking_without_javascript_shows_the_findings_and_saves_nothing(
    editor: Browser, session: Session, org: Organization
) -> None:
    response = editor.post(
        f"{base(org)}/services/nouveau",
        {**SERVICE, "falc_summary": LONG, "description": "", "action": "falc"},
    )
    assert response.status_code == 200
    assert session.exec(select(Service)).first() is None
    html = soup(response.text)
    assert html.select_one("#f-falc_summary").get_text() == LONG  # kept
    assert not html.select(".form-errors")  # advice, not errors
    region = html.select_one("#falc-falc_summary")
    # Written out, not asked of the checker: the page must say exactly this.
    assert "Lisibilité : 0 sur 100" in region.select_one(".falc-score").get_text()
    items = region.select(".falc-findings li")
    for item, (level, message, suggestion) in zip(items, LONG_FINDINGS, strict=True):
        assert item["class"] == [f"falc-{level}"]
        assert message in item.get_text()
        assert item.select_one(".falc-suggestion").get_text() == suggestion
    quote = items[0].select_one("q").get_text()  # a long span is cut
    assert quote.startswith("Notre association") and quote.endswith("…")
    assert len(quote) == 58
    word = next(i for i in items if "« accompagnement »" in i.get_text())
    assert word.select_one("q") is None  # the message quotes it already
    assert not html.select_one("#falc-description").get_text(strip=True)  # empty
    # In another interface language, the advice is translated.
    english = editor.post(
        f"/en/espace/structures/{org.id}/services/nouveau",
        {**SERVICE, "falc_summary": "Le cours dure deux heures.", "action": "falc"},
    )
    assert "Write numbers in digits." in english.text
    # A clean text says so.
    clean = editor.post(
        f"{base(org)}/services/nouveau",
        {**SERVICE, "falc_summary": "Des courses à petit prix.", "action": "falc"},
    )
    assert "Lisibilité : 100 sur 100" in clean.text and "Rien à corriger." in clean.text
    # Findings never block saving.
    saved = editor.post(
        f"{base(org)}/services/nouveau", {**SERVICE, "falc_summary": LONG}
    )
    assert saved.status_code == 303
    assert only(session, Service).falc_summary == LONG


def test_checking_an_existing_listing_keeps_the_version_read(
    editor: Browser, session: Session, org: Organization
) -> None:
    assert editor.post(f"{base(org)}/services/nouveau", SERVICE).status_code == 303
    service = only(session, Service)
    url = f"{base(org)}/services/{service.id}"
    elsewhere = {**SERVICE, "name": "Nom changé ailleurs", "version": "1"}
    assert editor.post(url, elsewhere).status_code == 303
    checked = editor.post(
        url, {**SERVICE, "description": LONG, "version": "1", "action": "falc"}
    )
    assert checked.status_code == 200
    assert 'name="version" value="1"' in checked.text  # not silently 2
    button = soup(checked.text).select_one("button[value=falc]")
    assert button["formaction"] == f"{url}#falc-falc_summary"
    assert (
        "Phrase trop longue"
        in soup(checked.text).select_one("#falc-description").get_text()
    )
    stored = only(session, Service)
    assert stored.version == 2 and stored.description is None
    # Saving now is still refused as stale: checking never hides a conflict.
    assert editor.post(url, {**SERVICE, "version": "1"}).status_code == 409


def test_a_listing_score_reads_the_summary_else_the_description() -> None:
    clean, hard = (
        "Des courses à petit prix.",
        "Le dossier est étudié par la commission.",
    )
    assert listing_text({"falc_summary": clean, "description": hard}) == clean
    assert listing_text({"falc_summary": "  ", "description": hard}) == hard
    assert listing_score(Service(name="x", falc_summary=clean)) == 100
    assert listing_score(Service(name="x", description=hard)) == 55  # passive voice
    assert listing_score(Service(name="x")) is None


def test_coordinators_see_each_listing_score(
    client: TestClient, session: Session, org: Organization, editor: Browser
) -> None:
    create_place(editor, org)
    qpv = only(session, Place).qpv_code
    created = editor.post(
        f"{base(org)}/services/nouveau", {**SERVICE, "falc_summary": LONG}
    )
    assert created.status_code == 303
    board = soup(editor.get(base(org)).text)
    assert "Lisibilité (FALC)" not in board.get_text()  # editors: not shown
    assert not board.select(".falc-badge")

    make_coordinator(session, "coord@example.org", [qpv], moderation=True)
    coordinator = Browser(TestClient(client.app))
    assert coordinator.sign_in("coord@example.org").status_code == 303
    board = soup(coordinator.get(base(org)).text)
    assert "Lisibilité (FALC)" in [th.get_text() for th in board.select("thead th")]
    assert board.select_one(".falc-badge").get_text() == "0/100"  # LONG, as above

    # The review queue scores the text as it would be published.
    service = only(session, Service)
    held = editor.post(
        f"{base(org)}/services/{service.id}",
        {
            **SERVICE,
            "falc_summary": "Des courses à petit prix.",
            "version": str(service.version),
        },
    )
    assert held.status_code == 303 and "en-attente" in held.headers["location"]
    assert session.exec(select(PendingChange)).one()
    queue = soup(coordinator.get("/fr/espace/revue").text)
    assert queue.select_one(".card .falc-badge").get_text() == "100/100"
