"""Sending e-mail: through SMTP when a server is configured, else into an outbox.

Without an SMTP host (a developer's machine, a test run, a first install) every
mail is written as an ``.eml`` file under ``settings.outbox_dir`` and logged, so
reset and invitation links can be followed without any mail server.

Mails are plain text first: they are read on phones, in webmail, sometimes
aloud by a screen reader, by people for whom French may be a second language.
Their wording lives in Jinja templates under ``web/templates/mail/``, rendered
in the recipient's language.
"""

from __future__ import annotations

import logging
import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from api.i18n import use_locale
from api.settings import Settings
from web.templating import environment

log = logging.getLogger("reperes.mail")

# Long enough for a slow relay, short enough that a request sending a reset
# mail does not hang a worker when the server is gone.
SMTP_TIMEOUT = 10
# The port of SMTP over TLS from the first byte ("SMTPS"), where STARTTLS
# would hang until the timeout.
IMPLICIT_TLS_PORT = 465
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Mail:
    """One message to one person; ``html`` is an optional alternative part."""

    to: str
    subject: str
    text: str
    html: str | None = None


def build_message(
    mail: Mail, settings: Settings, *, cte: str | None = None
) -> EmailMessage:
    """The RFC 5322 message for ``mail``.

    ``cte`` forces a body encoding: SMTP gets quoted-printable so any relay
    accepts it (7-bit clean); the outbox keeps the default (8-bit UTF-8) so a
    developer can read the file, accents and links intact.
    """
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    # An explicit domain: without one, make_msgid asks DNS for the host name.
    message["Message-ID"] = make_msgid(domain=_domain(settings.mail_from))
    message.set_content(mail.text, cte=cte)
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html", cte=cte)
    return message


def send(mail: Mail, settings: Settings) -> Path | None:
    """Send ``mail``; returns the outbox file when there is no SMTP server.

    SMTP errors (``smtplib.SMTPException``, ``OSError``) are raised: whether a
    failed mail fails the request is the caller's decision.
    """
    if settings.smtp_host:
        _send_smtp(build_message(mail, settings, cte="quoted-printable"), settings)
        return None
    return _write_outbox(build_message(mail, settings), mail, settings)


def render_mail(template_name: str, locale: str, **context: Any) -> tuple[str, str]:
    """Render ``web/templates/mail/<template_name>`` in ``locale``: (subject, text).

    The first line of the rendered template is the subject, the rest the body,
    so the two are translated together. ``"reset"``, ``"reset.txt"`` and
    ``"mail/reset.txt"`` name the same template.
    """
    name = template_name.removeprefix("mail/")
    if "." not in name:
        name += ".txt"
    with use_locale(locale):
        rendered = environment.get_template(f"mail/{name}").render(
            {"lang": locale, **context}
        )
    subject, _, body = rendered.partition("\n")
    subject = subject.strip()
    if not subject:
        raise ValueError(f"mail/{name}: the first line (the subject) is empty")
    return subject, body.strip("\n") + "\n"


def _send_smtp(message: EmailMessage, settings: Settings) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_port == IMPLICIT_TLS_PORT:
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=SMTP_TIMEOUT,
            context=context,
        )
    else:
        smtp = smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT
        )
    with smtp:
        if settings.smtp_starttls and settings.smtp_port != IMPLICIT_TLS_PORT:
            smtp.starttls(context=context)
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def _write_outbox(message: EmailMessage, mail: Mail, settings: Settings) -> Path:
    """Write the message as ``<UTC time>-<random>.eml``: ``ls`` lists in send order."""
    outbox = Path(settings.outbox_dir)
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    path = outbox / f"{stamp}-{secrets.token_hex(3)}.eml"
    # CRLF line ends, as RFC 5322 has them; "x" never overwrites another mail.
    crlf = message.policy.clone(linesep="\r\n")
    with path.open("xb") as handle:
        handle.write(message.as_bytes(policy=crlf))
    # Links (reset, invitation) are bearer secrets: logged for a developer,
    # never in production, where the outbox is a misconfiguration to fix.
    links = "" if settings.environment == "production" else _links(mail.text)
    log.info("mail to %s, %r, written to %s%s", mail.to, mail.subject, path, links)
    return path


def _links(text: str) -> str:
    found = _LINK.findall(text)
    return (" — links: " + " ".join(found)) if found else ""


def _domain(address: str) -> str:
    _, email = parseaddr(address)
    return email.rpartition("@")[2] or "reperes.localhost"
