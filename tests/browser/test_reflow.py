"""Reflow on a 320 px phone, with normal and 200 % text, in French and Arabic;
the printed service page keeps the phone; "Listen" speaks each part in its own
language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_violations
from tests.territory import Territory

pytestmark = pytest.mark.browser

WIDTH = 320


def page_urls(territory: Territory, lang: str) -> dict[str, str]:
    grocery = territory.grocery
    return {
        "home": f"/{lang}/",
        "results": f"/{lang}/services?q=epicerie",
        "all results": f"/{lang}/services",
        "service": f"/{lang}/services/{grocery.id}",
        "service with a closure": f"/{lang}/services/{territory.health.id}",
        "organisation": f"/{lang}/structures/{grocery.organization_id}",
        "about": f"/{lang}/a-propos",
        "privacy": f"/{lang}/confidentialite",
        "accessibility": f"/{lang}/accessibilite",
    }


def _place_url(page: Any, base: str, territory: Territory, lang: str) -> str:
    """The place page, reached as a person would: from the service page."""
    page.goto(f"{base}/{lang}/services/{territory.grocery.id}")
    return str(
        page.locator(".permanence a[href*='/lieux/']").first.get_attribute("href")
    )


def _overflow(page: Any) -> list[str]:
    """What sticks out of the screen, to make a failure readable."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    || e.getBoundingClientRect().left < -0.5)
          .slice(0, 5)
          .map(e => e.tagName + '.' + e.className)"""
    )


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("text_scale", [1, 2])
def test_no_page_scrolls_sideways_at_320_px(
    live: tuple[str, Territory], browser: Any, lang: str, text_scale: int
) -> None:
    base, territory = live
    page = browser.new_page(viewport={"width": WIDTH, "height": 640})
    urls = page_urls(territory, lang)
    urls["place"] = _place_url(page, base, territory, lang)
    for name, url in urls.items():
        response = page.goto(base + url)
        assert response.status == 200, name
        page.wait_for_load_state("networkidle")
        if text_scale != 1:
            # 200 % text as a phone's text-size setting gives it: every size in
            # rem/em grows (the stylesheet sets the root to 112.5 %). Set through
            # the CSSOM, which the page's CSP allows.
            page.evaluate(
                "s => { document.documentElement.style.fontSize = (112.5 * s) + '%' }",
                text_scale,
            )
        # The open language menu and filter panel are the widest states.
        page.evaluate(
            "document.querySelectorAll('details').forEach(d => d.open = true)"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, (name, width, _overflow(page))
        if text_scale == 1:
            assert axe_violations(page) == [], name
    page.close()


def test_the_printed_service_page_keeps_phone_address_and_hours(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, territory = live
    page = browser.new_page()
    page.goto(f"{base}/fr/services/{territory.grocery.id}")
    page.emulate_media(media="print")
    phone = page.locator(".call .phone-number")
    assert phone.is_visible()
    assert phone.inner_text() == "02 47 00 11 22"
    where = page.locator(".permanence .where").first
    assert where.is_visible() and "Tours" in where.inner_text()
    assert page.locator(".permanence .schedule").first.is_visible()
    # What only works on a screen does not print.
    assert not page.locator(".share-links").is_visible()
    assert not page.locator("button.print").is_visible()
    page.close()


SPY = """
window.__spoken = [];
window.addEventListener('DOMContentLoaded', () => {
  if (!window.speechSynthesis) return;
  speechSynthesis.speak = u => window.__spoken.push({text: u.text, lang: u.lang});
});
"""


def test_listen_speaks_french_fallback_with_a_french_voice(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, territory = live
    context = browser.new_context()
    context.add_init_script(SPY)
    page = context.new_page()
    page.goto(f"{base}/ar/services?q=epicerie")
    card = page.locator(".card").first
    card.locator("button.listen").click()
    spoken = page.evaluate("window.__spoken")
    langs = [part["lang"] for part in spoken]
    assert "fr" in langs and "ar" in langs
    french = " ".join(p["text"] for p in spoken if p["lang"] == "fr")
    arabic = " ".join(p["text"] for p in spoken if p["lang"] == "ar")
    assert "Épicerie solidaire" in french
    assert "Épicerie solidaire" not in arabic
    assert "استمع" not in arabic  # the button's own label is not read
    # The same on a place and an organisation page.
    for url in (
        f"/ar/structures/{territory.grocery.organization_id}",
        _place_url(page, base, territory, "ar"),
    ):
        page.evaluate("window.__spoken = []")
        page.goto(base + url)
        page.locator("button.listen").click()
        spoken = page.evaluate("window.__spoken")
        assert {p["lang"] for p in spoken} >= {"fr", "ar"}, url
    context.close()


def test_leaflet_controls_are_translated(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, _ = live
    page = browser.new_page()
    page.goto(f"{base}/ar/services")
    zoom_in = page.locator("#map_results .leaflet-control-zoom-in")
    zoom_in.wait_for()
    assert zoom_in.get_attribute("title") == "تكبير الخريطة"
    zoom_out = page.locator("#map_results .leaflet-control-zoom-out")
    assert zoom_out.get_attribute("title") == "تصغير الخريطة"
    toggle = page.locator("#map_results .leaflet-control-layers-toggle")
    assert toggle.get_attribute("title") == "طبقات الخريطة"
    assert page.locator("#map_results [title='Zoom in'], [title='Layers']").count() == 0
    page.close()
