"""The partner space as a partner tries it (issue 14): restore with a
confirmation step, a word diff that keeps its spaces, languages picked by
name, a permanence's mode and place that agree, saving as checking, and a
read-only view for readers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Organization, Permanence, Role, Service, utcnow
from api.services.accounts.auth import issue_token
from api.services.listings.history import Segment, word_diff
from api.services.listings.revisions import SYSTEM, save
from api.services.partner import reminders
from tests.espace.helpers import Browser, sanitas_organization, signed_in
from tests.factories import make_place, make_service

FOOD = "equipement-et-alimentation--alimentation"
SANITAS = {"lat": 47.38165, "lon": 0.69977}
FIRST = "Atelier de formation. Viens le lundi. Café offert."
SECOND = "Atelier de formation."
ARABIC_FIRST = "ورشة تدريب. تعال يوم الاثنين."
ARABIC_SECOND = "ورشة تدريب."
SERVICE = {
    "name": "Atelier",
    "categories": [FOOD],
    "publics": ["tous-publics"],
    "fees": "free",
    "languages": ["fr"],
    "status": "published",
    "visibility": "public",
}


@pytest.fixture
def org(session: Session) -> Organization:
    return sanitas_organization(session)


@pytest.fixture
def editor(client: TestClient, session: Session, org: Organization) -> Browser:
    return signed_in(client, session, "ed@example.org", org, name="Edith")


def base(org: Organization) -> str:
    return f"/fr/espace/structures/{org.id}"


def only_service(session: Session) -> Service:
    session.expire_all()
    return session.exec(select(Service)).one()


def shown(segments: list[Segment], without: str) -> str:
    """The text a reader sees, leaving out one kind of run."""
    return "".join(s.text for s in segments if s.op != without)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (FIRST, SECOND),
        (SECOND, FIRST),
        ("Bonjour. Viens le lundi.", "Viens le lundi."),
        ("Un atelier de formation.", "Un atelier d'information. Viens."),
        (ARABIC_FIRST, ARABIC_SECOND),
        ("A B", "C D"),
    ],
)
def test_the_word_diff_keeps_a_space_between_sentences(before: str, after: str) -> None:
    segments = word_diff(before, after)
    assert shown(segments, "delete") == after
    assert shown(segments, "insert").split() == before.split()
    everything = "".join(s.text for s in segments)
    assert "formation.Viens" not in everything and "تدريب.تعال" not in everything
    assert ".V" not in everything and "BC" not in everything


def test_history_shows_sentences_apart_then_restore_asks_first(
    editor: Browser, session: Session, org: Organization
) -> None:
    editor.post(f"{base(org)}/services/nouveau", {**SERVICE, "description": FIRST})
    service = only_service(session)
    url = f"{base(org)}/services/{service.id}"
    saved = editor.post(url, {**SERVICE, "description": SECOND, "version": "1"})
    assert saved.status_code == 303
    history = BeautifulSoup(editor.get(f"{url}/historique").text, "html.parser")
    removed = history.select_one("dd del")
    assert removed is not None and removed.get_text() == " Viens le lundi. Café offert."
    # Going back: a page says what will come back, nothing changes yet.
    link = history.select_one(f'a[href="{url}/historique/1"]')
    assert link is not None
    confirm = editor.get(f"{url}/historique/1")
    assert confirm.status_code == 200
    page = BeautifulSoup(confirm.text, "html.parser")
    assert "Viens le lundi." in page.select_one("dl.changes").get_text()
    assert only_service(session).version == 2
    button = page.select_one(f'form[action="{url}/historique/1"] button')
    assert button is not None
    done = editor.post(f"{url}/historique/1", {"current": "2"})
    assert done.status_code == 303
    assert done.headers["location"].endswith("historique?fait=version-retablie")
    after = editor.get(done.headers["location"])
    assert "la version choisie est revenue" in after.text
    assert only_service(session).description == FIRST
    assert editor.get(f"{url}/historique/99").status_code == 404


def test_the_arabic_history_keeps_its_spaces(
    editor: Browser, session: Session, org: Organization
) -> None:
    editor.post(
        f"{base(org)}/services/nouveau", {**SERVICE, "description": ARABIC_FIRST}
    )
    service = only_service(session)
    url = f"/ar/espace/structures/{org.id}/services/{service.id}"
    editor.post(url, {**SERVICE, "description": ARABIC_SECOND, "version": "1"})
    page = editor.get(f"{url}/historique")
    assert 'dir="rtl"' in page.text
    removed = BeautifulSoup(page.text, "html.parser").select_one("dd del")
    assert removed is not None and removed.get_text() == " تعال يوم الاثنين."


def test_languages_are_picked_by_name_and_unknown_codes_are_kept(
    editor: Browser, session: Session, org: Organization
) -> None:
    form = BeautifulSoup(
        editor.get(f"{base(org)}/services/nouveau").text, "html.parser"
    )
    arabic = form.select_one('input[name="languages"][value="ar"]')
    assert arabic is not None
    assert "arabe" in arabic.parent.get_text()
    assert form.select_one('input[name="languages"][value="fr"]').has_attr("checked")
    ar_form = editor.get(f"/ar/espace/structures/{org.id}/services/nouveau").text
    assert "العربية" in ar_form
    created = editor.post(
        f"{base(org)}/services/nouveau",
        {**SERVICE, "languages": ["ar", "fr"], "languages_other": "zza, WO"},
    )
    assert created.status_code == 303
    service = only_service(session)
    assert service.languages == ["ar", "fr", "wo", "zza"]
    url = f"{base(org)}/services/{service.id}"
    edit = BeautifulSoup(editor.get(url).text, "html.parser")
    assert edit.select_one("#f-languages_other")["value"] == "zza"  # type: ignore[index]
    assert edit.select_one('input[value="wo"]').has_attr("checked")
    # Saved again as shown: the code outside the list stays.
    kept = editor.post(
        url,
        {
            **SERVICE,
            "languages": ["ar", "fr", "wo"],
            "languages_other": "zza",
            "version": str(service.version),
        },
    )
    assert kept.status_code == 303
    assert only_service(session).languages == ["ar", "fr", "wo", "zza"]
    bad = editor.post(
        url,
        {**SERVICE, "languages_other": "français", "version": str(service.version + 1)},
    )
    assert bad.status_code == 400 and 'id="err-languages"' in bad.text
    assert 'value="français"' in bad.text  # what was typed is kept
    assert only_service(session).languages == ["ar", "fr", "wo", "zza"]


def test_a_new_permanence_mode_and_place_agree(
    editor: Browser, session: Session, org: Organization
) -> None:
    editor.post(f"{base(org)}/services/nouveau", SERVICE)
    service = only_service(session)
    new = f"{base(org)}/permanences/nouveau?service={service.id}"
    form = BeautifulSoup(editor.get(new).text, "html.parser")
    assert form.select_one('input[name="mode"][value="phone"]').has_attr("checked")
    place = make_place(session, org, "maison", name="Maison", **SANITAS)
    session.commit()
    form = BeautifulSoup(editor.get(new).text, "html.parser")
    assert form.select_one('input[name="mode"][value="in_person"]').has_attr("checked")
    chosen = form.select_one("#f-place_id option[selected]")
    assert chosen is not None and chosen["value"] == str(place.id)
    refused = editor.post(
        f"{base(org)}/permanences/nouveau",
        {
            "service_id": str(service.id),
            "mode": "in_person",
            "place_id": "",
            "hours_mode": "raw",
            "opening_hours": "Mo 09:00-12:00",
        },
    )
    assert refused.status_code == 400
    page = BeautifulSoup(refused.text, "html.parser")
    message = page.select_one("#err-place_id")
    assert message is not None and "Choisissez le lieu" in message.get_text()
    assert page.select_one('input[name="mode"][value="in_person"]').has_attr("checked")
    assert page.select_one("#f-opening_hours")["value"] == "Mo 09:00-12:00"  # type: ignore[index]


def test_creating_or_saving_a_service_counts_as_checking_it(
    editor: Browser, client: TestClient, session: Session, org: Organization
) -> None:
    editor.post(f"{base(org)}/services/nouveau", SERVICE)
    service = only_service(session)
    assert service.last_confirmed_at is not None
    assert utcnow() - service.last_confirmed_at < timedelta(minutes=5)
    token = issue_token(session, org, "sync", ["read", "write"]).secret
    session.commit()
    made = client.post(
        "/api/v1/partner/services",
        json={"name": "Par l'API", "categories": [FOOD]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201
    assert made.json()["last_confirmed_at"] is not None
    bulk = {"services": [{"source_id": "S-1", "name": "En lot", "categories": [FOOD]}]}
    sent = client.post(
        "/api/v1/partner/bulk",
        json=bulk,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert sent.status_code == 200, sent.text
    again = client.post(
        "/api/v1/partner/bulk",
        json=bulk,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert again.json()["counts"]["service"] == {"unchanged": 1}  # still a no-op
    unchecked = [
        s.name
        for s in session.exec(select(Service)).all()
        if s.last_confirmed_at is None
    ]
    assert unchecked == []
    # Nothing to remind anyone of, minutes after creation.
    assert reminders.due(session, months=6) == []
    # An old check moves when a person saves the form.
    service.last_confirmed_at = utcnow() - timedelta(days=400)
    session.add(service)
    session.commit()
    assert [d.organization.id for d in reminders.due(session, 6)] == [org.id]
    url = f"{base(org)}/services/{service.id}"
    session.refresh(service)
    assert (
        editor.post(url, {**SERVICE, "version": str(service.version)}).status_code
        == 303
    )
    session.refresh(service)
    checked = service.last_confirmed_at
    assert checked is not None and utcnow() - checked < timedelta(minutes=5)


@pytest.mark.parametrize("role", [Role.reader, Role.editor, Role.owner])
def test_each_role_sees_the_listing_it_can_act_on(
    client: TestClient, session: Session, org: Organization, role: Role
) -> None:
    place = make_place(session, org, "maison", name="Maison <b>", **SANITAS)
    session.commit()
    browser = signed_in(client, session, f"{role.value}@example.org", org, role)
    url = f"{base(org)}/lieux/{place.id}"
    page = browser.get(url)
    assert page.status_code == 200
    html = BeautifulSoup(page.text, "html.parser")
    save_form = html.select_one(f'form[action="{url}"]')
    if role == Role.reader:
        assert save_form is None and html.select_one("dl.read-only") is not None
        assert "Maison <b>" in html.select_one("dl.read-only").get_text()
        assert not html.select(f'form[action="{url}/supprimer"]')
        assert html.select_one("#f-name") is None
        history = browser.get(f"{url}/historique")
        assert history.status_code == 200
        assert f'{url}/historique/1"' not in history.text
        assert browser.get(f"{url}/historique/1").status_code == 403
        refused = browser.post(
            url, {"name": "Pris", "commune": "Tours", "version": "1"}
        )
        assert refused.status_code == 403
    else:
        assert save_form is not None and html.select_one("dl.read-only") is None
        assert html.select_one("#f-name")["value"] == "Maison <b>"  # type: ignore[index]


def test_a_reader_reads_a_permanence_in_words(
    client: TestClient, session: Session, org: Organization
) -> None:
    place = make_place(session, org, "maison", name="Maison", **SANITAS)
    service = make_service(session, org, "aide", name="Aide", categories=[FOOD])
    permanence = Permanence(
        service_id=service.id, place_id=place.id, opening_hours="Tu 09:00-12:00"
    )
    save(session, permanence, SYSTEM)
    session.commit()
    reader = signed_in(client, session, "lu@example.org", org, Role.reader)
    url = f"{base(org)}/permanences/{permanence.id}"
    page = BeautifulSoup(reader.get(url).text, "html.parser")
    shown = page.select_one("dl.read-only")
    assert shown is not None and page.select_one("form.espace-form") is None
    text = shown.get_text()
    assert "Maison" in text and "Aide" in text and "mardi" in text
