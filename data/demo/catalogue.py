"""The invented services the demo directory is made of: realistic, never real."""

# ruff: noqa: E501  (French sentences read best unbroken)

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Archetype:
    name: str
    falc: str
    description: str
    categories: tuple[str, ...]
    type: str
    hours: tuple[str, ...]
    publics: tuple[str, ...] = ("tous-publics",)
    fees: str = "free"
    fees_detail: str | None = None
    appointment: bool = False
    referral: bool = False
    languages: tuple[int, ...] = (0, 1, 2)  # how many languages besides French
    mode: str = "in_person"
    note: str | None = None


@dataclass(frozen=True)
class CitywideGroup:
    slug: str
    name: str
    typology: str
    description: str
    place_name: str
    services: tuple[Archetype, ...] = field(default_factory=tuple)


DEMARCHES = "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
DROITS = (
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
)
CITOYENNETE = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete"
JUSTICE = "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"
DISCRIMINATION = "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination"

ARCHETYPES = (
    Archetype(
        "Ateliers sociolinguistiques (cours de français)",
        "Apprendre le français en petit groupe. C'est gratuit.",
        "Ateliers de français à l'oral et à l'écrit pour les adultes, en lien avec la vie quotidienne : rendez-vous médicaux, école, démarches. Inscription sur place, positionnement à l'entrée.",
        ("lecture-ecriture-calcul--maitriser-le-francais",),
        "formation",
        ("Sep-Jun Tu,Th 09:00-11:00; PH off", "Sep-Jun Mo,We 14:00-16:00; PH off"),
        publics=("personnes-exilees",),
        languages=(1, 2, 3),
    ),
    Archetype(
        "Permanence numérique",
        "On vous aide à utiliser l'ordinateur et le téléphone.",
        "Un conseiller numérique vous accompagne pour vos démarches en ligne (CAF, Ameli, impôts, France Travail), créer une adresse e-mail ou utiliser votre smartphone.",
        (
            "numerique--acceder-a-des-services-en-ligne",
            "numerique--maitriser-les-fondamentaux-du-numerique",
        ),
        "accompagnement",
        ("We 14:00-17:00; PH off", "Tu 09:00-12:00; Th 14:00-17:00; PH off"),
    ),
    Archetype(
        "Café des parents",
        "Un moment pour parler entre parents. On partage un café.",
        "Temps d'échange convivial entre parents, animé par une référente famille, autour de l'éducation, de l'école et du quotidien. Les jeunes enfants sont accueillis.",
        ("famille--soutien-a-la-parentalite-et-a-leducation",),
        "atelier",
        ("Fr[1,3] 09:00-11:00; PH off", "Mo[2,4] 14:00-16:00; PH off"),
        publics=("familles",),
    ),
    Archetype(
        "Accompagnement à la scolarité",
        "Aide aux devoirs pour les enfants, après l'école.",
        "Aide aux devoirs et activités éducatives pour les enfants du CP à la 3e, en petits groupes, avec des bénévoles. Adhésion annuelle au centre social.",
        ("famille--soutien-a-la-parentalite-et-a-leducation",),
        "accompagnement",
        ("Sep-Jun Mo,Tu,Th 16:30-18:00; PH off",),
        publics=("familles", "jeunes"),
        fees="membership",
        fees_detail="Adhésion familiale : 5 € par an",
    ),
    Archetype(
        "Écrivain public",
        "On vous aide à lire et écrire vos courriers.",
        "Aide à la lecture, à la compréhension et à la rédaction de courriers administratifs et de dossiers (CAF, logement, retraite). Confidentiel.",
        (DEMARCHES,),
        "accompagnement",
        ("Th 09:30-12:00; PH off", "We[1,3] 14:00-17:00; PH off"),
    ),
    Archetype(
        "Sorties et lien social",
        "Des sorties pour rencontrer du monde.",
        "Sorties culturelles, repas partagés et ateliers cuisine pour rompre l'isolement. Ouvert à tous les habitants, seniors bienvenus.",
        (
            "remobilisation--lien-social",
            "remobilisation--activites-sportives-et-culturelles",
        ),
        "atelier",
        ("Sa 14:00-17:00", "We 10:00-12:00"),
        publics=("seniors", "familles"),
        fees="paid",
        fees_detail="Participation selon les sorties, de 1 à 5 €",
    ),
    Archetype(
        "Permanence CAF",
        "Un agent de la CAF répond à vos questions.",
        "Un conseiller de la Caisse d'allocations familiales (CAF) vous reçoit pour vos droits : RSA, prime d'activité, APL, allocations familiales. Venir avec son numéro d'allocataire.",
        (DROITS,),
        "information",
        ("Tu[2,4] 09:00-12:00; PH off",),
        appointment=True,
        languages=(0, 1),
    ),
    Archetype(
        "Permanence de la Maison des adolescents",
        "Un lieu pour parler quand ça ne va pas. Pour les 11-25 ans.",
        "Écoute et orientation des jeunes de 11 à 25 ans et de leurs parents : mal-être, conflits, harcèlement, santé. Gratuit, anonyme, sans rendez-vous.",
        ("sante--sante-mentale",),
        "accompagnement",
        ("We 13:30-17:30; PH off",),
        publics=("jeunes",),
    ),
)

