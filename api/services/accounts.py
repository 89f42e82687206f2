"""Accounts: sign-in, password reset and invitations by signed links sent by mail.

Answers never tell whether an e-mail address has an account (a reset request
for an unknown address looks the same as any other).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import Session, select

from api.i18n import _
from api.models import Membership, Organization, Role, User, utcnow
from api.services import links, mail
from api.services.auth import EMAIL, ensure_user, grant, hash_password, verify_password
from api.settings import Settings, get_settings

MIN_PASSWORD = 10
# Verified when the address is unknown, so both answers take as long.
_DUMMY_HASH = hash_password("not-a-real-password")


class AccountError(ValueError):
    """A refusal to show next to a form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normal_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normal_email(email))).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = user_by_email(session, email)
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            "password",
            _("Le mot de passe doit avoir au moins %(n)s caractères.")
            % {"n": MIN_PASSWORD},
        )
    if len(password) > 200:
        raise AccountError("password", _("Le mot de passe est trop long."))


def fingerprint(user: User) -> str:
    """Changes with the password: sessions and reset links die with it."""
    return links.password_fingerprint(user.password_hash, get_settings())


def send_reset(session: Session, email: str, settings: Settings, locale: str) -> None:
    user = user_by_email(session, email)
    if user is None or not user.is_active:
        return
    token = links.make(
        "reset", links.reset_payload(user.id, user.password_hash, settings), settings
    )
    link = links.url(f"/{locale}/espace/mot-de-passe", token, settings)
    subject, text = mail.render_mail(
        "reset.txt", locale, link=link, hours=links.MAX_AGE["reset"] // 3600
    )
    mail.send(mail.Mail(to=user.email, subject=subject, text=text), settings)


def reset_user(session: Session, token: str, settings: Settings) -> User:
    """The user a reset link is for; LinkError when expired, used or forged."""
    payload = links.read("reset", token, settings)
    user = session.get(User, uuid.UUID(payload["user"]))
    if user is None or not user.is_active:
        raise links.LinkError(_("Ce lien n'est pas valable."))
    links.check_reset(payload, user.password_hash, settings)
    return user


def set_password(session: Session, user: User, password: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)
    session.add(user)
    session.commit()


@dataclass(frozen=True)
class Invitation:
    email: str
    organization_id: uuid.UUID
    role: Role


def send_invite(
    session: Session,
    organization: Organization,
    email: str,
    role: Role,
    inviter: str,
    settings: Settings,
    locale: str,
) -> None:
    email = normal_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("email", _("Adresse e-mail invalide."))
    token = links.make(
        "invite",
        {"email": email, "org": str(organization.id), "role": role.value},
        settings,
    )
    link = links.url(f"/{locale}/espace/invitation", token, settings)
    subject, text = mail.render_mail(
        "invite.txt",
        locale,
        link=link,
        organization=organization.name,
        role=role_label(role),
        inviter=inviter,
        days=links.MAX_AGE["invite"] // 86400,
    )
    mail.send(mail.Mail(to=email, subject=subject, text=text), settings)


def read_invite(token: str, settings: Settings) -> Invitation:
    payload = links.read("invite", token, settings)
    return Invitation(
        payload["email"], uuid.UUID(payload["org"]), Role(payload["role"])
    )


def accept_invite(
    session: Session, invitation: Invitation, name: str, password: str
) -> User:
    """Join the organisation, creating the account when the address has none."""
    if user_by_email(session, invitation.email) is None:
        check_password(password)
    user, _created = ensure_user(
        session, invitation.email, password, name.strip()[:200] or None
    )
    grant(session, user, invitation.organization_id, invitation.role)
    session.commit()
    return user


def role_label(role: Role) -> str:
    return {
        Role.owner: _("responsable"),
        Role.editor: _("rédacteur ou rédactrice"),
        Role.reader: _("lecteur ou lectrice"),
    }[role]


def members(session: Session, organization_id: uuid.UUID) -> list[tuple[User, Role]]:
    rows = session.exec(
        select(User, Membership)
        .join(Membership)
        .where(Membership.organization_id == organization_id)
        .order_by(User.email)
    ).all()
    return [(user, Role(m.role)) for user, m in rows]


def set_role(
    session: Session, organization_id: uuid.UUID, user_id: uuid.UUID, role: Role | None
) -> None:
    """Change a member's role, or remove them (None); an organisation keeps an owner."""
    membership = session.exec(
        select(Membership).where(
            Membership.user_id == user_id, Membership.organization_id == organization_id
        )
    ).first()
    if membership is None:
        raise AccountError("member", _("Ce membre n'existe pas."))
    owners = [
        m
        for m in session.exec(
            select(Membership).where(Membership.organization_id == organization_id)
        ).all()
        if m.role == Role.owner
    ]
    if membership.role == Role.owner and role != Role.owner and len(owners) == 1:
        raise AccountError(
            "member", _("La structure doit garder au moins un ou une responsable.")
        )
    if role is None:
        session.delete(membership)
    else:
        membership.role = role
        session.add(membership)
    session.commit()
