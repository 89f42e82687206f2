"""Word lists for the synthetic territory: plausible French names, descriptions
and opening hours, so that full-text search hits about as often as on real data."""

from __future__ import annotations

# Commune centres (lat, lon, INSEE code, name) around the two cities; places get
# the nearest one. Weights: the big city holds most places.
COMMUNES: dict[str, list[tuple[float, float, str, str, int]]] = {
    "Tours": [
        (47.394, 0.684, "37261", "Tours", 6),
        (47.352, 0.663, "37122", "Joué-lès-Tours", 2),
        (47.386, 0.735, "37233", "Saint-Pierre-des-Corps", 1),
        (47.405, 0.652, "37214", "Saint-Cyr-sur-Loire", 1),
        (47.389, 0.627, "37195", "La Riche", 1),
    ],
    "Nantes": [
        (47.218, -1.554, "44109", "Nantes", 6),
        (47.191, -1.569, "44143", "Rezé", 2),
        (47.212, -1.650, "44162", "Saint-Herblain", 2),
        (47.270, -1.623, "44114", "Orvault", 1),
        (47.207, -1.503, "44190", "Saint-Sébastien-sur-Loire", 1),
    ],
}
CITY_CENTRES = {"Tours": (47.39, 0.69), "Nantes": (47.22, -1.55)}

STREETS = [
    "rue de la République",
    "avenue du Général de Gaulle",
    "rue Jean Jaurès",
    "boulevard Victor Hugo",
    "place de la Liberté",
    "rue des Tilleuls",
    "allée des Érables",
    "rue Pasteur",
    "avenue de l'Europe",
    "rue du Onze Novembre",
    "place du Marché",
    "rue Louise Michel",
]
ORG_KINDS = [
    "Centre social",
    "Association",
    "CCAS",
    "France Services",
    "Mission locale",
    "Maison de quartier",
    "Espace de vie sociale",
    "Secours populaire, antenne",
    "Restos du cœur, centre",
    "Point d'accès au droit",
    "Épicerie solidaire",
    "Maison de santé",
]
ORG_NAMES = [
    "les Tilleuls",
    "Horizon",
    "le Phare",
    "Solidarités",
    "la Passerelle",
    "l'Escale",
    "les Courtils",
    "Arc-en-ciel",
    "le Relais",
    "Trait d'union",
    "la Source",
    "les Glycines",
    "Vivre ensemble",
    "Entraide",
]
# Per category: what services are called.
NAMES: dict[str, list[str]] = {
    "choisir-un-metier": ["Atelier découverte des métiers", "Bilan d'orientation"],
    "creer-une-entreprise": ["Permanence création d'entreprise", "Couveuse"],
    "difficultes-administratives-ou-juridiques": [
        "Accompagnement aux démarches",
        "Permanence juridique",
        "Écrivain public",
        "Accès aux droits",
    ],
    "difficultes-financieres": [
        "Conseil budget",
        "Point conseil budget",
        "Microcrédit",
    ],
    "equipement-et-alimentation": [
        "Aide alimentaire",
        "Colis alimentaires",
        "Épicerie solidaire",
        "Vestiaire solidaire",
        "Distribution de repas",
    ],
    "famille": ["Lieu d'accueil enfants-parents", "Soutien à la parentalité"],
    "lecture-ecriture-calcul": ["Cours de français", "Ateliers sociolinguistiques"],
    "logement-hebergement": ["Permanence logement", "Accueil de jour", "Aide au loyer"],
    "mobilite": ["Garage solidaire", "Auto-école sociale", "Conseil mobilité"],
    "numerique": [
        "Atelier numérique",
        "Conseiller numérique",
        "Accès libre à internet",
    ],
    "preparer-sa-candidature": ["Atelier CV", "Club recherche d'emploi"],
    "remobilisation": ["Café des habitants", "Atelier bien-être", "Sorties familles"],
    "sante": [
        "Permanence d'accès aux soins",
        "Consultation infirmière",
        "Point écoute santé",
        "Bilan de santé",
    ],
    "se-former": ["Point information formation", "Formation aux savoirs de base"],
    "souvrir-a-linternational": ["Information mobilité internationale"],
    "trouver-un-emploi": ["Accompagnement vers l'emploi", "Job dating du quartier"],
}
OPENERS = [
    "Nous vous accueillons",
    "Un professionnel vous reçoit",
    "Des bénévoles vous accueillent",
    "Une équipe vous accompagne",
    "Venez nous rencontrer",
]
FOR_WHOM = [
    "pour toute question sur",
    "si vous avez besoin d'aide pour",
    "afin de vous orienter sur",
    "pour un accompagnement personnalisé sur",
    "pour vous informer sur",
]
CLOSERS = [
    "Apportez une pièce d'identité si vous en avez une.",
    "Sans rendez-vous aux heures de permanence.",
    "Sur rendez-vous par téléphone.",
    "Interprète possible sur demande.",
    "Aide alimentaire d'urgence possible après évaluation.",
    "Orientation vers les partenaires du quartier si besoin.",
    "Accompagnement gratuit et confidentiel.",
    "Garde d'enfants possible pendant l'atelier.",
    "Accès aux droits : CAF, CPAM, impôts, retraite.",
    "Places limitées, inscription conseillée.",
]
LANGUAGES = ["ar", "en", "tr", "ru", "uk", "ps", "fa", "ti", "es", "ro", "pt", "so"]
FEES = ["free"] * 7 + ["paid", "membership"]
# Realistic OSM opening_hours strings, as entered by coordinators.
HOURS = [
    "Mo-Fr 09:00-12:00; PH off",
    "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
    "Mo-Fr 08:30-12:30,13:30-17:30; PH off",
    "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00; PH off",
    "Mo-Sa 08:30-12:30",
    "Mo,We,Fr 13:30-16:30",
    "Tu,Th 09:00-11:30",
    "Tu 14:00-17:00",
    "We 10:00-12:00,14:00-16:00",
    "Th 14:00-18:00; PH off",
    "Fr 09:00-12:00",
    "Sa 09:00-12:00",
    "We[2,4] 14:00-17:00; PH off",
    "Mo[1] 09:00-12:00",
    "Fr[1,3] 09:00-11:00",
    "Th[-1] 14:00-16:00",
    "Tu[2] 09:30-11:30; PH off",
    "week 01-53/2 Tu 14:00-17:00",
    "week 02-52/2 Th 09:00-12:00",
    "Sep-Jun Tu,Th 09:00-11:00; PH off",
    "Sep-Jun We 14:00-17:00",
    "Jan-Jun,Sep-Dec Mo 14:00-16:30",
    "Mo-Fr 09:00-12:00; Aug off; PH off",
    "Mo-Fr 12:00-13:30",
    "Mo-Su 18:00-20:00",
    "Mo-Fr 08:00-18:00; Sa 09:00-12:00; PH off",
    "Tu-Sa 10:00-12:30,14:00-18:00",
    "Mo 09:00-12:00; We 14:00-17:00; Fr 09:00-12:00",
    "Mo-Fr 09:00-17:00; Dec 24-Jan 01 off",
    "Th 17:00-19:00",
]
