"""The partner space in a real browser: sign in, build a listing with the
schedule builder, moderation, accessibility (axe, keyboard, right to left).

Rows the flows need (organisations, users, a coordinator's territory) are
written straight into the live server's database; everything a partner does
goes through the pages. Every page checks that no request leaves the server.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, col, select

from api import db
from api.models import (
    Closure,
    Organization,
    Permanence,
    Place,
    Role,
    Service,
    utcnow,
)
from api.services.listings.revisions import SYSTEM, save
from tests.browser.conftest import axe_violations
from tests.espace.helpers import PASSWORD, make_coordinator, make_user
from tests.factories import make_organization, make_place, make_service
from tests.territory import Territory

pytestmark = pytest.mark.browser

SANITAS = ("47.38165", "0.69977")  # Tours, QPV Sanitas
EUROPE = (47.42185, 0.68341)  # Tours nord, QPV Europe: far from Sanitas
EUROPE_QPV = "QN03708M"
FOOD = "equipement-et-alimentation--alimentation"
FOOD_GROUP = "Équipement et alimentation"
CARE = "sante--acces-aux-soins"
TIMEOUT = 10_000  # ms: a page of this app answers in well under a second
# The organisations this module made: deleted when it ends, so that the other
# browser tests, on the same server, find the territory they know by heart.
MADE: list[uuid.UUID] = []


@dataclass(frozen=True)
class Partner:
    """An organisation made in the live database, and its member's e-mail."""

    org_id: uuid.UUID
    name: str
    email: str
    service_id: uuid.UUID | None = None


@contextmanager
def writing(database: str) -> Iterator[Session]:
    """A session on the live server's database (SQLite: the server sees each
    commit at once)."""
    engine = db.make_engine(database)
    try:
        with Session(engine, expire_on_commit=False) as session:
            yield session
    finally:
        engine.dispose()


def new_partner(
    database: str,
    slug: str,
    role: Role = Role.editor,
    place: tuple[float, float] | None = None,
) -> Partner:
    """An organisation (with a place when given) and one member."""
    with writing(database) as session:
        org = make_organization(session, slug, name=f"Asso {slug}")
        if place:
            make_place(
                session,
                org,
                f"{slug}-local",
                name=f"Local {slug}",
                lat=place[0],
                lon=place[1],
                insee_code="37261",
            )
        session.commit()
        MADE.append(org.id)
        email = f"{slug}@example.org"
        make_user(session, email, org, role, name=slug.capitalize())
        return Partner(org.id, org.name, email)


@pytest.fixture(scope="module", autouse=True)
def tidy(live: tuple[str, Territory], live_database: str) -> Iterator[None]:
    yield
    with writing(live_database) as session:
        services = select(Service.id).where(col(Service.organization_id).in_(MADE))
        for query in (
            select(Permanence).where(col(Permanence.service_id).in_(services)),
            select(Service).where(col(Service.organization_id).in_(MADE)),
            select(Place).where(col(Place.organization_id).in_(MADE)),
            select(Organization).where(col(Organization.id).in_(MADE)),
        ):
            for row in session.exec(query).all():
                if row.deleted_at is None:
                    row.deleted_at = utcnow()
                    save(session, row, SYSTEM)
        session.commit()
    MADE.clear()


@pytest.fixture(scope="module")
def stocked(live: tuple[str, Territory], live_database: str) -> Partner:
    """An owner's organisation with something on every part of the dashboard:
    a service with a permanence and a closure, an edit in its history (a word
    diff), a deleted service, a place."""
    partner = new_partner(live_database, "stock", Role.owner)
    with writing(live_database) as session:
        org = session.get(Organization, partner.org_id)
        place = make_place(
            session,
            org,
            "stock-salle",
            name="Salle du Sanitas",
            lat=float(SANITAS[0]),
            lon=float(SANITAS[1]),
            insee_code="37261",
        )
        service = make_service(
            session,
            org,
            "stock-aide",
            name="Aide aux papiers",
            falc_summary="On vous aide à remplir les papiers.",
            categories=[CARE],
        )
        save(
            session,
            Permanence(
                service_id=service.id,
                place_id=place.id,
                opening_hours="Tu 09:00-12:00; PH off",
            ),
            SYSTEM,
        )
        save(
            session,
            Closure(
                service_id=service.id,
                start=date(2030, 8, 1),
                end=date(2030, 8, 15),
                reason="Congés",
            ),
            SYSTEM,
        )
        service.falc_summary = "On vous aide à remplir vos papiers, sur place."
        save(session, service, SYSTEM)
        make_service(
            session,
            org,
            "stock-ancien",
            name="Ancien atelier",
            categories=[FOOD],
            deleted_at=utcnow(),
        )
        session.commit()
        return Partner(partner.org_id, partner.name, partner.email, service.id)


