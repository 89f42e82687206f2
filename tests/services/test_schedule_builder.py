"""Schedule builder: form rows <-> OSM opening_hours, and its Jinja partial."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.services.schedules import schedule_builder
from api.services.schedules.hours import Schedule, normalise, parse, sessions
from api.services.schedules.schedule_builder import (
    ScheduleRule,
    ScheduleSpec,
    form_values,
    from_form,
    from_opening_hours,
    read_time,
    submitted_values,
    to_opening_hours,
)
from api.services.schedules.schedule_text import describe
from web.templating import environment

PARIS = ZoneInfo("Europe/Paris")


def rule(days: str, *ranges: str, weeks: str = "", parity: str = "") -> ScheduleRule:
    """rule("Mo,Th", "09:00-12:00", weeks="2,4") — short specs for the tables."""
    frequency = "nth" if weeks else "biweekly" if parity else "weekly"
    return ScheduleRule(
        days=days.split(","),
        ranges=[span.split("-") for span in ranges],
        frequency=frequency,
        weeks=[int(w) for w in weeks.split(",")] if weeks else [],
        parity=parity or None,
    )


def spec(*rules: ScheduleRule, ph: bool = True) -> ScheduleSpec:
    return ScheduleSpec(rules=rules, public_holidays_off=ph)


# (spec, its opening_hours string)
EXAMPLES = [
    (spec(rule("We", "14:00-17:00", weeks="2,4"), ph=False), "We[2,4] 14:00-17:00"),
    (spec(rule("We", "14:00-17:00", weeks="4,2")), "We[2,4] 14:00-17:00; PH off"),
    (
        spec(rule("Tu", "09:00-12:00", parity="even"), ph=False),
        "week 02-52/2 Tu 09:00-12:00",
    ),
    (
        spec(rule("Tu", "09:00-12:00", parity="odd"), ph=False),
        "week 01-53/2 Tu 09:00-12:00",
    ),
    (
        spec(rule("Th,Mo", "14:00-17:00", "09:00-12:00")),
        "Mo,Th 09:00-12:00,14:00-17:00; PH off",
    ),
    (spec(rule("Fr,Mo,We,Tu,Th", "09:00-12:30"), ph=False), "Mo-Fr 09:00-12:30"),
    (spec(rule("Mo,Tu,We,Fr,Su", "09:00-10:00"), ph=False), "Mo-We,Fr,Su 09:00-10:00"),
    (spec(rule("Fr", "14:00-16:00", weeks="-1"), ph=False), "Fr[-1] 14:00-16:00"),
    (spec(rule("Mo", "18:00-23:59"), ph=False), "Mo 18:00-23:59"),
    (
        spec(rule("Mo,Tu", "09:00-12:00"), rule("We", "14:00-17:00", weeks="2,4")),
        "Mo,Tu 09:00-12:00; We[2,4] 14:00-17:00; PH off",
    ),
    # A later row on the same days adds to the earlier one: ", " not "; ".
    (
        spec(rule("Mo", "09:00-12:00"), rule("Mo", "14:00-17:00", weeks="1")),
        "Mo 09:00-12:00, Mo[1] 14:00-17:00; PH off",
    ),
    (
        spec(
            rule("Mo", "09:00-12:00", weeks="1"), rule("Mo", "14:00-17:00", weeks="3")
        ),
        "Mo[1] 09:00-12:00, Mo[3] 14:00-17:00; PH off",
    ),
    # Opposite parities never meet: "; " is safe, and what people write.
    (
        spec(
            rule("Mo", "09:00-12:00", parity="odd"),
            rule("Mo", "14:00-17:00", parity="even"),
        ),
        "week 01-53/2 Mo 09:00-12:00; week 02-52/2 Mo 14:00-17:00; PH off",
    ),
]


@pytest.mark.parametrize(("schedule", "expected"), EXAMPLES)
def test_to_opening_hours(schedule: ScheduleSpec, expected: str) -> None:
    assert to_opening_hours(schedule) == expected


ROUND_TRIPS = [
    spec(rule("Mo", "09:00-12:00")),
    spec(rule("Mo", "09:00-12:00"), ph=False),
    spec(rule("Mo,Tu,We,Th,Fr,Sa,Su", "00:00-23:59")),
    spec(rule("Sa,Su,Mo", "10:00-11:00")),
    spec(rule("Mo,We,Fr", "08:30-12:00", "13:30-17:45")),
    spec(rule("Tu,Th", "13:00-14:00", "09:00-12:00")),  # given out of order
    spec(rule("We", "14:00-17:00", weeks="2,4")),
    spec(rule("We", "14:00-17:00", weeks="-1")),
    spec(rule("Mo,Th", "09:00-12:00", weeks="1,3,-1")),
    spec(rule("Fr", "09:00-12:00", "14:00-16:00", weeks="1,2,3,4,5")),
    spec(rule("Tu", "09:00-12:00", parity="even")),
    spec(rule("Tu", "09:00-12:00", parity="odd"), ph=False),
    spec(rule("Mo,Tu,We,Th,Fr", "09:00-12:00", parity="odd")),
    spec(rule("Mo,Tu,We,Th,Fr", "09:00-12:00", "14:00-17:00", parity="even")),
    spec(
        rule("Mo,Tu", "09:00-12:00"),
        rule("We", "14:00-17:00", weeks="2,4"),
        rule("Fr", "09:00-11:00", parity="odd"),
    ),
    spec(rule("Mo", "09:00-12:00"), rule("Mo", "14:00-17:00", weeks="-1")),
    spec(rule("Mo", "14:00-17:00", weeks="-1"), rule("Mo", "09:00-12:00")),
    spec(
        rule("Mo", "09:00-12:00", parity="odd"),
        rule("Mo", "14:00-17:00", parity="even"),
    ),
    spec(
        rule("Th", "09:00-12:00", parity="even"),
        rule("Th", "14:00-17:00", parity="even"),
        ph=False,
    ),
    spec(rule("Mo", "09:00-12:00", weeks="4"), rule("Mo", "14:00-17:00", weeks="-1")),
    spec(rule("Mo", "09:00-10:00"), rule("Mo", "09:00-10:00")),  # a duplicate row
    spec(
        rule("Mo", "09:00-10:00"),
        rule("Tu", "09:00-10:00", "11:00-12:00", weeks="2"),
        rule("We", "09:00-10:00", parity="odd"),
        rule("Th,Fr", "10:00-11:00", weeks="1,-1"),
        rule("Sa,Su,Mo", "12:00-12:30", parity="even"),
    ),
]
SPECS = [schedule for schedule, _text in EXAMPLES] + ROUND_TRIPS


@pytest.mark.parametrize("schedule", SPECS)
def test_from_opening_hours_round_trip(schedule: ScheduleSpec) -> None:
    assert from_opening_hours(to_opening_hours(schedule)) == schedule


@pytest.mark.parametrize("schedule", SPECS)
def test_form_round_trip(schedule: ScheduleSpec) -> None:
    assert from_form(form_values(schedule)) == (schedule, {})


@pytest.mark.parametrize("schedule", SPECS)
def test_every_string_is_read_and_put_into_words(schedule: ScheduleSpec) -> None:
    text = to_opening_hours(schedule)
    assert normalise(text) == text  # read as typed, without warnings
    assert not parse(text).warnings
    words = describe(text, "fr")
    assert not words.startswith("Horaires particuliers"), words  # the fallback


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("We[2,4] 14:00-17:00", "le 2e et le 4e mercredi du mois"),
        (
            "Th[1,-1] 14:00-17:00; week 02-52/2 Sa 10:00-12:00; PH off",
            "le 1er et le dernier jeudi du mois, 14 h – 17 h ; samedi, une "
            "semaine sur deux (semaines paires), 10 h – 12 h",
        ),
        ("We[2,4] 14:00-17:00; PH off", "fermé les jours fériés"),
        ("week 02-52/2 Tu 09:00-12:00", "une semaine sur deux (semaines paires)"),
        ("week 01-53/2 Tu 09:00-12:00", "une semaine sur deux (semaines impaires)"),
        ("Mo,Th 09:00-12:00,14:00-17:00", "lundi et jeudi, 9 h – 12 h et 14 h – 17 h"),
        ("Mo-Fr 09:00-12:30", "du lundi au vendredi, 9 h – 12 h 30"),
        ("Mo 09:00-12:00, Mo[1] 14:00-17:00", "le 1er lundi du mois, 14 h – 17 h"),
    ],
)
def test_words(text: str, phrase: str) -> None:
    assert phrase in describe(text, "fr")


# --- what the strings mean ----------------------------------------------------


def _union(
    raws: list[str], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    every = [s for raw in raws for s in sessions(raw, start, end)]
    spans: list[tuple[datetime, datetime]] = []
    for session in sorted(every, key=lambda s: s.start):
        if spans and session.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], session.end))
        else:
            spans.append((session.start, session.end))
    return spans


@pytest.mark.parametrize(
    "schedule",
    [s for s in SPECS if len(s.rules) > 1],
    ids=lambda s: to_opening_hours(s),
)
def test_rows_add_up(schedule: ScheduleSpec) -> None:
    """The string opens exactly when one of the rows does: no row replaces
    another (2026 has a week 53)."""
    start, end = datetime(2026, 1, 1, tzinfo=PARIS), datetime(2027, 1, 15, tzinfo=PARIS)
    whole = schedule.model_copy(update={"public_holidays_off": False})
    rows = [to_opening_hours(spec(r, ph=False)) for r in schedule.rules]
    assert _union([to_opening_hours(whole)], start, end) == _union(rows, start, end)


def _days_open(raw: str, first: date, last: date) -> list[date]:
    start = datetime.combine(first, datetime.min.time(), PARIS)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), PARIS)
    return sorted({s.start.date() for s in sessions(raw, start, end)})


def test_parity_is_iso_week_parity() -> None:
    even = to_opening_hours(spec(rule("Tu", "09:00-12:00", parity="even"), ph=False))
    odd = to_opening_hours(spec(rule("Tu", "09:00-12:00", parity="odd"), ph=False))
    first, last = date(2026, 1, 1), date(2026, 12, 31)
    tuesdays = [first + timedelta(days=i) for i in range(365)]
    tuesdays = [d for d in tuesdays if d.weekday() == 1]
    assert _days_open(even, first, last) == [
        d for d in tuesdays if d.isocalendar().week % 2 == 0
    ]
    assert _days_open(odd, first, last) == [
        d for d in tuesdays if d.isocalendar().week % 2 == 1
    ]


def test_nth_and_last_weekday_of_the_month() -> None:
    raw = to_opening_hours(spec(rule("We", "14:00-17:00", weeks="2,-1"), ph=False))
    # June 2026: Wednesdays 3, 10, 17, 24; the 2nd is the 10th, the last the 24th.
    assert _days_open(raw, date(2026, 6, 1), date(2026, 6, 30)) == [
        date(2026, 6, 10),
        date(2026, 6, 24),
    ]


def test_closed_on_public_holidays() -> None:
    # Easter Monday 2026 is April 6, also the 1st Monday of April.
    raw = to_opening_hours(spec(rule("Mo", "09:00-12:00", weeks="1")))
    assert _days_open(raw, date(2026, 4, 1), date(2026, 5, 31)) == [date(2026, 5, 4)]


# --- strings the builder cannot show -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Fr 09:00-12:00; Jan off",
        "24/7",
        "sunrise-sunset",
        "Mo-Fr 08:00-sunset",
        "Mo-Fr",  # all day
        "Mo-Fr 00:00-24:00",
        "Mo 18:00-24:00",  # an <input type="time"> has no 24:00
        "Mo-Fr 09:00-12:00 off",
        "PH off",
        "Mo 09:00-12:00; PH off; Tu 09:00-12:00",  # holidays not last
        "PH 10:00-12:00",
        "Mo,PH 10:00-12:00",
        "SH off",
        "Mo 09:00-10:00,11:00-12:00,14:00-15:00",  # three ranges
        "Mo 09:00-12:00,11:00-13:00",  # overlapping ranges
        "Mo 22:00-02:00",  # past midnight
        "Mo 09:00+",
        'Mo-Fr 09:00-12:00 "sur rendez-vous"',
        'Mo-Fr 09:00-12:00 || "sur rendez-vous"',
        "week 10-20/2 Mo 09:00-12:00",  # a season, not every other week
        "week 01-52/2 Mo 09:00-12:00",  # leaves out week 53
        "week 01-53/2 Mo[1] 09:00-12:00",
        "Mo,We[2] 10:00-11:00",  # two rows, not one
        "Mo[1],We[3] 10:00-11:00",
        "Mo 09:00-12:00; Mo[1] 14:00-17:00",  # the 1st Monday loses its morning
        "Mo[4] 09:00-12:00; Mo[-1] 14:00-17:00",
        "week 01-53/2 Mo 09:00-12:00; Mo 14:00-17:00",
        "Mo 09:00-12:00; Mo 14:00-17:00",
        "Mo 1; Tu 2; We 3; Th 4; Fr 5; Sa 6",
        "Mo 09:00-10:00; Tu 09:00-10:00; We 09:00-10:00; Th 09:00-10:00; "
        "Fr 09:00-10:00; Sa 09:00-10:00",  # six rows
        "Jan-Mar Mo 09:00-12:00",
        "2026 Mo 09:00-12:00",
        "",
        "n'importe quoi",
    ],
)
def test_from_opening_hours_refuses(text: str) -> None:
    assert from_opening_hours(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We[4,2] 14:00-17:00", spec(rule("We", "14:00-17:00", weeks="2,4"), ph=False)),
        (
            "lundi 9h-12h et 14h-17h, sauf jours fériés",
            spec(rule("Mo", "09:00-12:00", "14:00-17:00")),
        ),
        (
            "Mo 14:00-17:00,09:00-12:00",
            spec(rule("Mo", "09:00-12:00", "14:00-17:00"), ph=False),
        ),
        ("Sa-Mo 10:00-11:00", spec(rule("Mo,Sa,Su", "10:00-11:00"), ph=False)),
        ("Mo 09:00-12:00 open", spec(rule("Mo", "09:00-12:00"), ph=False)),
        ("Mo,Tu,We 10:00-11:00", spec(rule("Mo,Tu,We", "10:00-11:00"), ph=False)),
        (
            "week 2-53/2 Tu 09:00-12:00",
            spec(rule("Tu", "09:00-12:00", parity="even"), ph=False),
        ),
        (
            "Mo 09:00-12:00, Tu 09:00-12:00; PH closed",
            spec(rule("Mo", "09:00-12:00"), rule("Tu", "09:00-12:00")),
        ),
        # "; " between rows that never meet: the same as ", ".
        (
            "Mo[1] 09:00-12:00; Mo[3] 14:00-17:00",
            spec(
                rule("Mo", "09:00-12:00", weeks="1"),
                rule("Mo", "14:00-17:00", weeks="3"),
                ph=False,
            ),
        ),
    ],
)
def test_from_opening_hours_reads_variants(text: str, expected: ScheduleSpec) -> None:
    assert from_opening_hours(text) == expected


# --- the model -----------------------------------------------------------------


def test_rule_is_normalised() -> None:
    built = ScheduleRule(
        days=["Fr", "Mo", "Fr"],
        ranges=[("14:00", "17:00"), {"start": "09:00", "end": "12:00"}],
        frequency="nth",
        weeks=[-1, 3, 1, 3],
    )
    assert built.days == ("Mo", "Fr")
    assert [str(r) for r in built.ranges] == ["09:00-12:00", "14:00-17:00"]
    assert built.weeks == (1, 3, -1)


@pytest.mark.parametrize(
    "fields",
    [
        {"days": [], "ranges": [("09:00", "12:00")]},
        {"days": ["Xx"], "ranges": [("09:00", "12:00")]},
        {"days": ["Mo"], "ranges": []},
        {"days": ["Mo"], "ranges": [("12:00", "09:00")]},
        {"days": ["Mo"], "ranges": [("9:00", "12:00")]},
        {"days": ["Mo"], "ranges": [("24:00", "24:00")]},
        {"days": ["Mo"], "ranges": [("09:00", "12:00"), ("11:00", "13:00")]},
        {
            "days": ["Mo"],
            "ranges": [("08:00", "09:00"), ("10:00", "11:00"), ("12:00", "13:00")],
        },
        {"days": ["Mo"], "ranges": [("09:00", "12:00")], "frequency": "nth"},
        {
            "days": ["Mo"],
            "ranges": [("09:00", "12:00")],
            "frequency": "nth",
            "weeks": [6],
        },
        {"days": ["Mo"], "ranges": [("09:00", "12:00")], "weeks": [1]},
        {"days": ["Mo"], "ranges": [("09:00", "12:00")], "frequency": "biweekly"},
        {"days": ["Mo"], "ranges": [("09:00", "12:00")], "parity": "odd"},
        {"days": ["Mo"], "ranges": [("09:00", "12:00")], "frequency": "monthly"},
    ],
)
def test_rule_refuses(fields: dict) -> None:
    with pytest.raises(ValidationError):
        ScheduleRule(**fields)


def test_spec_has_one_to_five_rules() -> None:
    one = rule("Mo", "09:00-12:00")
    assert ScheduleSpec(rules=[one]).public_holidays_off is True
    with pytest.raises(ValidationError):
        ScheduleSpec(rules=[])
    with pytest.raises(ValidationError):
        ScheduleSpec(rules=[one] * 6)


# --- the form ------------------------------------------------------------------


def test_from_form_example() -> None:
    form = {
        "rule-0-days": ["We"],
        "rule-0-start1": "14h",
        "rule-0-end1": "17h",
        "rule-0-frequency": "nth",
        "rule-0-weeks": ["2", "4"],
        "rule-0-parity": "odd",  # ignored: not "every other week"
        "rule-1-days": ["Tu", "Mo"],
        "rule-1-start1": "9h",
        "rule-1-end1": "12h",
        "rule-1-start2": "13h30",
        "rule-1-end2": "16h",
        "rule-1-frequency": "biweekly",
        "rule-1-weeks": ["1"],  # ignored: not "some weeks of the month"
        "rule-1-parity": "even",
        "rule-2-frequency": "weekly",  # an empty spare row
        "ph-off": "on",
    }
    built, errors = from_form(form)
    assert errors == {}
    assert built == spec(
        rule("We", "14:00-17:00", weeks="2,4"),
        rule("Mo,Tu", "09:00-12:00", "13:30-16:00", parity="even"),
    )
    assert to_opening_hours(built) == (
        "We[2,4] 14:00-17:00; week 02-52/2 Mo,Tu 09:00-12:00,13:30-16:00; PH off"
    )


def test_from_form_reads_starlette_form_data() -> None:
    form = FormData(
        [
            ("rule-0-days", "Mo"),
            ("rule-0-days", "Th"),
            ("rule-0-start1", "09:00"),
            ("rule-0-end1", "12:00"),
            ("rule-0-frequency", "weekly"),
            ("rule-1-frequency", "weekly"),
            ("rule-1-start1", ""),
        ]
    )
    assert from_form(form) == (spec(rule("Mo,Th", "09:00-12:00"), ph=False), {})


def test_empty_rows_anywhere_are_ignored() -> None:
    form = {"rule-3-days": "Fr", "rule-3-start2": "9h", "rule-3-end2": "10h"}
    assert from_form(form) == (spec(rule("Fr", "09:00-10:00"), ph=False), {})


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9h", "09:00"),
        ("9h30", "09:30"),
        ("09:30", "09:30"),
        ("9:30", "09:30"),
        ("9 h 30", "09:30"),
        ("14H", "14:00"),
        ("14", "14:00"),
        ("09:30:00", "09:30"),
        ("09.30", "09:30"),
        (" 0h ", "00:00"),
        ("23h59", "23:59"),
        ("24h", None),
        ("25h", None),
        ("9h75", None),
        ("9h3", None),
        ("midi", None),
        ("930", None),
        ("-9h", None),
        ("", None),
    ],
)
def test_read_time(typed: str, expected: str | None) -> None:
    assert read_time(typed) == expected


@pytest.mark.parametrize(
    ("start", "end"),
    [("9h", "12h"), ("9h00", "12h"), ("09:00", "12:00"), ("9:00", "12h00")],
)
def test_form_time_formats(start: str, end: str) -> None:
    built, errors = from_form(
        {"rule-0-days": "Mo", "rule-0-start1": start, "rule-0-end1": end}
    )
    assert errors == {}
    assert to_opening_hours(built) == "Mo 09:00-12:00"


ROW = {"rule-0-days": ["Mo"], "rule-0-start1": "09:00", "rule-0-end1": "12:00"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, {}),
        ({"rule-0-days": []}, {"rule-0-days": "Choisissez au moins un jour."}),
        ({"rule-0-days": ["Mo", "Lu"]}, {"rule-0-days": "Jour inconnu : « Lu »."}),
        ({"rule-0-start1": ""}, {"rule-0-start1": "Indiquez l'heure de début."}),
        ({"rule-0-end1": ""}, {"rule-0-end1": "Indiquez l'heure de fin."}),
        (
            {"rule-0-start1": "", "rule-0-end1": ""},
            {
                "rule-0-start1": "Indiquez l'heure de début.",
                "rule-0-end1": "Indiquez l'heure de fin.",
            },
        ),
        (
            {"rule-0-end1": "9h"},
            {"rule-0-end1": "L'heure de fin doit être après l'heure de début."},
        ),
        (
            {"rule-0-end1": "8h"},
            {"rule-0-end1": "L'heure de fin doit être après l'heure de début."},
        ),
        (
            {"rule-0-start1": "neuf heures"},
            {
                "rule-0-start1": "Heure non comprise : « neuf heures ». "
                "Écrivez-la comme 9h30 ou 09:30."
            },
        ),
        ({"rule-0-end1": "25h"}, {"rule-0-end1": "L'heure « 25h » n'existe pas."}),
        ({"rule-0-end1": "24h"}, {"rule-0-end1": "L'heure « 24h » n'existe pas."}),
        (
            {"rule-0-start1": "9h60"},
            {"rule-0-start1": "L'heure « 9h60 » n'existe pas."},
        ),
        ({"rule-0-start2": "14h"}, {"rule-0-end2": "Indiquez l'heure de fin."}),
        ({"rule-0-end2": "17h"}, {"rule-0-start2": "Indiquez l'heure de début."}),
        (
            {"rule-0-start2": "11h", "rule-0-end2": "14h"},
            {"rule-0-start2": "Les deux plages horaires se chevauchent."},
        ),
        (
            {"rule-0-start2": "17h", "rule-0-end2": "14h"},
            {"rule-0-end2": "L'heure de fin doit être après l'heure de début."},
        ),
        (
            {"rule-0-frequency": "monthly"},
            {"rule-0-frequency": "Choisissez une fréquence."},
        ),
        (
            {"rule-0-frequency": "nth"},
            {"rule-0-weeks": "Choisissez au moins une semaine du mois."},
        ),
        (
            {"rule-0-frequency": "nth", "rule-0-weeks": ["2", "6"]},
            {"rule-0-weeks": "Choisissez au moins une semaine du mois."},
        ),
        (
            {"rule-0-frequency": "biweekly"},
            {"rule-0-parity": "Choisissez les semaines paires ou impaires."},
        ),
        (
            {"rule-0-frequency": "biweekly", "rule-0-parity": "both"},
            {"rule-0-parity": "Choisissez les semaines paires ou impaires."},
        ),
        # A partial row further down is an error; the empty ones are not.
        (
            {"rule-2-end1": "12h"},
            {
                "rule-2-days": "Choisissez au moins un jour.",
                "rule-2-start1": "Indiquez l'heure de début.",
            },
        ),
        (
            {"rule-1-parity": "odd"},
            {
                "rule-1-days": "Choisissez au moins un jour.",
                "rule-1-start1": "Indiquez l'heure de début.",
                "rule-1-end1": "Indiquez l'heure de fin.",
            },
        ),
    ],
)
def test_form_errors(changes: dict, expected: dict[str, str]) -> None:
    built, errors = from_form({**ROW, **changes})
    assert errors == expected
    assert (built is None) == bool(expected)


def test_an_empty_form_asks_for_the_first_row() -> None:
    assert from_form({"ph-off": "on", "rule-0-frequency": "weekly"}) == (
        None,
        {
            "rule-0-days": "Choisissez au moins un jour.",
            "rule-0-start1": "Indiquez l'heure de début.",
            "rule-0-end1": "Indiquez l'heure de fin.",
        },
    )


def test_form_messages_go_through_gettext(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule_builder, "_", lambda message: f"<{message}>")
    _built, errors = from_form({"rule-0-end1": "9h", "rule-0-start1": "10h"})
    assert errors == {
        "rule-0-days": "<Choisissez au moins un jour.>",
        "rule-0-end1": "<L'heure de fin doit être après l'heure de début.>",
    }


def test_form_values() -> None:
    assert form_values() == {"ph-off": "on"}
    assert form_values(
        spec(
            rule("We", "14:00-17:00", weeks="2,-1"),
            rule("Tu", "09:00-12:00", "13:00-14:00", parity="odd"),
            ph=False,
        )
    ) == {
        "rule-0-days": ["We"],
        "rule-0-start1": "14:00",
        "rule-0-end1": "17:00",
        "rule-0-frequency": "nth",
        "rule-0-weeks": ["2", "-1"],
        "rule-1-days": ["Tu"],
        "rule-1-start1": "09:00",
        "rule-1-end1": "12:00",
        "rule-1-start2": "13:00",
        "rule-1-end2": "14:00",
        "rule-1-frequency": "biweekly",
        "rule-1-parity": "odd",
    }


def test_submitted_values_refill_the_form() -> None:
    form = FormData(
        [
            ("rule-0-days", "Mo"),
            ("rule-0-days", "We"),
            ("rule-0-start1", "9h"),
            ("rule-0-end1", "midi et demi"),
            ("rule-0-weeks", "-1"),
            ("rule-0-frequency", "nth"),
            ("rule-7-days", "Fr"),  # no such row
            ("csrf", "x"),
        ]
    )
    assert submitted_values(form) == {
        "rule-0-days": ["Mo", "We"],
        "rule-0-start1": "09:00",
        "rule-0-end1": "midi et demi",
        "rule-0-frequency": "nth",
        "rule-0-weeks": ["-1"],
    }


# --- the Jinja partial -----------------------------------------------------------


def _render(values: dict, errors: dict, **options: object) -> BeautifulSoup:
    module = environment.get_template("espace/_schedule_builder.html").module
    html = str(module.schedule_builder(values, errors, **options))  # type: ignore[attr-defined]
    return BeautifulSoup(html, "html.parser")


def test_partial_for_a_new_schedule() -> None:
    page = _render(form_values(), {})
    rows = page.select("fieldset.schedule-rule")
    assert [r.legend.get_text(strip=True) for r in rows] == [
        "Créneau 1",
        "Créneau 2",
        "Créneau 3",
    ]
    days = rows[0].select('input[name="rule-0-days"]')
    assert [d["value"] for d in days] == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    assert days[0].parent.get_text(strip=True) == "Lundi"
    assert [
        i["type"]
        for i in rows[0].select(
            'input[name^="rule-0-start"], input[name^="rule-0-end"]'
        )
    ] == ["time"] * 4
    weekly = rows[0].select_one('input[name="rule-0-frequency"][value="weekly"]')
    assert weekly.has_attr("checked")
    weeks = rows[0].select('input[name="rule-0-weeks"]')
    assert [w.parent.get_text(strip=True) for w in weeks] == [
        "1er",
        "2e",
        "3e",
        "4e",
        "5e",
        "dernier",
    ]
    assert [w["value"] for w in weeks] == ["1", "2", "3", "4", "5", "-1"]
    assert {p["value"] for p in rows[0].select('input[name="rule-0-parity"]')} == {
        "odd",
        "even",
    }
    holidays = page.select_one('input[name="ph-off"]')
    assert holidays.has_attr("checked")
    assert holidays.parent.get_text(strip=True) == "Fermé les jours fériés"
    # Every text input has a label; strict CSP: no inline style or script.
    for field in page.select('input[type="time"]'):
        assert page.select_one(f'label[for="{field["id"]}"]') is not None
    assert not page.select("script, style, [style]")
    assert not page.select("[aria-invalid]")
    assert not any(a.startswith("on") for tag in page.find_all(True) for a in tag.attrs)


def test_partial_refills_a_schedule() -> None:
    schedule = spec(
        rule("We", "14:00-17:00", weeks="2,-1"),
        rule("Tu", "09:00-12:00", "13:00-14:00", parity="even"),
        rule("Fr", "10:00-11:00"),
        ph=False,
    )
    page = _render(form_values(schedule), {}, current_week=23)
    assert len(page.select("fieldset.schedule-rule")) == 4  # one spare row
    checked = [
        (i["name"], i["value"])
        for i in page.select("input[checked]")
        if i["type"] != "time"
    ]
    assert ("rule-0-days", "We") in checked
    assert ("rule-0-frequency", "nth") in checked
    assert ("rule-0-weeks", "-1") in checked and ("rule-0-weeks", "1") not in checked
    assert ("rule-1-parity", "even") in checked
    assert ("rule-2-frequency", "weekly") in checked
    assert ("ph-off", "on") not in checked
    assert page.select_one("#f-rule-1-start2")["value"] == "13:00"
    assert "semaine 23, impaire" in page.select_one("#hint-rule-1-parity").get_text()


def test_partial_marks_errors() -> None:
    form = {
        "rule-0-days": [],
        "rule-0-start1": "14h",
        "rule-0-end1": "9h",
        "rule-0-frequency": "nth",
        "rule-1-frequency": "biweekly",
        "rule-1-days": ["Mo"],
        "rule-1-start1": "9h",
        "rule-1-end1": "10h",
    }
    _built, errors = from_form(form)
    assert set(errors) == {
        "rule-0-days",
        "rule-0-end1",
        "rule-0-weeks",
        "rule-1-parity",
    }
    page = _render(submitted_values(form), errors)
    assert len(page.select("fieldset.schedule-rule")) == 3
    for name, message in errors.items():
        error = page.select_one(f"#err-{name}")
        assert error is not None and error.get_text(strip=True) == message
        assert page.select_one(f"#f-{name}") is not None  # an error summary's link
        described = page.select(f'[aria-describedby~="err-{name}"]')
        assert described, name
    end = page.select_one("#f-rule-0-end1")
    assert end["aria-invalid"] == "true" and end["value"] == "09:00"
    assert page.select_one("#f-rule-0-start1").get("aria-invalid") is None
    assert all(
        d.get("aria-invalid") == "true"
        for d in page.select('input[name="rule-0-days"]')
    )
    assert all(
        d.get("aria-invalid") is None for d in page.select('input[name="rule-1-days"]')
    )
    assert page.select_one(
        'fieldset.schedule-parity[aria-describedby~="err-rule-1-parity"]'
    )
    assert page.select_one('input[name="rule-1-frequency"][value="biweekly"]').has_attr(
        "checked"
    )


# --- every other week, anchored --------------------------------------------


def test_anchor_value_only_with_every_other_week() -> None:
    today = date(2026, 12, 6)
    weekly = spec(rule("Tu", "09:00-12:00"))
    biweekly = spec(rule("Tu", "09:00-12:00", parity="odd"))
    assert schedule_builder.anchor_value(weekly, "2026-12-01", today) == ""
    assert schedule_builder.anchor_value(biweekly, "", today) == "2026-12-06"
    assert schedule_builder.anchor_value(biweekly, " 2027-01-12 ", today) == (
        "2027-01-12"
    )


@pytest.mark.parametrize("today", [date(2026, 12, 20), date(2027, 1, 10)])
def test_the_form_shows_this_years_parity_for_the_same_sessions(today: date) -> None:
    stored = spec(
        rule("Tu", "09:00-12:00", parity="odd"),
        rule("Tu", "14:00-17:00", parity="even"),
    )
    anchor = date(2026, 12, 1)
    shown, new_anchor = schedule_builder.in_this_year(stored, anchor, today)
    if today.year == 2026:
        assert (shown, new_anchor) == (stored, anchor)
    else:  # after week 53: odd weeks of 2027 are the other ones
        assert [r.parity for r in shown.rules] == ["even", "odd"]
        assert new_anchor == today
    start, end = datetime(2026, 11, 1, tzinfo=PARIS), datetime(2027, 4, 1, tzinfo=PARIS)
    before = Schedule(to_opening_hours(stored), anchor=anchor).sessions(start, end)
    after = Schedule(to_opening_hours(shown), anchor=new_anchor).sessions(start, end)
    assert before == after
