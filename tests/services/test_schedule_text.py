"""Schedules in words: every pattern the builder makes, in every locale, reads
as words of that language, never as opening_hours syntax."""

from __future__ import annotations

import re
from datetime import date

import pytest

from api.i18n import LOCALES
from api.services.schedules.schedule_builder import (
    DAYS,
    WEEKS_OF_MONTH,
    ScheduleRule,
    ScheduleSpec,
    to_opening_hours,
)
from api.services.schedules.schedule_text import describe

FALLBACK = {"fr": "Horaires particuliers", "en": "Irregular hours"}


def rule(
    days: str,
    *ranges: str,
    weeks: tuple[int, ...] = (),
    parity: str | None = None,
) -> ScheduleRule:
    frequency = "nth" if weeks else "biweekly" if parity else "weekly"
    return ScheduleRule(
        days=days.split(","),
        ranges=[span.split("-") for span in ranges],
        frequency=frequency,
        weeks=weeks,
        parity=parity,
    )


def _patterns() -> list[tuple[str, date | None]]:
    """(opening_hours, anchor) for every shape of row the builder offers."""
    rows: list[ScheduleRule] = []
    for day in DAYS:
        rows.append(rule(day, "09:00-12:00"))
        rows.append(rule(day, "14:00-17:30", parity="odd"))
        rows.append(rule(day, "08:30-12:00", "13:30-17:00", parity="even"))
        rows += [rule(day, "14:00-17:00", weeks=(n,)) for n in WEEKS_OF_MONTH]
        rows.append(rule(day, "14:00-17:00", weeks=(2, 4)))
        rows.append(rule(day, "09:00-12:00", weeks=(1, -1)))
        rows.append(rule(day, "09:00-12:00", weeks=(1, 3, 5)))
    rows += [
        rule("Mo,Tu,We,Th,Fr", "09:00-12:00", "14:00-17:00"),
        rule("Mo,We,Fr", "09:00-12:00"),
        rule("Sa,Su", "10:00-12:00"),
        rule("Mo,Tu,We,Fr,Su", "09:00-10:00"),
        rule("Mo,Th", "09:00-12:00", weeks=(2, 4)),
    ]
    specs = [
        ScheduleSpec(rules=[r], public_holidays_off=ph)
        for r in rows
        for ph in (True, False)
    ]
    specs += [
        ScheduleSpec(
            rules=[
                rule("Th", "14:00-17:00", weeks=(1, -1)),
                rule("Sa", "10:00-12:00", parity="even"),
            ]
        ),
        ScheduleSpec(
            rules=[
                rule("Sa", "10:00-12:00", parity="even"),
                rule("Th", "14:00-17:00", weeks=(1, -1)),
            ]
        ),
        ScheduleSpec(
            rules=[
                rule("Mo", "09:00-12:00", parity="odd"),
                rule("Mo", "14:00-17:00", parity="even"),
            ]
        ),
        ScheduleSpec(
            rules=[
                rule("Mo", "09:00-10:00"),
                rule("Tu", "09:00-10:00", "11:00-12:00", weeks=(2,)),
                rule("We", "09:00-10:00", parity="odd"),
                rule("Th,Fr", "10:00-11:00", weeks=(1, -1)),
                rule("Sa,Su,Mo", "12:00-12:30", parity="even"),
            ]
        ),
    ]
    found: list[tuple[str, date | None]] = []
    for spec in specs:
        text = to_opening_hours(spec)
        found.append((text, None))
        if any(r.parity for r in spec.rules):
            found.append((text, date(2026, 12, 1)))
    return found


PATTERNS = _patterns()

# Leftovers of a template or of the syntax, and the punctuation the old
# one-template-for-all ordinals produced ("el último.º", "a ultima-a",
# "четверг № последняя", "son. Perşembe").
PLACEHOLDER = re.compile(r"%\(|%[sd]|\{|\}")
STRAY = re.compile(r"\.º|\w-a\b|№|\.[ \u202f](?!\n)|\s[,;،؛]|,,")
RAW = re.compile(
    r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH|off)\b|\bweek\s?\d|Mo-Fr|\[|\]|\d/"
    r"|\d\d:\d\d-\d\d:\d\d"
)


def _checked(text: str, locale: str) -> list[str]:
    problems = []
    # French typography puts a space before ";" (and ":"): only there.
    spaced = text.replace(" ; ", "; ") if locale == "fr" else text
    for name, pattern, subject in (
        ("placeholder", PLACEHOLDER, text),
        ("punctuation", STRAY, spaced),
        ("raw syntax", RAW, text),
    ):
        if found := pattern.search(subject):
            problems.append(f"{name}: {found.group(0)!r}")
    if text.startswith(FALLBACK.get(locale, "\0")):
        problems.append("fallback")
    return problems


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_every_builder_pattern_reads_in_every_locale(locale: str) -> None:
    problems = {}
    for raw, anchor in PATTERNS:
        text = describe(raw, locale, anchor)
        if found := _checked(text, locale):
            problems[(raw, anchor)] = (text, found)
    assert not problems, problems


