"""What a search can ask for: one model shared by the JSON API and the web pages."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from babel import Locale
from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from api.i18n import _
from api.services.places.communes import resolve_commune, resolve_place
from api.validation import clean_texts
from api.vocabulary import CATEGORIES, PUBLICS, THEMES, require_known

KNOWN_LANGUAGES = frozenset(
    code for code in Locale("en").languages if code.isalpha() and len(code) <= 3
)
DEFAULT_RADIUS_KM = 10.0
EVERYONE = "tous-publics"
MAX_PAGE_SIZE = 100
PARIS = ZoneInfo("Europe/Paris")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class Sort(StrEnum):
    relevance = "relevance"
    distance = "distance"
    name = "name"
    updated = "updated"


DOC = {
    "q": "Words to look for, e.g. `colis alimentaire`; accents and case do not "
    "matter, everyday words also find their theme (`manger` finds food aid).",
    "category": "data·inclusion theme code (`sante--acces-aux-soins`) or a whole "
    "category (`sante`, which includes its themes). Repeat for several.",
    "public": "data·inclusion public code, e.g. `jeunes`. Repeat for several. "
    "Services for everyone (`tous-publics`) are always included.",
    "language": "ISO 639 code of a language spoken at the service, e.g. `ar`.",
    "free": "Only free services.",
    "no_appointment": "Only services that need no appointment.",
    "no_referral": "Only services that need no referral by a professional.",
    "wheelchair": "Only services held in a wheelchair-accessible place.",
    "qpv": "QPV code, e.g. `QN03709M`: services held in it or within 300 m.",
    "commune": "Commune where the service is held: INSEE code (`37261`), or a "
    "name (`Tours`) or postal code, as in `place`. Repeat for several.",
    "place": "A commune as a resident types it: a name (`Rezé`, `reze`, `Saint "
    "Pierre des Corps`) or a postal code (`44000`; five digits are read as a "
    "postal code, which may cover several communes). Unknown: 422.",
    "organization": "Only this organisation's services (its id).",
    "lat": "Latitude (WGS84) of the person; goes with `lon`.",
    "lon": "Longitude (WGS84) of the person; goes with `lat`.",
    "radius_km": f"Search radius around lat/lon, default {DEFAULT_RADIUS_KM:g} km.",
    "open_now": "Only services open right now (Europe/Paris).",
    "open_at": "Only services open at this ISO 8601 date-time (Europe/Paris when "
    "it has no offset).",
    "sort": "`relevance` (then distance), `distance`, `name` or `updated`.",
    "page": "Page number, from 1.",
    "size": f"Results per page, at most {MAX_PAGE_SIZE}.",
}


def unknown_commune(typed: str) -> str:
    return _("Aucune commune ne s'appelle « %(name)s »") % {"name": typed.strip()}


class SearchFilters(BaseModel):
    """Every filter is optional and they combine (AND); a list filter matches any
    of its values (OR)."""

    q: Annotated[str | None, Field(max_length=200, description=DOC["q"])] = None
    category: Annotated[list[str], Field(description=DOC["category"])] = []
    public: Annotated[list[str], Field(description=DOC["public"])] = []
    language: Annotated[list[str], Field(description=DOC["language"])] = []
    free: Annotated[bool | None, Field(description=DOC["free"])] = None
    no_appointment: Annotated[bool | None, Field(description=DOC["no_appointment"])] = (
        None
    )
    no_referral: Annotated[bool | None, Field(description=DOC["no_referral"])] = None
    wheelchair: Annotated[bool | None, Field(description=DOC["wheelchair"])] = None
    qpv: Annotated[list[str], Field(description=DOC["qpv"])] = []
    commune: Annotated[list[str], Field(description=DOC["commune"])] = []
    place: Annotated[str | None, Field(max_length=100, description=DOC["place"])] = None
    organization: Annotated[
        uuid.UUID | None, Field(description=DOC["organization"])
    ] = None
    lat: Annotated[float | None, Field(ge=-90, le=90, description=DOC["lat"])] = None
    lon: Annotated[
        float | None,
        Field(ge=-180, le=180, validate_default=True, description=DOC["lon"]),
    ] = None
    radius_km: Annotated[
        float | None,
        Field(gt=0, le=100, validate_default=True, description=DOC["radius_km"]),
    ] = None
    open_now: Annotated[bool | None, Field(description=DOC["open_now"])] = None
    open_at: Annotated[
        datetime | None, Field(validate_default=True, description=DOC["open_at"])
    ] = None
    sort: Annotated[Sort, Field(validate_default=True, description=DOC["sort"])] = (
        Sort.relevance
    )
    page: Annotated[int, Field(ge=1, le=10_000, description=DOC["page"])] = 1
    size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description=DOC["size"])] = 20

    @field_validator(
        "q", "category", "public", "language", "qpv", "commune", "place", mode="before"
    )
    @classmethod
    def _text_policy(cls, value: object) -> object:
        return clean_texts(value)

    @field_validator("category")
    @classmethod
    def _known_categories(cls, value: list[str]) -> list[str]:
        known = {**CATEGORIES, **THEMES}
        return require_known(value, known, _("catégorie inconnue : %(codes)s"))

    @field_validator("public")
    @classmethod
    def _known_publics(cls, value: list[str]) -> list[str]:
        return require_known(value, PUBLICS, _("public inconnu : %(codes)s"))

    @field_validator("language")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        lowered = [code.lower() for code in value]
        message = _("code de langue inconnu : %(codes)s")
        return require_known(lowered, KNOWN_LANGUAGES, message)

    @field_validator("qpv")
    @classmethod
    def _codes_look_right(cls, value: list[str]) -> list[str]:
        return [code.strip().upper() for code in value if code.strip()]

    @field_validator("commune")
    @classmethod
    def _known_communes(cls, value: list[str]) -> list[str]:
        codes: list[str] = []
        for typed in (v for v in value if v.strip()):
            found = resolve_commune(typed)
            if not found:
                raise ValueError(unknown_commune(typed))
            codes += found
        return list(dict.fromkeys(codes))

    @field_validator("place")
    @classmethod
    def _known_place(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not resolve_place(value):
            raise ValueError(unknown_commune(value))
        return value.strip()

    @model_validator(mode="after")
    def _place_is_a_commune_filter(self) -> SearchFilters:
        if self.place:
            self.commune = list(
                dict.fromkeys([*self.commune, *resolve_place(self.place)])
            )
        return self

    # Cross-field checks are attached to the later field of each pair, so a 422
    # names the parameter to fix. validate_default makes them run when omitted.
    @field_validator("lon")
    @classmethod
    def _lat_and_lon_together(
        cls, value: float | None, info: ValidationInfo
    ) -> float | None:
        if "lat" not in info.data:
            return value  # lat itself is invalid: that is the error to report
        if (info.data["lat"] is None) != (value is None):
            raise ValueError(_("lat et lon vont ensemble"))
        return value

    @field_validator("radius_km")
    @classmethod
    def _radius_needs_a_point(
        cls, value: float | None, info: ValidationInfo
    ) -> float | None:
        if value is not None and info.data.get("lat") is None:
            raise ValueError(_("radius_km demande lat et lon"))
        return value

    @field_validator("open_at", mode="before")
    @classmethod
    def _iso_date_time(cls, value: object) -> object:
        # Pydantic would read a bare number as a Unix timestamp: people mean a date.
        if value is not None and not (
            isinstance(value, str | datetime) and ISO.match(str(value))
        ):
            raise ValueError(_("date et heure attendues, par exemple 2026-12-09T15:00"))
        return value

    @field_validator("open_at")
    @classmethod
    def _one_moment(
        cls, value: datetime | None, info: ValidationInfo
    ) -> datetime | None:
        if value is not None and info.data.get("open_now"):
            raise ValueError(_("choisissez open_now ou open_at, pas les deux"))
        if value is not None and not 2000 <= value.year <= 2100:
            # Far moments overflow date arithmetic (a 24/7 listing, year 9999).
            raise ValueError(_("choisissez une date entre 2000 et 2100"))
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=PARIS)
        return value

    @field_validator("sort")
    @classmethod
    def _distance_needs_a_point(cls, value: Sort, info: ValidationInfo) -> Sort:
        if value == Sort.distance and info.data.get("lat") is None:
            raise ValueError(_("le tri par distance demande lat et lon"))
        return value

    @property
    def public_facets(self) -> list[str]:
        """The public filter as matched: a service for everyone serves each
        public too."""
        if not self.public:
            return []
        return list(dict.fromkeys([*self.public, EVERYONE]))

    @property
    def near(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def radius_m(self) -> float:
        return (self.radius_km or DEFAULT_RADIUS_KM) * 1000
