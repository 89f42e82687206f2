"""Under moderation a spreadsheet upload changes a published service as the
API does: its new details wait for a coordinator, the public keeps the
approved version, sending the file again queues nothing more, and what a
review cannot carry (hours, places) is refused for that row alone."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.models import (
    ChangeAction,
    CoordinatorScope,
    Organization,
    PendingChange,
    Revision,
    Service,
    ServiceStatus,
)
from api.services.coordination import moderation
from api.services.listings.revisions import Actor
from tests.espace.helpers import Browser, make_user, sanitas_organization, signed_in
from tests.espace.test_import_upload import row, sheet, token_of, upload

HOSTILE = "Épicerie <script>alert(1)</script> بقالة"


@pytest.fixture
def org(session: Session) -> Organization:
    return sanitas_organization(session)


@pytest.fixture
def editor(client: TestClient, session: Session, org: Organization) -> Browser:
    return signed_in(client, session, "ed@example.org", org, name="Edith")


def _send(browser: Browser, org: Organization, rows: list[dict[str, str]]) -> str:
    """Upload and confirm; the confirmation page."""
    status, html = upload(browser, org, sheet(rows).encode())
    assert status in (200, 400), html
    if 'name="token"' not in html:
        return html
    confirmed = browser.post(
        f"/fr/espace/structures/{org.id}/import/confirmer", {"token": token_of(html)}
    )
    assert confirmed.status_code == 200
    return confirmed.text


@pytest.fixture
def published(editor: Browser, org: Organization, session: Session) -> Service:
    """A service imported before its territory turned moderation on."""
    _send(editor, org, [row()])
    coordinator = make_user(session, "coord@example.org")
    session.add(
        CoordinatorScope(
            user_id=coordinator.id, name="Tours", communes=["37261"], moderation=True
        )
    )
    session.commit()
    service = session.exec(select(Service)).one()
    assert service.status == ServiceStatus.published
    return service


def _pending(session: Session) -> list[PendingChange]:
    session.expire_all()
    return list(session.exec(select(PendingChange)).all())


def _revisions(session: Session, service: Service) -> int:
    return len(
        session.exec(select(Revision.id).where(Revision.entity_id == service.id)).all()
    )


def test_a_changed_published_service_waits_for_review(
    editor: Browser, org: Organization, session: Session, published: Service
) -> None:
    before = _revisions(session, published)
    status, preview = upload(editor, org, sheet([row(service_nom=HOSTILE)]).encode())
    assert status == 200
    assert "1 modification attend une validation" in preview
    assert _pending(session) == []  # the preview writes nothing
    done = editor.post(
        f"/fr/espace/structures/{org.id}/import/confirmer",
        {"token": token_of(preview)},
    )
    assert "1 modification attend une validation" in done.text
    assert "<script>alert" not in done.text
    [change] = _pending(session)
    assert change.action == ChangeAction.update
    assert change.values["name"] == HOSTILE
    assert change.organization_id == org.id
    # The public still sees the approved version; nothing was written to it.
    session.refresh(published)
    assert published.name == row()["service_nom"]
    assert _revisions(session, published) == before
    # The same file again: the same request, not a second one.
    _send(editor, org, [row(service_nom=HOSTILE)])
    assert len(_pending(session)) == 1
    # Approved, it applies what the file said.
    moderation.approve(session, change, Actor("user", "Coordination"))
    session.refresh(published)
    assert published.name == HOSTILE
    assert published.status == ServiceStatus.published


def test_the_same_file_queues_nothing(
    editor: Browser, org: Organization, session: Session, published: Service
) -> None:
    status, html = upload(editor, org, sheet([row()]).encode())
    assert status == 200 and "Services inchangés : 1" in html
    assert "attend une validation" not in html
    assert 'name="token"' not in html  # nothing to confirm
    assert _pending(session) == []


def test_hours_of_a_published_service_are_refused_and_nothing_queued(
    editor: Browser, org: Organization, session: Session, published: Service
) -> None:
    changed = [row(horaires="Mo 09:00-12:00", service_nom=HOSTILE)]
    status, html = upload(editor, org, sheet(changed).encode(), lang="en")
    lines = dict(re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td></tr>", html))
    assert list(lines) == ["2"]
    assert "published" in lines["2"]
    assert 'name="token"' not in html
    assert _pending(session) == []


def test_a_new_service_under_moderation_is_a_draft_beside_the_queued_change(
    editor: Browser, org: Organization, session: Session, published: Service
) -> None:
    html = _send(
        editor,
        org,
        [row(service_nom=HOSTILE), row(service_id="nouveau", service_nom="Nouveau")],
    )
    assert "Services créés : 1" in html
    assert "1 modification attend une validation" in html
    fresh = session.exec(select(Service).where(Service.source_id == "nouveau")).one()
    assert fresh.status == ServiceStatus.draft
    assert len(_pending(session)) == 1
