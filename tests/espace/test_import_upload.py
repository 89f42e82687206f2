"""A partner's spreadsheet upload through the real app: the template, a
preview that writes nothing, row-level errors in the partner's language,
then the import on confirmation; hostile files change nothing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, func, select

from api.models import Organization, Permanence, Revision, Role, Service
from api.services.imports.csv_template import COLUMNS, EXAMPLE
from tests.espace.helpers import Browser, make_user, sanitas_organization, signed_in
from tests.factories import make_organization


@pytest.fixture
def org(session: Session) -> Organization:
    return sanitas_organization(session)


@pytest.fixture
def editor(client: TestClient, session: Session, org: Organization) -> Browser:
    return signed_in(client, session, "ed@example.org", org, name="Edith")


def sheet(rows: list[dict[str, str]], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in COLUMNS])
    return buffer.getvalue()


def row(**changes: str) -> dict[str, str]:
    return {**EXAMPLE, **changes}


def upload(
    browser: Browser, org: Organization, body: bytes, lang: str = "fr"
) -> tuple[int, str]:
    response = browser.post(
        f"/{lang}/espace/structures/{org.id}/import",
        files={"file": ("services.csv", body, "text/csv")},
    )
    return response.status_code, response.text


def token_of(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f]+)"', html)
    assert match, "a confirm form"
    return match.group(1)


def services(session: Session) -> int:
    session.expire_all()
    return session.exec(
        select(func.count())
        .select_from(Service)
        .where(col(Service.deleted_at).is_(None))
    ).one()


def test_the_template_is_downloadable_and_imports_as_is(
    editor: Browser, org: Organization, session: Session
) -> None:
    template = editor.get(f"/fr/espace/structures/{org.id}/import/modele.csv")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    status, html = upload(editor, org, template.content)
    assert status == 200, html
    assert "Services créés : 1" in html
    assert services(session) == 0  # a preview writes nothing
    confirm = editor.post(
        f"/fr/espace/structures/{org.id}/import/confirmer", {"token": token_of(html)}
    )
    assert confirm.status_code == 200 and "Import terminé" in confirm.text
    [service] = session.exec(select(Service)).all()
    assert service.organization_id == org.id and service.source == f"org:{org.id}"
    assert service.required_documents == EXAMPLE["justificatifs"]
    [held] = session.exec(select(Permanence).where(Permanence.service_id == service.id))
    assert held.opening_hours == "We[2,4] 14:00-17:00; PH off"
    # Sent again: nothing changes, no revision.
    revisions = session.exec(select(func.count()).select_from(Revision)).one()
    status, html = upload(editor, org, template.content)
    assert "Services inchangés : 1" in html and "Confirmer" not in html
    assert session.exec(select(func.count()).select_from(Revision)).one() == revisions


def test_windows_1252_and_commas_are_read(
    editor: Browser, org: Organization, session: Session
) -> None:
    body = sheet([row(service_nom="Épicerie à prix réduits")], ",").encode("cp1252")
    status, html = upload(editor, org, body)
    assert status == 200 and "Services créés : 1" in html
    editor.post(
        f"/fr/espace/structures/{org.id}/import/confirmer", {"token": token_of(html)}
    )
    assert session.exec(select(Service.name)).one() == "Épicerie à prix réduits"


def test_hostile_rows_are_refused_one_by_one_in_the_partner_language(
    editor: Browser, org: Organization, session: Session
) -> None:
    body = sheet(
        [
            row(service_id="ok", service_nom="Bon service"),
            row(service_id="formula", service_nom='=HYPERLINK("http://x","clic")'),
            row(service_id="hours", horaires="quand on peut"),
            # Two rows of one service: a second permanence, but its details differ.
            row(service_id="ok", service_nom="Autre nom"),
            # A service whose second permanence is wrong is not half-written.
            row(service_id="half", service_nom="Moitié"),
            row(service_id="half", service_nom="Moitié", commune=""),
        ]
    ).encode()
    status, html = upload(editor, org, body, lang="en")
    assert status == 200
    lines = dict(re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td></tr>", html))
    assert set(lines) == {"3", "4", "5", "7"}
    assert lines["3"] == "The column “service_nom” starts like a spreadsheet formula."
    assert lines["4"].startswith("Unreadable opening hours (“horaires”)")
    editor.post(
        f"/en/espace/structures/{org.id}/import/confirmer", {"token": token_of(html)}
    )
    assert [s.source_id for s in session.exec(select(Service)).all()] == ["ok"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"service_id;service_nom\nx;y\n", "Colonnes manquantes : horaires"),
        (sheet([row()]).encode("utf-16"), "ni en UTF-8 ni en Windows-1252"),
        (b"", "Choisissez un fichier CSV"),
    ],
)
def test_an_unreadable_file_says_why_and_writes_nothing(
    editor: Browser, org: Organization, session: Session, body: bytes, message: str
) -> None:
    if body:
        status, html = upload(editor, org, body)
    else:
        response = editor.post(
            f"/fr/espace/structures/{org.id}/import",
            files={"file": ("", b"", "text/csv")},
        )
        status, html = response.status_code, response.text
    assert status == 400
    assert message in html.replace("&#39;", "'")
    assert "Confirmer" not in html
    assert services(session) == 0


def test_a_50_mb_file_is_streamed_to_disk_and_refused(
    editor: Browser, org: Organization, session: Session
) -> None:
    big = sheet([row()]).encode() + b"x" * (50 * 1024 * 1024)
    status, html = upload(editor, org, big)
    assert status == 413 and "10304 Kio" in html
    assert services(session) == 0


def test_a_confirmation_needs_the_form_token_and_a_known_file(
    editor: Browser, org: Organization, client: TestClient, session: Session
) -> None:
    status, html = upload(editor, org, sheet([row()]).encode())
    token = token_of(html)
    forged = client.post(
        f"/fr/espace/structures/{org.id}/import/confirmer",
        data={"token": token, "csrf": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    unknown = editor.post(
        f"/fr/espace/structures/{org.id}/import/confirmer", {"token": "../" * 5}
    )
    assert unknown.status_code == 410
    assert services(session) == 0


def test_another_organisations_editor_cannot_import(
    client: TestClient, session: Session, org: Organization
) -> None:
    other = make_organization(session, "autre", name="Autre")
    session.commit()
    make_user(session, "x@example.org", other, Role.editor)
    browser = Browser(client)
    browser.must_sign_in("x@example.org")
    status, _html = upload(browser, org, sheet([row()]).encode())
    assert status == 403
