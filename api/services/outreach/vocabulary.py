"""The fixed lists of the outreach forms: codes stored, French labels marked
for translation and translated when shown."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from api.i18n import N_, babel_locale, gettext
from api.models import OutreachType
from api.vocabulary import CATEGORIES

TYPES: dict[str, str] = {
    OutreachType.stand: N_("Stand mobile"),
    OutreachType.door_to_door: N_("Porte-à-porte"),
    OutreachType.building: N_("Pied d'immeuble"),
    OutreachType.off_site: N_("Permanence hors les murs"),
    OutreachType.maraude: N_("Maraude"),
    OutreachType.workshop: N_("Atelier collectif"),
    OutreachType.event: N_("Événement"),
    OutreachType.visit: N_("Visite de courtoisie"),
    OutreachType.other: N_("Autre"),
}

# Rights a rights check asks about (fiche 4.1.3: rights mobilised and mobilisable).
RIGHTS: dict[str, str] = {
    "rsa": N_("RSA (revenu de solidarité active)"),
    "prime_activite": N_("Prime d'activité"),
    "logement": N_("Aide au logement (APL)"),
    "css": N_("Complémentaire santé solidaire"),
    "ame": N_("Aide médicale de l'État"),
    "famille": N_("Allocations familiales"),
    "energie": N_("Chèque énergie"),
    "aah": N_("Allocation adulte handicapé (AAH)"),
    "chomage": N_("Allocation chômage"),
    "retraite": N_("Retraite, minimum vieillesse"),
    "scolarite": N_("Bourses et aides scolaires"),
    "transport": N_("Tarif social des transports"),
    "autre": N_("Autre droit"),
}

# Why a right is not mobilised.
REASONS: dict[str, str] = {
    "unknown": N_("Ne connaissait pas ce droit"),
    "complex": N_("Démarche trop complexe"),
    "language": N_("Barrière de la langue"),
    "digital": N_("Démarche en ligne difficile"),
    "distrust": N_("Méfiance envers les institutions"),
    "other": N_("Autre raison"),
}

# Confidence in institutions, 1 (none) to 4 (full).
CONFIDENCE: dict[int, str] = {
    1: N_("Pas du tout confiance"),
    2: N_("Plutôt pas confiance"),
    3: N_("Plutôt confiance"),
    4: N_("Tout à fait confiance"),
}

# Languages outreach workers use most in the QPVs of Tours and Nantes.
LANGUAGES: tuple[str, ...] = (
    "fr", "ar", "en", "es", "pt", "tr", "ru", "uk", "ro", "bg", "sq",
    "fa", "ps", "ti", "so", "wo", "zh",
)  # fmt: skip

THEMES = CATEGORIES


def labelled(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """(code, translated label) pairs, in the vocabulary's order."""
    return [(str(code), gettext(text)) for code, text in vocabulary.items()]


def language_name(code: str, locale: str) -> str:
    """A language's name in the reader's language ("arabe", "Arabic")."""
    try:
        names = Locale.parse(babel_locale(locale)).languages
    except (ValueError, UnknownLocaleError):
        return code
    return str(names.get(code, code))


def languages(locale: str) -> list[tuple[str, str]]:
    return [(code, language_name(code, locale)) for code in LANGUAGES]
