"""Every interface language, FALC included: pages render translated, with the
right lang and dir, and the language chooser keeps the page when switching."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from api.i18n import LOCALES, RTL_LOCALES, html_lang, use_locale
from tests.territory import Territory
from web.templating import localized_date, localized_datetime

# Written out, not asked of gettext (the code under test): per locale, the
# skip link and the title of a search that found one service.
EXPECTED: dict[str, tuple[str, str]] = {
    "fr": ("Aller au contenu", "1 service trouvé"),
    "falc": ("Aller au texte principal", "Nous avons trouvé 1 service"),
    "en": ("Skip to content", "1 service found"),
    "ar": ("انتقل إلى المحتوى", "وجدنا 1 خدمة"),
    "fa": ("رفتن به محتوا", "1 خدمت پیدا شد"),
    "ps": ("منځپانګې ته تلل", "1 خدمت پیدا شو"),
    "uk": ("Перейти до змісту", "Знайдено 1 послугу"),
    "ru": ("Перейти к содержимому", "Найдена 1 услуга"),
    "es": ("Ir al contenido", "1 servicio encontrado"),
    "tr": ("İçeriğe geç", "1 hizmet bulundu"),
    "ro": ("Salt la conținut", "1 serviciu găsit"),
    "ti": ("ናብ ትሕዝቶ ሕለፍ", "1 ኣገልግሎት ተረኺቡ"),
}


def soup(client: TestClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text[:500])
    return BeautifulSoup(response.text, "html.parser")


def check_language(page: BeautifulSoup, code: str) -> None:
    assert page.html is not None
    assert page.html["lang"] == html_lang(code)
    assert page.html["dir"] == ("rtl" if code in RTL_LOCALES else "ltr")
    skip = page.select_one(".skip-link").get_text(strip=True)
    assert skip == EXPECTED[code][0]


def test_every_locale_has_its_expectations() -> None:
    assert set(EXPECTED) == set(LOCALES)


@pytest.mark.parametrize("code", list(LOCALES))
def test_the_home_page_renders_in_every_language(client: TestClient, code: str) -> None:
    check_language(soup(client, f"/{code}/"), code)


@pytest.mark.parametrize("code", list(LOCALES))
def test_search_results_render_in_every_language(
    client: TestClient, territory: Territory, code: str
) -> None:
    page = soup(client, f"/{code}/services?q=sante")
    check_language(page, code)
    assert page.select_one("#results-title").get_text(strip=True) == EXPECTED[code][1]
    assert len(page.select(".result-list .card-title a")) == 1


@pytest.mark.parametrize("code", list(LOCALES))
def test_the_language_chooser_keeps_the_page_and_marks_the_current_one(
    client: TestClient, territory: Territory, code: str
) -> None:
    page = soup(client, f"/{code}/services?q=sante")
    chooser = page.select_one("nav.language-nav details.language-menu")
    assert chooser is not None and chooser.summary is not None
    assert LOCALES[code] in chooser.summary.get_text()
    links = chooser.select("ul.languages a")
    assert [a.get_text(strip=True) for a in links] == list(LOCALES.values())
    for link, other in zip(links, LOCALES, strict=True):
        assert link["href"] == f"/{other}/services?q=sante"
        assert link["lang"] == html_lang(other)
        assert link["hreflang"].startswith(html_lang(other))
        assert link["dir"] == ("rtl" if other in RTL_LOCALES else "ltr")
    assert [a["hreflang"] for a in links if a.has_attr("aria-current")] == [
        links[list(LOCALES).index(code)]["hreflang"]
    ]
    alternates = page.select("link[rel=alternate][hreflang]")
    assert [a["href"] for a in alternates] == [
        f"/{other}/services?q=sante" for other in LOCALES
    ]
    hreflangs = [a["hreflang"] for a in alternates]
    assert len(set(hreflangs)) == len(LOCALES), "two alternates share a hreflang"


def test_falc_pages_are_french_in_easy_to_read_words(
    client: TestClient, territory: Territory
) -> None:
    home = soup(client, "/falc/")
    assert home.html["lang"] == "fr" and home.html["dir"] == "ltr"
    assert home.select_one(".skip-link").get_text(strip=True) == (
        "Aller au texte principal"
    )
    notice = home.select_one(".demo-notice").get_text(" ", strip=True)
    assert "Nous avons inventé une partie des structures" in notice
    current = home.select_one(".languages a[aria-current]")
    assert current.get_text(strip=True) == "Français facile (FALC)"
    assert current["lang"] == "fr" and current["hreflang"] == "fr-x-falc"

    results = soup(client, "/falc/services?q=sante")
    title = results.select_one("#results-title").get_text(strip=True)
    assert title == "Nous avons trouvé 1 service"
    service = soup(client, f"/falc/services/{territory.health.id}")
    assert service.html["lang"] == "fr"
    assert "Comment faire" in [h.get_text(strip=True) for h in service.select("h2")]


def test_falc_formats_dates_as_french() -> None:
    with use_locale("falc"):
        assert localized_date(date(2026, 3, 12)) == "12 mars 2026"


@pytest.mark.parametrize(
    ("code", "comma"), [("fr", ", "), ("ar", "، "), ("fa", "، "), ("ti", "፣ ")]
)
def test_a_day_and_hour_are_joined_by_the_locale_s_comma(code: str, comma: str) -> None:
    moment = datetime(2026, 12, 8, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with use_locale(code):
        text = localized_datetime(moment)
    assert text.endswith(f"{comma}14:00")
    if code != "fr":
        assert "," not in text  # no Latin comma in Arabic script or Ge'ez


def test_the_api_answers_errors_in_falc(client: TestClient) -> None:
    response = client.get(
        "/api/v1/services", params={"lang": "falc", "category": "nope"}
    )
    assert response.status_code == 422
    assert "thème inconnu : nope" in response.text
