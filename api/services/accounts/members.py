"""Accounts: sign-in, password reset (signed link by mail) and invitations
(stored, single-use, revocable, for one address; link by mail).

Answers never tell whether an e-mail address has an account (a reset request
for an unknown address looks the same as any other).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlmodel import Session, col, select, update

from api.i18n import _
from api.models import (
    AuditKind,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    utcnow,
)
from api.services.accounts import audit, sessions
from api.services.accounts.audit import Actor
from api.services.accounts.auth import (
    EMAIL,
    ensure_user,
    grant,
    hash_password,
    hash_token,
    verify_password,
)
from api.services.system import links, mail
from api.settings import Settings, get_settings
from api.validation import clean_text

MIN_PASSWORD = 10
INVITATION_DAYS = 7
# Verified when the address is unknown, so both answers take as long.
_DUMMY_HASH = hash_password("not-a-real-password")


class AccountError(ValueError):
    """A refusal to show next to a form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normal_email(email: str) -> str:
    """Compared lower-case; an address holding a character no address holds
    (a NUL byte breaks PostgreSQL's query) is no one's: ""."""
    try:
        clean_text(email)
    except ValueError:
        return ""
    return email.strip().lower()


def user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normal_email(email))).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The user if the password is right; both outcomes go to the audit log of
    the user's organisations (an unknown address is recorded nowhere)."""
    user = user_by_email(session, email)
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password)
        return None
    where = audit.organizations_of(session, user.id)
    if not verify_password(user.password_hash, password) or not user.is_active:
        audit.record(session, where, AuditKind.sign_in_failed, subject=user.email)
        session.commit()
        return None
    user.last_login_at = utcnow()
    session.add(user)
    audit.record(session, where, AuditKind.sign_in, Actor.of(user))
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
    """A new password ends every session of the account (a thief's too)."""
    check_password(password)
    user.password_hash = hash_password(password)
    session.add(user)
    sessions.close_all(session, user.id)
    session.commit()


def reset_password(session: Session, user: User, password: str) -> None:
    """``set_password`` by a reset link, recorded in the audit log; a password
    chosen this way is no longer temporary."""
    check_password(password)
    user.must_change_password = False
    audit.record(
        session,
        audit.organizations_of(session, user.id),
        AuditKind.password_reset,
        Actor.of(user),
    )
    set_password(session, user, password)


def replace_temporary_password(
    session: Session, user: User, current: str, password: str
) -> None:
    """The first sign-in's change: the temporary password (asked again, so a
    borrowed session cannot do it) for one the person chose; ends every
    session (the caller signs this browser in again)."""
    if not user.password_hash or not verify_password(user.password_hash, current):
        raise AccountError("current", _("Mot de passe actuel incorrect."))
    if password == current:
        raise AccountError(
            "password",
            _("Choisissez un mot de passe différent du mot de passe provisoire."),
        )
    check_password(password)
    user.must_change_password = False
    set_password(session, user, password)


def sign_out_everywhere(session: Session, user: User) -> None:
    sessions.close_all(session, user.id)
    audit.record(
        session,
        audit.organizations_of(session, user.id),
        AuditKind.signed_out_everywhere,
        Actor.of(user),
    )
    session.commit()


class InvitationError(ValueError):
    """An invitation link that cannot be used; ``str()`` says why."""


