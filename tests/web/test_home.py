from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import load_real_qpvs


def test_root_redirects_to_the_language_the_browser_prefers(client: TestClient) -> None:
    response = client.get(
        "/", headers={"accept-language": "en-GB,en;q=0.8"}, follow_redirects=False
    )
    assert response.status_code == 307
    assert response.headers["location"] == "/en/"


def test_root_falls_back_to_french(client: TestClient) -> None:
    response = client.get(
        "/", headers={"accept-language": "xx"}, follow_redirects=False
    )
    assert response.headers["location"] == "/fr/"


def test_home_lists_the_qpvs_and_says_the_data_is_demo(
    client: TestClient, session: Session
) -> None:
    load_real_qpvs(session)
    response = client.get("/fr/")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert page.html is not None
    assert page.html["lang"] == "fr" and page.html["dir"] == "ltr"
    names = [n.get_text() for n in page.select(".qpv-name")]
    assert "Sanitas" in names and "Malakoff" in names
    assert "démonstration" in page.select_one(".demo-notice").get_text()


def test_pages_send_a_strict_content_security_policy(client: TestClient) -> None:
    response = client.get("/fr/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers


def test_an_unknown_language_prefix_is_404(client: TestClient) -> None:
    assert client.get("/xx/").status_code == 404


def test_every_interface_language_renders_with_its_direction(
    client: TestClient,
) -> None:
    from api.i18n import LOCALES, RTL_LOCALES, html_lang

    for code in LOCALES:
        response = client.get(f"/{code}/")
        assert response.status_code == 200, code
        page = BeautifulSoup(response.text, "html.parser")
        assert page.html is not None
        assert page.html["lang"] == html_lang(code)
        assert page.html["dir"] == ("rtl" if code in RTL_LOCALES else "ltr")
