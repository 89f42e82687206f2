"""« Signaler un changement »: the public form, its anti-spam, and where the
reports land (the owning organisation, the coordinators of its territory)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import (
    ChangeReport,
    Organization,
    Place,
    ReportedKind,
    ReportStatus,
    Role,
    Service,
    Visibility,
    utcnow,
)
from api.services.partner import change_reports as reports
from api.settings import get_settings
from tests.espace.helpers import Browser, make_coordinator, signed_in
from tests.factories import load_real_qpvs, make_organization, make_place, make_service

SANITAS = {"lat": 47.38165, "lon": 0.69977}
MALAKOFF = {"lat": 47.21535, "lon": -1.52306}
MALAKOFF_QPV = "QN04413M"
FOOD = "equipement-et-alimentation--alimentation"
HOSTILE = "<script>alert(1)</script> الساعات تغيرت يوم الثلاثاء « ok »"


@dataclass
class World:
    tours: Organization
    nantes: Organization
    place: Place
    service: Service
    nantes_service: Service


@pytest.fixture
def world(session: Session) -> World:
    load_real_qpvs(session)
    tours = make_organization(session, "asso-tours", name="Asso Tours")
    nantes = make_organization(session, "asso-nantes", name="Asso Nantes")
    place = make_place(session, tours, "maison", name="Maison Sanitas", **SANITAS)
    make_place(session, nantes, "malakoff", commune="Nantes", **MALAKOFF)
    service = make_service(
        session, tours, "epicerie", name="Épicerie", categories=[FOOD]
    )
    other = make_service(session, nantes, "aide", name="Aide Nantes", categories=[FOOD])
    session.commit()
    return World(tours, nantes, place, service, other)


def token_for(kind: ReportedKind, row_id: object, seconds_ago: float = 60) -> str:
    target = reports.Reported(kind, row_id, row_id, "")  # type: ignore[arg-type]
    return reports.form_token(get_settings(), target, time.time() - seconds_ago)


def send(
    client: TestClient,
    path: str,
    kind: ReportedKind,
    row_id: object,
    **fields: str,
) -> object:
    data = {
        "jeton": token_for(kind, row_id),
        "topic": "hours",
        "message": "Le mardi, c'est fermé maintenant.",
        **fields,
    }
    return client.post(path, data=data, follow_redirects=False)


def test_every_public_listing_page_links_to_the_form(
    client: TestClient, world: World
) -> None:
    for path in (
        f"/fr/services/{world.service.id}",
        f"/fr/lieux/{world.place.id}",
        f"/fr/structures/{world.tours.id}",
    ):
        page = client.get(path)
        assert f'href="{path}/signaler"' in page.text
        form = client.get(f"{path}/signaler")
        assert form.status_code == 200 and 'name="jeton"' in form.text
        assert "reperes_espace" not in form.cookies  # residents get no cookie
        assert 'name="email"' not in form.text and 'name="name"' not in form.text


def test_a_report_lands_with_its_organisation(
    client: TestClient, session: Session, world: World
) -> None:
    path = f"/fr/services/{world.service.id}/signaler"
    sent = send(client, path, ReportedKind.service, world.service.id, topic="closed")
    assert sent.status_code == 303  # type: ignore[attr-defined]
    assert sent.headers["location"] == f"{path}/merci"  # type: ignore[attr-defined]
    assert "Merci" in client.get(f"{path}/merci").text
    report = session.exec(select(ChangeReport)).one()
    assert report.organization_id == world.tours.id
    assert report.entity_type == ReportedKind.service
    assert report.listing_name == "Épicerie" and report.topic == "closed"
    assert report.status == ReportStatus.new and report.lang == "fr"
    # A place's and an organisation's reports reach the same organisation.
    place_path = f"/ar/lieux/{world.place.id}/signaler"
    send(client, place_path, ReportedKind.place, world.place.id, message=HOSTILE)
    org_path = f"/fr/structures/{world.tours.id}/signaler"
    send(client, org_path, ReportedKind.organization, world.tours.id)
    rows = session.exec(select(ChangeReport)).all()
    assert {r.organization_id for r in rows} == {world.tours.id}
    arabic = next(r for r in rows if r.entity_type == ReportedKind.place)
    assert arabic.message == HOSTILE and arabic.lang == "ar"


def test_bad_input_is_refused_next_to_the_field_and_nothing_is_kept(
    client: TestClient, session: Session, world: World
) -> None:
    path = f"/ar/services/{world.service.id}/signaler"
    kind, sid = ReportedKind.service, world.service.id
    for fields, field in (
        ({"topic": "nope"}, "topic"),
        ({"message": ""}, "message"),
        ({"message": "a\x00b c"}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": "privé \ue000"}, "message"),
    ):
        answer = send(client, path, kind, sid, **fields)
        assert answer.status_code == 400, fields  # type: ignore[attr-defined]
        assert f'id="err-{field}"' in answer.text  # type: ignore[attr-defined]
        assert 'dir="rtl"' in answer.text  # type: ignore[attr-defined]
    kept = send(client, path, kind, sid, topic="nope", message="<b>gras</b>")
    assert "&lt;b&gt;gras&lt;/b&gt;" in kept.text  # type: ignore[attr-defined]
    assert session.exec(select(ChangeReport)).all() == []


def test_spam_is_kept_out_without_a_captcha(
    client: TestClient, session: Session, world: World
) -> None:
    path = f"/fr/services/{world.service.id}/signaler"
    kind, sid = ReportedKind.service, world.service.id
    # The honeypot: told it went well, nothing kept.
    trap = send(client, path, kind, sid, site_web="http://spam.example")
    assert trap.status_code == 303  # type: ignore[attr-defined]
    # No token, a forged one, another listing's, one sent at once.
    for token in (
        "",
        "forged",
        token_for(kind, world.nantes_service.id),
        token_for(kind, sid, seconds_ago=0),
        token_for(kind, sid, seconds_ago=3 * 3600),
    ):
        refused = send(client, path, kind, sid, jeton=token)
        assert refused.status_code == 400, token  # type: ignore[attr-defined]
        assert 'class="form-errors"' in refused.text  # type: ignore[attr-defined]
    cross = client.post(
        path,
        data={"jeton": token_for(kind, sid), "topic": "hours", "message": "abc"},
        headers={"Sec-Fetch-Site": "cross-site"},
        follow_redirects=False,
    )
    assert cross.status_code == 400
    assert session.exec(select(ChangeReport)).all() == []


def test_reports_are_rate_limited_per_address(
    client: TestClient, session: Session, world: World
) -> None:
    path = f"/fr/services/{world.service.id}/signaler"
    kind, sid = ReportedKind.service, world.service.id
    limit = reports.PER_IP[0]
    for _ in range(limit):
        assert send(client, path, kind, sid).status_code == 303  # type: ignore[attr-defined]
    refused = send(client, path, kind, sid)
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert int(refused.headers["retry-after"]) > 0  # type: ignore[attr-defined]
    assert "Trop d" in refused.text  # type: ignore[attr-defined]
    assert len(session.exec(select(ChangeReport)).all()) == limit


def test_a_hidden_or_missing_listing_cannot_be_reported(
    client: TestClient, session: Session, world: World
) -> None:
    pro = make_service(
        session,
        world.tours,
        "pro",
        categories=[FOOD],
        visibility=Visibility.professionals,
    )
    gone = make_place(session, world.tours, "ferme", deleted_at=utcnow(), **SANITAS)
    session.commit()
    for path in (
        f"/fr/lieux/{gone.id}/signaler",
        f"/fr/services/{pro.id}/signaler",
        f"/fr/services/{world.place.id}/signaler",  # a place's id as a service
        f"/fr/quartiers/{world.service.id}/signaler",
        f"/xx/services/{world.service.id}/signaler",
    ):
        assert client.get(path).status_code == 404, path
    answer = send(
        client, f"/fr/services/{pro.id}/signaler", ReportedKind.service, pro.id
    )
    assert answer.status_code == 404  # type: ignore[attr-defined]


def _report(session: Session, org: Organization, name: str) -> ChangeReport:
    report = ChangeReport(
        organization_id=org.id,
        entity_type=ReportedKind.organization,
        entity_id=org.id,
        listing_name=name,
        topic="phone",
        message=HOSTILE,
        lang="ar",
    )
    session.add(report)
    session.commit()
    return report


def _status_form(browser: Browser, page: str, report: ChangeReport) -> dict[str, str]:
    html = browser.get(page).text
    form = html.split(f'/{report.id}"', 1)[1]
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version is not None
    return {"version": version.group(1)}


def test_editors_move_a_report_along_readers_only_read(
    client: TestClient, session: Session, world: World
) -> None:
    report = _report(session, world.tours, "Fiche Tours")
    base = f"/fr/espace/structures/{world.tours.id}"
    editor = signed_in(client, session, "ed@tours.fr", world.tours, Role.editor)
    board = editor.get(base)
    assert "1 signalement attend une réponse." in board.text
    assert "&lt;script&gt;alert(1)" in board.text  # the latest, escaped
    listing = editor.get(f"{base}/signalements")
    assert "&lt;script&gt;" in listing.text and "<script>alert" not in listing.text
    assert f'href="{base}/modifier"' in listing.text  # to correct the listing
    version = _status_form(editor, f"{base}/signalements", report)
    moved = editor.post(
        f"{base}/signalements/{report.id}", {"status": "in_progress", **version}
    )
    assert moved.status_code == 303
    session.refresh(report)
    assert report.status == ReportStatus.in_progress and report.version == 2
    # The same (now stale) form again: refused, nothing changes.
    stale = editor.post(
        f"{base}/signalements/{report.id}", {"status": "done", **version}
    )
    assert stale.status_code == 409
    bad = editor.post(
        f"{base}/signalements/{report.id}", {"status": "gone", "version": "2"}
    )
    assert bad.status_code == 409
    session.refresh(report)
    assert report.status == ReportStatus.in_progress
    # Filtered by status.
    assert "Fiche Tours" in editor.get(f"{base}/signalements?statut=in_progress").text
    assert "Fiche Tours" not in editor.get(f"{base}/signalements?statut=done").text
    client.cookies.clear()
    reader = signed_in(client, session, "lu@tours.fr", world.tours, Role.reader)
    page = reader.get(f"{base}/signalements")
    assert page.status_code == 200 and "&lt;script&gt;alert(1)" in page.text
    assert 'name="status"' not in page.text
    refused = reader.post(
        f"{base}/signalements/{report.id}", {"status": "done", "version": "2"}
    )
    assert refused.status_code == 403


def test_another_organisation_sees_and_changes_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    report = _report(session, world.tours, "Asso Tours")
    mine = f"/fr/espace/structures/{world.nantes.id}"
    theirs = f"/fr/espace/structures/{world.tours.id}"
    other = signed_in(client, session, "own@nantes.fr", world.nantes, Role.owner)
    assert "Asso Tours" not in other.get(f"{mine}/signalements").text
    assert other.get(f"{theirs}/signalements").status_code == 403
    # Their report id under my organisation: not found; under theirs: refused.
    sneaky = other.post(
        f"{mine}/signalements/{report.id}", {"status": "done", "version": "1"}
    )
    assert sneaky.status_code == 404
    direct = other.post(
        f"{theirs}/signalements/{report.id}", {"status": "done", "version": "1"}
    )
    assert direct.status_code == 403
    session.refresh(report)
    assert report.status == ReportStatus.new


def test_coordinators_see_only_their_territory(
    client: TestClient, session: Session, world: World
) -> None:
    tours_report = _report(session, world.tours, "Asso Tours")
    nantes_report = _report(session, world.nantes, "Asso Nantes")
    make_coordinator(session, "coord@tours.fr", [world.place.qpv_code or ""])
    make_coordinator(session, "coord@nantes.fr", [MALAKOFF_QPV])
    tours = Browser(client)
    assert tours.sign_in("coord@tours.fr").status_code == 303
    queue = tours.get("/ar/coordination/signalements")
    assert queue.status_code == 200 and 'dir="rtl"' in queue.text
    assert "Asso Tours" in queue.text and "Asso Nantes" not in queue.text
    refused = tours.post(
        f"/fr/coordination/signalements/{nantes_report.id}",
        {"status": "dismissed", "version": "1"},
    )
    assert refused.status_code == 404
    done = tours.post(
        f"/fr/coordination/signalements/{tours_report.id}",
        {"status": "done", "version": "1"},
    )
    assert done.status_code == 303
    session.refresh(tours_report)
    session.refresh(nantes_report)
    assert tours_report.status == ReportStatus.done
    assert tours_report.handled_by == "coord@tours.fr"
    assert nantes_report.status == ReportStatus.new
    client.cookies.clear()
    nantes = Browser(client)
    assert nantes.sign_in("coord@nantes.fr").status_code == 303
    text = nantes.get("/fr/coordination/signalements").text
    assert "Asso Nantes" in text and "Asso Tours" not in text


def test_the_queue_needs_a_coordinator(
    client: TestClient, session: Session, world: World
) -> None:
    signed_out = client.get("/fr/coordination/signalements", follow_redirects=False)
    assert signed_out.status_code == 303
    member = signed_in(client, session, "ed@tours.fr", world.tours, Role.owner)
    assert member.get("/fr/coordination/signalements").status_code == 403


def test_reports_come_in_pages_and_odd_pages_are_safe(
    client: TestClient, session: Session, world: World
) -> None:
    for n in range(reports.PAGE_SIZE + 5):
        _report(session, world.tours, f"Fiche {n:02d}")
    base = f"/fr/espace/structures/{world.tours.id}/signalements"
    owner = signed_in(client, session, "own@tours.fr", world.tours, Role.owner)
    first = owner.get(base).text
    assert first.count('class="report-list"') == 1
    assert "Page 1 sur 2" in first and 'rel="next"' in first
    second = owner.get(f"{base}?page=2").text
    assert second.count("<blockquote") == 5 and 'rel="prev"' in second
    for odd in ("abc", "999", "-1", "%00", "1" * 40):
        answer = owner.get(f"{base}?page={odd}&statut=<script>")
        assert answer.status_code == 200, odd
        assert "<script>" not in answer.text.split("<main", 1)[1].split("</main>")[0]


def test_the_superadmin_sees_every_territory(
    client: TestClient, session: Session, world: World
) -> None:
    _report(session, world.tours, "Fiche Tours")
    _report(session, world.nantes, "Fiche Nantes")
    admin = signed_in(client, session, "admin@example.org", is_superadmin=True)
    text = admin.get("/fr/coordination/signalements").text
    assert "Fiche Tours" in text and "Fiche Nantes" in text
