"""The permanence form's every-other-week anchor, and schedules in words on
the partner dashboard — through the real app."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Organization, Permanence, Place, Service
from api.models.common import utcnow
from api.services.schedules.hours import paris_day
from tests.espace.helpers import Browser
from tests.espace.test_listings import (  # noqa: F401
    SERVICE,
    base,
    create_place,
    editor,
    only,
    org,
)

__all__ = ["editor", "org"]


def _form(service: Service, place: Place, **rule: object) -> dict[str, object]:
    return {
        "service_id": str(service.id),
        "mode": "in_person",
        "place_id": str(place.id),
        "hours_mode": "builder",
        "rule-0-days": "Tu",
        "rule-0-start1": "09:00",
        "rule-0-end1": "12:00",
        "ph-off": "on",
        **rule,
    }


def _setup(
    browser: Browser, session: Session, org: Organization
) -> tuple[Service, Place]:  # noqa: F811
    create_place(browser, org)
    assert browser.post(f"{base(org)}/services/nouveau", SERVICE).status_code == 303
    return only(session, Service), only(session, Place)  # type: ignore[return-value]


def test_every_other_week_from_the_builder_is_anchored_and_shown_in_words(
    editor: Browser,  # noqa: F811
    session: Session,
    org: Organization,  # noqa: F811
    client: TestClient,
) -> None:
    service, place = _setup(editor, session, org)
    form = editor.get(f"{base(org)}/permanences/nouveau?service={service.id}")
    assert 'name="biweekly_anchor"' in form.text and 'type="date"' in form.text
    week = paris_day(utcnow()).isocalendar().week
    assert f"Cette semaine est la semaine {week}," in form.text
    response = editor.post(
        f"{base(org)}/permanences/nouveau",
        _form(
            service, place, **{"rule-0-frequency": "biweekly", "rule-0-parity": "odd"}
        ),
    )
    assert response.status_code == 303, response.text
    permanence = only(session, Permanence)
    assert permanence.opening_hours == "week 01-53/2 Tu 09:00-12:00; PH off"  # type: ignore[attr-defined]
    # No date typed: today's, so the parity chosen now keeps its rhythm.
    assert permanence.biweekly_anchor == paris_day(utcnow())  # type: ignore[attr-defined]
    dashboard = editor.get(f"{base(org)}")
    assert "week 01-53/2" not in dashboard.text
    assert "une semaine sur deux, à partir de la semaine du" in dashboard.text


def test_a_typed_anchor_is_kept_and_a_weekly_schedule_gets_none(
    editor: Browser,  # noqa: F811
    session: Session,
    org: Organization,  # noqa: F811
) -> None:
    service, place = _setup(editor, session, org)
    editor.post(
        f"{base(org)}/permanences/nouveau",
        _form(
            service,
            place,
            **{
                "rule-0-frequency": "biweekly",
                "rule-0-parity": "even",
                "biweekly_anchor": "2027-01-12",
            },
        ),
    )
    permanence = only(session, Permanence)
    assert str(permanence.biweekly_anchor) == "2027-01-12"  # type: ignore[attr-defined]
    # Back to every week: the anchor goes, instead of a refusal.
    response = editor.post(
        f"{base(org)}/permanences/{permanence.id}",  # type: ignore[attr-defined]
        {
            **_form(service, place, **{"biweekly_anchor": "2027-01-12"}),
            "version": "1",
        },
    )
    assert response.status_code == 303, response.text
    permanence = only(session, Permanence)
    assert permanence.opening_hours == "Tu 09:00-12:00; PH off"  # type: ignore[attr-defined]
    assert permanence.biweekly_anchor is None  # type: ignore[attr-defined]
