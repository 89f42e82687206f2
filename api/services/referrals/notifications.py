"""Mails about referrals: to the sender on every status change, to the
receiving organisation's editors and owners when one arrives.

A mail names the service and the organisations and links to the referral's
page; never the person (first name, contact, need, reason): mailboxes are
read on shared computers and kept for years.
"""

from __future__ import annotations

import logging
import smtplib

from sqlmodel import Session, col, select

from api.models import Membership, Referral, Role, User
from api.services.referrals.referrals import Seen
from api.services.system import links, mail
from api.settings import Settings

log = logging.getLogger("reperes.referrals")


def _send(
    to: list[str], seen: Seen, event: str, settings: Settings, locale: str
) -> None:
    subject, text = mail.render_mail(
        "referral.txt",
        locale,
        event=event,
        service_name=seen.service.name,
        sender_name=seen.sender.name,
        receiver_name=seen.receiver.name,
        link=links.absolute(
            f"/{locale}/espace/orientations/{seen.referral.id}", settings
        ),
    )
    for address in to:
        try:
            mail.send(mail.Mail(to=address, subject=subject, text=text), settings)
        except (smtplib.SMTPException, OSError):
            # The decision is recorded; the page shows it. Only the id is logged.
            log.warning("referral mail not sent (referral %s)", seen.referral.id)


def tell_sender(session: Session, seen: Seen, settings: Settings, locale: str) -> None:
    referral: Referral = seen.referral
    user = (
        session.get(User, referral.sender_user_id) if referral.sender_user_id else None
    )
    if user is None or not user.is_active or user.deleted_at is not None:
        return
    _send([user.email], seen, referral.status.value, settings, locale)


def tell_receivers(
    session: Session, seen: Seen, settings: Settings, locale: str
) -> None:
    addresses = session.exec(
        select(User.email)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(
            Membership.organization_id == seen.referral.receiver_organization_id,
            col(Membership.role).in_([Role.editor, Role.owner]),
            col(User.is_active).is_(True),
            col(User.deleted_at).is_(None),
        )
        .order_by(col(User.email))
    ).all()
    _send(list(addresses), seen, "sent", settings, locale)
