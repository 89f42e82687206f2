# ruff: noqa: E501
"""Controlled vocabularies of data·inclusion v1 (GIP de l'inclusion, Licence Ouverte 2.0).

French labels are marked with ``N_`` so that extraction puts them in the
interface catalogs; ``label`` translates them at render time; ``tests/test_vocabulary.py`` checks the codes against the
reference lists in ``data/reference/``. The 16 category labels are ours: the
reference only lists sub-themes."""

from api.i18n import N_, gettext

CATEGORIES: dict[str, str] = {
    "choisir-un-metier": N_("Choisir un métier"),
    "creer-une-entreprise": N_("Créer une entreprise"),
    "difficultes-administratives-ou-juridiques": N_(
        "Difficultés administratives ou juridiques"
    ),
    "difficultes-financieres": N_("Difficultés financières"),
    "equipement-et-alimentation": N_("Équipement et alimentation"),
    "famille": N_("Famille"),
    "lecture-ecriture-calcul": N_("Lecture, écriture, calcul"),
    "logement-hebergement": N_("Logement, hébergement"),
    "mobilite": N_("Mobilité"),
    "numerique": N_("Numérique"),
    "preparer-sa-candidature": N_("Préparer sa candidature"),
    "remobilisation": N_("Remobilisation"),
    "sante": N_("Santé"),
    "se-former": N_("Se former"),
    "souvrir-a-linternational": N_("S’ouvrir à l’international"),
    "trouver-un-emploi": N_("Trouver un emploi"),
}

# Sub-themes, "category--sub-theme".
THEMES: dict[str, str] = {
    "choisir-un-metier--confirmer-son-choix-de-metier": N_(
        "Confirmer son choix de métier"
    ),
    "choisir-un-metier--connaitre-les-opportunites-demploi": N_(
        "Connaître les opportunités d’emploi"
    ),
    "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite": N_(
        "Découvrir un métier ou un secteur d’activité"
    ),
    "choisir-un-metier--identifier-ses-points-forts-et-ses-competences": N_(
        "Identifier ses points forts et ses compétences"
    ),
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise": N_(
        "Définir son projet de création d’entreprise"
    ),
    "creer-une-entreprise--developper-son-entreprise": N_("Développer son entreprise"),
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise": N_(
        "Structurer son projet de création d’entreprise"
    ),
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives": N_(
        "Accompagnement aux démarches administratives"
    ),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete": N_(
        "Accompagnement pour l’accès à la citoyenneté"
    ),
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits": N_(
        "Accompagnement pour l’accès aux droits"
    ),
    "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte": N_(
        "Bénéficier d’une mesure d’accompagnement adapté"
    ),
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination": N_(
        "Connaître ses droits face à une discrimination"
    ),
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire": N_(
        "Prendre en compte une problématique judiciaire"
    ),
    "difficultes-financieres--acquerir-une-autonomie-budgetaire": N_(
        "Acquérir une autonomie budgétaire"
    ),
    "difficultes-financieres--ameliorer-sa-gestion-budgetaire": N_(
        "Améliorer sa gestion budgétaire"
    ),
    "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere": N_(
        "Mettre en place une mesure de protection financière"
    ),
    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere": N_(
        "Prévenir une dégradation de la situation financière"
    ),
    "difficultes-financieres--situation-dendettement-surendettement": N_(
        "Situation d’endettement ou de surendettement"
    ),
    "equipement-et-alimentation--aide-menagere": N_("Aide ménagère"),
    "equipement-et-alimentation--alimentation": N_("Alimentation"),
    "equipement-et-alimentation--electromenager": N_("Électroménager"),
    "equipement-et-alimentation--habillement": N_("Habillement"),
    "famille--garde-denfants": N_("Garde d’enfants"),
    "famille--prise-en-charge-personne-dependante": N_(
        "Prise en charge d’une personne dépendante"
    ),
    "famille--soutien-a-la-parentalite-et-a-leducation": N_(
        "Soutien à la parentalité et à l’éducation"
    ),
    "famille--soutien-aidants": N_("Soutien aux aidants"),
    "famille--surmonter-conflits-separation-violence": N_(
        "Surmonter les conflits liés à la séparation ou à la violence"
    ),
    "lecture-ecriture-calcul--maitriser-le-calcul": N_("Maîtriser le calcul"),
    "lecture-ecriture-calcul--maitriser-le-francais": N_("Maîtriser le français"),
    "logement-hebergement--acheter-un-logement": N_("Acheter un logement"),
    "logement-hebergement--changer-de-logement": N_("Changer de logement"),
    "logement-hebergement--louer-un-logement": N_("Louer un logement"),
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire": N_(
        "Rechercher une solution d’hébergement temporaire"
    ),
    "logement-hebergement--reduire-les-impayes-de-loyer": N_(
        "Réduire les impayés de loyer"
    ),
    "logement-hebergement--se-maintenir-dans-le-logement": N_(
        "Se maintenir dans le logement"
    ),
    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement": N_(
        "S’informer sur les démarches liées à l’accès au logement"
    ),
    "mobilite--acceder-a-un-vehicule": N_("Accéder à un véhicule"),
    "mobilite--entretenir-reparer-son-vehicule": N_(
        "Entretenir et réparer son véhicule"
    ),
    "mobilite--etre-accompagne-dans-son-parcours-mobilite": N_(
        "Être accompagné dans son parcours mobilité"
    ),
    "mobilite--financer-ma-mobilite": N_("Financer ma mobilité"),
    "mobilite--mobilite-douce-partagee-collective": N_(
        "Utiliser des services de mobilité douce, partagée ou collective"
    ),
    "mobilite--preparer-un-permis": N_("Préparer un permis"),
    "numerique--acceder-a-des-services-en-ligne": N_("Accéder à des services en ligne"),
    "numerique--acceder-a-une-connexion-internet": N_(
        "Accéder à une connexion Internet"
    ),
    "numerique--acquerir-un-equipement": N_("Acquérir un équipement"),
    "numerique--maitriser-les-fondamentaux-du-numerique": N_(
        "Maîtriser les fondamentaux du numérique"
    ),
    "preparer-sa-candidature--developper-son-reseau": N_("Développer son réseau"),
    "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi": N_(
        "Organiser ses démarches de recherche d’emploi"
    ),
    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation": N_(
        "Réaliser un CV et/ou une lettre de motivation"
    ),
    "preparer-sa-candidature--valoriser-ses-competences": N_(
        "Valoriser ses compétences"
    ),
    "remobilisation--activites-sportives-et-culturelles": N_(
        "Activités sportives et culturelles"
    ),
    "remobilisation--benevolat-action-citoyenne": N_("Bénévolat et action citoyenne"),
    "remobilisation--bien-etre-confiance-en-soi": N_("Bien-être et confiance en soi"),
    "remobilisation--lien-social": N_("Lien social"),
    "sante--acces-aux-soins": N_("Accès aux soins"),
    "sante--addictions": N_("Addictions"),
    "sante--constituer-un-dossier-mdph-invalidite": N_(
        "Constituer un dossier MDPH pour invalidité"
    ),
    "sante--sante-mentale": N_("Santé mentale"),
    "sante--sante-sexuelle": N_("Santé sexuelle"),
    "se-former--monter-son-dossier-de-formation": N_("Monter son dossier de formation"),
    "se-former--trouver-sa-formation": N_("Trouver sa formation"),
    "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger": N_(
        "Connaître les opportunités d’emploi à l’étranger"
    ),
    "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger": N_(
        "S’informer sur les aides pour travailler à l’étranger"
    ),
    "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france": N_(
        "S’organiser suite à son retour en France"
    ),
    "trouver-un-emploi--convaincre-un-recruteur-en-entretien": N_(
        "Convaincre un recruteur en entretien"
    ),
    "trouver-un-emploi--faire-des-candidatures-spontanees": N_(
        "Faire des candidatures spontanées"
    ),
    "trouver-un-emploi--maintien-dans-lemploi": N_("Maintien dans l’emploi"),
    "trouver-un-emploi--repondre-a-des-offres-demploi": N_(
        "Répondre à des offres d’emploi"
    ),
    "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs": N_(
        "Suivre ses candidatures et relancer les employeurs"
    ),
}

