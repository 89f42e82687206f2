"""Referrals in a real browser, in French and in Arabic: the service page's
"Orienter vers ce service", the form (errors focused, consent), the referral's
page for both organisations, the list; axe finds nothing on any of them and no
request leaves the server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from api import db
from api.models import Role
from tests.browser.conftest import axe_violations
from tests.espace.helpers import PASSWORD, make_user
from tests.factories import make_organization, make_service
from tests.territory import Territory

pytestmark = pytest.mark.browser
TIMEOUT = 10_000


@contextmanager
def writing(database: str) -> Iterator[Session]:
    engine = db.make_engine(database)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def partners(database: str, lang: str) -> tuple[str, str, uuid.UUID]:
    """A sending and a receiving organisation, one member each (emails), and
    the receiver's published service; deleted right away from the public
    search so the other browser tests see their usual territory."""
    tag = uuid.uuid4().hex[:6]
    with writing(database) as session:
        sender = make_organization(session, f"oriente-{tag}", name=f"Envoi {tag}")
        receiver = make_organization(session, f"recoit-{tag}", name=f"Accueil {tag}")
        service = make_service(
            session,
            receiver,
            f"accueil-{tag}",
            name=f"Accueil social {tag}",
            categories=["famille--soutien-a-la-parentalite-et-a-leducation"],
        )
        session.commit()
        make_user(session, f"s-{tag}@example.org", sender, Role.editor)
        make_user(session, f"r-{tag}@example.org", receiver, Role.editor)
        return f"s-{tag}@example.org", f"r-{tag}@example.org", service.id


def sign_in(page: Any, base: str, email: str, lang: str) -> None:
    page.goto(f"{base}/{lang}/espace/connexion")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def accessible(page: Any, where: str) -> None:
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == [], where


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_referral_pages_work_and_pass_axe(
    live: tuple[str, Territory], live_database: str, browser: Any, lang: str
) -> None:
    base, _ = live
    sender_email, receiver_email, service_id = partners(live_database, lang)
    leaving: list[str] = []
    direction = "rtl" if lang == "ar" else "ltr"

    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT)
    ctx.on("request", lambda r: r.url.startswith(base + "/") or leaving.append(r.url))
    page = ctx.new_page()
    sign_in(page, base, sender_email, lang)
    page.goto(f"{base}/{lang}/services/{service_id}")
    link = page.locator(f"a[href$='/orientations/nouvelle?service={service_id}']")
    with page.expect_navigation():
        link.click()
    expect(page.locator("html")).to_have_attribute("dir", direction)
    accessible(page, f"{lang} referral form")

    page.locator("#f-first_name").fill("Zoubida")  # no consent, no need
    submit(page, ".espace-form .actions .button-primary")
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.locator("#err-need")).to_be_visible()
    expect(page.locator("#err-consent")).to_be_visible()
    expect(page.locator("#f-first_name")).to_have_value("Zoubida")
    accessible(page, f"{lang} referral form with errors")

    page.locator("#f-need").fill("مساعدة في الأوراق")
    page.locator("#f-consent").check()
    page.locator("input[name=languages][value=ar]").check()
    submit(page, ".espace-form .actions .button-primary")
    expect(page.locator("#referral-status")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Zoubida")
    accessible(page, f"{lang} referral page (sender)")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{base}/{lang}/espace/orientations?vue=envoyees")
    expect(page.locator("tbody tr")).to_have_count(1)
    accessible(page, f"{lang} referrals sent")
    ctx.close()

    ctx = browser.new_context()
    ctx.set_default_timeout(TIMEOUT)
    ctx.on("request", lambda r: r.url.startswith(base + "/") or leaving.append(r.url))
    page = ctx.new_page()
    sign_in(page, base, receiver_email, lang)
    page.goto(f"{base}/{lang}/espace/orientations")
    accessible(page, f"{lang} referrals received")
    with page.expect_navigation():
        page.locator("tbody th a").first.click()
    submit(page, "form:has(textarea[name=reason]) button[type=submit]")
    expect(page.locator("#err-reason")).to_be_visible()
    accessible(page, f"{lang} referral page (receiver) with an error")
    page.locator("#f-reason").fill("Complet ce mois-ci")
    submit(page, "form:has(textarea[name=reason]) button[type=submit]")
    expect(page.locator(".notice")).to_be_visible()
    expect(page.locator(".referral-history li")).to_have_count(2)
    accessible(page, f"{lang} referral page (receiver) declined")
    ctx.close()
    assert leaving == []
