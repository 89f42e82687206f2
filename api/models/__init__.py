"""Every table, importable from one place (Alembic reads SQLModel.metadata)."""

from api.models.accounts import (
    ApiToken,
    AuditEvent,
    AuditKind,
    CoordinatorScope,
    Invitation,
    Membership,
    Role,
    SignInSession,
    User,
)
from api.models.activity import Revision, SearchStat
from api.models.change_reports import (
    ChangeReport,
    ReportedKind,
    ReportStatus,
    ReportTopic,
)
from api.models.common import Entity, utcnow
from api.models.coordination import HiddenQuery, ReminderSent, TaughtSynonym
from api.models.directory import (
    Closure,
    Fees,
    Organization,
    Permanence,
    PermanenceMode,
    Place,
    Service,
    ServiceStatus,
    Visibility,
    Wheelchair,
)
from api.models.moderation import ChangeAction, PendingChange, ReviewStatus
from api.models.onboarding import (
    Decider,
    OrganizationRequest,
    RequestKind,
    RequestStatus,
)
from api.models.outreach import (
    OutreachAction,
    OutreachType,
    Registration,
    RightsCheck,
)
from api.models.referrals import (
    Referral,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)
from api.models.search import SearchDocument, ServiceFacet, Synonym
from api.models.search_scale import (
    SearchEntry,
    SearchFacet,
    SearchHours,
    SearchPoint,
    SearchSlot,
    SearchVersion,
)
from api.models.sharing import DeletionRequest, PlaceGrant
from api.models.territory import Qpv
from api.models.translation import Translation, TranslationStatus

__all__ = [
    "HiddenQuery",
    "ReminderSent",
    "TaughtSynonym",
    "ChangeReport",
    "ReportedKind",
    "ReportStatus",
    "ReportTopic",
    "Decider",
    "OrganizationRequest",
    "RequestKind",
    "RequestStatus",
    "ChangeAction",
    "DeletionRequest",
    "PlaceGrant",
    "PendingChange",
    "ReviewStatus",
    "ApiToken",
    "AuditEvent",
    "AuditKind",
    "Invitation",
    "SignInSession",
    "Closure",
    "CoordinatorScope",
    "Entity",
    "Fees",
    "Membership",
    "Organization",
    "OutreachAction",
    "OutreachType",
    "Permanence",
    "PermanenceMode",
    "Place",
    "Qpv",
    "Registration",
    "RightsCheck",
    "Referral",
    "ReferralEvent",
    "ReferralStatus",
    "Urgency",
    "Revision",
    "Role",
    "SearchDocument",
    "SearchEntry",
    "SearchFacet",
    "SearchHours",
    "SearchPoint",
    "SearchSlot",
    "SearchVersion",
    "SearchStat",
    "ServiceFacet",
    "Service",
    "ServiceStatus",
    "Synonym",
    "Translation",
    "TranslationStatus",
    "User",
    "Visibility",
    "Wheelchair",
    "utcnow",
]
