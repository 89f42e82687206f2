"""Opening hours: normalisation, evaluation in Paris with French holidays, words."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from api.services.schedules.hours import (
    HoursError,
    Schedule,
    Session,
    closure_period,
    in_step,
    is_open,
    next_session,
    normalise,
    paris_day,
    sessions,
    valid_on,
)
from api.services.schedules.schedule_text import describe

PARIS = ZoneInfo("Europe/Paris")
CORPUS = Path(__file__).parents[1] / "data" / "opening_hours_corpus.txt"
# A copy of ../shared/data/opening-hours-samples.expected.jsonl, shipped so
# the check runs on every clone: opening_hours.js's test log (test/test.en.log,
# CC0-1.0, commit 0b677c65), one JSON object per tested value.
SHARED_SAMPLES = (
    Path(__file__).parents[1] / "data" / "opening-hours-samples.expected.jsonl"
)

# Values opening_hours.js calls valid (mode 0) that we refuse, and why. Most are
# refused by opening-hours-rs itself, which is stricter; the others are ones our
# lenient pass would have to guess about. If one of them starts to parse, move
# it to tests/data/opening_hours_corpus.txt.
AMBIGUOUS_HOURS = "bare hours whose end is not after the start: 17 h or 5 h?"
KNOWN_REFUSED: dict[str, str] = {
    "yes": "not a schedule",
    "Mon": "English day name",
    "Montag": "German day name",
    "11-6": AMBIGUOUS_HOURS,
    "Mo-Fr 10:00-19:00; Sa 16-16": AMBIGUOUS_HOURS,
    "Monday-Saturday 8-9, Sunday 8-8": AMBIGUOUS_HOURS,
    "Su 8-8, Mo Closed, Tu-Th 12-8, F-Sa 12-9": AMBIGUOUS_HOURS,
    "We22:00-22:00": "start = end: a whole day or nothing?",
    "Su-Tu 11:00-01:00, We-Th11:00-03:00, Fr 11:00-06:00, Sa 11:00-07:00": (
        "the glued 'Th11:00' sends it through the lenient pass, which doubts a "
        "14-hour overnight range"
    ),
    "6:00am-7:00am": "am/pm",
    "4-10 pm": "am/pm",
    "4:00-10:00 pm": "am/pm",
    "4 am-10 pm": "am/pm",
    "2 a 6 pm": "am/pm",
    'Fr 11:00-24:00+ open"geöffnet täglich von 11:00 Uhr bis tief in die Nacht"': (
        "open end followed by a state: rs refuses"
    ),
    'Fr 11:00-24:00+open"geöffnet täglich von 11:00 Uhr bis tief in die Nacht"': (
        "open end followed by a state: rs refuses"
    ),
    'Fr11:00-24:00+open"geöffnet täglich von 11:00 Uhr bis tief in die Nacht"': (
        "open end followed by a state: rs refuses"
    ),
    'Mo-Fr 11:00-14:00 "Mittagessen" open': "comment before the state: rs refuses",
    'Mo-Fr 10:00-20:00 unknown "Maybe"; We "Maybe open. Call us." 10:00-16:00': (
        "comment before the times: rs refuses"
    ),
    'Mo-Fr 10:00-20:00 unknown "Maybe"; "Maybe open. Call us." We 10:00-16:00': (
        "comment before the selectors: rs refuses"
    ),
    'Mo 11:00-14:30 "specific unknown for this time" ||"general unknown"': (
        "fallback rule made of a comment only: rs refuses"
    ),
    "Easter - 7days - Nov 01: Tu-Sa 10:00-12:00, 13:30-17:00; Su, PH 11:00-17:00": (
        "offset from Easter in a date range: rs refuses"
    ),
    "Easter - 07 days - Nov 01: Tu-Sa 10:00-12:00, 13:30-17:00; Su, PH 11:00-17:00": (
        "offset from Easter in a date range: rs refuses"
    ),
    "Mar Su[-1] - Dec 25-Su-28 days: 12:00-13:00": "weekday-relative dates: rs",
    "Mo-Fr 09:00-12:30; Sa 09:00-13:00; Dec 25-Su-28 days - Dec 24: "
    "Mo-Fr 09:00-16:00,Sa 09:00-16:00": "weekday-relative dates: rs refuses",
    "PH,Mo-Fr,Sa,Su,SH": "holidays after weekdays in a list: rs refuses",
    "Mo-Fr,Sa,PH,Su,SH": "holidays after weekdays in a list: rs refuses",
    "week 01,week 03: 00:00-24:00": "'week' repeated in a list: rs refuses",
    "Jan 23,25": "list of bare month days: rs refuses",
    "Jan 01,3,9,21,31": "list of bare month days: rs refuses",
    "Jan 01-31/8 00:00-24:00": "month days with a step: rs refuses",
    "Jan 01-31/8: 00:00-24:00": "month days with a step: rs refuses",
    "Mo (sunrise+01:00)": "a point in time (collection_times style)",
    "Nov-Feb Mo-Sa 10:00-16:00, Su 13:00-16:00; Mar-Oct Mo-Sa 10:00-17:00, "
    "off 12:00-13:00, Su 14:00-17:00": "'off' before the times: rs refuses",
    "Tu-We 09:00-12:30,14:00-18:00; Th 09:00-12:30,:15:00-18:00, Fr 09:00-12:30, "
    "14:00-18:00; Sa 09:00-12:30,13:30-16:30": "malformed time ':15:00'",
}


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


# --- normalise ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("9h-12h", "09:00-12:00"),
        ("9h30-12h", "09:30-12:00"),
        ("Mo-Fr 9-12", "Mo-Fr 09:00-12:00"),
        ("14h00 - 17h00", "14:00-17:00"),
        ("9 h 30 à 12 h", "09:30-12:00"),
        ("lundi-vendredi 9h-12h", "Mo-Fr 09:00-12:00"),
        ("lun-ven 9h-12h", "Mo-Fr 09:00-12:00"),
        ("Lu-Ve 9h-12h; sa 10h-12h", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
        ("mo-fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo-Fr 09:00-12:00;", "Mo-Fr 09:00-12:00"),
        ("mardi et jeudi 14h–17h", "Tu,Th 14:00-17:00"),
        ("Lundi : 9h-midi", "Mo 09:00-12:00"),
        ("lundi 9h-12h / 14h-17h", "Mo 09:00-12:00,14:00-17:00"),
        ("jours fériés fermé", "PH off"),
        (
            "du lundi au vendredi 9h-12h, jours fériés fermé",
            "Mo-Fr 09:00-12:00; PH off",
        ),
        (
            "du lundi au vendredi de 9h à 12h et de 14h à 17h, fermé les jours fériés",
            "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        ),
        (
            "Mo-Fr 9h-12h; dimanche et jours fériés fermés",
            "Mo-Fr 09:00-12:00; Su,PH off",
        ),
        # A second day group adds to the first ("," in OSM), it does not replace it.
        ("lundi 9h-12h mercredi 14h-17h", "Mo 09:00-12:00, We 14:00-17:00"),
        ("mars-octobre samedi 10h-12h", "Mar-Oct Sa 10:00-12:00"),
        ("Mar 14h-17h", "Tu 14:00-17:00"),  # alone, "Mar" is "mardi"
        ("week 1-53/2 mardi 14h-17h", "week 1-53/2 Tu 14:00-17:00"),
        ("mo[1] 9h-12h", "Mo[1] 09:00-12:00"),
        ("mercredi 22h-2h", "We 22:00-02:00"),  # explicit and short: overnight
        ('mo-fr 9h-12h "sur rdv – 9h"', 'Mo-Fr 09:00-12:00 "sur rdv – 9h"'),
    ],
)
def test_lenient_strings_are_normalised(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    assert normalise(expected) == expected


@pytest.mark.parametrize(
    "valid",
    [
        "We[2,4] 14:00-17:00; PH off",
        "Mo-Fr 9:00-12:00",
        'Mo-Fr 09:00-12:00 "sur rendez-vous – appeler  avant"',
        "Tu 14:00-17:00; week 1-53/2",
        "Mo-Fr 22:00-02:00",
    ],
)
def test_valid_strings_are_kept_as_written_but_trimmed(valid: str) -> None:
    assert normalise(f"  {valid} \n") == valid


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "vides"),
        (" ; ", "vides"),
        ("blabla", "illisibles"),
        ("9-5", "avant"),
        ("mercredi 9h-5h", "avant"),
        ("25h-26h", "existe"),
        ("lundi 9h-24h30", "existe"),
        ("lundi 9h-12h75", "existe"),
    ],
)
def test_unreadable_or_ambiguous_strings_are_refused_in_plain_words(
    raw: str, words: str
) -> None:
    with pytest.raises(HoursError) as error:
        normalise(raw)
    assert words in error.value.message


def corpus() -> list[str]:
    lines = CORPUS.read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_the_corpus_of_real_values_parses() -> None:
    values = corpus()
    assert len(values) > 250
    refused = []
    for value in values:
        try:
            assert normalise(normalise(value)) == normalise(value)
        except HoursError:
            refused.append(value)
    assert refused == []


@pytest.mark.parametrize("value", sorted(KNOWN_REFUSED))
def test_known_exceptions_are_still_refused(value: str) -> None:
    with pytest.raises(HoursError):
        normalise(value)


def test_the_corpus_copy_matches_the_shared_samples() -> None:
    rows = [json.loads(line) for line in SHARED_SAMPLES.read_text("utf-8").splitlines()]
    valid = {
        row["value"].strip()
        for row in rows
        if row["expected"] == "valid" and 0 in row["tested_modes"]
    }
    assert len(valid) > 300  # the whole log, not a stub
    assert set(corpus()) == valid - set(KNOWN_REFUSED)
    assert set(KNOWN_REFUSED) <= valid
    assert len(KNOWN_REFUSED) < 0.15 * len(valid)


# --- evaluation --------------------------------------------------------------


def test_nth_weekday_of_the_month() -> None:
    hours = "We[2,4] 14:00-17:00"
    assert is_open(hours, paris(2026, 12, 9, 15))  # 2nd Wednesday
    assert not is_open(hours, paris(2026, 12, 16, 15))  # 3rd Wednesday
    assert is_open(hours, paris(2026, 12, 23, 15))  # 4th


def test_french_public_holidays_are_closed() -> None:
    hours = "Mo-Fr 09:00-12:00; PH off"
    assert is_open(hours, paris(2026, 12, 24, 10))
    assert not is_open(hours, paris(2026, 12, 25, 10))  # Christmas, a Friday
    assert not is_open(hours, paris(2027, 3, 29, 10))  # Easter Monday
    assert not is_open(hours, paris(2027, 5, 6, 10))  # Ascension Thursday
    assert not is_open(hours, paris(2027, 7, 14, 10))  # Bastille Day


def test_closures_close_and_next_session_skips_them() -> None:
    hours = "Mo-Fr 09:00-12:00"
    closed = [closure_period(date(2026, 12, 14), date(2026, 12, 18))]
    assert is_open(hours, paris(2026, 12, 11, 10), closed)
    assert not is_open(hours, paris(2026, 12, 15, 10), closed)
    assert not is_open(hours, paris(2026, 12, 18, 11, 59), closed)  # last day
    session = next_session(hours, paris(2026, 12, 14, 8), closed)
    assert session is not None and session.start == paris(2026, 12, 21, 9)


def test_next_session_is_the_one_in_progress_with_its_real_start() -> None:
    session = next_session("Mo-Fr 09:00-12:00", paris(2026, 12, 21, 10, 30))
    assert session is not None
    assert (session.start, session.end) == (
        paris(2026, 12, 21, 9),
        paris(2026, 12, 21, 12),
    )


def test_next_session_is_none_beyond_the_horizon() -> None:
    assert next_session("off", paris(2026, 12, 1)) is None
    christmas = "Dec 25 10:00-12:00"
    assert next_session(christmas, paris(2026, 6, 1)) is None  # 120 days
    found = next_session(christmas, paris(2026, 6, 1), horizon_days=365)
    assert found is not None and found.start == paris(2026, 12, 25, 10)


def test_sessions_are_clipped_and_cut_by_closures() -> None:
    cut = [closure_period(date(2026, 12, 2), date(2026, 12, 2))]
    found = sessions(
        "Mo-Su 00:00-24:00", paris(2026, 12, 1, 12), paris(2026, 12, 3, 12), cut
    )
    assert [(s.start, s.end) for s in found] == [
        (paris(2026, 12, 1, 12), paris(2026, 12, 2)),
        (paris(2026, 12, 3), paris(2026, 12, 3, 12)),
    ]
    assert sessions("24/7", paris(2026, 12, 3), paris(2026, 12, 1)) == []


def test_hours_stay_local_across_the_change_to_summer_time() -> None:
    # Clocks go forward on Sunday 28 March 2027, at 02:00.
    session = next_session("Mo 09:00-12:00", paris(2027, 3, 27, 12))
    assert session is not None
    assert session.start == paris(2027, 3, 29, 9)
    assert session.start.utcoffset() == timedelta(hours=2)
    sunday = next_session("Su 09:00-12:00", paris(2027, 3, 28, 1))
    assert sunday is not None and sunday.start == datetime(2027, 3, 28, 7, tzinfo=UTC)
    assert is_open("Su 09:00-12:00", datetime(2027, 3, 28, 7, 30, tzinfo=UTC))


def test_aware_datetimes_in_any_zone_are_accepted_and_naive_ones_refused() -> None:
    # opening-hours-py itself refuses tzinfo=UTC (it wants a ZoneInfo) and
    # silently reads a naive time as Paris time.
    session = next_session("We 14:00-17:00", datetime(2026, 12, 9, 14, tzinfo=UTC))
    assert session is not None and session.start.tzinfo == PARIS
    assert session.start == paris(2026, 12, 9, 14)
    tokyo = datetime(2026, 12, 9, 23, tzinfo=ZoneInfo("Asia/Tokyo"))  # 15:00 Paris
    assert is_open("We 14:00-17:00", tokyo)
    with pytest.raises(ValueError, match="aware"):
        is_open("We 14:00-17:00", datetime(2026, 12, 9, 15))


def test_every_other_week_is_odd_iso_weeks() -> None:
    hours = "week 01-53/2 Tu 14:00-17:00"
    assert is_open(hours, paris(2027, 1, 5, 15))  # ISO week 1
    assert not is_open(hours, paris(2027, 1, 12, 15))  # week 2
    # 2026 has 53 ISO weeks: weeks 53 and 1 are both odd, back to back.
    assert is_open(hours, paris(2026, 12, 29, 15))


def test_a_week_rule_after_the_days_opens_every_day_of_those_weeks() -> None:
    # Not "every other Tuesday": the later rule, with no times, opens all day
    # (every day) in odd weeks and replaces the Tuesday rule there.
    hours = "Tu 14:00-17:00; week 1-53/2"
    assert is_open(hours, paris(2027, 1, 6, 3))  # Wednesday of week 1
    assert is_open(hours, paris(2027, 1, 12, 15))  # Tuesday of week 2
    assert not is_open(hours, paris(2027, 1, 13, 3))  # Wednesday of week 2


# --- words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "french", "english"),
    [
        (
            "We[2,4] 14:00-17:00",
            "le 2e et le 4e mercredi du mois, 14 h – 17 h",
            "the 2nd and the 4th Wednesday of the month, 2 – 5 pm",
        ),
        (
            "We[-1] 14:00-17:00",
            "le dernier mercredi du mois, 14 h – 17 h",
            "the last Wednesday of the month, 2 – 5 pm",
        ),
        (
            "Mo[1,-1] 09:00-12:00",
            "le 1er et le dernier lundi du mois, 9 h – 12 h",
            "the 1st and the last Monday of the month, 9 am – 12 pm",
        ),
        (
            "Mo[-2] 09:00-12:00",  # second to last: not put into words
            "Horaires particuliers : appelez pour les connaître.",
            "Irregular hours: call to find out.",
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
            "week 2-52/2 Mo 10:00-11:00",
            "lundi, une semaine sur deux (semaines paires), 10 h – 11 h",
            "Monday, every other week (even weeks), 10 – 11 am",
        ),
        (
            "Mo,We,Fr 09:00-12:00",
            "lundi, mercredi et vendredi, 9 h – 12 h",
            "Monday, Wednesday, and Friday, 9 am – 12 pm",
        ),
        ("Sa 10:00-12:00", "samedi, 10 h – 12 h", "Saturday, 10 am – 12 pm"),
        (
            "Mo-Sa 08:30-12:30",
            "du lundi au samedi, 8 h 30 – 12 h 30",
            "from Monday to Saturday, 8:30 am – 12:30 pm",
        ),
        (
            "Jan-Jun,Sep-Dec Mo-Fr 09:00-12:00",
            "de janvier à juin et de septembre à décembre : "
            "du lundi au vendredi, 9 h – 12 h",
            "January to June and September to December: "
            "from Monday to Friday, 9 am – 12 pm",
        ),
        (
            "Apr-Oct Sa 10:00-12:00",
            "d'avril à octobre : samedi, 10 h – 12 h",
            "April to October: Saturday, 10 am – 12 pm",
        ),
        (
            "Mo[1] 09:00-12:00",
            "le 1er lundi du mois, 9 h – 12 h",
            "the 1st Monday of the month, 9 am – 12 pm",
        ),
        ("24/7", "ouvert tout le temps", "open all the time"),
        (
            "Mo-Fr 09:00-12:00; We off",
            "du lundi au vendredi, 9 h – 12 h ; fermé : mercredi",
            "from Monday to Friday, 9 am – 12 pm; closed: Wednesday",
        ),
        (
            "Mo 22:00-02:00",
            "lundi, 22 h – 2 h",
            "Monday, 10 pm – 2 am",
        ),
        # "; We" replaces Wednesday's morning: the words say so.
        (
            "Mo-Fr 09:00-12:00; We 14:00-17:00",
            "lundi, mardi, jeudi et vendredi, 9 h – 12 h ; mercredi, 14 h – 17 h",
            "Monday, Tuesday, Thursday, and Friday, 9 am – 12 pm; Wednesday, 2 – 5 pm",
        ),
    ],
)
def test_schedules_in_words(raw: str, french: str, english: str) -> None:
    assert describe(raw, "fr") == french
    assert describe(raw, "en") == english


@pytest.mark.parametrize(
    ("raw", "french"),
    [
        # Messages new in the catalog: only French is sure until it is updated.
        ("off", "fermé"),
        ("Sa", "samedi, toute la journée"),
        (
            "Tu 14:00-17:00; week 1-53/2",
            "mardi, 14 h – 17 h ; une semaine sur deux (semaines impaires), "
            "toute la journée",
        ),
    ],
)
def test_schedules_in_french_words(raw: str, french: str) -> None:
    assert describe(raw, "fr") == french


def test_a_locale_we_do_not_offer_gets_french() -> None:
    assert describe("Sa 10:00-12:00", "xx") == "samedi, 10 h – 12 h"


def test_other_locales_get_their_day_names_and_a_24_hour_clock() -> None:
    text = describe("Sa 10:00-12:00", "ar")
    assert "السبت" in text and "10:00–12:00" in text


@pytest.mark.parametrize(
    "exotic",
    [
        "sunrise-sunset",
        'Mo 10:00-12:00 || "sur rendez-vous"',
        "Mo-Fr 09:00-12:00; Dec 25 off",
        "Mo[-2] 09:00-12:00",  # second to last
        "week 10-20/2 Mo 10:00-11:00",
        "Mo-Fr 09:00-12:00; PH 10:00-11:00",  # a holiday replaces a weekday
        "not hours at all",
    ],
)
def test_an_exotic_schedule_is_never_shown_raw(exotic: str) -> None:
    # A resident cannot read opening_hours syntax: a plain sentence instead
    # (the next session, computed from the string, is shown beside it).
    assert (
        describe(exotic, "fr") == "Horaires particuliers : appelez pour les connaître."
    )
    assert describe(exotic, "en") == "Irregular hours: call to find out."


RAW_SYNTAX = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|SH|off)\b")
FRENCH_CLOCK = re.compile(r"\d:\d")  # French says 9 h 30, never 09:30


def test_words_never_raise_on_real_values() -> None:
    # Every value is said in words: a sentence, never the raw syntax (day
    # codes, and in French no hh:mm clock), and a refused one is the plain
    # "call to find out" sentence.
    for value in corpus():
        for locale in ("fr", "en"):
            words = describe(value, locale)
            assert isinstance(words, str) and words.strip(), value
            assert not RAW_SYNTAX.search(words), (value, locale, words)
            if locale == "fr":
                assert not FRENCH_CLOCK.search(words), (value, words)
    for value in KNOWN_REFUSED:
        assert describe(value, "fr") == (
            "Horaires particuliers : appelez pour les connaître."
        ), value
        assert describe(value, "en") == "Irregular hours: call to find out.", value


# --- every other week across New Year, validity, 24/7 --------------------------

TUESDAYS = "week 01-53/2 Tu 09:00-12:00"  # odd ISO weeks: 2026 has a week 53


def _days(found: list[Session]) -> list[date]:
    return [s.start.date() for s in found]


def test_iso_parity_alone_gives_two_tuesdays_in_a_row_over_new_year() -> None:
    # Why the anchor exists: weeks 53 (29 Dec 2026) and 1 (5 Jan 2027) are odd.
    found = sessions(TUESDAYS, paris(2026, 12, 20), paris(2027, 1, 20))
    assert _days(found) == [date(2026, 12, 29), date(2027, 1, 5), date(2027, 1, 19)]


def test_an_anchor_keeps_every_other_tuesday_across_new_year() -> None:
    schedule = Schedule(TUESDAYS, anchor=date(2026, 12, 1))  # week 49, odd
    found = schedule.sessions(paris(2026, 12, 1), paris(2027, 2, 1))
    assert _days(found) == [
        date(2026, 12, 1),
        date(2026, 12, 15),
        date(2026, 12, 29),
        date(2027, 1, 12),
        date(2027, 1, 26),
    ]
    assert all((b - a).days == 14 for a, b in pairwise(_days(found)))
    # Every view agrees: open, next session.
    assert not schedule.is_open(paris(2027, 1, 5, 10))
    assert schedule.is_open(paris(2027, 1, 12, 10))
    following = schedule.next_session(paris(2026, 12, 29, 13))
    assert following is not None and following.start == paris(2027, 1, 12, 9)


def test_an_anchor_holds_years_before_and_after_and_for_the_other_parity() -> None:
    # Anchored in 2027 (week 2, even): in 2026 the rhythm runs backwards.
    even = Schedule("week 02-52/2 Tu 09:00-12:00", anchor=date(2027, 1, 12))
    found = _days(even.sessions(paris(2026, 12, 1), paris(2027, 1, 31)))
    assert found[-3:] == [date(2026, 12, 29), date(2027, 1, 12), date(2027, 1, 26)]
    assert all((b - a).days == 14 for a, b in pairwise(found))
    # Ten years on (2032 has a week 53 too), still two weeks apart.
    later = _days(even.sessions(paris(2032, 12, 1), paris(2033, 2, 1)))
    assert all((b - a).days == 14 for a, b in pairwise(later))
    weeks = (later[0] - date(2027, 1, 12)).days // 7
    assert weeks % 2 == 0


def test_in_step_is_true_throughout_the_anchor_year() -> None:
    anchor = date(2026, 6, 10)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 365, 3)]
    assert all(in_step(d, anchor) for d in days if d.isocalendar().year == 2026)
    assert not in_step(date(2027, 1, 5), anchor)  # after week 53: shifted


def test_an_anchored_night_session_over_sunday_midnight_stays_whole() -> None:
    # Sunday 3 January 2027 is in week 53 of 2026, Monday 4 in week 1 of 2027.
    schedule = Schedule("week 01-53/2 Su 22:00-02:00", anchor=date(2026, 12, 1))
    found = schedule.sessions(paris(2026, 12, 27), paris(2027, 1, 20))
    assert [(s.start, s.end) for s in found] == [
        (paris(2027, 1, 3, 22), paris(2027, 1, 4, 2)),
        (paris(2027, 1, 17, 22), paris(2027, 1, 18, 2)),
    ]


def test_validity_bounds_next_session_sessions_and_open() -> None:
    weekly = "Mo 09:00-12:00"
    until = Schedule(weekly, valid_until=date(2027, 3, 31))
    assert until.next_session(paris(2027, 4, 1)) is None  # not 5 April
    assert until.sessions(paris(2027, 3, 1), paris(2027, 6, 1))[-1].start == (
        paris(2027, 3, 29, 9)
    )
    later = Schedule(weekly, valid_from=date(2027, 4, 15))
    found = later.next_session(paris(2027, 4, 1))
    assert found is not None and found.start == paris(2027, 4, 19, 9)
    assert not later.is_open(paris(2027, 4, 12, 10))
    assert later.is_open(paris(2027, 4, 19, 10))


def test_open_at_any_utc_offset_is_judged_on_the_paris_day() -> None:
    ends = Schedule("24/7", valid_until=date(2027, 3, 31))
    # 31 March 23:30 in Paris (UTC+2) is 21:30 UTC, and 1 April 06:30 in Tokyo.
    assert ends.is_open(datetime(2027, 3, 31, 21, 30, tzinfo=UTC))
    assert ends.is_open(datetime(2027, 4, 1, 6, 30, tzinfo=ZoneInfo("Asia/Tokyo")))
    # 1 April 00:30 in Paris is still 31 March in UTC: closed all the same.
    assert not ends.is_open(datetime(2027, 3, 31, 22, 30, tzinfo=UTC))
    assert paris_day(datetime(2027, 3, 31, 22, 30, tzinfo=UTC)) == date(2027, 4, 1)
    assert not valid_on(date(2027, 4, 1), None, date(2027, 3, 31))


@pytest.mark.parametrize("raw", ["24/7", "Mo-Su 00:00-24:00"])
def test_always_open_has_no_next_session_to_announce(raw: str) -> None:
    # Was "samedi 5 décembre, 16:07–16:07": the window read, not a session.
    assert is_open(raw, paris(2026, 12, 6, 16, 7))
    assert next_session(raw, paris(2026, 12, 6, 16, 7)) is None


def test_a_long_session_already_under_way_starts_now() -> None:
    # Open since Friday evening until Monday: longer than the day looked back.
    found = next_session("Fr 18:00-24:00, Sa-Su 00:00-24:00", paris(2026, 12, 6, 10))
    assert found is not None
    assert (found.start, found.end) == (paris(2026, 12, 6, 10), paris(2026, 12, 7))
