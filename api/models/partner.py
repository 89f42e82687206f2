"""What partners send through /api/v1/partner: write models with their checks.

Every field is validated here, so a bad payload is a 422 naming the field and
never reaches the database.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from api.i18n import _
from api.models.directory import (
    Fees,
    PermanenceMode,
    ServiceStatus,
    Visibility,
    Wheelchair,
)
from api.services.schedules.hours import HoursError, every_other_week, normalise
from api.validation import clean_texts
from api.vocabulary import PUBLICS, SERVICE_TYPES, THEMES, require_known

Text = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=10_000)]
SourceId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[\w.:/-]+$")]


def _written_day(value: Any) -> Any:
    """A date comes written ("2026-12-07"), as the API's schema says: pydantic
    would take a number for seconds since 1970 (0 → 1 January 1970)."""
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return value


# What a write accepts is what its schema says: a date as text, a yes/no as
# true or false (not 0, 1 or "yes", which pydantic would otherwise take).
Day = Annotated[date, BeforeValidator(_written_day)]
Flag = StrictBool


# Free texts that may hold several lines; every other text is one line.
MULTILINE = frozenset(
    {"description", "falc_summary", "fees_detail", "note", "reason", "text"}
)


class Write(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text_policy(cls, value: Any, info: ValidationInfo) -> Any:
        return clean_texts(value, multiline=info.field_name in MULTILINE)


def _hours(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalise(value)
    except HoursError as error:
        raise ValueError(error.message) from error


Phone = Annotated[str | None, Field(max_length=32, pattern=r"^\+?[\d .()-]{6,}$")]
Email = Annotated[
    str | None, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]


class OrganizationIn(Write):
    name: Text
    typology: Annotated[str | None, Field(max_length=64)] = None
    siret: Annotated[str | None, Field(pattern=r"^\d{14}$")] = None
    description: LongText | None = None
    phone: Phone = None
    email: Email = None
    website: Annotated[
        str | None, Field(max_length=500, pattern=r"^https?://[^\s<>\"]+$")
    ] = None


class PlaceIn(Write):
    source_id: SourceId | None = None
    name: Text
    address: Annotated[str | None, Field(max_length=300)] = None
    postal_code: Annotated[str | None, Field(pattern=r"^\d{5}$")] = None
    commune: Text
    insee_code: Annotated[str | None, Field(pattern=r"^\d[\dAB]\d{3}$")] = None
    lat: Annotated[float | None, Field(ge=-90, le=90)] = None
    lon: Annotated[float | None, Field(ge=-180, le=180)] = None
    wheelchair: Wheelchair = Wheelchair.unknown
    confidential: Flag = False
    opening_hours: Annotated[str | None, Field(max_length=1000)] = None

    _check_hours = field_validator("opening_hours")(_hours)

    @model_validator(mode="after")
    def _both_coordinates(self) -> PlaceIn:
        if (self.lat is None) != (self.lon is None):
            raise ValueError(_("lat et lon vont ensemble"))
        return self


class ServiceIn(Write):
    source_id: SourceId | None = None
    name: Text
    falc_summary: Annotated[str | None, Field(max_length=1000)] = None
    description: LongText | None = None
    categories: Annotated[list[str], Field(min_length=1, max_length=10)]
    type: str | None = None
    publics: Annotated[list[str], Field(min_length=1)] = ["tous-publics"]
    fees: Fees = Fees.free
    fees_detail: Annotated[str | None, Field(max_length=500)] = None
    appointment_required: Flag = False
    referral_required: Flag = False
    languages: Annotated[
        list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]], Field(max_length=30)
    ] = ["fr"]
    phone: Phone = None
    email: Email = None
    status: ServiceStatus = ServiceStatus.published
    visibility: Visibility = Visibility.public

    @field_validator("categories", "publics", "languages", mode="after")
    @classmethod
    def _as_set(cls, value: list[str]) -> list[str]:
        """Sets of codes: one stored order (as ``revisions.save`` keeps them),
        so the same codes in another order compare equal."""
        return sorted(set(value))

    @field_validator("categories")
    @classmethod
    def _themes(cls, value: list[str]) -> list[str]:
        return require_known(value, THEMES, _("catégorie inconnue : %(codes)s"))

    @field_validator("publics")
    @classmethod
    def _publics(cls, value: list[str]) -> list[str]:
        value = require_known(value, PUBLICS, _("public inconnu : %(codes)s"))
        if "tous-publics" in value and len(value) > 1:
            raise ValueError(_("« tous-publics » s'emploie seul"))
        return value

    @field_validator("type")
    @classmethod
    def _type(cls, value: str | None) -> str | None:
        if value is not None and value not in SERVICE_TYPES:
            raise ValueError(
                _("type de service inconnu : %(codes)s") % {"codes": value}
            )
        return value


class PermanenceIn(Write):
    service_id: uuid.UUID
    place_id: uuid.UUID | None = None
    mode: PermanenceMode = PermanenceMode.in_person
    opening_hours: Annotated[str, Field(min_length=1, max_length=1000)]
    valid_from: Day | None = None
    valid_until: Day | None = None
    note: Annotated[str | None, Field(max_length=500)] = None
    biweekly_anchor: Day | None = Field(
        None,
        description="For every-other-week hours (`week 01-53/2`, `week 02-52/2`): "
        "a date in a week where the parity written holds. The two-week rhythm "
        "continues from it across years (ISO parity alone breaks it after a "
        "week 53). Refused without such a rule.",
    )

    _check_hours = field_validator("opening_hours")(_hours)

    @model_validator(mode="after")
    def _consistent(self) -> PermanenceIn:
        if (
            self.mode in (PermanenceMode.in_person, PermanenceMode.itinerant)
            and not self.place_id
        ):
            raise ValueError(_("une permanence sur place demande un lieu (place_id)"))
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(_("valid_until est avant valid_from"))
        if self.biweekly_anchor is not None:
            if not every_other_week(self.opening_hours):
                raise ValueError(
                    _(
                        "biweekly_anchor ne va qu'avec des horaires une semaine "
                        "sur deux (week 01-53/2 ou week 02-52/2)"
                    )
                )
            if not 2000 <= self.biweekly_anchor.year <= 2100:
                raise ValueError(_("biweekly_anchor doit être entre 2000 et 2100"))
        return self


class ClosureIn(Write):
    service_id: uuid.UUID | None = None
    place_id: uuid.UUID | None = None
    start: Day
    end: Day
    reason: Annotated[str | None, Field(max_length=300)] = None

    @model_validator(mode="after")
    def _consistent(self) -> ClosureIn:
        if (self.service_id is None) == (self.place_id is None):
            raise ValueError(
                _("une fermeture concerne un service ou un lieu, pas les deux")
            )
        if self.end < self.start:
            raise ValueError(_("la fin est avant le début"))
        return self


class WrittenRow(BaseModel):
    """What a write returns: the row as stored, its version is the ETag."""

    model_config = ConfigDict(from_attributes=True, extra="allow")

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


def partial(model: type[Write], body: dict[str, Any], current: dict[str, Any]) -> Write:
    """A PATCH: the current values with the sent ones on top, validated whole."""
    unknown = set(body) - set(model.model_fields)
    if unknown:
        # Let pydantic name the field: validate the body alone, which forbids extras.
        model.model_validate(body)
    return model.model_validate({**current, **body})


class KeyedPlace(PlaceIn):
    source_id: SourceId  # required: it is how a bulk upsert finds the row


class KeyedService(ServiceIn):
    source_id: SourceId


class BulkIn(Write):
    """Places and services from the partner's own system, keyed by source_id."""

    places: Annotated[list[KeyedPlace], Field(max_length=5000)] = []
    services: Annotated[list[KeyedService], Field(max_length=5000)] = []


class BulkOut(BaseModel):
    counts: dict[str, dict[str, int]]
    ids: dict[str, dict[str, uuid.UUID]] = Field(
        description="For each kind, the Repères id of every source_id sent."
    )
