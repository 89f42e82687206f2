"""Logging outreach actions: the form without JavaScript, validation, replay,
history, delete/restore, and who may read or write which action."""

from __future__ import annotations

import uuid
from datetime import date

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.i18n import LOCALES
from api.models import Organization, OutreachAction, Permanence, Revision, Role
from api.services.listings.revisions import SYSTEM, save
from api.services.outreach.forms import commit_once
from tests.espace.helpers import Browser
from tests.factories import make_place, make_service
from tests.outreach.helpers import (
    MALAKOFF,
    SANITAS,
    World,
    action_form,
    coordinator,
    member,
)


def _only_action(session: Session) -> OutreachAction:
    session.expire_all()
    return session.exec(select(OutreachAction)).one()


def _logged(partner: Browser, session: Session, world: World) -> OutreachAction:
    """The action the Tours editor logs through the form."""
    sent = partner.post("/fr/aller-vers/nouveau", action_form(world.tours))
    assert sent.status_code == 303
    return _only_action(session)


def _instead(
    client: TestClient,
    session: Session,
    email: str,
    organization: Organization,
    role: Role = Role.editor,
) -> Browser:
    """Whoever was signed in on ``client`` signs out; ``email`` signs in."""
    client.cookies.clear()
    return member(client, session, email, organization, role)


