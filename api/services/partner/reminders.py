"""Reminders to keep listings current: who has services unconfirmed for N
months, the mail with a signed one-click "still valid" link per organisation,
and what that link does."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.models import Membership, Organization, Role, Service, User, utcnow
from api.services.listings.revisions import Actor
from api.services.partner.editing import Partner, confirm
from api.services.system import links, mail
from api.settings import Settings

LINK_ACTOR = Actor("system", "lien « toujours valable »")


@dataclass
class Due:
    organization: Organization
    services: list[Service]
    recipients: list[str]


def due(session: Session, months: int, now: datetime | None = None) -> list[Due]:
    """Organisations with live services unconfirmed for ``months`` months."""
    limit = (now or utcnow()) - timedelta(days=round(months * 30.44))
    services = session.exec(
        select(Service)
        .where(
            col(Service.deleted_at).is_(None),
            col(Service.status).in_(["published", "pending"]),
            # Never confirmed counts from creation: a listing is checked when
            # created, whatever wrote it (forms, API, bulk, imports).
            func.coalesce(Service.last_confirmed_at, Service.created_at) < limit,
        )
        .order_by(col(Service.name))
    ).all()
    by_org: dict[uuid.UUID, list[Service]] = defaultdict(list)
    for service in services:
        by_org[service.organization_id].append(service)
    found = []
    for organization_id, rows in by_org.items():
        organization = session.get(Organization, organization_id)
        if organization is None or organization.deleted_at is not None:
            continue
        emails = recipients(session, organization)
        if emails:
            found.append(Due(organization, rows, emails))
    return sorted(found, key=lambda d: d.organization.name)


def recipients(session: Session, organization: Organization) -> list[str]:
    """Owners and editors; the organisation's own address when it has none."""
    emails = session.exec(
        select(User.email)
        .join(Membership)
        .where(
            Membership.organization_id == organization.id,
            col(Membership.role).in_([Role.owner, Role.editor]),
            col(User.is_active).is_(True),
        )
    ).all()
    return sorted(set(emails)) or ([organization.email] if organization.email else [])


def confirm_link(due_item: Due, settings: Settings, locale: str) -> str:
    token = links.make(
        "confirm",
        {
            "org": str(due_item.organization.id),
            "services": [str(s.id) for s in due_item.services],
        },
        settings,
    )
    return links.url(f"/{locale}/espace/valider", token, settings)


def send_reminders(
    session: Session, settings: Settings, months: int, locale: str = "fr"
) -> int:
    """One mail per recipient and organisation; returns how many were sent."""
    return send_due(due(session, months), settings, locale)


def send_due(items: list[Due], settings: Settings, locale: str = "fr") -> int:
    """The reminder mail for each of ``items``, to each of its recipients
    (also used by a coordinator's reminders); returns how many were sent."""
    sent = 0
    for item in items:
        subject, text = mail.render_mail(
            "reminder.txt",
            locale,
            since=None,
            organizations=[
                {
                    "name": item.organization.name,
                    "services": [s.name for s in item.services],
                    "link": confirm_link(item, settings, locale),
                }
            ],
            signin_link=links.absolute(f"/{locale}/espace/connexion", settings),
        )
        for email in item.recipients:
            mail.send(mail.Mail(to=email, subject=subject, text=text), settings)
            sent += 1
    return sent


def read_confirm_link(
    token: str, settings: Settings
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    payload = links.read("confirm", token, settings)
    try:
        return uuid.UUID(payload["org"]), [uuid.UUID(s) for s in payload["services"]]
    except (TypeError, ValueError) as error:
        raise links.LinkError(str(error)) from error


def services_of(
    session: Session, organization_id: uuid.UUID, service_ids: list[uuid.UUID]
) -> list[Service]:
    """The link's services that are still this organisation's and live."""
    return list(
        session.exec(
            select(Service).where(
                col(Service.id).in_(service_ids),
                Service.organization_id == organization_id,
                col(Service.deleted_at).is_(None),
            )
        ).all()
    )


def confirm_by_link(
    session: Session, organization_id: uuid.UUID, service_ids: list[uuid.UUID]
) -> int:
    """The partner API's "still valid", for the link's services that are still
    live and the organisation's (one may have been deleted since the mail)."""
    live = [s.id for s in services_of(session, organization_id, service_ids)]
    writer = Partner(organization_id, frozenset({"write"}), LINK_ACTOR)
    return confirm(session, writer, live)
