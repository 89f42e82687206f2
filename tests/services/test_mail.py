"""Mail: the outbox file a developer reads, a real SMTP round trip, the templates."""

from __future__ import annotations

import logging
import re
import socket
from collections.abc import Iterator
from datetime import date
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from api.services.system.mail import Mail, render_mail, send
from api.settings import Settings

LINK = "http://127.0.0.1:8000/fr/espace/mot-de-passe/abc.DEF-123_x?a=1"
TEXT = f"Bonjour Élodie,\n\nVoici le lien : {LINK}\n\nÀ bientôt, l'équipe Repères\n"


def outbox_settings(tmp_path: Path, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "smtp_host": "",
        "outbox_dir": tmp_path / "var" / "outbox",  # does not exist yet
        "mail_from": "Repères <no-reply@reperes.example>",
        **changes,
    }
    return Settings(**values)


def parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def body(part: EmailMessage | None) -> str:
    """A text part's content with the line ends a reader shows (CRLF on the wire)."""
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def test_without_smtp_the_mail_is_written_to_the_outbox_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = outbox_settings(tmp_path)
    mail = Mail(
        to="elodie@example.org", subject="Réinitialisation du mot de passe", text=TEXT
    )

    with caplog.at_level(logging.INFO, logger="reperes.mail"):
        path = send(mail, settings)

    assert path is not None and path.parent == settings.outbox_dir
    assert path.suffix == ".eml"
    raw = path.read_bytes()
    assert b"\r\n" in raw  # RFC 5322 line ends
    message = parse(raw)
    assert message["To"] == "elodie@example.org"
    assert message["From"] == "Repères <no-reply@reperes.example>"
    assert message["Subject"] == "Réinitialisation du mot de passe"
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["Message-ID"].endswith("@reperes.example>")
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert body(message) == TEXT
    # A developer can read it as is: the link is in the file unencoded.
    assert LINK.encode() in raw

    (record,) = [r for r in caplog.records if r.name == "reperes.mail"]
    line = record.getMessage()
    assert str(path) in line
    assert "elodie@example.org" in line
    assert "Réinitialisation du mot de passe" in line
    assert LINK in line


def test_outbox_names_sort_in_sending_order(tmp_path: Path) -> None:
    settings = outbox_settings(tmp_path)
    paths = [
        send(Mail(to="a@example.org", subject=f"n°{i}", text="x"), settings)
        for i in range(5)
    ]
    assert sorted(settings.outbox_dir.iterdir()) == paths
    assert len(set(paths)) == 5


def test_an_html_part_is_an_alternative_to_the_text(tmp_path: Path) -> None:
    mail = Mail(to="a@example.org", subject="S", text=TEXT, html="<p>Élodie</p>")
    path = send(mail, outbox_settings(tmp_path))
    assert path is not None
    message = parse(path.read_bytes())
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert body(plain) == TEXT
    assert "<p>Élodie</p>" in body(html)


def test_links_stay_out_of_the_log_in_production(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = outbox_settings(
        tmp_path, environment="production", secret_key="a-real-production-secret"
    )
    with caplog.at_level(logging.INFO, logger="reperes.mail"):
        path = send(Mail(to="a@example.org", subject="S", text=TEXT), settings)
    line = caplog.records[-1].getMessage()
    assert str(path) in line and "a@example.org" in line
    assert LINK not in line


class Collector:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(
        collector,
        hostname="127.0.0.1",
        port=port,
        authenticator=collector.authenticate,
        auth_require_tls=False,  # a test server on loopback
    )
    controller.start()
    yield collector, port
    controller.stop()


def test_with_smtp_the_mail_arrives(
    smtp_server: tuple[Collector, int], tmp_path: Path
) -> None:
    collector, port = smtp_server
    settings = outbox_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=port)
    mail = Mail(to="elodie@example.org", subject="Invitation à Repères", text=TEXT)

    assert send(mail, settings) is None

    assert not settings.outbox_dir.exists()
    (envelope,) = collector.envelopes
    assert envelope.rcpt_tos == ["elodie@example.org"]
    assert envelope.mail_from == "no-reply@reperes.example"
    assert collector.logins == []  # no user configured, no login
    assert isinstance(envelope.original_content, bytes)
    assert max(envelope.original_content) < 128  # 7-bit clean for any relay
    message = parse(envelope.original_content)
    assert message["Subject"] == "Invitation à Repères"
    assert body(message) == TEXT
    assert LINK in body(message)