def test_a_partner_logs_an_action_with_a_plain_form(
    session: Session, world: World, partner: Browser
) -> None:
    page = BeautifulSoup(partner.get("/fr/aller-vers/nouveau").text, "html.parser")
    form = page.select_one("form.outreach-form")
    assert form is not None and form["method"] == "post"
    names = {field["name"] for field in form.select("[name]")}
    assert {"day", "type", "qpv_code", "organization_id", "people_met"} <= names
    assert {"partners", "oriented_to", "languages", "note", "csrf"} <= names
    assert page.select_one("label[for=f-qpv_code]") is not None

    response = partner.post(
        "/fr/aller-vers/nouveau",
        action_form(world.tours, partners=[str(world.nantes.id)]),
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith("/fr/aller-vers/")
    action = _only_action(session)
    assert (action.qpv_code, action.type, action.people_met) == (SANITAS, "stand", 12)
    assert action.organization_id == world.tours.id
    assert action.partners == [str(world.nantes.id)]
    assert sorted(action.oriented_to) == ["numerique", "sante"]
    assert action.languages == ["ar", "fr"]
    revision = session.exec(
        select(Revision).where(Revision.entity_id == action.id)
    ).one()
    assert revision.version == 1 and revision.actor_label == "anna@tours.fr"
    listing = partner.get("/fr/aller-vers/").text
    assert f"/fr/aller-vers/{action.id}" in listing


def test_bad_values_are_shown_next_to_their_field_and_nothing_is_written(
    session: Session, world: World, partner: Browser
) -> None:
    response = partner.post(
        "/ar/aller-vers/nouveau",
        action_form(world.tours, people_oriented="40", qpv_code="XX", note="a\x00b"),
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#err-people_oriented") is not None
    assert page.select_one("#err-note") is not None
    assert page.select_one("#f-people_met")["value"] == "12"  # kept
    assert page.select_one("html")["dir"] == "rtl"
    assert session.exec(select(OutreachAction)).first() is None


def test_an_unknown_qpv_or_someone_elses_organisation_is_refused(
    session: Session, world: World, partner: Browser
) -> None:
    unknown = partner.post(
        "/fr/aller-vers/nouveau", action_form(world.tours, qpv_code="QN99999Z")
    )
    assert unknown.status_code == 400 and 'id="err-qpv_code"' in unknown.text
    theirs = partner.post("/fr/aller-vers/nouveau", action_form(world.nantes))
    assert theirs.status_code == 400 and 'id="err-organization_id"' in theirs.text
    assert session.exec(select(OutreachAction)).first() is None


def test_hostile_text_is_stored_as_typed_and_shown_escaped(
    session: Session, world: World, partner: Browser
) -> None:
    note = "<script>alert(1)</script> سوق الأحد\nligne 2"
    partner.post("/fr/aller-vers/nouveau", action_form(world.tours, note=note))
    action = _only_action(session)
    assert action.note == note
    page = partner.get(f"/fr/aller-vers/{action.id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; سوق الأحد" in page


def test_the_same_form_sent_twice_is_recorded_once(
    session: Session, world: World, partner: Browser
) -> None:
    ref = str(uuid.uuid4())
    for _ in range(2):
        sent = partner.post(
            "/fr/aller-vers/nouveau", action_form(world.tours, client_ref=ref)
        )
        assert sent.status_code == 303
    assert len(session.exec(select(OutreachAction)).all()) == 1


def test_someone_elses_replay_key_is_not_shared(
    client: TestClient, session: Session, world: World
) -> None:
    ref = str(uuid.uuid4())
    tours = member(client, session, "anna@tours.fr", world.tours)
    tours.post("/fr/aller-vers/nouveau", action_form(world.tours, client_ref=ref))
    nantes = _instead(client, session, "bob@nantes.fr", world.nantes)
    sent = nantes.post(
        "/fr/aller-vers/nouveau",
        action_form(world.nantes, qpv_code=MALAKOFF, client_ref=ref),
    )
    assert sent.status_code == 303
    refs = {
        a.organization_id: a.client_ref for a in session.exec(select(OutreachAction))
    }
    assert refs == {world.tours.id: ref, world.nantes.id: None}


def test_an_entry_racing_its_replay_keeps_the_first_one(
    session: Session, world: World
) -> None:
    ref = str(uuid.uuid4())

    def entry(people: int) -> OutreachAction:
        return OutreachAction(
            day=date(2026, 11, 12),
            type="stand",
            qpv_code=SANITAS,
            organization_id=world.tours.id,
            people_met=people,
            client_ref=ref,
        )

    kept = entry(4)
    session.add(kept)
    session.commit()
    racing = entry(5)
    assert commit_once(session, racing, ref, lambda: session.add(racing)) == kept
    assert len(session.exec(select(OutreachAction)).all()) == 1


def test_an_edit_keeps_its_history_and_a_stale_form_is_refused(
    session: Session, world: World, partner: Browser
) -> None:
    action = _logged(partner, session, world)
    edited = action_form(world.tours, people_met="20", version="1")
    assert partner.post(f"/fr/aller-vers/{action.id}", edited).status_code == 303
    assert _only_action(session).people_met == 20
    page = BeautifulSoup(partner.get(f"/fr/aller-vers/{action.id}").text, "html.parser")
    history = page.select("ol.history > li")
    assert len(history) == 2
    assert "12" in history[0].text and "20" in history[0].text

    stale = partner.post(
        f"/fr/aller-vers/{action.id}",
        action_form(world.tours, people_met="30", version="1"),
    )
    assert stale.status_code == 409
    assert 'value="30"' in stale.text  # what they typed is kept
    assert _only_action(session).people_met == 20


def test_delete_is_soft_and_restorable(
    session: Session, world: World, partner: Browser
) -> None:
    action = _logged(partner, session, world)
    assert partner.post(f"/fr/aller-vers/{action.id}/supprimer").status_code == 303
    assert _only_action(session).deleted_at is not None
    assert str(action.id) not in partner.get("/fr/aller-vers/").text
    assert str(action.id) in partner.get("/fr/aller-vers/?supprimees=1").text
    assert partner.post(f"/fr/aller-vers/{action.id}/restaurer").status_code == 303
    assert _only_action(session).deleted_at is None


def test_another_organisation_can_neither_read_nor_edit_an_action(
    client: TestClient, session: Session, world: World, partner: Browser
) -> None:
    action = _logged(partner, session, world)
    nantes = _instead(client, session, "bob@nantes.fr", world.nantes)
    assert nantes.get(f"/fr/aller-vers/{action.id}").status_code == 404
    edit = nantes.post(
        f"/fr/aller-vers/{action.id}", action_form(world.nantes, version="1")
    )
    assert edit.status_code == 404
    assert nantes.post(f"/fr/aller-vers/{action.id}/supprimer").status_code == 404
    assert str(action.id) not in nantes.get("/fr/aller-vers/").text
    assert _only_action(session).deleted_at is None


def test_a_reader_sees_the_action_without_a_form_and_cannot_write(
    client: TestClient, session: Session, world: World, partner: Browser
) -> None:
    action = _logged(partner, session, world)
    reader = _instead(client, session, "rita@tours.fr", world.tours, Role.reader)
    page = reader.get(f"/fr/aller-vers/{action.id}")
    assert page.status_code == 200
    assert "outreach-form" not in page.text and "Sanitas" in page.text
    assert reader.get("/fr/aller-vers/nouveau").status_code == 403
    assert (
        reader.post("/fr/aller-vers/nouveau", action_form(world.tours)).status_code
        == 403
    )
    assert reader.post(f"/fr/aller-vers/{action.id}/supprimer").status_code == 403


def test_coordinators_see_their_territory_only(
    client: TestClient, session: Session, world: World, partner: Browser
) -> None:
    partner.post("/fr/aller-vers/nouveau", action_form(world.tours))
    nantes = _instead(client, session, "bob@nantes.fr", world.nantes)
    nantes.post("/fr/aller-vers/nouveau", action_form(world.nantes, qpv_code=MALAKOFF))
    nantes.client.cookies.clear()
    actions = {a.qpv_code: a for a in session.exec(select(OutreachAction)).all()}

    coordinator_tours = coordinator(client, session, "coord@tours.fr", [SANITAS])
    listing = coordinator_tours.get("/fr/aller-vers/").text
    assert str(actions[SANITAS].id) in listing
    assert str(actions[MALAKOFF].id) not in listing and "Malakoff" not in listing
    assert (
        coordinator_tours.get(f"/fr/aller-vers/{actions[MALAKOFF].id}").status_code
        == 404
    )
    # A coordinator logs in their territory only.
    outside = coordinator_tours.post(
        "/fr/aller-vers/nouveau", action_form(None, qpv_code=MALAKOFF)
    )
    assert outside.status_code == 400
    inside = coordinator_tours.post("/fr/aller-vers/nouveau", action_form(None))
    assert inside.status_code == 303


def test_signed_out_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/fr/aller-vers/", "/fr/aller-vers/nouveau", "/fr/aller-vers/droits"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert "/fr/espace/connexion" in response.headers["location"]
    assert client.post(
        "/fr/aller-vers/nouveau", follow_redirects=False
    ).status_code in (
        303,
        403,
    )


def test_the_position_picks_the_containing_or_nearest_qpv(partner: Browser) -> None:
    inside = partner.get("/fr/aller-vers/qpv-proche?lat=47.38165&lon=0.69977").json()
    assert inside == {"code": SANITAS, "name": "Sanitas", "inside": True}
    near = partner.get("/fr/aller-vers/qpv-proche?lat=47.2&lon=-1.6").json()
    assert near["code"].startswith("QN044") and near["inside"] is False
    assert partner.get("/fr/aller-vers/qpv-proche?lat=999&lon=0").status_code == 422


def test_the_service_worker_is_served_under_the_outreach_pages(
    client: TestClient,
) -> None:
    response = client.get("/fr/aller-vers/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "caches.open" in response.text


def test_the_qpv_list_follows_where_the_organisation_works(
    client: TestClient, session: Session, world: World
) -> None:
    make_place(
        session, world.tours, "local", lat=47.38165, lon=0.69977, insee_code="37261"
    )
    session.commit()
    partner = member(client, session, "anna@tours.fr", world.tours)
    page = BeautifulSoup(partner.get("/fr/aller-vers/nouveau").text, "html.parser")
    offered = {o["value"] for o in page.select("#f-qpv_code option") if o["value"]}
    assert SANITAS in offered and MALAKOFF not in offered
    assert all(code.startswith("QN037") for code in offered)


def test_every_interface_language_renders_the_outreach_pages(
    partner: Browser,
) -> None:
    for lang in LOCALES:
        for path in ("", "nouveau", "droits", "frequentation"):
            response = partner.get(f"/{lang}/aller-vers/{path}")
            assert response.status_code == 200, (lang, path)
            assert "__N__" in response.text  # the offline count's template


def test_the_list_is_paged(client: TestClient, session: Session, world: World) -> None:
    for day in range(1, 31):
        save(
            session,
            OutreachAction(
                day=date(2026, 11, day),
                type="stand",
                qpv_code=SANITAS,
                organization_id=world.tours.id,
                people_met=1,
            ),
            SYSTEM,
        )
    session.commit()
    partner = member(client, session, "anna@tours.fr", world.tours)
    first = BeautifulSoup(partner.get("/fr/aller-vers/").text, "html.parser")
    assert len(first.select("table.outreach-table tbody tr")) == 25
    assert "Page 1 sur 2" in first.select_one("nav.pagination").text
    assert first.select_one("a[rel=next]")["href"] == "?page=2"
    second = BeautifulSoup(partner.get("/fr/aller-vers/?page=2").text, "html.parser")
    assert len(second.select("table.outreach-table tbody tr")) == 5
    filtered = partner.get("/fr/aller-vers/?du=2026-11-28&au=2026-11-30&page=9")
    assert len(BeautifulSoup(filtered.text, "html.parser").select("tbody tr")) == 3
    bad = partner.get("/fr/aller-vers/?du=hier")
    assert bad.status_code == 200 and 'id="err-du"' in bad.text


def test_a_malformed_action_id_is_a_404_page(partner: Browser) -> None:
    for path in ("/fr/aller-vers/pas-un-id", "/ar/aller-vers/%3Cscript%3E"):
        response = partner.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
    assert partner.post("/fr/aller-vers/pas-un-id/supprimer").status_code == 404


def test_the_services_proposed_are_chosen_among_those_held_in_the_qpv(
    session: Session, world: World, partner: Browser
) -> None:
    here = make_place(
        session, world.tours, "local", lat=47.38165, lon=0.69977, insee_code="37261"
    )
    assert SANITAS in (here.qpv_code, here.near_qpv_code)
    held = make_service(session, world.tours, "ecrivain", name="Écrivain public")
    weekly = Permanence(
        service_id=held.id, place_id=here.id, opening_hours="Mo 09:00-12:00"
    )
    save(session, weekly, SYSTEM)
    make_service(session, world.nantes, "loin", name="Aide Malakoff")
    draft = make_service(session, world.tours, "brouillon", status="draft")
    session.commit()
    action = _logged(partner, session, world)
    path = f"/fr/aller-vers/{action.id}"
    page = BeautifulSoup(partner.get(path).text, "html.parser")
    offered = {i["value"] for i in page.select("#f-oriented_services input")}
    assert offered == {str(held.id)}

    for wrong in (draft.id, uuid.uuid4()):  # published elsewhere is allowed
        refused = partner.post(
            path, action_form(world.tours, version="1", oriented_services=[str(wrong)])
        )
        assert refused.status_code == 400
        assert 'id="err-oriented_services"' in refused.text
    assert _only_action(session).oriented_services == []

    chosen = action_form(world.tours, version="1", oriented_services=[str(held.id)])
    assert partner.post(path, chosen).status_code == 303
    assert _only_action(session).oriented_services == [str(held.id)]
    history = partner.get(path).text
    assert "Services proposés" in history and "Écrivain public" in history


def test_a_malformed_action_id_is_the_404_page(partner: Browser) -> None:
    for path in ("/fr/aller-vers/pas-un-id", "/ar/aller-vers/1"):
        page = partner.get(path)
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
