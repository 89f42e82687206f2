"""The person's data: encrypted at rest (the raw database never holds the
first name), erased after the retention period, absent from logs; hostile
and Arabic text kept exactly and escaped."""

from __future__ import annotations

import io
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text, update
from sqlmodel import Session, select
from typer.testing import CliRunner

from api.cli import app as cli
from api.models import Referral, ReferralEvent, Role, utcnow
from api.observability.logging import configure_logging
from api.services.referrals import crypto, listing, purge
from api.settings import Settings, get_settings
from tests.conftest import ON_POSTGRES
from tests.referrals.helpers import (
    CONTACT,
    FIRST_NAME,
    NEED,
    answer,
    browser_for,
    parties,
    send,
)

ARABIC_NAME = "زبيدة"


def raw_database(engine: Engine) -> bytes:
    """What someone with a copy of the database reads, without the key."""
    if not ON_POSTGRES:
        path = Path(str(engine.url.database))
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT r::text FROM referral r "
                "UNION ALL SELECT e::text FROM referralevent e"
            )
        ).scalars()
        return "\n".join(rows).encode()


def test_the_database_does_not_hold_the_persons_data_in_clear(
    client: TestClient, session: Session, engine: Engine
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    referral_id = send(sender, p, first_name=ARABIC_NAME)
    second = send(sender, p)
    answer(receiver, second, "decline", reason="Refus motivé pour Zoubida")
    raw = raw_database(engine)
    assert raw.count(b"gAAAAA") >= 7  # Fernet tokens: 2 needs, names, contacts, reason
    for secret in (FIRST_NAME, ARABIC_NAME, CONTACT, NEED, "Refus motivé"):
        assert secret.encode() not in raw, secret
    page = receiver.get(f"/fr/espace/orientations/{referral_id}").text
    assert ARABIC_NAME in page


def test_purge_erases_the_persons_data_after_the_period_and_keeps_the_count(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
    old, recent = send(sender, p), send(sender, p)
    answer(receiver, old, "decline", reason="Complet")
    settings = get_settings()
    now = utcnow()
    assert purge.purge(session, now + timedelta(days=89), settings) == 0
    assert purge.purge(session, now + timedelta(days=91), settings) == 2
    rows = session.exec(select(Referral)).all()
    assert all(r.purged_at and r.need_secret is None for r in rows)
    assert all(r.first_name_secret is r.contact_secret is None for r in rows)
    assert session.exec(select(ReferralEvent.reason_secret)).all() == [None] * 3
    week = (now - timedelta(days=1), now + timedelta(days=1))
    assert listing.people_oriented(session, [p.sender.id], *week) == 2
    page = sender.get(f"/fr/espace/orientations/{recent}").text
    assert FIRST_NAME not in page and "Effacées le" in page
    assert purge.purge(session, now + timedelta(days=400), settings) == 0  # once


def test_opening_the_referrals_page_purges_what_is_due(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    send(sender, p)
    session.execute(update(Referral).values(created_at=utcnow() - timedelta(days=91)))
    session.commit()
    sender.get("/fr/espace/orientations?vue=envoyees")
    session.expire_all()
    assert session.exec(select(Referral.first_name_secret)).one() is None


@pytest.mark.usefixtures("use_database")
def test_the_purge_command_honours_the_retention_setting(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = parties(session)
    session.add(
        Referral(
            service_id=p.service.id,
            sender_organization_id=p.sender.id,
            receiver_organization_id=p.receiver.id,
            sender_label="x",
            theme="sante",
            urgency="normal",
            status="sent",
            consent=True,
            first_name_secret=crypto.seal(FIRST_NAME, get_settings()),
            created_at=utcnow() - timedelta(days=10),
        )
    )
    session.commit()
    runner = CliRunner()
    kept = runner.invoke(cli, ["purge-referrals"])
    assert kept.exit_code == 0 and "0 referral(s) purged" in kept.output
    monkeypatch.setenv("REPERES_REFERRAL_RETENTION_DAYS", "7")
    get_settings.cache_clear()
    done = runner.invoke(cli, ["purge-referrals"])
    assert done.exit_code == 0 and "1 referral(s) purged" in done.output
    session.expire_all()
    assert session.exec(select(Referral.first_name_secret)).one() is None


def test_keys_rotate_and_production_needs_one(tmp_path: Path) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    sealed = crypto.seal(FIRST_NAME, Settings(referral_key=old))
    both = Settings(referral_key=f"{new},{old}")
    assert crypto.unseal(sealed, both) == FIRST_NAME
    rotated = crypto.reseal(sealed, both)
    assert crypto.unseal(rotated, Settings(referral_key=new)) == FIRST_NAME
    assert crypto.unseal(sealed, Settings(referral_key=new)) is None  # lost key
    production = Settings(environment="production", secret_key="a-real-secret")
    with pytest.raises(crypto.ReferralKeyMissing, match="REPERES_REFERRAL_KEY"):
        crypto.seal(FIRST_NAME, production)
    with pytest.raises(ValueError, match="Fernet key"):
        Settings(referral_key="not-a-key")


def test_logs_carry_no_personal_data(client: TestClient, session: Session) -> None:
    stream = io.StringIO()
    configure_logging(get_settings(), stream=stream)
    try:
        p = parties(session)
        sender = browser_for(client, session, "alice@sanitas.example", p.sender)
        receiver = browser_for(client, session, "bob@bastie.example", p.receiver)
        referral_id = send(sender, p)
        answer(receiver, referral_id, "decline", reason="Refus motivé")
        receiver.get(f"/fr/espace/orientations/{referral_id}")
    finally:
        configure_logging(get_settings())
    logged = stream.getvalue()
    assert "/fr/espace/orientations" in logged
    for secret in (FIRST_NAME, CONTACT, NEED, "Refus motivé"):
        assert secret not in logged


def test_hostile_text_is_refused_or_escaped_and_arabic_kept(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    sender.get(f"/fr/espace/orientations/nouvelle?service={p.service.id}")
    from tests.referrals.helpers import referral_form

    for field, value in (("need", "aide\x00"), ("first_name", "Zou\nbida")):
        refused = sender.post(
            "/fr/espace/orientations/nouvelle", referral_form(p, **{field: value})
        )
        assert refused.status_code == 400
        assert f'id="err-{field}"' in refused.text
    assert session.exec(select(Referral)).all() == []
    script = "<script>alert(1)</script>"
    need = f"يحتاج مساعدة في ملف السكن {script}"
    referral_id = send(sender, p, need=need, first_name=ARABIC_NAME)
    page = sender.get(f"/ar/espace/orientations/{referral_id}")
    assert page.status_code == 200 and 'dir="rtl"' in page.text
    assert script not in page.text and unescape(page.text).count(script) == 1
    assert "يحتاج مساعدة في ملف السكن" in page.text and ARABIC_NAME in page.text


def test_in_production_without_a_key_referrals_refuse_to_store_anything(
    client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    sender.get(f"/fr/espace/orientations/nouvelle?service={p.service.id}")
    production = Settings(environment="production", secret_key="a-real-secret-key")
    client.app.dependency_overrides[get_settings] = lambda: production
    try:
        from tests.referrals.helpers import referral_form

        response = sender.post("/fr/espace/orientations/nouvelle", referral_form(p))
    finally:
        del client.app.dependency_overrides[get_settings]
    assert response.status_code == 503
    assert "pas encore configurées" in unescape(response.text)
    assert "REPERES_REFERRAL_KEY must be set in production" in caplog.text
    assert session.exec(select(Referral)).all() == []


def test_either_organisation_can_erase_the_persons_data_at_once(
    client: TestClient, session: Session
) -> None:
    p = parties(session)
    sender = browser_for(client, session, "alice@sanitas.example", p.sender)
    stranger = browser_for(client, session, "eve@autre.example", p.third, Role.owner)
    referral_id = send(sender, p)
    path = f"/fr/espace/orientations/{referral_id}/effacer"
    assert stranger.post(path, {"version": "1"}).status_code == 404
    assert sender.post(path, {"version": "0"}).status_code == 409
    assert session.exec(select(Referral.first_name_secret)).one() is not None
    done = sender.post(path, {"version": "1"})
    assert done.status_code == 303
    session.expire_all()
    row = session.exec(select(Referral)).one()
    assert row.purged_at is not None and row.first_name_secret is None
    page = sender.get(done.headers["location"]).text
    assert "Les informations sur la personne sont effacées" in page
    assert FIRST_NAME not in page


@pytest.mark.usefixtures("use_database")
def test_the_rotate_command_re_encrypts_under_the_new_key(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = crypto.new_key(), crypto.new_key()
    monkeypatch.setenv("REPERES_REFERRAL_KEY", old)
    get_settings.cache_clear()
    p = parties(session)
    session.add(
        Referral(
            service_id=p.service.id,
            sender_organization_id=p.sender.id,
            receiver_organization_id=p.receiver.id,
            sender_label="x",
            theme="sante",
            urgency="normal",
            status="sent",
            consent=True,
            first_name_secret=crypto.seal(FIRST_NAME, get_settings()),
        )
    )
    session.commit()
    printed = CliRunner().invoke(cli, ["referral-key"]).output.strip()
    assert Fernet(printed)  # a usable key
    monkeypatch.setenv("REPERES_REFERRAL_KEY", f"{new},{old}")
    get_settings.cache_clear()
    done = CliRunner().invoke(cli, ["rotate-referral-key"])
    assert done.exit_code == 0 and "1 referral(s) re-encrypted" in done.output
    session.expire_all()
    token = session.exec(select(Referral.first_name_secret)).one()
    assert crypto.unseal(token, Settings(referral_key=new)) == FIRST_NAME
