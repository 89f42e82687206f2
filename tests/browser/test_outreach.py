""" "Aller vers" in a real browser: every new page passes axe in French and
Arabic, the form works at 320 px, and a form sent offline waits on the device
and arrives when the network is back.

Rows the flows need (an organisation, a member who is also a coordinator, a
few entries for the indicators) are written straight into the live server's
database; what the person does goes through the pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import col, select

from api.models import (
    CoordinatorScope,
    Organization,
    OutreachAction,
    RightsCheck,
    Role,
    utcnow,
)
from api.services.listings.revisions import SYSTEM, save
from tests.browser.conftest import (
    PHONE,
    axe_violations,
    check_pages,
    live_session,
    signed_in_page,
    signed_in_storage,
)
from tests.browser.test_espace import dead_error_links
from tests.browser.test_reflow import _overflow
from tests.espace.helpers import make_user
from tests.factories import make_organization
from tests.territory import Territory

pytestmark = pytest.mark.browser

SANITAS = "QN03709M"
EUROPE = "QN03708M"
EMAIL = "maraude@example.org"
WIDTH = PHONE["width"]


def _rights_checks(organization_id: uuid.UUID, count: int) -> list[RightsCheck]:
    return [
        RightsCheck(
            day=date.today(),
            qpv_code=SANITAS,
            organization_id=organization_id,
            mobilised=["rsa"],
            not_mobilised=["css"],
            reasons=["digital"],
            confidence_before=1,
            confidence_after=3,
        )
        for _ in range(count)
    ]


@pytest.fixture(scope="module")
def outreach_world(
    live: tuple[str, Territory], live_database: str
) -> Iterator[dict[str, Any]]:
    """A Tours organisation whose member also coordinates Sanitas and Europe,
    one action and six rights checks this month."""
    with live_session(live_database) as session:
        org = make_organization(session, "maraude-tours", name="Maraude Tours")
        session.commit()
        user = make_user(session, EMAIL, org, Role.editor, name="Maraude")
        session.add(
            CoordinatorScope(user_id=user.id, name="Tours", qpv_codes=[SANITAS, EUROPE])
        )
        action = OutreachAction(
            day=date.today(),
            type="stand",
            qpv_code=SANITAS,
            organization_id=org.id,
            people_met=9,
            people_oriented=6,
            people_new=5,
            note="Marché",
        )
        save(session, action, SYSTEM)
        session.add_all(_rights_checks(org.id, 6))
        session.commit()
        world = {"org": org.id, "action": action.id}
    yield world
    with live_session(live_database) as session:
        organization = session.get(Organization, world["org"])
        if organization is not None:
            organization.deleted_at = utcnow()
            save(session, organization, SYSTEM)
            session.commit()


@pytest.fixture(scope="module")
def signed_in_state(
    live: tuple[str, Territory], browser: Any, outreach_world: dict[str, Any]
) -> dict[str, Any]:
    return signed_in_storage(browser, live[0], EMAIL)


def _pages(world: dict[str, Any], lang: str) -> list[str]:
    return [
        f"/{lang}/aller-vers/",
        f"/{lang}/aller-vers/nouveau",
        f"/{lang}/aller-vers/{world['action']}",
        f"/{lang}/aller-vers/droits",
        f"/{lang}/aller-vers/frequentation",
        f"/{lang}/coordination/indicateurs",
        f"/{lang}/coordination/indicateurs/{SANITAS}/rapport",
    ]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_outreach_page_is_accessible_and_fits_320_px(
    live: tuple[str, Territory],
    browser: Any,
    signed_in_state: dict[str, Any],
    outreach_world: dict[str, Any],
    lang: str,
) -> None:
    with signed_in_page(live, browser, signed_in_state, viewport=PHONE) as page:
        check_pages(page, live[0], _pages(outreach_world, lang), lang, _overflow)


def _send(page: Any, note: str) -> None:
    """Fill the action form (a maraude in Europe, 7 met, 3 oriented) and send it."""
    page.get_by_label("Type d'action").select_option("maraude")
    page.get_by_label("Quartier (QPV)").select_option(EUROPE)
    page.get_by_label("Personnes rencontrées").fill("7")
    page.get_by_label("Personnes orientées vers un service").fill("3")
    page.get_by_label("Remarque").fill(note)
    page.get_by_role("button", name="Enregistrer").click()


def _expect_waiting(page: Any, count: int) -> None:
    expect(page.locator("#offline-queue .offline-count")).to_have_text(
        f"Pas encore envoyés : {count}"
    )


def _expect_sent(page: Any) -> None:
    expect(page.locator("#offline-queue .offline-message")).to_have_text(
        "Saisies gardées sur cet appareil envoyées."
    )


def _actions_noted(database: str, note: str) -> list[OutreachAction]:
    with live_session(database) as session:
        return list(
            session.exec(
                select(OutreachAction).where(col(OutreachAction.note) == note)
            ).all()
        )


def test_the_form_works_at_320_px_and_lands_on_the_list(
    live: tuple[str, Territory],
    live_database: str,
    browser: Any,
    signed_in_state: dict[str, Any],
) -> None:
    base = live[0]
    with signed_in_page(live, browser, signed_in_state, viewport=PHONE) as page:
        page.goto(f"{base}/fr/aller-vers/nouveau")
        note = f"Pied d'immeuble {uuid.uuid4().hex[:6]}"
        _send(page, note)
        page.wait_for_url(f"{base}/fr/aller-vers/?fait=enregistre")
        expect(page.get_by_role("status").first).to_have_text("Action enregistrée.")
        assert len(_actions_noted(live_database, note)) == 1


def test_a_form_sent_offline_waits_on_the_device_then_arrives(
    live: tuple[str, Territory],
    live_database: str,
    browser: Any,
    signed_in_state: dict[str, Any],
) -> None:
    base = live[0]
    with signed_in_page(live, browser, signed_in_state, viewport=PHONE) as page:
        page.goto(f"{base}/fr/aller-vers/nouveau")
        page.wait_for_load_state("networkidle")
        queue = page.locator("#offline-queue")
        expect(queue).to_be_hidden()

        page.context.set_offline(True)
        notes = [f"Hors réseau {uuid.uuid4().hex[:6]}" for _ in range(2)]
        for note in notes:
            _send(page, note)
        expect(queue).to_be_visible()
        _expect_waiting(page, 2)
        expect(page).to_have_url(f"{base}/fr/aller-vers/nouveau")  # no navigation
        assert all(_actions_noted(live_database, n) == [] for n in notes)

        page.context.set_offline(False)
        _expect_sent(page)
        expect(queue.locator(".offline-count")).to_have_text("")
        for note in notes:
            arrived = _actions_noted(live_database, note)
            assert len(arrived) == 1, note
            assert arrived[0].qpv_code == EUROPE and arrived[0].people_met == 7
        # Kept nowhere once sent.
        assert page.evaluate("localStorage.getItem('reperes-outreach-queue')") == "[]"


def test_the_form_reopens_offline_once_seen(
    live: tuple[str, Territory],
    live_database: str,
    browser: Any,
    signed_in_state: dict[str, Any],
) -> None:
    base = live[0]
    with signed_in_page(
        live, browser, signed_in_state, service_workers="allow"
    ) as page:
        form_url = f"{base}/fr/aller-vers/nouveau"
        page.goto(form_url)
        page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # now through the service worker, which keeps a copy
        page.wait_for_function(
            "caches.open('reperes-outreach-v1')"
            ".then(cache => cache.match(location.href)).then(hit => !!hit)"
        )

        page.context.set_offline(True)
        page.goto(form_url)
        expect(page.locator("h1")).to_have_text("Enregistrer une action")
        note = f"Rouvert hors réseau {uuid.uuid4().hex[:6]}"
        _send(page, note)
        _expect_waiting(page, 1)

        page.context.set_offline(False)
        _expect_sent(page)
        assert len(_actions_noted(live_database, note)) == 1


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_qpv_report_prints_on_one_a4_page(
    live: tuple[str, Territory],
    browser: Any,
    signed_in_state: dict[str, Any],
    lang: str,
) -> None:
    base = live[0]
    with signed_in_page(live, browser, signed_in_state) as page:
        page.goto(f"{base}/{lang}/coordination/indicateurs/{SANITAS}/rapport")
        page.wait_for_load_state("networkidle")
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_a_refused_form_is_accessible_and_leads_to_its_fields(
    live: tuple[str, Territory],
    browser: Any,
    signed_in_state: dict[str, Any],
    lang: str,
) -> None:
    base = live[0]
    with signed_in_page(live, browser, signed_in_state, viewport=PHONE) as page:
        page.goto(f"{base}/{lang}/aller-vers/nouveau")
        page.locator("#f-type").select_option("stand")
        page.locator("#f-qpv_code").select_option(SANITAS)
        page.locator("#f-people_met").fill("3")
        page.locator("#f-people_oriented").fill("5")  # more than met: refused
        with page.expect_navigation():
            page.locator(".outreach-form button[type=submit]").click()
        summary = page.locator("#form-errors")
        expect(summary).to_be_visible()
        expect(page.locator("#err-people_oriented")).to_be_visible()
        expect(page.locator("#f-people_met")).to_have_value("3")
        assert dead_error_links(page) == []
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_use_my_position_picks_the_qpv(
    live: tuple[str, Territory], browser: Any, signed_in_state: dict[str, Any]
) -> None:
    base = live[0]
    with signed_in_page(
        live,
        browser,
        signed_in_state,
        geolocation={"latitude": 47.38165, "longitude": 0.69977},  # in Sanitas
        permissions=["geolocation"],
    ) as page:
        page.goto(f"{base}/fr/aller-vers/nouveau")
        button = page.get_by_role("button", name="Utiliser ma position")
        expect(button).to_be_visible()
        button.click()
        expect(page.locator(".locate-status")).to_have_text(
            "Quartier choisi d’après votre position : Sanitas"
        )
        expect(page.locator("#f-qpv_code")).to_have_value(SANITAS)


def test_a_form_lost_on_a_weak_network_is_kept_then_sent(
    live: tuple[str, Territory],
    live_database: str,
    browser: Any,
    signed_in_state: dict[str, Any],
) -> None:
    """Online, but the request dies on the way: the entry is kept, not lost."""
    base = live[0]
    with signed_in_page(live, browser, signed_in_state) as page:
        form_url = f"{base}/fr/aller-vers/nouveau"
        page.goto(form_url)

        def drop_posts(route: Any) -> None:
            if route.request.method == "POST":
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route(form_url, drop_posts)
        note = f"Cage d'escalier {uuid.uuid4().hex[:6]}"
        _send(page, note)
        _expect_waiting(page, 1)
        assert _actions_noted(live_database, note) == []

        page.unroute(form_url)
        page.locator("#offline-queue").get_by_role(
            "button", name="Envoyer maintenant"
        ).click()
        _expect_sent(page)
        assert len(_actions_noted(live_database, note)) == 1


def test_entries_kept_for_someone_else_are_not_sent_under_my_name(
    live: tuple[str, Territory],
    live_database: str,
    browser: Any,
    signed_in_state: dict[str, Any],
) -> None:
    base = live[0]
    with signed_in_page(live, browser, signed_in_state) as page:
        page.goto(f"{base}/fr/aller-vers/")
        note = f"Pas à moi {uuid.uuid4().hex[:6]}"
        body = (
            f"type=stand&qpv_code={SANITAS}&people_met=5&day={date.today()}&note={note}"
        )
        entry = {"id": "x1", "user": str(uuid.uuid4()), "url": "/fr/aller-vers/nouveau"}
        page.evaluate(
            "entry => localStorage.setItem('reperes-outreach-queue',"
            " JSON.stringify([entry]))",
            {**entry, "body": body},
        )
        page.reload()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#offline-queue")).to_be_hidden()
        stored = page.evaluate("localStorage.getItem('reperes-outreach-queue')")
        assert "x1" in stored  # kept for its author
        assert _actions_noted(live_database, note) == []