def send_invite(
    session: Session,
    organization: Organization,
    email: str,
    role: Role,
    inviter: Actor,
    inviter_name: str,
    settings: Settings,
    locale: str,
) -> Invitation:
    """Store the invitation (replacing this address's pending one) and mail
    its link; the secret is in the mail only."""
    email = normal_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("email", _("Adresse e-mail invalide."))
    now = utcnow()
    session.exec(  # type: ignore[call-overload]
        update(Invitation)
        .where(
            col(Invitation.organization_id) == organization.id,
            col(Invitation.email) == email,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(revoked_at=now)
    )
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization_id=organization.id,
        email=email,
        role=role,
        token_hash=hash_token(secret),
        invited_by=inviter.user_id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    audit.record(
        session,
        [organization.id],
        AuditKind.invitation_sent,
        inviter,
        subject=email,
        detail=role.value,
    )
    session.commit()
    link = links.url(f"/{locale}/espace/invitation", secret, settings)
    subject, text = mail.render_mail(
        "invite.txt",
        locale,
        link=link,
        organization=organization.name,
        role=role_label(role),
        inviter=inviter_name,
        days=INVITATION_DAYS,
    )
    mail.send(mail.Mail(to=email, subject=subject, text=text), settings)
    return invitation


def read_invite(session: Session, secret: str) -> Invitation:
    """The pending invitation of this link; InvitationError when it was used,
    revoked, has expired or never existed."""
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == hash_token(secret))
    ).first()
    if invitation is None:
        raise InvitationError(_("Ce lien n'est pas valable."))
    if invitation.accepted_at is not None:
        raise InvitationError(_("Cette invitation a déjà servi."))
    if invitation.revoked_at is not None:
        raise InvitationError(_("Cette invitation a été annulée."))
    if utcnow() >= invitation.expires_at:
        raise InvitationError(_("Ce lien a expiré. Demandez-en un nouveau."))
    return invitation


def accept_invite(
    session: Session,
    invitation: Invitation,
    name: str,
    password: str,
    signed_in: uuid.UUID | None,
) -> User:
    """Join the organisation, once. An address that has an account joins only
    while signed in as that account; otherwise the account is created (the
    link went to that address)."""
    existing = user_by_email(session, invitation.email)
    if existing is not None and existing.id != signed_in:
        raise AccountError(
            "",
            _(
                "Cette invitation est pour %(email)s : connectez-vous avec "
                "cette adresse pour l'accepter."
            )
            % {"email": invitation.email},
        )
    if existing is None:
        check_password(password)
    used = session.exec(  # type: ignore[call-overload]
        update(Invitation)
        .where(
            col(Invitation.id) == invitation.id,
            col(Invitation.accepted_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(accepted_at=utcnow())
    )
    if used.rowcount != 1:  # accepted or revoked meanwhile
        session.rollback()
        raise AccountError("", _("Cette invitation a déjà servi."))
    user, _created = ensure_user(
        session, invitation.email, password, name.strip()[:200] or None
    )
    grant(session, user, invitation.organization_id, invitation.role)
    audit.record(
        session,
        [invitation.organization_id],
        AuditKind.invitation_accepted,
        Actor.of(user),
        subject=invitation.email,
        detail=invitation.role,
    )
    session.commit()
    return user


def pending_invitations(
    session: Session, organization_id: uuid.UUID
) -> list[Invitation]:
    """Invitations of the organisation that can still be accepted."""
    return list(
        session.exec(
            select(Invitation)
            .where(
                Invitation.organization_id == organization_id,
                col(Invitation.accepted_at).is_(None),
                col(Invitation.revoked_at).is_(None),
                col(Invitation.expires_at) > utcnow(),
            )
            .order_by(col(Invitation.email))
        ).all()
    )


def revoke_invite(
    session: Session, organization_id: uuid.UUID, invitation_id: uuid.UUID, by: Actor
) -> None:
    invitation = session.exec(
        select(Invitation).where(
            Invitation.id == invitation_id,
            Invitation.organization_id == organization_id,
        )
    ).first()
    if invitation is None:
        raise AccountError("invitation", _("Cette invitation n'existe pas."))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        session.add(invitation)
        audit.record(
            session,
            [organization_id],
            AuditKind.invitation_revoked,
            by,
            subject=invitation.email,
        )
        session.commit()


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
    session: Session,
    organization_id: uuid.UUID,
    user_id: uuid.UUID,
    role: Role | None,
    by: Actor,
) -> None:
    """Change a member's role, or remove them (None); an organisation keeps an
    owner. A removed member's sessions end at once."""
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
    member = session.get(User, user_id)
    subject = member.email if member else ""
    if role is None:
        session.delete(membership)
        sessions.close_all(session, user_id)
        audit.record(
            session, [organization_id], AuditKind.member_removed, by, subject=subject
        )
    elif role != membership.role:
        membership.role = role
        session.add(membership)
        audit.record(
            session,
            [organization_id],
            AuditKind.role_changed,
            by,
            subject=subject,
            detail=role.value,
        )
    session.commit()
