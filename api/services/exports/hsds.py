"""The directory as Open Referral HSDS 3.1 objects (services, organisations,
locations, schedules, the data·inclusion thématiques as a taxonomy).

Ids of objects we do not store (phones, schedules, addresses, terms…) are
UUIDv5 of what they derive from: stable from one request to the next. A
permanence becomes a service_at_location (service × place) with schedules:
what RRULE can say (weekly days, nth weekdays of the month, every other week
from its anchor) in freq/byday/interval/dtstart, and always the whole
opening_hours string in the description. Texts are the listings' own, in
French. Fields without a value are left out: HSDS types allow no null.
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlmodel import Session

from api.models import Fees, Organization, Permanence, Place, Service, Wheelchair
from api.services.exports import queries
from api.services.exports.licence import HSDS_ATTRIBUTION, current
from api.services.schedules.schedule_builder import ScheduleRule, from_opening_hours
from api.services.search.text import terms
from api.settings import get_settings
from api.vocabulary import CATEGORIES, PUBLICS, THEMES, category_of

VERSION = "3.1"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/overview.html"
TAXONOMY_URI = "https://github.com/gip-inclusion/data-inclusion-schema"
_NAMESPACE = uuid.UUID("6f1d3c1e-5a0b-4c55-9c7e-2b1f0e8a4d21")
Obj = dict[str, Any]


def derived(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(str(p) for p in parts)))


def _clean(obj: Obj) -> Obj:
    """Without empty values: HSDS fields are never null."""
    return {k: v for k, v in obj.items() if v is not None and v != []}


def _link(path: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/{path}"


def _url(value: str | None) -> str | None:
    return value if value and value.startswith(("http://", "https://")) else None


def root() -> Obj:
    licence = current()
    return {
        "version": VERSION,
        "profile": PROFILE,
        "openapi_url": _link("openapi.json"),
        "licence": licence.name,
        "licence_url": licence.url,
        "attribution": HSDS_ATTRIBUTION,
    }


def page(contents: list[Obj], total: int, number: int, per_page: int) -> Obj:
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not contents,
        "contents": contents,
    }


# --- taxonomy ----------------------------------------------------------------

TAXONOMY_ID = derived("taxonomy", "data-inclusion-thematiques")


def taxonomy() -> Obj:
    return {
        "id": TAXONOMY_ID,
        "name": "data·inclusion – thématiques",
        "description": "Thématiques du schéma data·inclusion v1 (GIP de "
        "l'inclusion, Licence Ouverte 2.0) : 16 catégories et leurs "
        "sous-thématiques.",
        "uri": TAXONOMY_URI,
        "version": "1.0.8",
    }


def term_id(code: str) -> str:
    return derived("term", code)


def term(code: str) -> Obj:
    name = CATEGORIES.get(code) or THEMES[code]
    parent = None if code in CATEGORIES else term_id(category_of(code))
    return _clean(
        {
            "id": term_id(code),
            "code": code,
            "name": name,
            "description": name,
            "parent_id": parent,
            "taxonomy": "data·inclusion",
            "taxonomy_id": TAXONOMY_ID,
            "language": "fr",
        }
    )


ALL_CODES = [*CATEGORIES, *THEMES]
_CODE_OF_ID = {term_id(code): code for code in ALL_CODES}


def term_code(value: str) -> str | None:
    """The code of a term given by its id or its code; None if unknown."""
    if value in CATEGORIES or value in THEMES:
        return value
    return _CODE_OF_ID.get(value.lower())


def terms_page(
    number: int, per_page: int, parent_code: str | None, top_only: bool
) -> Obj:
    codes = ALL_CODES
    if top_only:
        codes = list(CATEGORIES)
    if parent_code is not None:
        codes = [c for c in THEMES if category_of(c) == parent_code]
    start = (number - 1) * per_page
    chosen = [term(c) for c in codes[start : start + per_page]]
    return page(chosen, len(codes), number, per_page)


def _attributes(service: Service) -> list[Obj]:
    codes = [c for c in dict.fromkeys(service.categories) if c in THEMES]
    return [
        {
            "id": derived("attribute", service.id, code),
            "link_id": str(service.id),
            "link_type": "thematique",
            "link_entity": "service",
            "taxonomy_term_id": term_id(code),
            "taxonomy_term": term(code),
            "value": code,
        }
        for code in codes
    ]


# --- schedules ---------------------------------------------------------------

_RRULE_DAYS = {"Mo": "MO", "Tu": "TU", "We": "WE", "Th": "TH"}
_RRULE_DAYS |= {"Fr": "FR", "Sa": "SA", "Su": "SU"}
_WEEKDAY = {day: index for index, day in enumerate(_RRULE_DAYS)}


def _first_session_day(rule: ScheduleRule, anchor: date) -> date:
    """A day of ``rule`` in a week of its parity, in the anchor's ISO year:
    with INTERVAL=2 it keeps the two-week rhythm the site keeps."""
    monday = anchor - timedelta(days=anchor.weekday())
    odd_week = anchor.isocalendar().week % 2 == 1
    if odd_week != (rule.parity == "odd"):
        monday += timedelta(days=7)
    return monday + timedelta(days=_WEEKDAY[rule.days[0]])


def _recurrence(rule: ScheduleRule, anchor: date | None) -> Obj:
    days = [_RRULE_DAYS[d] for d in rule.days]
    if rule.frequency == "nth":
        byday = [f"{n}{d}" for n in rule.weeks for d in days]
        return {"freq": "MONTHLY", "byday": ",".join(byday)}
    if rule.frequency == "biweekly":
        start = _first_session_day(rule, anchor or date.today())
        return {
            "freq": "WEEKLY",
            "interval": 2,
            "byday": ",".join(days),
            "wkst": "MO",
            "dtstart": start.isoformat(),
        }
    return {"freq": "WEEKLY", "byday": ",".join(days)}


def schedules(permanence: Permanence, link: Obj) -> list[Obj]:
    """One schedule per rule and time range RRULE can say; a schedule with the
    description alone when it cannot (months, dates, comments…)."""
    base = {
        **link,
        "valid_from": permanence.valid_from.isoformat()
        if permanence.valid_from
        else None,
        "valid_to": permanence.valid_until.isoformat()
        if permanence.valid_until
        else None,
        "description": f"{permanence.opening_hours} (OSM opening_hours, Europe/Paris)",
        "notes": permanence.note,
        "attending_type": permanence.mode.value,
    }
    spec = from_opening_hours(permanence.opening_hours)
    if spec is None:
        return [_clean({"id": derived("schedule", permanence.id, 0), **base})]
    found = []
    for rule in spec.rules:
        for span in rule.ranges:
            found.append(
                _clean(
                    {
                        "id": derived("schedule", permanence.id, len(found)),
                        **base,
                        **_recurrence(rule, permanence.biweekly_anchor),
                        "opens_at": span.start,
                        "closes_at": span.end,
                    }
                )
            )
    return found


# --- locations ---------------------------------------------------------------


def _department(place: Place) -> str:
    code = place.insee_code or place.postal_code or ""
    return code[:3] if code.startswith("97") else code[:2]


_ACCESS = {
    Wheelchair.yes: "Accessible en fauteuil roulant",
    Wheelchair.limited: "Accès partiel en fauteuil roulant",
    Wheelchair.no: "Non accessible en fauteuil roulant",
}


def location(place: Place) -> Obj:
    """A place; a confidential one gives its name and town, never where."""
    hidden = place.confidential
    addresses = []
    if not hidden and place.address and place.postal_code:
        addresses.append(
            {
                "id": derived("address", place.id),
                "location_id": str(place.id),
                "address_1": place.address,
                "city": place.commune,
                "state_province": _department(place),
                "postal_code": place.postal_code,
                "country": "FR",
                "address_type": "physical",
            }
        )
    access = _ACCESS.get(place.wheelchair)
    return _clean(
        {
            "id": str(place.id),
            "location_type": "physical",
            "organization_id": str(place.organization_id),
            "name": place.name,
            "url": _link(f"fr/lieux/{place.id}"),
            "latitude": None if hidden else place.lat,
            "longitude": None if hidden else place.lon,
            "addresses": addresses,
            "accessibility": [
                {
                    "id": derived("accessibility", place.id),
                    "location_id": str(place.id),
                    "description": access,
                }
            ]
            if access
            else [],
        }
    )


def locations_page(session: Session, number: int, per_page: int) -> Obj:
    places, total = queries.page(session, queries.locations_query(), number, per_page)
    return page([location(p) for p in places], total, number, per_page)


# --- organisations -----------------------------------------------------------


def _phone(owner: str, owner_id: uuid.UUID, number: str | None) -> list[Obj]:
    if not number:
        return []
    return [
        {
            "id": derived("phone", owner_id),
            f"{owner}_id": str(owner_id),
            "number": number,
        }
    ]


def organization(org: Organization) -> Obj:
    return _clean(
        {
            "id": str(org.id),
            "name": org.name,
            "description": org.description or "",
            "email": org.email,
            "website": _url(org.website),
            "uri": _link(f"fr/structures/{org.id}"),
            "phones": _phone("organization", org.id, org.phone),
        }
    )


def organization_full(session: Session, org: Organization) -> Obj:
    services = queries.org_services(session, org.id)
    return {
        **organization(org),
        "locations": [location(p) for p in queries.org_places(session, org.id)],
        "services": [
            {"id": str(s.id), "name": s.name, "status": "active"} for s in services
        ],
    }


def organizations_page(session: Session, number: int, per_page: int) -> Obj:
    query = queries.live_organizations().order_by(Organization.name, Organization.id)
    orgs, total = queries.page(session, query, number, per_page)
    return page([organization(o) for o in orgs], total, number, per_page)


# --- services ----------------------------------------------------------------

_OPTIONS = {Fees.free: "Gratuit", Fees.paid: "Payant", Fees.membership: "Adhésion"}


def _language(service_id: uuid.UUID, code: str) -> Obj:
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name("fr")
    except (ValueError, UnknownLocaleError):
        name = None
    return _clean(
        {
            "id": derived("language", service_id, code),
            "service_id": str(service_id),
            "code": code,
            "name": name,
        }
    )


def _application(service: Service) -> str:
    steps = [
        "Sur rendez-vous." if service.appointment_required else "Sans rendez-vous."
    ]
    if service.referral_required:
        steps.append("Sur orientation d’un ou d’une professionnelle.")
    return " ".join(steps)


def service_basic(service: Service, org: Organization) -> Obj:
    """The one-to-one fields, as in a list."""
    publics = [PUBLICS[c] for c in service.publics if c in PUBLICS]
    description = service.description or service.falc_summary or ""
    return _clean(
        {
            "id": str(service.id),
            "organization_id": str(org.id),
            "name": service.name,
            "description": description,
            "url": _link(f"fr/services/{service.id}"),
            "email": service.email,
            "status": "active",
            "application_process": _application(service),
            "fees_description": service.fees_detail,
            "eligibility_description": ", ".join(publics) or None,
            "assured_date": service.last_confirmed_at.date().isoformat()
            if service.last_confirmed_at
            else None,
            "last_modified": service.updated_at.isoformat(),
            "organization": organization(org),
        }
    )


def service_full(
    service: Service,
    org: Organization,
    permanences: list[tuple[Permanence, Place | None]],
) -> Obj:
    sid = str(service.id)
    at_places: dict[uuid.UUID, tuple[Place, list[Permanence]]] = {}
    remote: list[Permanence] = []
    for permanence, place in permanences:
        if place is None:
            remote.append(permanence)
        else:
            at_places.setdefault(place.id, (place, []))[1].append(permanence)
    service_at_locations = []
    for place, held in at_places.values():
        sal_id = derived("service_at_location", service.id, place.id)
        link = {"service_at_location_id": sal_id, "location_id": str(place.id)}
        service_at_locations.append(
            {
                "id": sal_id,
                "service_id": sid,
                "location_id": str(place.id),
                "schedules": [s for p in held for s in schedules(p, link)],
                "location": location(place),
            }
        )
    return _clean(
        {
            **service_basic(service, org),
            "phones": _phone("service", service.id, service.phone),
            "schedules": [s for p in remote for s in schedules(p, {"service_id": sid})],
            "service_at_locations": service_at_locations,
            "languages": [_language(service.id, c) for c in service.languages],
            "cost_options": [
                _clean(
                    {
                        "id": derived("cost_option", service.id),
                        "service_id": sid,
                        "option": _OPTIONS[service.fees],
                        "amount": 0 if service.fees == Fees.free else None,
                        "currency": "EUR",
                        "amount_description": service.fees_detail,
                    }
                )
            ],
            "attributes": _attributes(service),
        }
    )


def service_detail(session: Session, service_id: uuid.UUID) -> Obj | None:
    service = queries.service(session, service_id)
    if service is None:
        return None
    org = queries.organizations(session, {service.organization_id})[
        service.organization_id
    ]
    held = queries.permanences(session, [service.id])[service.id]
    return service_full(service, org, held)


def search_words(search: str | None) -> list[str] | None:
    return None if search is None else terms(search)


def services_page(
    session: Session,
    number: int,
    per_page: int,
    *,
    search: str | None = None,
    term: str | None = None,
    organization_id: uuid.UUID | None = None,
    modified_after: datetime | None = None,
    full: bool = False,
) -> Obj:
    """``term`` is a known code (see term_code): a category term finds the
    services of any of its sub-themes."""
    query = queries.services_query(
        session.get_bind().dialect.name,
        search_words(search),
        [term] if term else None,
        organization_id,
        modified_after,
    )
    found, total = queries.page(session, query, number, per_page)
    orgs = queries.organizations(session, {s.organization_id for s in found})
    if full:
        held = queries.permanences(session, [s.id for s in found])
        contents = [service_full(s, orgs[s.organization_id], held[s.id]) for s in found]
    else:
        contents = [service_basic(s, orgs[s.organization_id]) for s in found]
    return page(contents, total, number, per_page)


def organization_detail(session: Session, org_id: uuid.UUID) -> Obj | None:
    org = queries.organization(session, org_id)
    return None if org is None else organization_full(session, org)


def taxonomies_page(number: int, per_page: int) -> Obj:
    contents = [taxonomy()] if number == 1 else []
    return page(contents, 1, number, per_page)


def as_utc(moment: datetime | None) -> datetime | None:
    """An aware UTC time (no offset: UTC), clamped to what a database holds."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 minus an offset, year 9999 plus one
        return datetime.min.replace(tzinfo=UTC) if moment.year < 2 else _LATEST


_LATEST = datetime(9999, 12, 30, tzinfo=UTC)