def test_with_smtp_credentials_the_sender_logs_in(
    smtp_server: tuple[Collector, int], tmp_path: Path
) -> None:
    collector, port = smtp_server
    settings = outbox_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_user="reperes",
        smtp_password="s3cret",
    )
    send(Mail(to="a@example.org", subject="S", text="x"), settings)
    assert collector.logins == [(b"reperes", b"s3cret")]
    assert [e.rcpt_tos for e in collector.envelopes] == [["a@example.org"]]


# A number alone would be found in any link or date: the needles that are
# numbers say what they count.
MAIL_CASES: list[tuple[str, dict[str, Any], list[str | re.Pattern[str]]]] = [
    (
        "reset.txt",
        {"link": "https://x.test/fr/espace/mot-de-passe/TOKEN", "hours": 2},
        [
            "https://x.test/fr/espace/mot-de-passe/TOKEN",
            re.compile(r"\b2 (heures|hours)\b"),
        ],
    ),
    (
        "invite.txt",
        {
            "link": "https://x.test/fr/espace/invitation/TOKEN",
            "organization": "Secours Populaire Tours",
            "role": "responsable",
            "inviter": "Anne Martin",
            "days": 7,
        },
        [
            "https://x.test/fr/espace/invitation/TOKEN",
            "Secours Populaire Tours",
            "responsable",
            "Anne Martin",
            re.compile(r"\b7 (jours|days)\b"),
        ],
    ),
    (
        "reminder.txt",
        {
            "organizations": [
                {
                    "name": "Épicerie solidaire",
                    "services": ["Colis alimentaires", "Atelier cuisine"],
                    "link": "https://x.test/confirmer/ORG1",
                },
                {
                    "name": "Maison de quartier",
                    "services": ["Écrivain public"],
                    "link": "https://x.test/confirmer/ORG2",
                },
            ],
            "since": date(2025, 3, 4),
            "signin_link": "https://x.test/fr/espace/connexion",
        },
        [
            "Épicerie solidaire",
            "- Colis alimentaires",
            "- Atelier cuisine",
            "https://x.test/confirmer/ORG1",
            "Maison de quartier",
            "- Écrivain public",
            "https://x.test/confirmer/ORG2",
            "https://x.test/fr/espace/connexion",
            re.compile(r"\b4 mars 2025\b|\bMarch 4, 2025\b"),
        ],
    ),
    (
        "moderation.txt",
        {
            "name": "Permanence CAF",
            "approved": False,
            "message": "Merci d'ajouter les horaires du samedi.",
            "link": "https://x.test/fr/services/42",
        },
        [
            "Permanence CAF",
            "Merci d'ajouter les horaires du samedi.",
            "https://x.test/fr/services/42",
        ],
    ),
]


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize(("template", "context", "expected"), MAIL_CASES)
def test_mail_templates_render_with_their_placeholders(
    template: str,
    context: dict[str, Any],
    expected: list[str | re.Pattern[str]],
    locale: str,
) -> None:
    subject, text = render_mail(template, locale, **context)
    assert subject and "\n" not in subject
    for needle in expected:
        if isinstance(needle, re.Pattern):
            assert needle.search(text), (needle.pattern, text)
        else:
            assert needle in text
    assert "%(" not in subject + text and "{{" not in text and "{%" not in text
    assert not text.startswith("\n") and text.endswith("\n")


def test_subjects_carry_their_placeholders() -> None:
    subject, _ = render_mail(
        "invite", "fr", link="L", organization="Épicerie", role="r", inviter="", days=1
    )
    assert "Épicerie" in subject
    subject, _ = render_mail("moderation", "fr", name="Permanence CAF", approved=True)
    assert "Permanence CAF" in subject


def test_french_wording_and_plurals() -> None:
    _, text = render_mail("reset", "fr", link="L", hours=2)
    assert "2 heures" in text
    _, text = render_mail("reset", "fr", link="L", hours=1)
    assert "1 heure." in text
    _, text = render_mail(
        "reminder", "fr", organizations=[], since=date(2025, 3, 4), signin_link="L"
    )
    assert "4 mars 2025" in text


def test_mail_renders_in_the_requested_locale() -> None:
    _, french = render_mail(
        "reminder", "fr", organizations=[], since=date(2025, 3, 4), signin_link="L"
    )
    _, english = render_mail(
        "reminder", "en", organizations=[], since=date(2025, 3, 4), signin_link="L"
    )
    assert "4 mars 2025" in french
    assert "March 4, 2025" in english


def test_a_rendered_mail_is_sent_whole(tmp_path: Path) -> None:
    subject, text = render_mail("reset.txt", "fr", link=LINK, hours=2)
    path = send(
        Mail(to="a@example.org", subject=subject, text=text), outbox_settings(tmp_path)
    )
    assert path is not None
    message = parse(path.read_bytes())
    assert message["Subject"] == subject
    assert LINK in body(message)
