"""Every page type in a real browser: accessibility, privacy, no-JS, keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from api.i18n import LOCALES, RTL_LOCALES
from tests.browser.conftest import axe_violations
from tests.territory import Territory

pytestmark = pytest.mark.browser


def page_urls(territory: Territory) -> dict[str, str]:
    grocery = territory.grocery
    return {
        "home": "/fr/",
        "results": "/fr/services?q=epicerie",
        "empty results": "/fr/services?q=introuvable",
        "service": f"/fr/services/{grocery.id}",
        "organisation": f"/fr/structures/{grocery.organization_id}",
        "qpv guide": "/fr/qpv/QN03709M",
        "selection": f"/fr/selection?ids={grocery.id},{territory.health.id}",
        "about": "/fr/a-propos",
        "privacy": "/fr/confidentialite",
        "accessibility": "/fr/accessibilite",
        "english home": "/en/",
        "english service": f"/en/services/{territory.health.id}",
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "results",
        "empty results",
        "service",
        "organisation",
        "qpv guide",
        "selection",
        "about",
        "privacy",
        "accessibility",
        "english home",
        "english service",
    ],
)
def test_axe_finds_no_violation(
    live: tuple[str, Territory], browser: Any, name: str
) -> None:
    base, territory = live
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(base) else None,
    )
    response = page.goto(base + page_urls(territory)[name])
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    assert outside == [], "no request may leave the server"
    page.close()


def test_results_and_filters_work_without_javascript(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, _ = live
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/fr/services")
    # A word only the test territory has: other files' listings never match.
    page.fill("#q", "mutuelle")
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/fr/services\?(.*&)?q=mutuelle"))
    expect(page.locator(".result-list .card-title a")).to_have_text(
        ["Consultation santé sans mutuelle"]
    )
    expect(page.locator(".no-js-note")).to_be_visible()
    context.close()


def test_map_shows_the_markers_of_the_search(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, _ = live
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # A search only the test territory matches (its place in Nantes): listings
    # other files add in Tours never show, nor merge with it into a cluster.
    page.goto(base + "/fr/services?q=mutuelle")
    markers = page.locator(".leaflet-marker-icon")
    # Retried: markers are drawn, cleared and drawn again as the map settles.
    expect(markers).to_have_count(1, timeout=10_000)
    expect(markers).to_have_attribute("title", "Consultation santé sans mutuelle")
    expect(page.locator("path.leaflet-interactive").first).to_be_attached()
    assert errors == []
    page.close()


def test_keyboard_reaches_the_search_from_the_skip_link(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, _ = live
    page = browser.new_page()
    page.goto(base + "/fr/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    # In <main>, the emergency numbers come first, then the search field.
    page.keyboard.press("Tab")
    expect(page.locator("main .emergency-jump a")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#q")).to_be_focused()
    page.close()


def test_pages_fit_a_320_px_screen(live: tuple[str, Territory], browser: Any) -> None:
    base, territory = live
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for url in (f"/fr/services/{territory.grocery.id}", "/fr/services?q=sante", "/fr/"):
        page.goto(base + url)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, url
    page.close()


def test_the_accessibility_check_does_catch_violations(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, _ = live
    page = browser.new_page()
    page.goto(base + "/fr/")
    page.evaluate(
        "document.querySelector('main').append(document.createElement('img'))"
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]
    page.close()


@pytest.mark.parametrize("lang", sorted(RTL_LOCALES & set(LOCALES)))
def test_right_to_left_pages_mirror_and_pass_axe(
    live: tuple[str, Territory], browser: Any, lang: str
) -> None:
    base, territory = live
    page = browser.new_page()
    for url in (
        f"/{lang}/",
        f"/{lang}/services?q=sante",
        f"/{lang}/services/{territory.health.id}",
    ):
        page.goto(base + url)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert axe_violations(page) == [], url
    # The brand sits at the right edge in a right-to-left layout.
    page.goto(f"{base}/{lang}/")
    box = page.locator(".brand").bounding_box()
    assert box is not None and box["x"] > 640 / 2
    page.close()
