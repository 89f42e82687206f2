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

# Needs residents ask first, held by structures in the two big cities (issue 12):
# shelter tonight, clothes, childcare, CV, driving licence, and the themes no
# neighbourhood archetype covered (budget, starting a business, going abroad).
HEBERGEMENT = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
HABILLEMENT = "equipement-et-alimentation--habillement"
GARDE = "famille--garde-denfants"
CV = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"
PERMIS = "mobilite--preparer-un-permis"
CITIES = ("Tours", "Nantes")

CITY_STRUCTURES = (
    CitywideGroup(
        "veille-sociale",
        "Veille sociale 115",
        "association",
        "Service intégré d'accueil et d'orientation (SIAO) : hébergement d'urgence par le 115, accueil de jour et maraudes.",
        "Accueil de jour",
        (
            Archetype(
                "Hébergement d'urgence : appeler le 115",
                "Pas d'endroit pour dormir ce soir ? Appelez le 115. C'est gratuit, jour et nuit.",
                "Le 115 (Samu social) cherche une place d'hébergement d'urgence pour la nuit, pour les personnes seules et les familles sans abri. Appel gratuit, 24 heures sur 24, depuis un portable ou une cabine. S'il n'y a pas de place, rappelez le lendemain.",
                (HEBERGEMENT,),
                "accompagnement",
                ("24/7",),
                publics=("personnes-en-situation-durgence",),
                languages=(0, 1),
                mode="phone",
            ),
            Archetype(
                "Accueil de jour pour les personnes sans abri",
                "Un lieu pour se reposer, se laver et boire un café. On vous aide à trouver où dormir.",
                "Accueil sans rendez-vous des personnes sans domicile : café, douches, bagagerie, domiciliation et orientation vers un hébergement par un travailleur social.",
                (HEBERGEMENT, DEMARCHES),
                "accompagnement",
                ("Mo-Fr 08:30-12:30; Sa 09:00-12:00; PH off",),
                publics=("personnes-en-situation-durgence",),
                languages=(1, 2),
            ),
        ),
    ),
    CitywideGroup(
        "vestiaire",
        "Vestiaire solidaire",
        "association",
        "Vêtements et linge de maison d'occasion, triés par des bénévoles, à tout petit prix.",
        "Vestiaire solidaire",
        (
            Archetype(
                "Vestiaire solidaire : vêtements à petit prix",
                "Des vêtements pour toute la famille, à tout petit prix.",
                "Vêtements pour adultes et enfants, chaussures et linge de maison, de 0,50 € à 3 € la pièce. Gratuit sur orientation d'un travailleur social. Ouvert à tous.",
                (HABILLEMENT,),
                "aide-materielle",
                (
                    "We 14:00-17:00; Sa 09:30-12:00; PH off",
                    "Tu,Fr 14:00-17:30; PH off",
                ),
                publics=("tous-publics",),
                fees="paid",
                fees_detail="De 0,50 € à 3 € la pièce ; gratuit sur orientation",
            ),
        ),
    ),
    CitywideGroup(
        "relais-petite-enfance",
        "Relais petite enfance",
        "commune",
        "Service de la ville qui informe les familles sur l'accueil des jeunes enfants et accompagne les assistantes maternelles.",
        "Relais petite enfance",
        (
            Archetype(
                "Trouver un mode de garde pour son enfant",
                "On vous aide à trouver une crèche ou une assistante maternelle pour votre enfant.",
                "Information sur les crèches, les assistantes maternelles et les aides de la CAF pour la garde ; liste des places libres ; aide pour remplir la demande de place en crèche.",
                (GARDE,),
                "information",
                ("Tu,Th 09:00-12:00; We 14:00-17:00; PH off",),
                publics=("familles",),
                languages=(0, 1),
            ),
            Archetype(
                "Halte-garderie : garde d'enfants quelques heures",
                "On garde votre enfant quelques heures. Pendant ce temps, vous allez à un rendez-vous ou à un cours.",
                "Accueil occasionnel des enfants de 3 mois à 4 ans, quelques heures par semaine, par exemple pendant un cours de français ou une recherche d'emploi. Le prix dépend des revenus (barème de la CAF).",
                (GARDE, "famille--soutien-a-la-parentalite-et-a-leducation"),
                "accompagnement",
                ("Mo-Fr 08:30-12:00,13:30-17:30; PH off",),
                publics=("familles",),
                fees="paid",
                fees_detail="Selon les revenus (barème de la CAF)",
                appointment=True,
            ),
        ),
    ),
    CitywideGroup(
        "plateforme-mobilite",
        "Plateforme mobilité",
        "association",
        "Aide à la mobilité pour l'emploi : auto-école sociale, location de véhicules à petit prix et conseil en mobilité.",
        "Plateforme mobilité",
        (
            Archetype(
                "Auto-école sociale : préparer le permis B",
                "Passer le permis de conduire à petit prix. On prend le temps d'apprendre.",
                "Code et conduite en petits groupes, à un rythme adapté, pour les personnes en parcours d'insertion. Sur orientation de France Travail, de la mission locale ou d'un travailleur social. Le prix dépend des revenus.",
                (PERMIS, "mobilite--financer-ma-mobilite"),
                "formation",
                ("Mo,We,Fr 09:00-12:00,14:00-17:00; PH off",),
                publics=("demandeurs-emploi", "beneficiaires-des-minimas-sociaux"),
                fees="paid",
                fees_detail="Selon les revenus, aides possibles",
                appointment=True,
                referral=True,
            ),
            Archetype(
                "Conseil en mobilité : se déplacer pour travailler",
                "On vous aide à vous déplacer pour aller au travail : bus, vélo, voiture.",
                "Un conseiller fait le point sur vos trajets, vous aide à utiliser les transports en commun et peut vous louer un vélo, un scooter ou une voiture à petit prix pour aller travailler.",
                (
                    "mobilite--etre-accompagne-dans-son-parcours-mobilite",
                    "mobilite--acceder-a-un-vehicule",
                ),
                "accompagnement",
                ("Tu,Th 09:00-12:30; PH off",),
                appointment=True,
            ),
        ),
    ),
    CitywideGroup(
        "espace-emploi",
        "Espace emploi",
        "association",
        "Lieu ressource pour la recherche d'emploi : ordinateurs, offres, ateliers et conseillers.",
        "Espace emploi",
        (
            Archetype(
                "Atelier CV et lettre de motivation",
                "On vous aide à faire votre CV et à écrire une lettre pour demander un travail.",
                "Seul avec un conseiller ou en petit groupe : faire ou refaire son CV, écrire une lettre de motivation, répondre à une offre en ligne. Ordinateurs et imprimante sur place.",
                (
                    CV,
                    "preparer-sa-candidature--valoriser-ses-competences",
                    "trouver-un-emploi--repondre-a-des-offres-demploi",
                ),
                "atelier",
                ("Tu 14:00-16:30; PH off", "Th 09:30-12:00; PH off"),
                publics=("demandeurs-emploi", "jeunes"),
                languages=(0, 1),
            ),
            Archetype(
                "Préparer un entretien d'embauche",
                "On s'entraîne ensemble pour parler à un employeur.",
                "Entretiens d'entraînement avec des bénévoles venus de l'entreprise, conseils pour se présenter et parler de son parcours, réponses aux questions fréquentes.",
                (
                    "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
                    "preparer-sa-candidature--developper-son-reseau",
                ),
                "atelier",
                ("Fr[1,3] 14:00-16:00; PH off",),
                publics=("demandeurs-emploi",),
                appointment=True,
            ),
        ),
    ),
    CitywideGroup(
        "point-conseil-budget",
        "Point conseil budget",
        "association",
        "Conseils gratuits et confidentiels pour gérer son budget et faire face aux dettes.",
        "Point conseil budget",
        (
            Archetype(
                "Aide au budget et aux dettes",
                "Vous avez du mal à payer vos factures ? On vous aide à faire vos comptes.",
                "Un conseiller fait le point avec vous sur vos revenus et vos dépenses, vous aide à négocier avec vos créanciers et, si besoin, à monter un dossier de surendettement à la Banque de France. Gratuit et confidentiel.",
                (
                    "difficultes-financieres--situation-dendettement-surendettement",
                    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
                ),
                "accompagnement",
                ("Mo 14:00-17:00; Th 09:00-12:00; PH off",),
                appointment=True,
            ),
        ),
    ),
    CitywideGroup(
        "creation-entreprise",
        "Couveuse d'entreprises",
        "association",
        "Accompagnement des habitants qui veulent créer leur activité, de l'idée à la création de l'entreprise.",
        "Permanence création d'entreprise",
        (
            Archetype(
                "Créer son entreprise : être accompagné",
                "Vous avez une idée d'entreprise ? On vous aide à la préparer.",
                "Rendez-vous individuels pour tester son idée, construire son budget, choisir son statut (micro-entreprise, société) et trouver un financement (microcrédit, prêt d'honneur).",
                (
                    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
                    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
                ),
                "accompagnement",
                ("We 09:00-12:00; PH off",),
                appointment=True,
            ),
        ),
    ),
    CitywideGroup(
        "information-jeunesse",
        "Information jeunesse",
        "association",
        "Information des jeunes sur les études, l'emploi, le logement, la santé et les séjours à l'étranger.",
        "Point information jeunesse",
        (
            Archetype(
                "Partir à l'étranger : études, stage, volontariat",
                "Tu veux partir à l'étranger pour apprendre ou travailler ? On t'explique comment faire.",
                "Information sur les séjours à l'étranger (Erasmus+, Corps européen de solidarité, volontariat international, jobs d'été) et sur les aides pour partir. Surtout pour les 16-30 ans.",
                (
                    "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
                    "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
                ),
                "information",
                ("We 14:00-18:00; Sa 10:00-12:30; PH off",),
                publics=("jeunes",),
            ),
        ),
    ),
)
