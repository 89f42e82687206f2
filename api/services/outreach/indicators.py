"""The fiche projet 4.1.3 indicators for a period and a territory or one QPV,
with the previous period beside them, in three levels:

- réalisation: number and type of outreach actions;
- résultat: people met, oriented, new to a structure; registrations and first
  visits reported by the structures;
- impact: rights checks, rights mobilised or not (and why), confidence in
  institutions regained.

The page, its CSV and the printable report all read the same ``Report``, whose
cells are already the strings shown: what the CSV says is what the page says.

k-anonymity (the coordination space's rule): a count of people below 5 is
never shown, in a territory's total as in a QPV's cell — it reads « < 5 », and
its trend is not shown either (the difference would give it away). Counts of
actions are not counts of people and are shown as they are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from api.i18n import N_, gettext, use_locale
from api.models import OutreachAction, Qpv, Registration, RightsCheck
from api.services.accounts.access import Principal
from api.services.outreach import registrations, scope
from api.services.outreach.periods import Period
from api.services.outreach.vocabulary import REASONS, RIGHTS, TYPES

THRESHOLD = 5
MASKED = "< 5"


def shown(value: int, people: bool) -> str:
    return MASKED if people and value < THRESHOLD else str(value)


def trend(value: int, before: int, people: bool) -> str:
    if people and (value < THRESHOLD or before < THRESHOLD):
        return "—"
    difference = value - before
    return (
        f"+{difference}"
        if difference > 0
        else ("=" if difference == 0 else f"−{-difference}")
    )


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    before: int
    people: bool

    @property
    def shown(self) -> str:
        return shown(self.value, self.people)

    @property
    def shown_before(self) -> str:
        return shown(self.before, self.people)

    @property
    def trend(self) -> str:
        return trend(self.value, self.before, self.people)

    @property
    def masked(self) -> bool:
        return self.people and self.value < THRESHOLD


@dataclass(frozen=True)
class Table:
    key: str
    level: str  # translated level name
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class QpvRow:
    code: str
    name: str
    cells: list[str]  # shown values, masked


@dataclass
class Report:
    period: Period
    previous: Period
    qpv: Qpv | None
    tables: list[Table] = field(default_factory=list)
    qpv_columns: list[str] = field(default_factory=list)
    qpv_rows: list[QpvRow] = field(default_factory=list)


@dataclass
class _Data:
    actions: list[OutreachAction]
    checks: list[RightsCheck]
    registrations: list[Registration]


def _load(
    session: Session, principal: Principal, period: Period, qpv: str | None
) -> _Data:
    actions = select(OutreachAction).where(
        scope.visible(session, principal, OutreachAction),
        col(OutreachAction.deleted_at).is_(None),
        OutreachAction.day >= period.start,
        OutreachAction.day < period.end,
    )
    checks = select(RightsCheck).where(
        scope.visible(session, principal, RightsCheck),
        RightsCheck.day >= period.start,
        RightsCheck.day < period.end,
    )
    reported = select(Registration).where(
        registrations.visible(session, principal),
        col(Registration.deleted_at).is_(None),
        Registration.month >= period.start,
        Registration.month < period.end,
    )
    if qpv:
        actions = actions.where(OutreachAction.qpv_code == qpv)
        checks = checks.where(RightsCheck.qpv_code == qpv)
        reported = reported.where(Registration.qpv_code == qpv)
    return _Data(
        list(session.exec(actions).all()),
        list(session.exec(checks).all()),
        list(session.exec(reported).all()),
    )


def _people(data: _Data) -> dict[str, int]:
    return {
        "met": sum(a.people_met for a in data.actions),
        "oriented": sum(a.people_oriented for a in data.actions),
        "new": sum(a.people_new for a in data.actions),
        "registrations": sum(r.new_registrations for r in data.registrations),
        "visits": sum(r.first_visits for r in data.registrations),
    }


def _impact(data: _Data) -> dict[str, int]:
    measured = [
        c
        for c in data.checks
        if c.confidence_before is not None and c.confidence_after is not None
    ]
    return {
        "checks": len(data.checks),
        "mobilised": sum(len(c.mobilised) for c in data.checks),
        "not_mobilised": sum(len(c.not_mobilised) for c in data.checks),
        "measured": len(measured),
        "regained": sum(
            1
            for c in measured
            if c.confidence_after > c.confidence_before  # type: ignore[operator]
        ),
    }


RESULT_ROWS = (
    ("met", N_("Personnes rencontrées")),
    ("oriented", N_("Personnes orientées vers un service")),
    ("new", N_("dont nouvelles pour la structure")),
    ("registrations", N_("Nouvelles inscriptions déclarées par les structures")),
    ("visits", N_("Premières visites déclarées par les structures")),
)
IMPACT_ROWS = (
    ("checks", N_("Diagnostics des droits réalisés")),
    ("mobilised", N_("Droits mobilisés")),
    ("not_mobilised", N_("Droits non mobilisés")),
    ("measured", N_("Personnes dont la confiance a été mesurée avant et après")),
    ("regained", N_("Personnes ayant regagné confiance dans les institutions")),
)


def _tables(now: _Data, before: _Data) -> list[Table]:
    types_now = Counter(str(a.type) for a in now.actions)
    types_before = Counter(str(a.type) for a in before.actions)
    done = [
        Row(
            gettext(N_("Toutes les actions")),
            len(now.actions),
            len(before.actions),
            False,
        )
    ]
    done += [
        Row(gettext(label), types_now[code], types_before[code], False)
        for code, label in TYPES.items()
    ]
    people_now, people_before = _people(now), _people(before)
    impact_now, impact_before = _impact(now), _impact(before)
    reasons_now = Counter(r for c in now.checks for r in c.reasons)
    reasons_before = Counter(r for c in before.checks for r in c.reasons)
    rights_now = Counter(r for c in now.checks for r in c.not_mobilised)
    rights_before = Counter(r for c in before.checks for r in c.not_mobilised)
    realisation, result, impact = (
        gettext(N_("Réalisation")),
        gettext(N_("Résultat")),
        gettext(N_("Impact")),
    )
    return [
        Table(
            "actions", realisation, gettext(N_("Actions d'aller vers, par type")), done
        ),
        Table(
            "people",
            result,
            gettext(N_("Personnes touchées et nouvelles inscriptions")),
            [
                Row(gettext(label), people_now[k], people_before[k], True)
                for k, label in RESULT_ROWS
            ],
        ),
        Table(
            "rights",
            impact,
            gettext(N_("Droits et confiance")),
            [
                Row(gettext(label), impact_now[k], impact_before[k], True)
                for k, label in IMPACT_ROWS
            ],
        ),
        Table(
            "reasons",
            impact,
            gettext(N_("Raisons du non-recours")),
            [
                Row(gettext(label), reasons_now[k], reasons_before[k], True)
                for k, label in REASONS.items()
            ],
        ),
        Table(
            "unclaimed",
            impact,
            gettext(N_("Droits non mobilisés, par droit")),
            [
                Row(gettext(label), rights_now[k], rights_before[k], True)
                for k, label in RIGHTS.items()
            ],
        ),
    ]


QPV_COLUMNS = (
    N_("Actions"),
    N_("Personnes rencontrées"),
    N_("Personnes orientées"),
    N_("dont nouvelles pour la structure"),
    N_("Diagnostics des droits"),
    N_("Confiance regagnée"),
)


def _per_qpv(session: Session, data: _Data) -> list[QpvRow]:
    codes = sorted(
        {a.qpv_code for a in data.actions if a.qpv_code}
        | {c.qpv_code for c in data.checks}
    )
    names = dict(
        session.exec(select(Qpv.code, Qpv.name).where(col(Qpv.code).in_(codes))).all()
    )
    rows = []
    for code in codes:
        part = _Data(
            [a for a in data.actions if a.qpv_code == code],
            [c for c in data.checks if c.qpv_code == code],
            [],
        )
        people, impact = _people(part), _impact(part)
        cells = [str(len(part.actions))] + [
            shown(n, True)
            for n in (
                people["met"],
                people["oriented"],
                people["new"],
                impact["checks"],
                impact["regained"],
            )
        ]
        rows.append(QpvRow(code, names.get(code, code), cells))
    return sorted(rows, key=lambda row: row.name)


def build(
    session: Session,
    principal: Principal,
    period: Period,
    locale: str,
    qpv: Qpv | None = None,
) -> Report:
    """Every indicator this user may see for ``period`` (and one QPV)."""
    code = qpv.code if qpv else None
    now = _load(session, principal, period, code)
    before = _load(session, principal, period.previous(), code)
    with use_locale(locale):
        report = Report(period, period.previous(), qpv, _tables(now, before))
        if qpv is None:
            report.qpv_columns = [gettext(c) for c in QPV_COLUMNS]
            report.qpv_rows = _per_qpv(session, now)
    return report


def qpv_in_scope(session: Session, principal: Principal, code: str) -> Qpv | None:
    """The QPV if it lies in this coordinator's territory."""
    allowed = scope.territory_qpvs(session, principal)
    if allowed is not None and code not in allowed:
        return None
    return session.get(Qpv, code)
