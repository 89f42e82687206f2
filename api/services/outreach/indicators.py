"""The fiche projet 4.1.3 indicators for a period and a territory or one QPV,
with the previous period beside them, in three levels:

- réalisation: number and type of outreach actions;
- résultat: people met, oriented, new to a structure; people oriented through
  referrals between partners (the territory's only: a referral has no QPV);
  registrations and first visits reported by the structures;
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from api.i18n import N_, gettext, use_locale
from api.models import Qpv
from api.services.accounts.access import Principal
from api.services.outreach import scope
from api.services.outreach.indicator_data import (
    Data,
    impact_counts,
    load,
    people_counts,
)
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


RESULT_ROWS = (
    ("met", N_("Personnes rencontrées")),
    ("oriented", N_("Personnes orientées vers un service")),
    ("new", N_("dont nouvelles pour la structure")),
    ("referrals", N_("Personnes orientées par une orientation entre partenaires")),
    ("registrations", N_("Nouvelles inscriptions déclarées par les structures")),
    ("visits", N_("Premières visites déclarées par les structures")),
)
# Rows shown only when their count was made (referrals: not for one QPV).
OPTIONAL_ROWS = frozenset({"referrals"})
IMPACT_ROWS = (
    ("checks", N_("Diagnostics des droits réalisés")),
    ("mobilised", N_("Droits mobilisés")),
    ("not_mobilised", N_("Droits non mobilisés")),
    ("measured", N_("Personnes dont la confiance a été mesurée avant et après")),
    ("regained", N_("Personnes ayant regagné confiance dans les institutions")),
)


Counts = Callable[[Data], Mapping[str, int]]


def _by_type(data: Data) -> Counter[str]:
    counts = Counter(str(a.type) for a in data.actions)
    counts["all"] = len(data.actions)
    return counts


def _reasons(data: Data) -> Counter[str]:
    return Counter(r for c in data.checks for r in c.reasons)


def _unclaimed(data: Data) -> Counter[str]:
    return Counter(r for c in data.checks for r in c.not_mobilised)


# (key, level, title, counts, rows as (code, label), counts people?)
TABLES: tuple[tuple[str, str, str, Counts, Any, bool], ...] = (
    (
        "actions",
        N_("Réalisation"),
        N_("Actions d'aller vers, par type"),
        _by_type,
        (("all", N_("Toutes les actions")), *TYPES.items()),
        False,
    ),
    (
        "people",
        N_("Résultat"),
        N_("Personnes touchées et nouvelles inscriptions"),
        people_counts,
        RESULT_ROWS,
        True,
    ),
    (
        "rights",
        N_("Impact"),
        N_("Droits et confiance"),
        impact_counts,
        IMPACT_ROWS,
        True,
    ),
    (
        "reasons",
        N_("Impact"),
        N_("Raisons du non-recours"),
        _reasons,
        REASONS.items(),
        True,
    ),
    (
        "unclaimed",
        N_("Impact"),
        N_("Droits non mobilisés, par droit"),
        _unclaimed,
        RIGHTS.items(),
        True,
    ),
)


def _tables(now: Data, before: Data) -> list[Table]:
    tables = []
    for key, level, title, counts, rows, people in TABLES:
        current, previous = counts(now), counts(before)
        tables.append(
            Table(
                key,
                gettext(level),
                gettext(title),
                [
                    Row(
                        gettext(label),
                        current.get(code, 0),
                        previous.get(code, 0),
                        people,
                    )
                    for code, label in rows
                    if code not in OPTIONAL_ROWS or code in current
                ],
            )
        )
    return tables


QPV_COLUMNS = (
    N_("Actions"),
    N_("Personnes rencontrées"),
    N_("Personnes orientées"),
    N_("dont nouvelles pour la structure"),
    N_("Diagnostics des droits"),
    N_("Confiance regagnée"),
)


def _per_qpv(session: Session, data: Data) -> list[QpvRow]:
    codes = sorted(
        {a.qpv_code for a in data.actions if a.qpv_code}
        | {c.qpv_code for c in data.checks}
    )
    names = dict(
        session.exec(select(Qpv.code, Qpv.name).where(col(Qpv.code).in_(codes))).all()
    )
    rows = []
    for code in codes:
        part = Data(
            [a for a in data.actions if a.qpv_code == code],
            [c for c in data.checks if c.qpv_code == code],
            [],
        )
        people, impact = people_counts(part), impact_counts(part)
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
    now = load(session, principal, period, code)
    before = load(session, principal, period.previous(), code)
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
