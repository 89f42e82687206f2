"""Erasing the person's data of referrals older than the retention period.

What goes: the need in words, the first name, the contact, every decline
reason (ciphertexts set to NULL: no key opens them again). What stays: the
row, anonymous (theme, languages, urgency, status, dates, organisations), so
the "people oriented" counts do not change. Run by ``reperes
purge-referrals`` (daily, from cron or a timer) and, so that a forgotten cron
does not keep data longer, each time the referrals page is opened.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from api.models import Referral, ReferralEvent
from api.settings import Settings


def cutoff(now: datetime, settings: Settings) -> datetime:
    return now - timedelta(days=settings.referral_retention_days)


def purge(session: Session, now: datetime, settings: Settings) -> int:
    """Erase, commit, and say how many referrals were purged."""
    due = select(Referral.id).where(
        Referral.created_at < cutoff(now, settings), col(Referral.purged_at).is_(None)
    )
    return erase(session, list(session.exec(due).all()), now)


def erase(session: Session, ids: list[uuid.UUID], now: datetime) -> int:
    """Erase these referrals' personal data now (the purge, or a party's
    « erase now »: the person asked); commits; how many."""
    if not ids:
        return 0
    session.execute(
        update(ReferralEvent)
        .where(col(ReferralEvent.referral_id).in_(ids))
        .values(reason_secret=None)
    )
    session.execute(
        update(Referral)
        .where(col(Referral.id).in_(ids))
        .values(
            need_secret=None,
            first_name_secret=None,
            contact_secret=None,
            purged_at=now,
            version=Referral.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    session.expire_all()
    return len(ids)


def rotate(session: Session, settings: Settings) -> int:
    """Re-encrypt every ciphertext under the first key (after a new key was
    put first in REPERES_REFERRAL_KEY); returns the referrals rewritten."""
    from api.services.referrals.crypto import reseal

    count = 0
    live = select(Referral).where(col(Referral.purged_at).is_(None))
    for referral in session.exec(live).all():
        referral.need_secret = reseal(referral.need_secret, settings)
        referral.first_name_secret = reseal(referral.first_name_secret, settings)
        referral.contact_secret = reseal(referral.contact_secret, settings)
        session.add(referral)
        count += 1
    reasons = select(ReferralEvent).where(col(ReferralEvent.reason_secret).is_not(None))
    for event in session.exec(reasons).all():
        event.reason_secret = reseal(event.reason_secret, settings)
        session.add(event)
    session.commit()
    return count
