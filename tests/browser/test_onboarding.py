"""Onboarding in a real browser: « Référencer ma structure » and the
coordinators' Structures page pass axe in French and Arabic, fit 320 px and
make no third-party request; a request typed in the page reaches the Tours
coordinator, who refuses it with a message from the page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, delete, select

from api import db
from api.models import CoordinatorScope, OrganizationRequest, User
from api.services.onboarding import form
from api.settings import get_settings
from tests.browser.conftest import axe_violations
from tests.browser.test_espace import new_context, sign_in
from tests.espace.helpers import make_user
from tests.territory import Territory

pytestmark = pytest.mark.browser

EMAIL = "structures-tours@example.org"
NAME = "Association Onboarding Navigateur"
WIDTH = 320


def _session(database: str) -> Session:
    return Session(db.make_engine(database), expire_on_commit=False)


@pytest.fixture(scope="module")
def coordinator(live: tuple[str, Territory], live_database: str) -> Iterator[None]:
    with _session(live_database) as session:
        user = make_user(session, EMAIL, name="Structures Tours")
        session.add(CoordinatorScope(user_id=user.id, name="Tours", communes=["37261"]))
        session.commit()
    yield
    with _session(live_database) as session:
        session.exec(  # type: ignore[call-overload]
            delete(OrganizationRequest).where(col(OrganizationRequest.name) == NAME)
        )
        user = session.exec(select(User).where(User.email == EMAIL)).one()
        user.is_active = False
        session.commit()


def _fits(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, width


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_request_form_and_the_queue_are_accessible_and_fit_320_px(
    live: tuple[str, Territory], browser: Any, coordinator: None, lang: str
) -> None:
    base = live[0]
    ctx, outside = new_context(browser, base, viewport={"width": WIDTH, "height": 640})
    page = ctx.new_page()
    page.goto(f"{base}/{lang}/referencer")
    assert page.locator("html").get_attribute("dir") == (
        "rtl" if lang == "ar" else "ltr"
    )
    _fits(page)
    assert axe_violations(page) == []
    assert ctx.cookies() == []  # a visitor gets no cookie
    page.locator("form.onboarding-form button[type=submit]").click()
    expect(page.locator("#f-name:invalid")).to_have_count(1)  # the browser asks
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/{lang}/coordination/structures")
    _fits(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    ctx.close()
    outside.check()


def test_a_request_typed_in_the_page_is_refused_by_the_coordinator(
    live: tuple[str, Territory], browser: Any, coordinator: None, live_database: str
) -> None:
    base = live[0]
    ctx, outside = new_context(browser, base)
    page = ctx.new_page()
    page.goto(f"{base}/fr/referencer")
    page.get_by_label("Nom de la structure").fill(NAME)
    page.get_by_label("SIRET").fill("55210055400014")
    page.get_by_label("Commune").fill("Tours")
    page.get_by_label("Prénom et nom").fill("Awa Diallo")
    page.get_by_label("Adresse e-mail").fill("awa@example.org")
    # A person takes longer than a robot: the form's signed time, moved back
    # instead of waiting.
    backdated = form.stamp(get_settings().secret_key, time.time() - 60)
    page.locator(f'input[name="{form.STAMP}"]').evaluate(
        "(input, value) => { input.value = value }", backdated
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.locator("#err-siret")).to_contain_text("Ce SIRET n'existe pas")
    expect(page.get_by_label("Nom de la structure")).to_have_value(NAME)
    page.get_by_label("SIRET").fill("55210055400013")
    backdated = form.stamp(get_settings().secret_key, time.time() - 60)
    page.locator(f'input[name="{form.STAMP}"]').evaluate(
        "(input, value) => { input.value = value }", backdated
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", name="Demande envoyée")).to_be_visible()

    sign_in(page, base, EMAIL)
    page.goto(f"{base}/fr/coordination/structures")
    card = page.locator("li.card", has_text=NAME)
    expect(card).to_be_visible()
    card.get_by_label("Message à la personne").fill("Hors territoire.")
    card.get_by_role("button", name="Refuser").click()
    expect(page.get_by_role("status")).to_contain_text("Demande refusée")
    with _session(live_database) as session:
        row = session.exec(
            select(OrganizationRequest).where(OrganizationRequest.name == NAME)
        ).one()
        assert row.status == "rejected" and row.message == "Hors territoire."
    ctx.close()
    outside.check()
