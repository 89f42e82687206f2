"""The FALC checker: each rule fires on what it targets and stays quiet otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.services.falc import check, score

LABELLED = Path(__file__).parents[1] / "data" / "falc_sentences.tsv"
HELD_OUT = LABELLED.with_name("falc_heldout.tsv")


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
        ("negation", "Vous ne pouvez pas venir le soir.", "Venez le matin."),
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
    ],
)
def test_each_rule_fires_on_hard_text_and_not_on_easy_text(
    rule: str, hard: str, easy: str
) -> None:
    assert rule in rules(hard)
    assert rule not in rules(easy)


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


def separation(path: Path) -> tuple[float, float]:
    """(precision, recall) of "this is not easy to read" on a labelled file."""
    true_pos = false_pos = false_neg = 0
    rows = [
        line.split("\t", 1)
        for line in path.read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for label, sentence in rows:
        flagged = bool(check(sentence))
        true_pos += label == "not" and flagged
        false_pos += label == "falc" and flagged
        false_neg += label == "not" and not flagged
    return true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg)


def test_a_held_out_set_is_mostly_separated() -> None:
    """30 sentences written after the rules were tuned, never used to tune them:
    measured precision 0.81, recall 0.87 (day names in the plural and some
    everyday words count as rare; a participle without "être" is not seen as
    passive). The floor only catches a regression."""
    precision, recall = separation(HELD_OUT)
    assert precision >= 0.75 and recall >= 0.8, (precision, recall)


def test_the_labelled_set_is_separated() -> None:
    """64 sentences the rules were tuned on: precision and recall 1.0 there."""
    assert len(LABELLED.read_text("utf-8").splitlines()) > 60
    precision, recall = separation(LABELLED)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)


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