CITYWIDE = (
    CitywideGroup(
        "ccas",
        "CCAS",
        "ccas",
        "Centre communal d'action sociale : accueil, aides facultatives, domiciliation et accompagnement social.",
        "Antenne CCAS",
        (
            Archetype(
                "Accueil social et accès aux droits",
                "On vous aide pour vos droits et vos papiers.",
                "Accueil, information et orientation ; aide à l'ouverture des droits (RSA, complémentaire santé solidaire, AME) ; instruction des demandes d'aide facultative.",
                (DROITS, DEMARCHES),
                "accompagnement",
                (
                    "Mo-Fr 09:00-12:00; PH off",
                    "Mo,Tu,Th,Fr 08:30-12:00,13:30-16:30; PH off",
                ),
                languages=(0, 1),
            ),
            Archetype(
                "Aide alimentaire d'urgence",
                "Des bons pour acheter à manger, si vous êtes en difficulté.",
                "Délivrance de bons alimentaires et orientation vers l'épicerie solidaire, après évaluation par un travailleur social.",
                ("equipement-et-alimentation--alimentation",),
                "aide-materielle",
                ("Tu,Th 14:00-16:30; PH off",),
                referral=True,
                appointment=True,
                publics=("personnes-en-situation-durgence", "familles"),
            ),
        ),
    ),
    CitywideGroup(
        "point-justice",
        "Point-justice",
        "association",
        "Information juridique gratuite et confidentielle : avocats, juristes, conciliateurs et délégués du Défenseur des droits.",
        "Permanence juridique",
        (
            Archetype(
                "Consultation gratuite d'un avocat",
                "Un avocat répond à vos questions. C'est gratuit.",
                "Consultation juridique gratuite avec un avocat du barreau : famille, logement, travail, dettes, droit des étrangers. Sur rendez-vous auprès de l'accueil.",
                (JUSTICE, DISCRIMINATION),
                "information",
                ("We[2,4] 14:00-17:00; PH off",),
                appointment=True,
                languages=(0, 1),
            ),
            Archetype(
                "Permanence d'aide aux victimes",
                "Vous êtes victime ? On vous écoute et on vous aide.",
                "Accompagnement des victimes d'infractions : écoute, information sur la procédure, aide pour porter plainte et pour l'indemnisation.",
                (JUSTICE, "famille--surmonter-conflits-separation-violence"),
                "accompagnement",
                ("Mo[1,3] 09:00-12:00; PH off",),
                publics=("tous-publics",),
            ),
        ),
    ),
    CitywideGroup(
        "mission-locale",
        "Mission locale",
        "mission-locale",
        "Accompagnement des jeunes de 16 à 25 ans vers l'emploi, la formation, le logement et la santé.",
        "Point relais Mission locale",
        (
            Archetype(
                "Accompagnement des 16-25 ans",
                "Tu as entre 16 et 25 ans ? On t'aide pour trouver un travail ou une formation.",
                "Un conseiller fait le point avec toi sur ton projet, t'aide à chercher un emploi ou une formation et peut t'orienter vers le Contrat d'engagement jeune (CEJ).",
                (
                    "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                    "se-former--trouver-sa-formation",
                ),
                "accompagnement",
                ("week 01-53/2 Tu 14:00-17:00; PH off", "Th 09:00-12:00; PH off"),
                publics=("jeunes",),
                languages=(0, 1),
            ),
        ),
    ),
    CitywideGroup(
        "epicerie-solidaire",
        "Épicerie solidaire",
        "association",
        "Épicerie à petits prix pour les ménages aux revenus modestes, sur orientation d'un travailleur social.",
        "Épicerie solidaire",
        (
            Archetype(
                "Épicerie solidaire",
                "Des produits à petit prix. Il faut être orienté par un travailleur social.",
                "Produits alimentaires, d'hygiène et d'entretien à 10 à 30 % du prix habituel, pour une durée limitée, avec un projet accompagné (budget, factures, achat d'équipement).",
                (
                    "equipement-et-alimentation--alimentation",
                    "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
                ),
                "aide-materielle",
                (
                    "We[2,4] 14:00-17:00; Sa 09:30-12:00; PH off",
                    "Tu,Fr 14:00-18:00; PH off",
                ),
                publics=("familles", "beneficiaires-des-minimas-sociaux"),
                fees="paid",
                fees_detail="10 à 30 % du prix en magasin",
                referral=True,
            ),
        ),
    ),
    CitywideGroup(
        "info-logement",
        "Info logement",
        "association",
        "Conseils gratuits sur le logement : location, impayés, énergie, recours.",
        "Permanence logement",
        (
            Archetype(
                "Conseil logement et prévention des expulsions",
                "Vous avez un problème avec votre logement ? Un juriste vous conseille.",
                "Juristes spécialisés : bail, dépôt de garantie, impayés de loyer, demande de logement social, APL, procédure d'expulsion. Gratuit et neutre.",
                (
                    "logement-hebergement--se-maintenir-dans-le-logement",
                    "logement-hebergement--reduire-les-impayes-de-loyer",
                    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
                ),
                "information",
                ("Mo[1] 09:00-12:00; PH off", "Th[2] 14:00-17:00; PH off"),
                appointment=True,
                languages=(0, 1),
            ),
        ),
    ),
    CitywideGroup(
        "sante-quartiers",
        "Centre de santé des quartiers",
        "association",
        "Centre de santé associatif : médecine générale en tiers payant, infirmières et médiation en santé.",
        "Antenne santé",
        (
            Archetype(
                "Médiation en santé",
                "On vous aide à vous soigner et à avoir une carte Vitale.",
                "Une médiatrice en santé vous aide à ouvrir vos droits (Assurance maladie, complémentaire santé solidaire, AME), à trouver un médecin traitant et à préparer vos rendez-vous.",
                ("sante--acces-aux-soins", DROITS),
                "accompagnement",
                ("Tu 09:00-12:00; Th 14:00-17:00; PH off",),
                languages=(1, 2, 3),
            ),
            Archetype(
                "Consultations de médecine générale",
                "Un médecin vous soigne. Vous ne payez pas d'avance.",
                "Consultations de médecine générale en tiers payant intégral, avec interprétariat par téléphone si besoin.",
                ("sante--acces-aux-soins",),
                "accompagnement",
                ("Mo-Fr 08:30-12:00; Mo,We,Fr 14:00-18:00; PH off",),
                fees="paid",
                fees_detail="Tarif conventionné, sans avance de frais",
                appointment=True,
                languages=(1, 2),
            ),
        ),
    ),
)

STREETS = (
    "rue des Tilleuls",
    "avenue de la Paix",
    "place du Marché",
    "rue Jules-Verne",
    "allée des Peupliers",
    "rue Victor-Hugo",
    "boulevard de l'Europe",
    "rue des Écoles",
    "place de la Liberté",
    "rue Jean-Jaurès",
    "rue des Acacias",
    "square Louise-Michel",
)
