"""The QPV guide and the referral sheet in a real browser: a 320 px phone in
French and Arabic (no sideways scroll, QR codes inside their box, axe clean),
and Chromium's own PDF print of a real-sized guide (page counts)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from api import db
from api.models import Organization, Service
from data.loaders.load_all import load_everything
from tests.browser.conftest import axe_violations
from tests.live_server import free_port, live_server, uvicorn
from tests.territory import Territory

pytestmark = pytest.mark.browser

SANITAS = "QN03709M"
# Widest thing on the page, QR codes included, and whether each QR code's
# drawing stays inside its box.
LAYOUT = """() => ({
  width: document.documentElement.scrollWidth,
  qr: [...document.querySelectorAll('.guide-qr svg, .sheet-qr svg')].map(svg => {
    const box = svg.parentElement.getBoundingClientRect();
    const drawn = svg.getBoundingClientRect();
    return drawn.width > 0 && drawn.right <= box.right + 0.5
      && drawn.left >= box.left - 0.5 && drawn.right <= 320;
  }),
})"""


def pages(territory: Territory) -> list[str]:
    sheet = (
        f"/selection?ids={territory.grocery.id},{territory.health.id}"
        "&note=Rendez-vous%20avec%20Mme%20Martin%2C%20apporter%20un%20justificatif"
        "&date=2027-01-12"
    )
    # The sheet as the person gets it, and with the social worker's form.
    return [f"/qpv/{SANITAS}", sheet, sheet + "&edit=1"]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_guide_and_sheet_fit_a_320_px_phone_and_pass_axe(
    live: tuple[str, Territory], browser: Any, lang: str
) -> None:
    base, territory = live
    page = browser.new_page(viewport={"width": 320, "height": 640})
    for path in pages(territory):
        response = page.goto(f"{base}/{lang}{path}")
        assert response.status == 200, path
        layout = page.evaluate(LAYOUT)
        assert layout["width"] <= 320, path
        assert layout["qr"] and all(layout["qr"]), path
        # The name is French on the Arabic page: marked, visibly and for voices.
        if lang == "ar":
            assert page.locator(".entry-title [lang=fr]").count() > 0
            assert page.locator(".entry-title .in-french").first.is_visible()
        assert axe_violations(page) == [], path
        # 200 % text (WCAG 1.4.4) still reflows.
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate(LAYOUT)["width"] <= 320, f"{path} at 200 % text"
    page.close()


def test_the_sheet_is_edited_without_javascript(
    live: tuple[str, Territory], browser: Any
) -> None:
    base, territory = live
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/fr/selection?ids={territory.grocery.id},{territory.health.id}")
    page.click(".sheet-edit-link a")
    page.fill("#sheet-note", "Apporter la carte Vitale")
    page.fill("#sheet-date", "2027-01-12")
    page.press("#sheet-note", "Enter")  # the form's first button: update
    page.wait_for_url(re.compile(r"note=Apporter"))
    assert page.locator(".sheet-memo time").inner_text() == "mardi 12 janvier 2027"
    page.locator("button[name=remove]").first.click()
    page.wait_for_url(re.compile(rf"ids={territory.health.id.hex}&"))
    assert page.locator(".entry-title").all_inner_texts() == [
        "Consultation santé sans mutuelle"
    ]
    assert page.locator(".sheet-note").inner_text() == "Apporter la carte Vitale"
    assert context.cookies() == []
    context.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A server on the whole demo directory: guides of a real size. Yields its
    base URL and the database URL."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'reperes.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session:
        load_everything(session)
        session.commit()
    engine.dispose()
    port = free_port()
    env = {"REPERES_DATABASE_URL": url, "REPERES_TILE_URL": ""}
    with live_server(
        uvicorn(port),
        port,
        env,
        cwd=Path(__file__).resolve().parents[2],
        name="the demo server",
    ) as base:
        yield base, url


def pdf_pages(page: Any, url: str) -> int:
    """Pages of Chromium's A4 print of ``url`` (the print stylesheet applies)."""
    page.goto(url)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_neighbourhood_guide_prints_on_one_or_two_pages_per_theme(
    demo: tuple[str, str], browser: Any
) -> None:
    base, _ = demo
    page = browser.new_page()
    counts = {"": pdf_pages(page, f"{base}/fr/qpv/{SANITAS}")}
    themes = page.locator("#theme option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    for theme in themes:
        counts[theme] = pdf_pages(page, f"{base}/fr/qpv/{SANITAS}?theme={theme}")
    print("Sanitas guide, A4 pages (all themes = ''):", counts)
    # Was 10 pages for the whole guide, up to 4 for one theme.
    assert counts[""] <= 3, counts
    assert max(counts[t] for t in themes) <= 2, counts
    page.close()


def test_a_referral_sheet_prints_on_one_page_once_branches_are_chosen(
    demo: tuple[str, str], browser: Any
) -> None:
    base, database = demo
    engine = db.make_engine(database)
    with Session(engine) as session:
        services = session.exec(
            select(Service)
            .join(Organization, col(Organization.id) == col(Service.organization_id))
            .where(col(Organization.name).startswith("CCAS de Nantes"))
            .order_by(col(Service.name))
        ).all()
    engine.dispose()
    assert len(services) >= 2
    ids = ",".join(s.id.hex for s in services)
    page = browser.new_page()
    page.goto(f"{base}/fr/selection?ids={ids}")
    every_branch = pdf_pages(page, page.url)
    # Choose the first branch of each service, as a social worker would.
    page.goto(f"{base}/fr/selection?ids={ids}&edit=1")
    for select_box in page.locator(".sheet-item-edit select").all():
        select_box.select_option(index=1)
    page.locator("button[name=update]").first.click()
    page.wait_for_url(re.compile(r"at\."))
    chosen = pdf_pages(page, page.url.replace("&edit=1", ""))
    print(f"CCAS de Nantes sheet: {every_branch} pages, {chosen} with branches chosen")
    assert every_branch <= 2  # was 3: twelve identical lines per service
    assert chosen == 1
    page.close()
