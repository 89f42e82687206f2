"""« Signaler un changement » and the reader's read-only listing, in a real
browser: axe-core in French and Arabic, the keyboard path through the
errors, no request leaving the server."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from api.models import ChangeReport, Organization, Place, ReportedKind, Role
from api.services.listings.revisions import SYSTEM, save
from api.services.partner import change_reports as reports
from api.settings import get_settings
from tests.browser.test_espace import (
    FOOD,
    SANITAS,
    assert_accessible,
    new_context,
    new_partner,
    sign_in,
    tidy,  # noqa: F401 - the organisations made here go at the end
    writing,
)
from tests.espace.helpers import make_coordinator
from tests.factories import make_service
from tests.territory import Territory

pytestmark = pytest.mark.browser


def take_time(page: Any, service_id: object) -> None:
    """A person spends more than a few seconds on the form: the form's token
    says it was shown a minute ago (the server refuses instant posts)."""
    target = reports.Reported(ReportedKind.service, service_id, service_id, "")  # type: ignore[arg-type]
    token = reports.form_token(get_settings(), target, time.time() - 60)
    page.locator('input[name="jeton"]').evaluate("(el, v) => { el.value = v }", token)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_resident_reports_a_change_without_an_account(
    live: tuple[str, Territory], browser: Any, live_database: str, lang: str
) -> None:
    base, territory = live
    service = territory.grocery
    # A cheap phone: 320 px wide, nothing to scroll sideways.
    ctx, outside = new_context(browser, base, viewport={"width": 320, "height": 640})
    page = ctx.new_page()
    page.goto(f"{base}/{lang}/services/{service.id}")
    page.locator(".report-link a").click()
    expect(page).to_have_url(f"{base}/{lang}/services/{service.id}/signaler")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.locator("html")).to_have_attribute(
        "dir", "rtl" if lang == "ar" else "ltr"
    )
    assert_accessible(page, f"{lang} report form")
    # Sent too fast and empty: the errors, focused, link to their fields.
    with page.expect_navigation():
        page.locator(".report-form .button-primary").click()
    expect(page.locator("#form-errors")).to_be_focused()
    assert_accessible(page, f"{lang} report form with errors")
    page.locator('input[name="topic"][value="hours"]').check()
    page.locator("#f-message").fill("الساعات تغيرت. Le mardi, c'est fermé.")
    take_time(page, service.id)
    with page.expect_navigation():
        page.locator("#f-message").press("Tab")  # to the button, with the keyboard
        page.keyboard.press("Enter")
    expect(page.locator("p.notice")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/signaler/merci$"))
    assert_accessible(page, f"{lang} report sent")
    assert ctx.cookies() == []  # a resident gets no cookie
    ctx.close()
    outside.check()
    with writing(live_database) as session:
        sent = session.exec(select(ChangeReport).where(ChangeReport.lang == lang)).all()
        assert [r.topic for r in sent] == ["hours"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_reader_sees_listings_and_reports_read_only(
    live: tuple[str, Territory], browser: Any, live_database: str, lang: str
) -> None:
    base, _ = live
    at = (float(SANITAS[0]), float(SANITAS[1]))
    partner = new_partner(live_database, f"lecteur-{lang}", Role.reader, place=at)
    with writing(live_database) as session:
        place = session.exec(
            select(Place).where(Place.organization_id == partner.org_id)
        ).one()
        session.add(
            ChangeReport(
                organization_id=partner.org_id,
                entity_type=ReportedKind.place,
                entity_id=place.id,
                listing_name=place.name,
                topic="address",
                message="L'entrée est maintenant rue Saint-Paul.",
                lang="fr",
            )
        )
        session.commit()
        place_id = place.id
    ctx, outside = new_context(browser, base, viewport={"width": 320, "height": 640})
    page = ctx.new_page()
    sign_in(page, base, partner.email)
    space = f"{base}/{lang}/espace/structures/{partner.org_id}"
    page.goto(space)
    expect(page.locator("#reports-title")).to_be_visible()
    assert_accessible(page, f"{lang} reader's dashboard")
    page.goto(f"{space}/lieux/{place_id}")
    expect(page.locator("dl.read-only")).to_be_visible()
    expect(page.locator("form.espace-form")).to_have_count(0)
    assert_accessible(page, f"{lang} read-only place")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(f"{space}/signalements")
    expect(page.locator(".report-list blockquote")).to_contain_text("rue Saint-Paul")
    expect(page.locator('select[name="status"]')).to_have_count(0)
    assert_accessible(page, f"{lang} reader's reports")
    ctx.close()
    outside.check()


def test_the_coordinators_queue_is_accessible(
    live: tuple[str, Territory], browser: Any, live_database: str
) -> None:
    base, territory = live
    with writing(live_database) as session:
        place = session.exec(select(Place).where(Place.slug == "local-sanitas")).one()
        make_coordinator(session, "queue@example.org", [place.qpv_code or ""])
    ctx, outside = new_context(browser, base)
    page = ctx.new_page()
    sign_in(page, base, "queue@example.org")
    for lang in ("fr", "ar"):
        page.goto(f"{base}/{lang}/coordination/signalements")
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, f"{lang} coordinators' queue")
    status = page.locator('select[name="status"]').first
    if status.count():
        status.select_option("in_progress")
        with page.expect_navigation():
            page.locator(".report-list button").first.click()
        expect(page.locator("p.notice")).to_be_visible()
    ctx.close()
    outside.check()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_restoring_a_version_asks_first_then_says_it_is_done(
    live: tuple[str, Territory], browser: Any, live_database: str, lang: str
) -> None:
    base, _ = live
    partner = new_partner(live_database, f"retour-{lang}", Role.editor)
    with writing(live_database) as session:
        org = session.get(Organization, partner.org_id)
        service = make_service(
            session,
            org,
            f"retour-{lang}-aide",
            name="Aide",
            description="Atelier de formation. Viens le lundi.",
            categories=[FOOD],
        )
        service.description = "Atelier de formation."
        save(session, service, SYSTEM)
        session.commit()
        url = f"{base}/{lang}/espace/structures/{org.id}/services/{service.id}"
    ctx, outside = new_context(browser, base, viewport={"width": 320, "height": 640})
    page = ctx.new_page()
    sign_in(page, base, partner.email)
    # The languages picker fits a small phone.
    page.goto(f"{base}/{lang}/espace/structures/{partner.org_id}/services/nouveau")
    expect(page.locator("fieldset.language-picker")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.goto(f"{url}/historique")
    expect(page.locator("dd del").first).to_have_text(" Viens le lundi.")
    page.locator(f'a[href$="/{service.id}/historique/1"]').click()
    expect(page.locator("dl.changes")).to_contain_text("Viens le lundi.")
    assert_accessible(page, f"{lang} restore confirmation")
    with page.expect_navigation():
        page.locator("form.inline-form .button-primary").click()
    expect(page.locator("p.notice")).to_be_visible()
    assert_accessible(page, f"{lang} history after a restore")
    ctx.close()
    outside.check()