@pytest.mark.parametrize("locale", sorted(set(LOCALES) - {"fr", "falc"}))
def test_no_french_words_are_left_in_other_locales(locale: str) -> None:
    # Every message is translated: French grammar words would show a gap.
    french = re.compile(r"\b(?:du mois|semaine|fériés|le dernier|toute la)\b")
    for raw, anchor in PATTERNS:
        text = describe(raw, locale, anchor)
        assert not french.search(text), (raw, text)
    assert describe("Sa 10:00-12:00", locale) != describe("Sa 10:00-12:00", "fr")


@pytest.mark.parametrize(
    ("locale", "raw", "expected"),
    [
        ("es", "Th[-1] 14:00-17:00", "el último jueves del mes, 14:00–17:00"),
        ("ro", "Th[-1] 14:00-17:00", "ultima joi din lună, 14:00–17:00"),
        ("ru", "Th[-1] 14:00-17:00", "последний четверг месяца, 14:00–17:00"),
        ("tr", "Th[-1] 14:00-17:00", "ayın son Perşembe günü, 14:00–17:00"),
        (
            "en",
            "We[2,4] 14:00-17:00",
            "the 2nd and the 4th Wednesday of the month, 2 – 5 pm",
        ),
        (
            "fr",
            "Th[1,-1] 14:00-17:00",
            "le 1er et le dernier jeudi du mois, 14 h – 17 h",
        ),
        # Ordinals agree with the day: среда is feminine, воскресенье neuter.
        ("ru", "We[2] 09:00-12:00", "вторая среда месяца, 09:00–12:00"),
        ("ru", "Su[-1] 09:00-12:00", "последнее воскресенье месяца, 09:00–12:00"),
        ("uk", "Fr[1] 09:00-12:00", "перша пʼятниця місяця, 09:00–12:00"),
        ("uk", "Mo[1] 09:00-12:00", "перший понеділок місяця, 09:00–12:00"),
    ],
)
def test_ordinals_and_last_are_grammatical(
    locale: str, raw: str, expected: str
) -> None:
    assert describe(raw, locale) == expected


def test_arabic_says_every_two_weeks_with_arabic_punctuation() -> None:
    text = describe("week 01-53/2 Tu 14:00-17:00; Th 09:00-12:00", "ar")
    assert "كل أسبوعين" in text and "أسبوع بعد أسبوع" not in text
    assert "،" in text and "؛" in text
    assert "," not in text and ";" not in text


def test_arabic_plural_forms_follow_babel_rule() -> None:
    from api.i18n import ngettext, use_locale

    with use_locale("ar"):
        fifteen = ngettext(
            "Ce lien marche pendant %(num)d jour.",
            "Ce lien marche pendant %(num)d jours.",
            15,
        ) % {"num": 15}
        hundred = ngettext(
            "Ce lien marche pendant %(num)d jour.",
            "Ce lien marche pendant %(num)d jours.",
            100,
        ) % {"num": 100}
    assert "15 يومًا" in fifteen  # 11 to 99: accusative singular
    assert "100 يوم." in hundred


def test_an_anchored_rule_names_the_week_it_starts_from() -> None:
    # Week 49 of 2026 is odd: the odd rule starts that week, the even one after.
    assert describe("week 01-53/2 Tu 09:00-12:00", "fr", date(2026, 12, 2)) == (
        "mardi, une semaine sur deux, à partir de la semaine du 30 novembre 2026, "
        "9 h – 12 h"
    )
    assert "7 décembre 2026" in describe(
        "week 02-52/2 Tu 09:00-12:00", "fr", date(2026, 12, 2)
    )


def test_easy_to_read_schedules_have_one_idea_per_line() -> None:
    text = describe(
        "Mo-Fr 09:00-12:00,14:00-16:30; week 01-53/2 Sa 10:00-12:00; PH off", "falc"
    )
    assert text.split("\n") == [
        "Du lundi au vendredi.",
        "De 9 heures à 12 heures et de 14 heures à 16 heures 30.",
        "Samedi.",
        "1 semaine sur 2 : les semaines 1, 3, 5, 7 et ainsi de suite.",
        "De 10 heures à 12 heures.",
        "Fermé les jours fériés.",
    ]
    for raw, anchor in PATTERNS:
        words = describe(raw, "falc", anchor)
        assert not re.search(r"[;()\[\]–]|\d h\b|\d:\d", words), (raw, words)
