"""How well the FALC checker separates easy-to-read text from the rest.

    .venv/bin/python -m bench.falc

For each labelled set in tests/data (falc_sentences: what the rules were tuned
on; falc_heldout and falc_calibration: never used to tune them), prints the
ROC-AUC of the score (the chance that a non-FALC text scores lower than a FALC
one), the precision and recall of the dashboard's "low" badge (score below
LOW_SCORE) at catching non-FALC text, and the same for "any finding". Then how
many strings of the interface's own easy-to-read catalog get a finding.
tests/services/test_falc.py asserts floors on the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from api.services.content.falc import LOW_SCORE, check, score

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SETS = ("falc_sentences", "falc_heldout", "falc_calibration")


def load(path: Path) -> list[tuple[bool, str]]:
    """(is easy to read, text) rows of a labelled TSV; "\\n" stands for a line
    break so that a bulleted list fits on one row."""
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            assert label in ("falc", "not"), line
            rows.append((label == "falc", text.replace("\\n", "\n")))
    return rows


def roc_auc(easy: Iterable[float], hard: Iterable[float]) -> float:
    """Mann-Whitney: share of (hard, easy) pairs where the hard text scores
    lower, ties counting half."""
    easy, hard = list(easy), list(hard)
    wins = sum((h < e) + 0.5 * (h == e) for h in hard for e in easy)
    return wins / (len(hard) * len(easy))


def precision_recall(
    rows: list[tuple[bool, str]], flagged: Callable[[str], bool]
) -> tuple[float, float]:
    """Of "this text is not easy to read", as ``flagged`` says."""
    hits = [(is_easy, flagged(text)) for is_easy, text in rows]
    true_pos = sum(1 for is_easy, f in hits if f and not is_easy)
    flagged_count = sum(1 for _, f in hits if f)
    hard_count = sum(1 for is_easy, _ in hits if not is_easy)
    precision = true_pos / flagged_count if flagged_count else 1.0
    return precision, true_pos / hard_count


@dataclass(frozen=True)
class Figures:
    size: int
    auc: float
    badge_precision: float
    badge_recall: float
    any_precision: float
    any_recall: float


def figures(rows: list[tuple[bool, str]]) -> Figures:
    scores = {text: score(check(text)) for _, text in rows}
    auc = roc_auc(
        (scores[t] for easy, t in rows if easy),
        (scores[t] for easy, t in rows if not easy),
    )
    badge = precision_recall(rows, lambda t: scores[t] < LOW_SCORE)
    anything = precision_recall(rows, lambda t: bool(check(t)))
    return Figures(len(rows), auc, *badge, *anything)


def catalog_strings() -> list[str]:
    """Every easy-to-read string of the interface, placeholders as one word."""
    from babel.messages.pofile import read_po

    from api.i18n import LOCALES_DIR, catalog_name
    from tests.test_catalogs import PLACEHOLDER

    path = LOCALES_DIR / catalog_name("falc") / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        messages = [m for m in read_po(handle) if m.id]
    strings = []
    for message in messages:
        texts = (
            message.string if isinstance(message.string, tuple) else [message.string]
        )
        strings += [PLACEHOLDER.sub("N", text) for text in texts if text]
    return strings


def main() -> None:
    print(f"low badge: score < {LOW_SCORE}")
    print(
        f"{'set':<18}{'n':>5}{'AUC':>7}{'badge P':>9}{'badge R':>9}"
        f"{'any P':>8}{'any R':>8}"
    )
    for name in SETS:
        f = figures(load(DATA / f"{name}.tsv"))
        print(
            f"{name:<18}{f.size:>5}{f.auc:>7.3f}{f.badge_precision:>9.2f}"
            f"{f.badge_recall:>9.2f}{f.any_precision:>8.2f}{f.any_recall:>8.2f}"
        )
    strings = catalog_strings()
    findings = [check(text) for text in strings]
    flagged = sum(1 for found in findings if found)
    errors = sum(1 for found in findings if any(f.level == "error" for f in found))
    low = sum(1 for found in findings if score(found) < LOW_SCORE)
    print(
        f"fr@falc catalog: {flagged} of {len(strings)} strings with a finding, "
        f"{errors} with an error, {low} scored low"
    )


if __name__ == "__main__":
    main()
