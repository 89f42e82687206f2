"""Opening hours: normalisation, evaluation in Paris with French holidays, words."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from api.services.hours import (
    HoursError,
    closure_period,
    is_open,
    next_session,
    normalise,
    sessions,
)
from api.services.schedule_text import describe

PARIS = ZoneInfo("Europe/Paris")
CORPUS = Path(__file__).parents[1] / "data" / "opening_hours_corpus.txt"


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9h-12h", "09:00-12:00"),
        ("9h30-12h", "09:30-12:00"),
        ("Mo-Fr 9-12", "Mo-Fr 09:00-12:00"),
        ("14h00 - 17h00", "14:00-17:00"),
        ("lundi-vendredi 9h-12h", "Mo-Fr 09:00-12:00"),
        ("lun-ven 9h-12h", "Mo-Fr 09:00-12:00"),
        ("Lu-Ve 9h-12h; sa 10h-12h", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
        ("mo-fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo-Fr 09:00-12:00;", "Mo-Fr 09:00-12:00"),
        ("mardi et jeudi 14h–17h", "Tu,Th 14:00-17:00"),
        (
            "du lundi au vendredi 9h-12h, jours fériés fermé",
            "Mo-Fr 09:00-12:00; PH off",
        ),
        ("We[2,4] 14:00-17:00; PH off", "We[2,4] 14:00-17:00; PH off"),
    ],
)
def test_lenient_strings_are_normalised(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [("", "vides"), ("blabla", "illisibles"), ("9-5", "avant"), ("25h-26h", "existe")],
)
def test_unreadable_or_ambiguous_strings_are_refused_in_plain_words(
    raw: str, words: str
) -> None:
    with pytest.raises(HoursError) as error:
        normalise(raw)
    assert words in error.value.message


def test_the_corpus_of_real_values_parses() -> None:
    values = [
        line.rstrip("\n")
        for line in CORPUS.read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(values) > 250
    refused = []
    for value in values:
        try:
            normalise(value)
        except HoursError:
            refused.append(value)
    assert refused == []


def test_nth_weekday_of_the_month() -> None:
    hours = "We[2,4] 14:00-17:00"
    assert is_open(hours, paris(2026, 12, 9, 15))  # 2nd Wednesday
    assert not is_open(hours, paris(2026, 12, 16, 15))  # 3rd Wednesday
    assert is_open(hours, paris(2026, 12, 23, 15))  # 4th


def test_french_public_holidays_are_closed() -> None:
    hours = "Mo-Fr 09:00-12:00; PH off"
    assert is_open(hours, paris(2026, 12, 24, 10))
    assert not is_open(hours, paris(2026, 12, 25, 10))  # Christmas, a Friday
    assert not is_open(hours, paris(2027, 5, 6, 10))  # Ascension Thursday
    assert not is_open(hours, paris(2027, 7, 14, 10))  # Bastille Day


def test_closures_close_and_next_session_skips_them() -> None:
    hours = "Mo-Fr 09:00-12:00"
    closed = [closure_period(date(2026, 12, 14), date(2026, 12, 18))]
    assert not is_open(hours, paris(2026, 12, 15, 10), closed)
    session = next_session(hours, paris(2026, 12, 14, 8), closed)
    assert session is not None and session.start == paris(2026, 12, 21, 9)


def test_next_session_is_the_one_in_progress_with_its_real_start() -> None:
    session = next_session("Mo-Fr 09:00-12:00", paris(2026, 12, 21, 10, 30))
    assert session is not None
    assert (session.start, session.end) == (
        paris(2026, 12, 21, 9),
        paris(2026, 12, 21, 12),
    )


def test_a_closure_cuts_a_session_in_two() -> None:
    cut = [closure_period(date(2026, 12, 2), date(2026, 12, 2))]
    found = sessions(
        "Mo-Su 00:00-24:00", paris(2026, 12, 1, 12), paris(2026, 12, 3, 12), cut
    )
    assert [(s.start.day, s.end.day) for s in found] == [(1, 2), (3, 3)]


def test_hours_stay_local_across_the_change_to_summer_time() -> None:
    session = next_session("Mo 09:00-12:00", paris(2027, 3, 27, 12))  # DST on 28 March
    assert session is not None
    assert session.start.astimezone(PARIS).hour == 9
    assert session.start.astimezone(PARIS).utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


def test_every_other_week() -> None:
    hours = "week 01-53/2 Tu 14:00-17:00"
    # ISO week 1 of 2027 starts on 4 January; week 2 on 11 January.
    assert is_open(hours, paris(2027, 1, 5, 15))
    assert not is_open(hours, paris(2027, 1, 12, 15))


@pytest.mark.parametrize(
    ("raw", "french", "english"),
    [
        (
            "We[2,4] 14:00-17:00",
            "2e et 4e mercredis du mois, 14 h – 17 h",
            "every 2nd and 4th Wednesday, 2 – 5 pm",
        ),
        (
            "Mo-Fr 09:00-12:00,13:30-17:00; PH off",
            "du lundi au vendredi, 9 h – 12 h et 13 h 30 – 17 h ; "
            "fermé les jours fériés",
            "from Monday to Friday, 9 am – 12 pm and 1:30 – 5 pm; "
            "closed on public holidays",
        ),
        (
            "week 01-53/2 Tu 14:00-17:00",
            "mardi, une semaine sur deux (semaines impaires), 14 h – 17 h",
            "Tuesday, every other week (odd weeks), 2 – 5 pm",
        ),
        (
            "Sep-Jun Mo,We,Fr 09:00-11:00",
            "de septembre à juin : lundi, mercredi et vendredi, 9 h – 11 h",
            "September to June: Monday, Wednesday, and Friday, 9 – 11 am",
        ),
        (
            "Mo[1] 09:00-12:00",
            "1er lundi du mois, 9 h – 12 h",
            "every 1st Monday, 9 am – 12 pm",
        ),
        ("24/7", "ouvert tout le temps", "open all the time"),
    ],
)
def test_schedules_in_words(raw: str, french: str, english: str) -> None:
    assert describe(raw, "fr") == french
    assert describe(raw, "en") == english


def test_an_exotic_schedule_falls_back_to_the_raw_string() -> None:
    assert describe("sunrise-sunset", "fr") == "Horaires : sunrise-sunset"
    assert describe('Mo 10:00-12:00 || "sur rendez-vous"', "en").startswith("Hours: ")
