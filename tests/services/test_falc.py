"""The FALC checker: each rule fires on what it targets and stays quiet otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.services.content.falc import LOW_SCORE, check, score
from bench.falc import catalog_strings, figures, load, roc_auc

LABELLED = Path(__file__).parents[1] / "data" / "falc_sentences.tsv"
HELD_OUT = LABELLED.with_name("falc_heldout.tsv")
CALIBRATION = LABELLED.with_name("falc_calibration.tsv")


def rules(text: str) -> set[str]:
    return {finding.rule for finding in check(text)}


@pytest.mark.parametrize(
    ("rule", "hard", "easy"),
    [
        (
            "sentence-too-long",
            "Nous vous accueillons tous les jours de la semaine pour vous aider "
            "à faire vos papiers et vos demandes.",
            "On vous aide pour vos papiers.",
        ),
        (
            "rare-word",
            "Nous proposons une permanence de remédiation.",
            "Nous aidons les familles.",
        ),
        (
            "jargon",
            "Apportez un justificatif.",
            "Apportez un papier qui prouve votre adresse.",
        ),
        (
            "acronym",
            "Venez avec votre attestation CAF.",
            "Venez avec le papier de la CAF (Caisse d'allocations familiales).",
        ),
        ("number-in-letters", "Le cours dure deux heures.", "Le cours dure 2 heures."),
        (
            "complex-date",
            "Inscription avant le 15/01/2027.",
            "Inscription avant le 15 janvier 2027.",
        ),
        (
            "passive-voice",
            "Le dossier est étudié par la commission.",
            "La commission étudie le dossier.",
        ),
        ("negation", "Personne ne répond le soir.", "Venez le matin."),
        ("parenthesis", "Venez le lundi (le matin).", "Venez le lundi matin."),
        ("abbreviation", "Repas, vêtements, etc.", "Repas et vêtements."),
        ("all-caps", "FERMETURE le lundi.", "Fermé le lundi."),
        (
            "several-ideas",
            "On vous écoute et on vous conseille puis on vous oriente.",
            "On vous écoute.",
        ),
        (
            "idiom",
            "Un coup de pouce pour vos factures.",
            "Une petite aide pour vos factures.",
        ),
        (
            "foreign-word",
            "Un workshop pour les parents.",
            "Un atelier pour les parents.",
        ),
        ("unknown-acronym", "Le CSAPA vous reçoit.", "Le médecin vous reçoit."),
        ("percentage", "Vous payez 10 % du prix.", "Vous payez moins cher."),
        (
            "big-number",
            "Nous aidons 12 000 familles.",
            "Nous aidons beaucoup de familles.",
        ),
        ("conditional", "Vous pourriez venir le matin.", "Vous pouvez venir le matin."),
        ("subjunctive", "Il faut que vous veniez le matin.", "Venez le matin."),
        ("special-character", "Jeux & goûter.", "Des jeux et un goûter."),
        (
            "enumeration",
            "Nous donnons des habits, des chaussures, des draps et des jouets.",
            "Nous donnons des habits et des jouets.",
        ),
        (
            "no-verb",
            "Distribution de colis alimentaires aux familles du quartier le mardi.",
            "Le mardi, nous donnons des colis de nourriture.",
        ),
    ],
)
def test_each_rule_fires_on_hard_text_and_not_on_easy_text(
    rule: str, hard: str, easy: str
) -> None:
    assert rule in rules(hard)
    assert rule not in rules(easy)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Votre dossier est transmis à la commission.", "passive-voice"),
        ("Vous êtes reçu par une conseillère.", "passive-voice"),
        ("Vous serez contacté par téléphone.", "passive-voice"),
        ("Aucune demande ne sera traitée sans papiers.", "negation"),
        ("Aucun dossier ne sera accepté.", "negation"),
        ("Personne ne répond le lundi.", "negation"),
        ("Rien ne change.", "negation"),
        ("Les enfants ne pourront être accueillis.", "negation"),
        ("Le service n'accueille que les familles.", "negation"),
        ("Venez afin d'obtenir votre attestation.", "jargon"),
        ("Venez avec vos papiers CAF, CPAM, ANTS.", "acronym"),
        ("Le CMP vous reçoit.", "acronym"),
        ("Orientation vers l'ASE.", "acronym"),
        ("Orientation vers le CSAPA.", "unknown-acronym"),
        ("Le reste à payer est de 10 %.", "percentage"),
        ("Plus de 2 500 familles ont de l'aide.", "big-number"),
        ("Vous devriez appeler avant.", "conditional"),
        ("Il est nécessaire que vous soyez là.", "subjunctive"),
        ("Cours de français/anglais.", "special-character"),
        ("Les usager·ère·s sont bienvenus.", "special-character"),
        ("Un job dating a lieu en mars.", "foreign-word"),
        (
            "Nous proposons : repas, vestiaire, douches, laverie, accès au téléphone.",
            "enumeration",
        ),
    ],
)
def test_what_the_checker_used_to_miss(text: str, rule: str) -> None:
    """The misses listed in issue 12."""
    assert rule in rules(text), check(text)


@pytest.mark.parametrize(
    "text",
    [
        "L’aide d’urgence est gratuite.",
        "Venez sans rendez-vous.",
        "Le bureau est au 2e étage, porte 3.",
        "Le CCAS vous aide. Le CCAS est le service social de la mairie.",
        "La PMI soigne les bébés. PMI veut dire Protection maternelle et infantile.",
        "Apportez :\n- votre carte Vitale\n- votre avis d’impôt\n- une facture",
        "Nous sommes ouverts le lundi. Le goûter est offert.",
        "Vous êtes perdu ? Appelez le 02 47 00 00 00.",
        "Cette personne n'est pas dans l'équipe.",
        "Le site est data.gouv.fr.",
    ],
)
def test_what_the_checker_used_to_flag_wrongly(text: str) -> None:
    """The false alarms listed in issue 12, and a few like them."""
    assert check(text) == []


def test_a_bulleted_list_is_one_item_a_line() -> None:
    text = "Apportez :\n- votre carte Vitale\n- votre avis d’impôt\n- un RIB"
    assert [text[f.start : f.end] for f in check(text)] == ["RIB"]


def test_an_administrative_sentence_scores_low() -> None:
    """It scored 95 before issue 12: one negative subject, a passive, jargon."""
    text = "Aucune demande ne sera traitée en l'absence des justificatifs requis."
    assert score(check(text)) < LOW_SCORE
    assert {"negation", "passive-voice", "jargon"} <= rules(text)


def test_a_double_negation_is_an_error() -> None:
    findings = check("Il n'est pas impossible de venir sans rendez-vous.")
    assert any(f.rule == "negation" and f.level == "error" for f in findings)


def test_findings_point_at_their_span_and_explain() -> None:
    text = "Apportez un justificatif."
    [finding] = [f for f in check(text) if f.rule == "jargon"]
    assert text[finding.start : finding.end] == "justificatif"
    assert finding.message and finding.suggestion and "papier" in finding.suggestion


def test_score_falls_with_findings() -> None:
    assert score(check("On vous aide pour vos papiers.")) == 100
    assert (
        score(check("Les allocataires de la CAF sont reçus par un conseiller.")) < 100
    )


def test_roc_auc_counts_pairs() -> None:
    assert roc_auc([90, 100], [10, 20]) == 1.0
    assert roc_auc([50], [50]) == 0.5
    assert roc_auc([10], [90, 5]) == 0.5


def test_the_score_separates_a_calibration_set_it_was_not_tuned_on() -> None:
    """128 summaries and descriptions written like real listings (half easy to
    read) before the rules of issue 12, never used to tune them. Measured
    (python -m bench.falc): ROC-AUC 0.99, "low" badge precision 0.98 and recall
    0.97 (any finding: precision 0.90, recall 0.98). Floors with margin: a
    regression fails."""
    rows = load(CALIBRATION)
    assert len(rows) >= 100 and sum(easy for easy, _ in rows) == len(rows) // 2
    measured = figures(rows)
    assert measured.auc >= 0.9, measured
    assert measured.badge_recall >= 0.85 and measured.badge_precision >= 0.85, measured


def test_a_held_out_set_is_separated() -> None:
    """30 sentences written after the first rules were tuned, never used to tune
    them. Any finding: precision 0.81 and recall 0.87 before issue 12, 0.94 and
    1.0 after; the "low" badge: recall 0.00 before, 1.0 after (AUC 0.91 ->
    1.0). The floors only catch a regression."""
    measured = figures(load(HELD_OUT))
    assert measured.any_precision >= 0.8 and measured.any_recall >= 0.9, measured
    assert measured.auc >= 0.9 and measured.badge_recall >= 0.8, measured


def test_the_tuning_set_is_separated() -> None:
    """100 sentences the rules and the score were tuned on."""
    measured = figures(load(LABELLED))
    assert measured.size >= 100
    assert measured.any_precision >= 0.9 and measured.any_recall >= 0.95, measured
    assert measured.badge_recall >= 0.9 and measured.badge_precision >= 0.95, measured


def test_the_api_checks_a_text_and_stores_nothing(client: TestClient) -> None:
    response = client.post(
        "/api/v1/falc/check", json={"text": "Le dossier est étudié par la commission."}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["score"] < 100
    assert [f["rule"] for f in body["findings"]] == ["passive-voice"]
    english = client.post(
        "/api/v1/falc/check?lang=en", json={"text": "Le cours dure deux heures."}
    )
    assert english.json()["findings"][0]["message"] == "Write numbers in digits."
    assert (
        client.post("/api/v1/falc/check", json={"text": "x" * 5001}).status_code == 422
    )


def test_few_strings_of_the_easy_to_read_catalog_get_a_finding() -> None:
    """133 of 725 strings had a finding before issue 12, 37 of 791 after (false
    alarms fixed, hard strings rewritten); what is left is mostly technical
    (latitude, SIRET, opening_hours syntax, licences)."""
    strings = catalog_strings()
    flagged = [text for text in strings if check(text)]
    assert len(flagged) <= 0.1 * len(strings), flagged


def test_the_dashboard_badge_uses_the_low_score() -> None:
    template = Path(__file__).parents[2] / "web/templates/espace/_falc_findings.html"
    assert f"value < {LOW_SCORE}" in template.read_text("utf-8")