class Outside:
    """Every request of a browser context that leaves the live server."""

    def __init__(self, context: Any, base: str) -> None:
        self.urls: list[str] = []
        context.on(
            "request",
            lambda r: None if r.url.startswith(base + "/") else self.urls.append(r.url),
        )

    def check(self) -> None:
        assert self.urls == [], "no request may leave the server"


def new_context(browser: Any, base: str, **options: Any) -> tuple[Any, Outside]:
    # A service worker's requests escape ``page.route`` (Playwright cannot see
    # them), so a test that intercepts requests would race the worker's claim
    # of the page; only a test about the worker itself lets it run.
    options.setdefault("service_workers", "block")
    ctx = browser.new_context(**options)
    ctx.set_default_timeout(TIMEOUT)
    return ctx, Outside(ctx, base)


@pytest.fixture
def context(live: tuple[str, Territory], browser: Any) -> Iterator[tuple[Any, Outside]]:
    ctx, outside = new_context(browser, live[0])
    yield ctx, outside
    ctx.close()
    outside.check()


def sign_in(page: Any, base: str, email: str, lang: str = "fr") -> None:
    """Type the e-mail and password, press Enter: land on a partner-space page."""
    page.goto(f"{base}/{lang}/espace/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    password = page.get_by_label(re.compile(r"^Mot de passe\b"))
    password.fill(PASSWORD)
    password.press("Enter")
    page.wait_for_url(re.compile(r"/espace/(structures/[0-9a-f-]+)?$"))


@pytest.fixture(scope="module")
def owner_state(
    live: tuple[str, Territory], browser: Any, stocked: Partner
) -> dict[str, Any]:
    """The stocked owner's signed-in cookies, for the accessibility checks."""
    ctx, outside = new_context(browser, live[0])
    page = ctx.new_page()
    sign_in(page, live[0], stocked.email)
    state = ctx.storage_state()
    ctx.close()
    outside.check()
    return state


def assert_accessible(page: Any, where: str) -> None:
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == [], where


def dead_error_links(page: Any) -> list[str]:
    """Links of the error summary whose field is not on the page."""
    return page.locator("#form-errors a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
        ".filter(href => !document.getElementById(href.slice(1)))"
    )


def submit(page: Any) -> None:
    """Send the form and wait for the answer page (not the page being left)."""
    with page.expect_navigation():
        page.locator(".espace-form .actions .button-primary").click()


def fill_service(page: Any, name: str) -> None:
    """The service form as a partner fills it: the theme group is opened with
    the keyboard, like a keyboard user would."""
    page.get_by_label("Nom du service").fill(name)
    page.get_by_label("Résumé facile à lire (FALC)").fill(
        "Des courses à petit prix. Venez avec votre carte."
    )
    group = page.locator(
        "details.theme-group", has=page.locator(f"summary:text-is('{FOOD_GROUP}')")
    )
    summary = group.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(group).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # the first theme of the group
    expect(group.locator("input").first).to_be_focused()
    expect(page.locator("*:focus")).to_have_attribute(
        "value", re.compile(r"^equipement-et-alimentation--")
    )
    group.get_by_label("Alimentation", exact=True).check()
    # Languages are ticked by name (French is ticked on a new service).
    page.get_by_label("arabe (ar)").check()
    page.get_by_label("Publié", exact=True).check()


def test_an_editor_builds_a_listing_that_the_public_sees(
    live: tuple[str, Territory], live_database: str, context: tuple[Any, Outside]
) -> None:
    base, _ = live
    partner = new_partner(live_database, "flux")
    page = context[0].new_page()
    sign_in(page, base, partner.email)
    dashboard = f"{base}/fr/espace/structures/{partner.org_id}"
    expect(page).to_have_url(dashboard)  # one organisation: straight there
    expect(page.locator("h1")).to_have_text(partner.name)

    page.get_by_role("link", name="Ajouter un lieu").click()
    page.get_by_role("textbox", name="Nom du lieu").fill("Maison du Sanitas")
    page.get_by_role("textbox", name="Commune", exact=True).fill("Tours")
    page.get_by_label("Code INSEE de la commune").fill("37261")
    page.get_by_label("Latitude", exact=True).fill(SANITAS[0])
    page.get_by_label("Longitude", exact=True).fill(SANITAS[1])
    # The map picker shows, without tiles: nothing is fetched from outside.
    expect(page.locator("#map-picker.leaflet-container")).to_be_visible()
    page.get_by_label("Oui", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(dashboard + "?fait=enregistre")
    expect(page.get_by_role("status")).to_have_text("Modifications enregistrées.")
    expect(page.get_by_role("link", name="Maison du Sanitas")).to_be_visible()

    page.get_by_role("link", name="Ajouter un service").click()
    fill_service(page, "Épicerie solidaire du Sanitas")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(dashboard + "?fait=enregistre")
    row = page.get_by_role("row", name=re.compile("Épicerie solidaire du Sanitas"))
    expect(row).to_contain_text("Publié")
    link = row.get_by_role("link", name="Épicerie solidaire du Sanitas")
    service_id = link.get_attribute("href").rsplit("/", 1)[1]

    row.get_by_role("link", name="Ajouter une permanence").click()
    page.wait_for_url(re.compile(r"/permanences/nouveau"))
    expect(page.get_by_label("Service", exact=True)).to_have_value(service_id)
    page.get_by_label("Lieu", exact=True).select_option(
        label="Maison du Sanitas — Tours"
    )
    first = page.locator("fieldset.schedule-rule").first
    first.get_by_label("Mercredi").check()
    hours = first.locator("fieldset.schedule-hours").first
    hours.get_by_label("Début").fill("14:00")
    hours.get_by_label("Fin").fill("17:00")
    first.get_by_label("Certaines semaines du mois").check()
    first.get_by_label("2e", exact=True).check()
    first.get_by_label("4e", exact=True).check()
    page.get_by_label("Fermé les jours fériés").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(dashboard + "?fait=enregistre")
    # The dashboard reads the schedule out (never the raw opening_hours).
    expect(row).to_contain_text(
        re.compile(r"2e et le 4e mercredi du mois, 14 h\s*–\s*17 h ; fermé les jours")
    )

    response = page.goto(f"{base}/fr/services/{service_id}")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Épicerie solidaire du Sanitas")
    expect(page.locator(".schedule").first).to_contain_text(
        re.compile("mercredi", re.IGNORECASE)
    )
    # The languages typed as "fr, ar", named in the page's language.
    expect(page.locator("main")).to_contain_text(
        re.compile(r"Langues parlées :\s*arabe[^\n]*français")
    )
    page.close()


def test_moderation_holds_a_new_service_until_a_coordinator_approves(
    live: tuple[str, Territory],
    live_database: str,
    browser: Any,
    context: tuple[Any, Outside],
) -> None:
    base, _ = live
    partner = new_partner(live_database, "nord", place=EUROPE)
    with writing(live_database) as session:
        make_coordinator(session, "coord-nord@example.org", [EUROPE_QPV], True)
    editor = context[0].new_page()
    sign_in(editor, base, partner.email)
    editor.get_by_role("link", name="Ajouter un service").click()
    editor.wait_for_url(re.compile(r"/services/nouveau"))
    fill_service(editor, "Épicerie solidaire de l'Europe")
    editor.get_by_role("button", name="Enregistrer").click()
    editor.wait_for_url(re.compile(r"\?fait="))
    row = editor.get_by_role("row", name=re.compile("Épicerie solidaire de l'Europe"))
    expect(row).to_contain_text("En attente de validation")
    service_id = (
        row.get_by_role("link", name="Épicerie solidaire de l'Europe")
        .get_attribute("href")
        .rsplit("/", 1)[1]
    )
    public = f"{base}/fr/services/{service_id}"
    assert editor.goto(public).status == 404

    coordination, outside = new_context(browser, base)
    reviewer = coordination.new_page()
    sign_in(reviewer, base, "coord-nord@example.org")
    reviewer.get_by_role("link", name="Revue des modifications").click()
    reviewer.wait_for_url(f"{base}/fr/espace/revue")
    card = reviewer.locator("section.card", has_text="Épicerie solidaire de l'Europe")
    expect(card).to_contain_text("Nouvelle fiche à publier")
    assert_accessible(reviewer, "review queue")
    card.get_by_role("button", name="Valider").click()
    reviewer.wait_for_url(f"{base}/fr/espace/revue?fait=valide")
    expect(reviewer.get_by_role("status")).to_have_text(
        "Modification validée et publiée."
    )
    assert_accessible(reviewer, "empty review queue")
    coordination.close()
    outside.check()

    assert editor.goto(public).status == 200
    expect(editor.locator("h1")).to_have_text("Épicerie solidaire de l'Europe")
    editor.close()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_partner_pages_pass_axe(
    live: tuple[str, Territory],
    browser: Any,
    stocked: Partner,
    owner_state: dict[str, Any],
    lang: str,
) -> None:
    base, _ = live
    ctx, outside = new_context(browser, base, storage_state=owner_state)
    page = ctx.new_page()
    org = f"{base}/{lang}/espace/structures/{stocked.org_id}"
    direction = "rtl" if lang == "ar" else "ltr"

    assert page.goto(org).status == 200
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("h1")).to_have_text(stocked.name)
    assert_accessible(page, f"{lang} dashboard")

    assert page.goto(f"{org}/services/nouveau").status == 200
    page.locator("input[name=publics][value=tous-publics]").uncheck()
    submit(page)  # nothing typed, no public ticked
    expect(page.locator("#form-errors")).to_be_visible()
    # The summary takes the focus, and its links lead to the fields.
    expect(page.locator("#form-errors")).to_be_focused()
    for field in ("name", "categories", "publics"):
        expect(page.locator(f"#err-{field}")).to_be_visible()
    assert dead_error_links(page) == []
    expect(page.locator("html")).to_have_attribute("dir", direction)
    assert_accessible(page, f"{lang} service form with errors")

    if lang == "fr":
        page.goto(f"{org}/permanences/nouveau?service={stocked.service_id}")
        assert_accessible(page, "permanence form")
        page.locator("fieldset.schedule-rule").first.get_by_label("Lundi").check()
        submit(page)  # a day without hours
        expect(page.locator("#err-rule-0-start1")).to_be_visible()
        expect(page.locator("#form-errors")).to_be_focused()
        assert dead_error_links(page) == []
        assert_accessible(page, "permanence form with errors")
        page.goto(f"{org}/services/{stocked.service_id}/historique")
        expect(page.locator("ins").first).to_be_visible()  # the word diff
        assert_accessible(page, "history")
        page.goto(f"{org}/lieux/nouveau")
        assert_accessible(page, "place form")
    ctx.close()
    outside.check()


def test_sign_in_page_passes_axe_and_works_with_the_keyboard_only(
    live: tuple[str, Territory],
    live_database: str,
    context: tuple[Any, Outside],
) -> None:
    base, _ = live
    partner = new_partner(live_database, "clavier")
    dashboard = f"{base}/fr/espace/structures/{partner.org_id}"
    page = context[0].new_page()
    assert page.goto(dashboard).status == 200  # after the redirect
    assert page.url.startswith(f"{base}/fr/espace/connexion?suite=")
    assert_accessible(page, "sign-in page")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-email":
            break
    else:
        pytest.fail("Tab never reaches the e-mail field")
    page.keyboard.type(partner.email)
    page.keyboard.press("Tab")
    expect(page.locator("#f-password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(dashboard)  # where the partner was going
    expect(page.locator("h1")).to_have_text(partner.name)
    page.close()
