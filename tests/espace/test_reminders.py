"""Reminder mails through a real local SMTP server, and the signed one-click
"still valid" link they carry (no sign-in needed for that one action)."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.models import Role, Service, utcnow
from api.services.partner.reminders import send_reminders
from api.settings import Settings
from tests.espace.helpers import Browser, make_user
from tests.factories import make_organization, make_service
from tests.services.test_mail import Collector, smtp_server  # noqa: F401


def settings_for(port: int, tmp_path: Path) -> Settings:
    return Settings(
        smtp_host="127.0.0.1",
        smtp_port=port,
        base_url="http://testserver",
        outbox_dir=tmp_path / "outbox",
    )


def test_reminders_reach_owners_and_editors_by_smtp(
    smtp_server: tuple[Collector, int],  # noqa: F811
    tmp_path: Path,
    session: Session,
    client: TestClient,
) -> None:
    collector, port = smtp_server
    org = make_organization(session, "asso", name="Asso des Rives")
    quiet = make_organization(session, "calme")
    old = make_service(session, org, "aide-ancienne", name="Aide ancienne")
    old.last_confirmed_at = utcnow() - timedelta(days=250)
    fresh = make_service(session, org, "aide-recente", name="Aide récente")
    fresh.last_confirmed_at = utcnow() - timedelta(days=10)
    make_service(session, quiet, "aide-calme").last_confirmed_at = utcnow()
    session.commit()
    make_user(session, "owner@example.org", org, Role.owner)
    make_user(session, "reader@example.org", org, Role.reader)

    assert send_reminders(session, settings_for(port, tmp_path), months=6) == 1
    (envelope,) = collector.envelopes
    assert envelope.rcpt_tos == ["owner@example.org"]  # readers get none
    message = message_from_bytes(envelope.original_content, policy=default)
    body = message.get_content()
    assert "Aide ancienne" in body and "Aide récente" not in body
    assert "Asso des Rives" in body

    link = re.search(r"http://testserver(/fr/espace/valider/\S+)", body).group(1)
    visitor = Browser(TestClient(client.app))  # not signed in
    page = visitor.get(link)
    assert page.status_code == 200 and "Aide ancienne" in page.text
    session.expire_all()
    assert session.get(Service, old.id).last_confirmed_at < utcnow() - timedelta(
        days=200
    )
    done = visitor.post(link)
    assert done.status_code == 200 and "Merci" in done.text
    session.expire_all()
    assert session.get(Service, old.id).last_confirmed_at > utcnow() - timedelta(
        minutes=1
    )
    forged = visitor.get(link[:-4] + "abcd")
    assert forged.status_code == 400
    # Nothing left to remind.
    assert send_reminders(session, settings_for(port, tmp_path), months=6) == 0


def test_cli_sends_reminders_to_the_outbox(
    tmp_path: Path, session: Session, use_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from api.cli import app
    from api.settings import get_settings

    org = make_organization(session, "asso", email="contact@asso.example")
    old = make_service(session, org, "aide", name="Permanence Zephyr")
    # Never confirmed: its age counts from its creation, eight months ago.
    old.created_at = utcnow() - timedelta(days=240)
    session.add(old)
    # Never confirmed either, but created today: checked at creation, not due.
    make_service(session, org, "nouveau", name="Atelier Quetzal")
    session.commit()
    monkeypatch.setenv("REPERES_OUTBOX_DIR", str(tmp_path / "outbox"))
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["send-reminders", "--months", "6"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent" in result.output
    (mail,) = (tmp_path / "outbox").glob("*.eml")
    assert "contact@asso.example" in mail.read_text()
    assert "Zephyr" in mail.read_text() and "Quetzal" not in mail.read_text()
