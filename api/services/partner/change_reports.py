"""« Signaler un changement »: reports from the public listing pages, and
what owners and coordinators do with them.

No account, no personal data: the form asks what changed (a topic and a
text), nothing about the sender. Spam is kept out without a third-party
captcha: a honeypot field, a signed form token that says which listing and
when the form was shown (too fast or too old: refused), and a rate limit per
address counted in memory only (``api.services.system.ratelimit``).

Who sees a report: the members of the organisation that owns the listing
(editors and owners change its status, readers read it), and the
coordinators whose territory holds that organisation (``access.can_review``).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from api.i18n import _
from api.models import (
    ChangeReport,
    Organization,
    Place,
    ReportedKind,
    ReportStatus,
    ReportTopic,
    Service,
    utcnow,
)
from api.services.accounts.access import Principal
from api.services.places import directory
from api.services.search.detail import service_detail
from api.settings import Settings
from api.validation import by_field, clean_text

# A person reads the page and writes a sentence: faster is a script.
MIN_FILL_SECONDS = 3
SALT = "change-report"
# A form left open longer is shown again with a fresh token.
MAX_FORM_AGE = 2 * 3600
# Per address: a few reports an hour are plenty for one person.
PER_IP = (5, 3600)
PAGE_SIZE = 20
MAX_TEXT = 2000
# Statuses still waiting for someone.
OPEN = (ReportStatus.new, ReportStatus.in_progress)


class ReportIn(BaseModel):
    topic: ReportTopic
    message: Annotated[str, Field(min_length=3, max_length=MAX_TEXT)]

    @field_validator("message", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return (
            clean_text(value.strip(), multiline=True)
            if isinstance(value, str)
            else value
        )


@dataclass(frozen=True)
class Reported:
    """The public listing a report is about."""

    kind: ReportedKind
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str


def reported(
    session: Session, kind: ReportedKind, entity_id: uuid.UUID
) -> Reported | None:
    """The listing if the public can see it (as its page would): else None."""
    if kind == ReportedKind.service:
        detail = service_detail(session, entity_id, utcnow())
        row = session.get(Service, entity_id) if detail is not None else None
        name = row.name if row else ""
        owner = row.organization_id if row else None
    elif kind == ReportedKind.place:
        found = directory.place_detail(session, entity_id)
        place = session.get(Place, entity_id) if found is not None else None
        name = place.name if place else ""
        owner = place.organization_id if place else None
    else:
        org = directory.organization_detail(session, entity_id)
        row_org = session.get(Organization, entity_id) if org is not None else None
        name = row_org.name if row_org else ""
        owner = row_org.id if row_org else None
    if owner is None:
        return None
    return Reported(kind, entity_id, owner, name)


def _signer(settings: Settings, at: float | None = None) -> URLSafeTimedSerializer:
    if at is None:
        return URLSafeTimedSerializer(settings.secret_key, salt=SALT)

    class At(TimestampSigner):  # a form shown at ``at`` (tests, no sleeping)
        def get_timestamp(self) -> int:
            return int(at)

    return URLSafeTimedSerializer(settings.secret_key, salt=SALT, signer=At)


def form_token(
    settings: Settings, target: Reported, shown_at: float | None = None
) -> str:
    """Which listing, and when the form was shown, signed."""
    return str(_signer(settings, shown_at).dumps([target.kind.value, str(target.id)]))


def token_problem(settings: Settings, target: Reported, token: str) -> str | None:
    """Why the form's token is refused, in words; None when it is good."""
    try:
        value, signed_at = _signer(settings).loads(
            token, max_age=MAX_FORM_AGE, return_timestamp=True
        )
    except BadData:
        return _(
            "Le formulaire a expiré. Vérifiez votre message et envoyez-le de nouveau."
        )
    if value != [target.kind.value, str(target.id)]:
        return _("Ce formulaire ne correspond pas à cette fiche.")
    if time.time() - signed_at.timestamp() < MIN_FILL_SECONDS:
        return _("Relisez votre message, puis envoyez-le de nouveau.")
    return None


def read(values: dict[str, Any]) -> tuple[ReportIn | None, dict[str, str]]:
    """The posted fields as a report, or the messages per field."""
    try:
        return ReportIn.model_validate(values), {}
    except ValidationError as error:
        return None, by_field(error.errors())  # type: ignore[arg-type]