PUBLICS: dict[str, str] = {
    "actifs": N_("Actifs"),
    "beneficiaires-des-minimas-sociaux": N_("Bénéficiaires des minimas sociaux"),
    "demandeurs-emploi": N_("Demandeurs d’emploi"),
    "etudiants": N_("Étudiants"),
    "familles": N_("Familles"),
    "femmes": N_("Femmes"),
    "jeunes": N_("Jeunes"),
    "personnes-en-situation-de-handicap": N_("Personnes en situation de handicap"),
    "personnes-en-situation-durgence": N_("Personnes en situation d’urgence"),
    "personnes-en-situation-juridique-specifique": N_(
        "Personnes en situation juridique spécifique"
    ),
    "personnes-exilees": N_("Personnes exilées"),
    "residents-qpv-frr": N_("Résidents en QPV ou FRR"),
    "seniors": N_("Séniors"),
    "tous-publics": N_("Tous publics"),
}

SERVICE_TYPES: dict[str, str] = {
    "accompagnement": N_("Accompagnement"),
    "aide-financiere": N_("Aide financière"),
    "aide-materielle": N_("Aide materielle"),
    "atelier": N_("Atelier"),
    "formation": N_("Formation"),
    "information": N_("Information"),
}


def category_of(theme: str) -> str:
    """'sante--acces-aux-soins' -> 'sante'."""
    return theme.split("--", 1)[0]


def label(vocabulary: dict[str, str], code: str) -> str:
    """The label of ``code`` in the current locale (the code itself if unknown)."""
    return gettext(vocabulary[code]) if code in vocabulary else code


def require_known(
    values: list[str], known: frozenset[str] | dict[str, str], message: str
) -> list[str]:
    """``values`` without repeats, or ValueError naming the unknown codes
    (``message`` is a translated template with %(codes)s)."""
    unknown = [value for value in values if value not in known]
    if unknown:
        raise ValueError(message % {"codes": ", ".join(unknown)})
    return list(dict.fromkeys(values))
