# ruff: noqa: E501  (theme codes are long and read best on one line)
"""The big theme buttons of the home page: everyday needs, not administrative codes."""

from __future__ import annotations

from dataclasses import dataclass

from api.i18n import N_


@dataclass(frozen=True)
class Theme:
    slug: str
    label: str  # French source, translated at render time
    icon: str
    categories: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()


THEMES = (
    Theme(
        "papiers",
        N_("Papiers et droits"),
        "file-text",
        (
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
            "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
        ),
    ),
    Theme("sante", N_("Santé"), "heart-pulse", ("sante",)),
    Theme(
        "alimentation",
        N_("Manger, s'habiller"),
        "shopping-basket",
        ("equipement-et-alimentation",),
    ),
    Theme(
        "francais",
        N_("Apprendre le français"),
        "languages",
        ("lecture-ecriture-calcul",),
    ),
    Theme("numerique", N_("Aide numérique"), "laptop", ("numerique",)),
    Theme("logement", N_("Logement"), "house", ("logement-hebergement",)),
    Theme(
        "emploi",
        N_("Emploi, formation"),
        "briefcase",
        (
            "trouver-un-emploi",
            "preparer-sa-candidature",
            "choisir-un-metier",
            "se-former",
        ),
    ),
    Theme(
        "justice",
        N_("Justice, aide juridique"),
        "scale",
        (
            "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
            "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
        ),
    ),
    Theme("famille", N_("Famille, enfants"), "baby", ("famille",)),
    Theme("jeunes", N_("Jeunes"), "graduation-cap", publics=("jeunes",)),
    Theme("argent", N_("Argent, dettes"), "wallet", ("difficultes-financieres",)),
    Theme("mobilite", N_("Se déplacer"), "bus", ("mobilite",)),
)
