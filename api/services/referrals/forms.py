"""What a referral form may hold: the choices offered and the checks on what
is sent (the same for the page and any future API)."""

from __future__ import annotations

import uuid
from typing import Any

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from api.i18n import N_, _, babel_locale, gettext
from api.models import Urgency
from api.validation import by_field, clean_text
from api.vocabulary import CATEGORIES

# The languages offered most in the QPVs of Tours and Nantes; codes kept.
LANGUAGES = (
    "fr en ar fa ps uk ru es tr ro ti so wo bm ff sq ka hy bn ur pt it de zh kab"
).split()
URGENCIES = {
    Urgency.normal: N_("Pas urgent"),
    Urgency.soon: N_("Dans la semaine"),
    Urgency.urgent: N_("Urgent (dans les 48 heures)"),
}
NEED_MAX = 500
REASON_MAX = 500


def language_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name in the reader's language), by name."""
    try:
        names = Locale.parse(babel_locale(locale)).languages
    except (ValueError, UnknownLocaleError):
        names = {}
    named = [(code, str(names.get(code) or code)) for code in LANGUAGES]
    return sorted(named, key=lambda pair: pair[1].casefold())


def theme_choices() -> list[tuple[str, str]]:
    return [(code, gettext(label)) for code, label in CATEGORIES.items()]


def urgency_choices() -> list[tuple[str, str]]:
    return [(code.value, gettext(label)) for code, label in URGENCIES.items()]


class ReferralForm(BaseModel):
    organization_id: uuid.UUID  # the sending organisation
    service_id: uuid.UUID
    theme: str
    need: str = Field(min_length=1, max_length=NEED_MAX)
    languages: list[str] = Field(default_factory=list, max_length=len(LANGUAGES))
    urgency: Urgency = Urgency.normal
    consent: bool = False
    first_name: str = Field(default="", max_length=100)
    contact: str = Field(default="", max_length=200)

    @field_validator("need", mode="before")
    @classmethod
    def _multiline(cls, value: Any) -> Any:
        return (
            clean_text(value.strip(), multiline=True)
            if isinstance(value, str)
            else value
        )

    @field_validator("first_name", "contact", mode="before")
    @classmethod
    def _one_line(cls, value: Any) -> Any:
        return clean_text(value.strip()) if isinstance(value, str) else value

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(_("Choisissez un thème dans la liste."))
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        if any(code not in LANGUAGES for code in value):
            raise ValueError(_("Choisissez les langues dans la liste."))
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _personal_data_needs_consent(self) -> ReferralForm:
        if not self.consent and (self.first_name or self.contact):
            raise ValueError(_no_consent())
        return self


def read_form(values: dict[str, Any]) -> tuple[ReferralForm | None, dict[str, str]]:
    """The checked form, or the errors by field; the consent rule is told
    next to the consent box, with the other errors."""
    errors: dict[str, str] = {}
    try:
        return ReferralForm.model_validate(values), {}
    except ValidationError as error:
        errors = by_field(error.errors())
    consent = errors.pop("", None)
    personal = any(str(values.get(k) or "").strip() for k in ("first_name", "contact"))
    if consent or (personal and not values.get("consent")):
        errors["consent"] = consent or _no_consent()
    return None, errors


def _no_consent() -> str:
    return _(
        "Sans l'accord de la personne, laissez vides son prénom et "
        "le moyen de la joindre."
    )


def check_reason(reason: str) -> str:
    """A decline reason: required, one short paragraph (ValueError otherwise)."""
    reason = clean_text(reason.strip(), multiline=True)
    if not reason:
        raise ValueError(_("Indiquez la raison du refus."))
    if len(reason) > REASON_MAX:
        raise ValueError(_("Au plus %(n)s caractères.") % {"n": REASON_MAX})
    return reason
