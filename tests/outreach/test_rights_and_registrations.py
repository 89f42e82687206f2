"""The anonymous rights check and the structures' monthly registrations."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import Registration, Revision, RightsCheck, Role
from tests.espace.helpers import Browser
from tests.outreach.helpers import (
    MALAKOFF,
    SANITAS,
    World,
    coordinator,
    member,
)


def _check(organization: Any, **values: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "day": "2026-11-12",
        "qpv_code": SANITAS,
        "organization_id": str(organization.id),
        "discussed": ["rsa", "css"],
        "mobilised": ["rsa"],
        "not_mobilised": ["css"],
        "reasons": ["unknown", "digital"],
        "confidence_before": "1",
        "confidence_after": "3",
        "proposed": ["sante"],
    }
    form.update(values)
    return form


def test_a_rights_check_is_recorded_without_anything_about_the_person(
    session: Session, world: World, partner: Browser
) -> None:
    page = BeautifulSoup(partner.get("/fr/aller-vers/droits").text, "html.parser")
    fields = {field["name"] for field in page.select("form.outreach-form [name]")}
    assert not {"name", "first_name", "phone", "email", "contact"} & fields
    assert not page.select("form.outreach-form textarea")  # no free text at all
    assert page.select("input[name=confidence_before][type=radio]")

    response = partner.post("/fr/aller-vers/droits", _check(world.tours))

    assert response.status_code == 303
    check = session.exec(select(RightsCheck)).one()
    assert check.mobilised == ["rsa"] and check.not_mobilised == ["css"]
    assert sorted(check.discussed) == ["css", "rsa"]
    assert (check.confidence_before, check.confidence_after) == (1, 3)


def test_a_rights_check_refuses_personal_fields_and_contradictions(
    session: Session, world: World, partner: Browser
) -> None:
    both = partner.post(
        "/ar/aller-vers/droits", _check(world.tours, not_mobilised=["rsa"])
    )
    assert both.status_code == 400 and 'id="err-not_mobilised"' in both.text
    unknown = partner.post(
        "/fr/aller-vers/droits", _check(world.tours, reasons=["<script>"])
    )
    assert unknown.status_code == 400 and 'id="err-reasons"' in unknown.text
    scale = partner.post(
        "/fr/aller-vers/droits", _check(world.tours, confidence_after="9")
    )
    assert scale.status_code == 400 and 'id="err-confidence_after"' in scale.text
    assert session.exec(select(RightsCheck)).first() is None


def test_a_rights_check_is_for_ones_own_organisation_or_territory(
    client: TestClient, session: Session, world: World, partner: Browser
) -> None:
    theirs = partner.post("/fr/aller-vers/droits", _check(world.nantes))
    assert theirs.status_code == 400
    partner.client.cookies.clear()
    coordination = coordinator(client, session, "coord@tours.fr", [SANITAS])
    outside = coordination.post(
        "/fr/aller-vers/droits",
        _check(world.tours, organization_id="", qpv_code=MALAKOFF),
    )
    assert outside.status_code == 400
    inside = coordination.post(
        "/fr/aller-vers/droits", _check(world.tours, organization_id="")
    )
    assert inside.status_code == 303
    assert len(session.exec(select(RightsCheck)).all()) == 1


def test_registrations_are_reported_and_corrected_per_month(
    session: Session, world: World, partner: Browser
) -> None:
    form = {
        "organization_id": str(world.tours.id),
        "month": "2026-10",
        "qpv_code": SANITAS,
        "new_registrations": "14",
        "first_visits": "30",
    }
    assert partner.post("/fr/aller-vers/frequentation", form).status_code == 303
    corrected = {**form, "new_registrations": "15"}
    assert partner.post("/fr/aller-vers/frequentation", corrected).status_code == 303
    row = session.exec(select(Registration)).one()
    assert (row.new_registrations, row.first_visits, row.version) == (15, 30, 2)
    assert (
        len(session.exec(select(Revision).where(Revision.entity_id == row.id)).all())
        == 2
    )
    page = BeautifulSoup(
        partner.get("/fr/aller-vers/frequentation").text, "html.parser"
    )
    cells = [td.text for td in page.select("table.outreach-table td")]
    assert cells == ["octobre 2026", "Centre social Tours", "Sanitas", "15", "30"]


def test_registrations_refuse_bad_months_and_other_organisations(
    session: Session, world: World, partner: Browser
) -> None:
    base = {"organization_id": str(world.tours.id), "new_registrations": "1"}
    for month in ("2026-13", "1999-01", "2999-01", "oct", "2026-1\x00"):
        response = partner.post(
            "/fr/aller-vers/frequentation", {**base, "month": month}
        )
        assert response.status_code == 400, month
        assert 'id="err-month"' in response.text
    theirs = partner.post(
        "/fr/aller-vers/frequentation",
        {**base, "month": "2026-10", "organization_id": str(world.nantes.id)},
    )
    assert theirs.status_code == 400
    assert session.exec(select(Registration)).first() is None


def test_a_reader_sees_registrations_but_no_form(
    client: TestClient, session: Session, world: World
) -> None:
    reader = member(client, session, "rita@tours.fr", world.tours, Role.reader)
    page = reader.get("/fr/aller-vers/frequentation")
    assert (
        page.status_code == 200
        and '<form method="post" action="/fr/aller-vers/frequentation"' not in page.text
    )
    refused = reader.post(
        "/fr/aller-vers/frequentation",
        {"organization_id": str(world.tours.id), "month": "2026-10"},
    )
    assert refused.status_code == 400
    assert reader.get("/fr/aller-vers/droits").status_code == 403