def submit(
    session: Session, target: Reported, data: ReportIn, lang: str
) -> ChangeReport:
    report = ChangeReport(
        organization_id=target.organization_id,
        entity_type=target.kind,
        entity_id=target.id,
        listing_name=target.name[:300],
        topic=data.topic,
        message=data.message,
        lang=lang,
    )
    session.add(report)
    session.commit()
    return report


def _visible_to(principal: Principal) -> Any:
    """The reports a coordinator's territory holds (all for the superadmin)."""
    if principal.is_superadmin:
        return col(ChangeReport.organization_id).is_not(None)
    return col(ChangeReport.organization_id).in_(principal.coordinated)


@dataclass
class ReportPage:
    reports: list[ChangeReport]
    total: int
    page: int
    pages: int
    # The owning organisations' names (the coordinators' queue shows them).
    organizations: dict[uuid.UUID, str]


def _page(
    session: Session, where: list[Any], status: ReportStatus | None, page: int
) -> ReportPage:
    if status is not None:
        where = [*where, ChangeReport.status == status]
    total = session.exec(
        select(func.count()).select_from(ChangeReport).where(*where)
    ).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    reports = list(
        session.exec(
            select(ChangeReport)
            .where(*where)
            .order_by(col(ChangeReport.created_at).desc(), col(ChangeReport.id))
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).all()
    )
    ids = {r.organization_id for r in reports}
    names = session.exec(
        select(Organization.id, Organization.name).where(col(Organization.id).in_(ids))
    ).all()
    return ReportPage(reports, total, page, pages, dict(names))


def of_organization(
    session: Session,
    organization_id: uuid.UUID,
    status: ReportStatus | None = None,
    page: int = 1,
) -> ReportPage:
    return _page(
        session, [ChangeReport.organization_id == organization_id], status, page
    )


def of_territory(
    session: Session,
    principal: Principal,
    status: ReportStatus | None = None,
    page: int = 1,
) -> ReportPage:
    """The coordinator's queue: every organisation of their territory."""
    return _page(session, [_visible_to(principal)], status, page)


@dataclass
class Waiting:
    """The dashboard's block: how many reports wait, and the latest of them."""

    count: int
    latest: list[ChangeReport]


def waiting(session: Session, organization_id: uuid.UUID, shown: int = 3) -> Waiting:
    """The organisation's reports nobody has closed yet."""
    where = [
        ChangeReport.organization_id == organization_id,
        col(ChangeReport.status).in_(OPEN),
    ]
    count = session.exec(
        select(func.count()).select_from(ChangeReport).where(*where)
    ).one()
    latest = session.exec(
        select(ChangeReport)
        .where(*where)
        .order_by(col(ChangeReport.created_at).desc(), col(ChangeReport.id))
        .limit(shown)
    ).all()
    return Waiting(count, list(latest))


def find(
    session: Session, report_id: uuid.UUID, organization_id: uuid.UUID | None
) -> ChangeReport | None:
    """A report of this organisation (any, when None: the caller checks)."""
    report = session.get(ChangeReport, report_id)
    if report is None:
        return None
    if organization_id is not None and report.organization_id != organization_id:
        return None
    return report


def set_status(
    session: Session, report: ChangeReport, status: Any, version: Any, who: str
) -> str | None:
    """Move a report along; a message when refused (nothing changes then):
    an unknown status, or a report changed since it was read (checked by the
    UPDATE itself, so two people answering at once cannot both win)."""
    try:
        wanted = ReportStatus(str(status))
    except ValueError:
        return _("Choisissez un statut dans la liste.")
    stale = _(
        "Quelqu'un a changé ce signalement pendant que vous le lisiez : "
        "voici son état actuel."
    )
    if str(version) != str(report.version):
        return stale
    if wanted == report.status:
        return None
    done = session.execute(
        update(ChangeReport)
        .where(
            col(ChangeReport.id) == report.id,
            col(ChangeReport.version) == report.version,
        )
        .values(
            status=wanted,
            handled_by=who[:254],
            updated_at=utcnow(),
            version=report.version + 1,
        )
    )
    session.commit()
    session.refresh(report)
    return None if done.rowcount == 1 else stale  # type: ignore[attr-defined]
