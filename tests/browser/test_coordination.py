"""The coordinators' space in a real browser: every page passes axe in French
and Arabic and fits 320 px, the coverage choropleth draws from self-hosted
assets only, and an unmet query becomes a synonym through the pages.

Rows the flows need (a Tours coordinator, search counts) are written straight
into the live server's database; what the coordinator does goes through the
pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import col, delete, select

from api.models import CoordinatorScope, SearchStat, Synonym, TaughtSynonym, User
from tests.browser.conftest import (
    PHONE,
    axe_violations,
    check_pages,
    live_session,
    signed_in_page,
    signed_in_storage,
)
from tests.espace.helpers import make_user
from tests.territory import Territory

pytestmark = pytest.mark.browser

EMAIL = "coordination-tours@example.org"
TOURS = "37261"
SANITAS = "QN03709M"
UNMET = "bons de chaleur"


@pytest.fixture(scope="module")
def coordination_world(
    live: tuple[str, Territory], live_database: str
) -> Iterator[None]:
    """A Tours coordinator; searches in Tours, one of them unmet."""
    yesterday = date.today() - timedelta(days=1)
    with live_session(live_database) as session:
        user = make_user(session, EMAIL, name="Coordination Tours")
        session.add(CoordinatorScope(user_id=user.id, name="Tours", communes=[TOURS]))
        stats = [
            SearchStat(
                day=yesterday,
                qpv_code=SANITAS,
                categories="sante",
                language="ar",
                result_bucket="1-5",
                count=12,
            ),
            SearchStat(
                day=yesterday,
                commune=TOURS,
                language="fr",
                result_bucket="0",
                query=UNMET,
                count=7,
            ),
        ]
        session.add_all(stats)
        session.commit()
        made = [stat.id for stat in stats]
    yield
    with live_session(live_database) as session:
        session.exec(  # type: ignore[call-overload]
            delete(SearchStat).where(col(SearchStat.id).in_(made))
        )
        taught = select(Synonym.id).where(col(Synonym.term) == UNMET)
        session.exec(  # type: ignore[call-overload]
            delete(TaughtSynonym).where(col(TaughtSynonym.synonym_id).in_(taught))
        )
        session.exec(delete(Synonym).where(col(Synonym.term) == UNMET))  # type: ignore[call-overload]
        user = session.exec(select(User).where(User.email == EMAIL)).one()
        user.is_active = False
        session.commit()


@pytest.fixture(scope="module")
def coordinator_state(
    live: tuple[str, Territory], browser: Any, coordination_world: None
) -> dict[str, Any]:
    return signed_in_storage(browser, live[0], EMAIL)


def _overflow(page: Any) -> list[str]:
    """What sticks out of the screen, outside the tables' own scrolling boxes."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(e => !e.closest('.table-scroll') && !e.closest('.leaflet-container'))
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                    || e.getBoundingClientRect().left < -0.5)
          .slice(0, 8)
          .map(e => e.tagName + '.' + e.getAttribute('class') + '#' + e.id
                    + '@' + Math.round(e.getBoundingClientRect().right))"""
    )


PAGES = (
    "coordination/",
    "coordination/couverture",
    "coordination/fraicheur",
    "coordination/signaux",
    "coordination/qualite",
    "coordination/synonymes",
)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_coordination_page_is_accessible_and_fits_320_px(
    live: tuple[str, Territory],
    browser: Any,
    coordinator_state: dict[str, Any],
    lang: str,
) -> None:
    paths = [f"/{lang}/{path}" for path in PAGES]
    with signed_in_page(live, browser, coordinator_state, viewport=PHONE) as page:
        check_pages(page, live[0], paths, lang, _overflow)


def test_the_choropleth_draws_the_territory_qpvs(
    live: tuple[str, Territory], browser: Any, coordinator_state: dict[str, Any]
) -> None:
    base = live[0]
    with signed_in_page(live, browser, coordinator_state) as page:
        page.goto(f"{base}/fr/coordination/couverture?theme=sante")
        # One shape per QPV of Tours, drawn by Leaflet from the server's script.
        expect(
            page.locator("#map_coverage path.leaflet-interactive").first
        ).to_be_visible()
        assert page.locator("#map_coverage path.leaflet-interactive").count() >= 8
        expect(page.locator(".coverage-matrix td.gap").first).to_be_visible()
        assert axe_violations(page) == []


def test_an_unmet_query_is_taught_to_search_from_the_signals(
    live: tuple[str, Territory],
    browser: Any,
    coordinator_state: dict[str, Any],
    live_database: str,
) -> None:
    base = live[0]
    with signed_in_page(live, browser, coordinator_state) as page:
        page.goto(f"{base}/fr/coordination/signaux")
        expect(page.get_by_role("rowheader", name=UNMET)).to_be_visible()
        page.get_by_role(
            "link", name=f"Apprendre ce mot à la recherche : {UNMET}"
        ).click()
        expect(page.get_by_label("Mot ou expression")).to_have_value(UNMET)
        page.get_by_label("Logement, hébergement").check()
        page.get_by_role("button", name="Apprendre ce mot").click()
        expect(page.get_by_role("status")).to_contain_text("Mot appris")
        with live_session(live_database) as session:
            word = session.exec(select(Synonym).where(Synonym.term == UNMET)).one()
            assert word.categories == ["logement-hebergement"]


def test_the_pages_print_without_navigation_or_forms(
    live: tuple[str, Territory], browser: Any, coordinator_state: dict[str, Any]
) -> None:
    base = live[0]
    with signed_in_page(live, browser, coordinator_state) as page:
        page.emulate_media(media="print")
        page.goto(f"{base}/fr/coordination/couverture")
        expect(page.locator(".coverage-matrix")).to_be_visible()
        expect(page.locator(".coordination-nav")).to_be_hidden()
        expect(page.locator(".map-section")).to_be_hidden()
        page.goto(f"{base}/fr/coordination/signaux")
        expect(page.locator(".rule")).to_be_visible()  # the k-anonymity rule prints
        expect(page.get_by_role("button", name="Masquer").first).to_be_hidden()
