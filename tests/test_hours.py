"""Opening hours, holidays and business time for SE and NO: tables with a reason per row, and properties."""
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import hours
from support.markets import DEFAULT_MARKETS, build_markets

SE, NO = DEFAULT_MARKETS["se"], DEFAULT_MARKETS["no"]
MARKETS = {"se": SE, "no": NO}


def at(text: str) -> datetime:
    """An ISO 8601 instant with its offset (the offsets below are the real local ones: +01 winter, +02 summer)."""
    return datetime.fromisoformat(text)


def iso(t: datetime | None) -> str | None:
    return t.isoformat(timespec="minutes") if t else None


# market, instant, state, reason, holiday (a part of the name) or None, next change (closing if open, else opening)
STATUS_TABLE = [
    ("se", "2026-11-26T08:29+01:00", "closed", "before_hours", None, "2026-11-26T08:30+01:00", "a minute before opening"),
    ("se", "2026-11-26T08:30+01:00", "open", "open", None, "2026-11-26T12:00+01:00", "the opening minute is open"),
    ("se", "2026-11-26T11:59+01:00", "open", "open", None, "2026-11-26T12:00+01:00", "last minute before lunch"),
    ("se", "2026-11-26T12:00+01:00", "lunch", "lunch", None, "2026-11-26T13:00+01:00", "lunch starts at 12:00 sharp"),
    ("se", "2026-11-26T12:59+01:00", "lunch", "lunch", None, "2026-11-26T13:00+01:00", "last minute of lunch"),
    ("se", "2026-11-26T13:00+01:00", "open", "open", None, "2026-11-26T17:00+01:00", "back from lunch at 13:00"),
    ("se", "2026-11-26T16:59+01:00", "open", "open", None, "2026-11-26T17:00+01:00", "last open minute"),
    ("se", "2026-11-26T17:00+01:00", "closed", "after_hours", None, "2026-11-27T08:30+01:00", "closing minute is closed"),
    ("no", "2026-11-26T12:30+01:00", "lunch", "lunch", None, "2026-11-26T13:00+01:00", "Norway has the same lunch"),
    ("se", "2026-11-27T17:00+01:00", "closed", "after_hours", None, "2026-11-30T08:30+01:00", "Friday 17:00 to Monday"),
    ("se", "2026-11-28T12:00+01:00", "closed", "weekend", None, "2026-11-30T08:30+01:00", "Saturday"),
    ("no", "2026-11-29T23:59+01:00", "closed", "weekend", None, "2026-11-30T08:30+01:00", "Sunday night"),
    ("se", "2028-06-06T10:00+02:00", "closed", "holiday", "Nationaldagen", "2028-06-07T08:30+02:00",
     "Swedish National Day on a Tuesday"),
    ("no", "2028-06-06T10:00+02:00", "open", "open", None, "2028-06-06T12:00+02:00", "6 June is a working day in Norway"),
    ("no", "2028-05-17T10:00+02:00", "closed", "holiday", "Grunnlovsdag", "2028-05-18T08:30+02:00",
     "Norwegian Constitution Day on a Wednesday"),
    ("se", "2028-05-17T10:00+02:00", "open", "open", None, "2028-05-17T12:00+02:00", "17 May is a working day in Sweden"),
    ("no", "2026-04-02T10:00+02:00", "closed", "holiday", "Skjærtorsdag", "2026-04-07T08:30+02:00",
     "Maundy Thursday is a Norwegian holiday: closed until after Easter Monday"),
    ("se", "2026-04-02T10:00+02:00", "open", "open", None, "2026-04-02T12:00+02:00", "but not a Swedish one"),
    ("se", "2026-04-03T10:00+02:00", "closed", "holiday", "Långfredagen", "2026-04-07T08:30+02:00", "Good Friday"),
    ("se", "2026-04-06T16:00+02:00", "closed", "holiday", "Annandag påsk", "2026-04-07T08:30+02:00", "Easter Monday"),
    ("se", "2026-06-19T10:00+02:00", "closed", "holiday", "Midsommarafton", "2026-06-22T08:30+02:00",
     "midsummer eve is a de-facto holiday in Sweden"),
    ("no", "2026-06-19T10:00+02:00", "open", "open", None, "2026-06-19T12:00+02:00", "no midsummer eve in Norway"),
    ("se", "2026-12-23T16:59+01:00", "open", "open", None, "2026-12-23T17:00+01:00", "the day before Christmas eve"),
    ("se", "2026-12-24T10:00+01:00", "closed", "holiday", "Julafton", "2026-12-28T08:30+01:00", "Christmas eve"),
    ("se", "2026-12-25T10:00+01:00", "closed", "holiday", "Juldagen", "2026-12-28T08:30+01:00", "Christmas Day"),
    ("se", "2026-12-26T10:00+01:00", "closed", "holiday", "Annandag jul", "2026-12-28T08:30+01:00",
     "Boxing Day, a Saturday: the holiday wins over the weekend"),
    ("se", "2026-12-27T10:00+01:00", "closed", "weekend", None, "2026-12-28T08:30+01:00", "the Sunday after"),
    ("se", "2026-12-28T08:30+01:00", "open", "open", None, "2026-12-28T12:00+01:00", "open again on the 28th"),
    ("no", "2026-12-24T10:00+01:00", "closed", "holiday", "Julaften", "2026-12-28T08:30+01:00",
     "Norway: Christmas eve is a configured yearly closure (not a public holiday in the package)"),
    ("no", "2026-12-31T10:00+01:00", "closed", "holiday", "Nyttårsaften", "2027-01-04T08:30+01:00",
     "Norway: New Year's eve, then New Year's Day and a weekend"),
    ("se", "2026-12-31T10:00+01:00", "closed", "holiday", "Nyårsafton", "2027-01-04T08:30+01:00",
     "Sweden: New Year's eve is a de-facto holiday"),
    ("se", "2026-03-27T17:00+01:00", "closed", "after_hours", None, "2026-03-30T08:30+02:00",
     "spring DST: Friday in winter time, Monday opens in summer time"),
    ("se", "2026-03-29T01:30+00:00", "closed", "weekend", None, "2026-03-30T08:30+02:00",
     "the instant after the non-existent hour 02:00-03:00"),
    ("se", "2026-10-23T17:00+02:00", "closed", "after_hours", None, "2026-10-26T08:30+01:00",
     "autumn DST: Friday in summer time, Monday opens in winter time"),
    ("no", "2026-10-25T02:30+02:00", "closed", "weekend", None, "2026-10-26T08:30+01:00", "first pass of the repeated hour"),
    ("no", "2026-10-25T02:30+01:00", "closed", "weekend", None, "2026-10-26T08:30+01:00", "second pass of the repeated hour"),
    ("se", "2026-10-26T07:30+00:00", "open", "open", None, "2026-10-26T12:00+01:00", "UTC input, local answer"),
]


@pytest.mark.parametrize("code, instant, state, reason, holiday, change, why", STATUS_TABLE,
                         ids=[row[-1] for row in STATUS_TABLE])
def test_status(code, instant, state, reason, holiday, change, why):
    s = hours.status(MARKETS[code], at(instant))
    assert (s.state, s.reason, s.is_open) == (state, reason, state == "open")
    assert (s.holiday is None) if holiday is None else (holiday in s.holiday)
    assert iso(s.closes_at if s.is_open else s.opens_at) == change
    assert (s.opens_at if s.is_open else s.closes_at) is None
    # compare as text: PEP 495 makes == across zones False inside a repeated hour, however right the instant
    assert s.at.isoformat() == at(instant).astimezone(ZoneInfo(MARKETS[code].timezone)).isoformat()
    assert s.at.astimezone(UTC) == at(instant).astimezone(UTC) and s.at.tzinfo == ZoneInfo(MARKETS[code].timezone)


@pytest.mark.parametrize("code, instant, lang, name, why", [
    ("se", "2026-12-24T10:00+01:00", None, "Julafton", "default: the market's language"),
    ("se", "2026-12-24T10:00+01:00", "en", "Christmas Eve", "the package's English name"),
    ("se", "2026-12-24T10:00+01:00", "nb", "Julafton", "the SE calendar has no Norwegian: Swedish"),
    ("no", "2028-05-17T10:00+02:00", "en", "Constitution Day", "the NO calendar in English"),
    ("no", "2026-12-24T10:00+01:00", "en", "Christmas Eve", "configured closure, English name"),
    ("no", "2026-12-24T10:00+01:00", "sv", "Julafton", "configured closure, Swedish name"),
])
def test_holiday_names_in_the_visitors_language(code, instant, lang, name, why):
    assert hours.status(MARKETS[code], at(instant), lang).holiday == name


OPERATOR = replace(SE, special_days={
    "2026-12-23": [["08:30", "12:00"]],
    "2026-08-14": {"hours": [], "name": {"sv": "Inventering", "en": "Stocktaking"}},
    "2026-08-13": [],
    "2026-12-24": [["09:00", "12:00"]],
})


@pytest.mark.parametrize("instant, lang, state, reason, holiday, change, why", [
    ("2026-12-23T11:00+01:00", None, "open", "open", None, "2026-12-23T12:00+01:00", "shortened day: closes at 12"),
    ("2026-12-23T12:30+01:00", None, "closed", "after_hours", None, "2026-12-24T09:00+01:00",
     "after a shortened day is not lunch"),
    ("2026-08-14T10:00+02:00", None, "closed", "special", "Inventering", "2026-08-17T08:30+02:00", "named closure"),
    ("2026-08-14T10:00+02:00", "en", "closed", "special", "Stocktaking", "2026-08-17T08:30+02:00", "named, in English"),
    ("2026-08-13T10:00+02:00", None, "closed", "special", None, "2026-08-17T08:30+02:00", "unnamed closure"),
    ("2026-12-24T10:00+01:00", None, "open", "open", None, "2026-12-24T12:00+01:00", "opened on a holiday by the operator"),
])
def test_operator_days(instant, lang, state, reason, holiday, change, why):
    s = hours.status(OPERATOR, at(instant), lang)
    assert (s.state, s.reason, s.holiday) == (state, reason, holiday)
    assert iso(s.closes_at if s.is_open else s.opens_at) == change


ADD_TABLE = [
    ("se", "2026-11-26T08:30+01:00", 60, "2026-11-26T09:30+01:00", "within the morning"),
    ("se", "2026-11-26T11:30+01:00", 60, "2026-11-26T13:30+01:00", "lunch does not count"),
    ("se", "2026-11-26T16:00+01:00", 60, "2026-11-26T17:00+01:00", "ends at closing, not next morning"),
    ("se", "2026-11-26T16:30+01:00", 60, "2026-11-27T09:00+01:00", "overnight"),
    ("se", "2026-11-26T08:30+01:00", 450, "2026-11-26T17:00+01:00", "a whole day is 7.5 hours"),
    ("se", "2026-11-27T16:30+01:00", 60, "2026-11-30T09:00+01:00", "Friday to Monday"),
    ("se", "2026-11-26T12:15+01:00", 0, "2026-11-26T13:00+01:00", "zero from lunch: the reopening"),
    ("se", "2026-11-26T10:00+01:00", 0, "2026-11-26T10:00+01:00", "zero while open: the same instant"),
    ("se", "2026-11-28T10:00+01:00", 30, "2026-11-30T09:00+01:00", "from a weekend, counting starts Monday"),
    ("se", "2026-12-23T16:00+01:00", 120, "2026-12-28T09:30+01:00", "over Christmas"),
    ("no", "2026-05-13T16:30+02:00", 60, "2026-05-15T09:00+02:00", "over Ascension Day"),
    ("se", "2026-03-27T16:00+01:00", 120, "2026-03-30T09:30+02:00", "across spring DST: still 2 business hours"),
    ("se", "2026-10-23T16:00+02:00", 120, "2026-10-26T09:30+01:00", "across autumn DST"),
]


@pytest.mark.parametrize("code, start, minutes, end, why", ADD_TABLE, ids=[row[-1] for row in ADD_TABLE])
def test_add_business_minutes(code, start, minutes, end, why):
    assert iso(hours.add_business_minutes(MARKETS[code], at(start), minutes)) == end


@pytest.mark.parametrize("code, a, b, minutes, why", [
    ("se", "2026-11-27T16:00+01:00", "2026-11-30T09:30+01:00", 120, "over a weekend"),
    ("se", "2026-11-26T11:00+01:00", "2026-11-26T14:00+01:00", 120, "lunch excluded"),
    ("se", "2026-11-26T14:00+01:00", "2026-11-26T11:00+01:00", -120, "reversed: negative"),
    ("se", "2026-11-26T10:00+01:00", "2026-11-26T10:00+01:00", 0, "same instant"),
    ("se", "2026-11-26T10:00:00+01:00", "2026-11-26T10:00:59+01:00", 0, "whole minutes only"),
    ("se", "2026-11-30T00:00+01:00", "2026-12-07T00:00+01:00", 5 * 450, "a normal week"),
    ("se", "2026-12-21T00:00+01:00", "2026-12-28T00:00+01:00", 3 * 450, "Christmas week: three working days"),
    ("no", "2026-12-21T00:00+01:00", "2026-12-28T00:00+01:00", 3 * 450, "the same in Norway"),
    ("se", "2026-03-27T16:00+01:00", "2026-03-30T09:30+02:00", 120, "spring DST"),
    ("no", "2026-10-23T16:00+02:00", "2026-10-26T09:30+01:00", 120, "autumn DST"),
    ("se", "2026-11-28T10:00+01:00", "2026-11-29T10:00+01:00", 0, "all weekend"),
])
def test_business_minutes_between(code, a, b, minutes, why):
    assert hours.business_minutes_between(MARKETS[code], at(a), at(b)) == minutes


@pytest.mark.parametrize("code, placed, bid, today, cutoff, why", [
    ("se", "2026-11-26T13:59+01:00", False, True, "2026-11-26T14:00+01:00", "a minute before the cut-off"),
    ("se", "2026-11-26T14:00+01:00", False, False, "2026-11-27T14:00+01:00", "at the cut-off: next working day"),
    ("se", "2026-11-26T12:59+01:00", True, True, "2026-11-26T13:00+01:00", "BID: before 13:00"),
    ("se", "2026-11-26T13:00+01:00", True, False, "2026-11-27T13:00+01:00", "BID: at 13:00 is too late"),
    ("se", "2026-11-26T12:30+01:00", False, True, "2026-11-26T14:00+01:00", "support's lunch does not stop shipping"),
    ("se", "2026-11-26T07:00+01:00", False, True, "2026-11-26T14:00+01:00", "before opening counts for today"),
    ("se", "2026-11-27T15:00+01:00", False, False, "2026-11-30T14:00+01:00", "Friday afternoon: Monday"),
    ("no", "2026-11-28T10:00+01:00", False, False, "2026-11-30T14:00+01:00", "Saturday: Monday"),
    ("se", "2026-12-24T09:00+01:00", False, False, "2026-12-28T14:00+01:00", "Christmas eve: after the holidays"),
    ("no", "2028-05-17T09:00+02:00", True, False, "2028-05-18T13:00+02:00", "Constitution Day: next day, BID"),
])
def test_ships_today(code, placed, bid, today, cutoff, why):
    ships, when = hours.ships_today(MARKETS[code], at(placed), bid=bid)
    assert (ships, iso(when)) == (today, cutoff)


@pytest.mark.parametrize("instant, state, when, until, holiday, why", [
    ("2026-11-26T10:00+01:00", "open", "2026-11-26T10:00+01:00", "2026-11-26T12:00+01:00", None, "open now"),
    ("2026-11-26T12:10+01:00", "lunch", "2026-11-26T13:00+01:00", None, None, "back after lunch"),
    ("2026-11-27T18:00+01:00", "closed", "2026-11-30T08:30+01:00", None, None, "Monday morning"),
    ("2026-12-24T10:00+01:00", "closed", "2026-12-28T08:30+01:00", None, "Julafton", "after Christmas"),
])
def test_describe_next_response(instant, state, when, until, holiday, why):
    r = hours.describe_next_response(SE, at(instant))
    assert (r.state, iso(r.at), iso(r.until), r.holiday) == (state, when, until, holiday)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        hours.status(SE, datetime(2026, 11, 26, 10, 0))


def test_a_market_that_never_opens_fails_clearly():
    never = replace(SE, opening_days=())
    with pytest.raises(hours.NeverOpen):
        hours.next_opening(never, at("2026-11-26T10:00+01:00"))
    with pytest.raises(hours.NeverOpen):
        hours.ships_today(never, at("2026-11-26T10:00+01:00"))


def test_negative_business_time_is_refused():
    with pytest.raises(ValueError, match="negative"):
        hours.add_business_minutes(SE, at("2026-11-26T10:00+01:00"), -1)


def test_holiday_lookups_are_cached_per_year():
    hours.status(SE, at("2031-03-03T10:00+01:00"))
    before = hours._holidays.cache_info()
    for day in range(3, 8):
        hours.status(SE, at(f"2031-03-{day:02d}T10:00+01:00"))
    after = hours._holidays.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


@pytest.mark.parametrize("override, message, why", [
    ({"opening_intervals": [["12:00", "08:30"]]}, "ends before it starts", "end before start"),
    ({"opening_intervals": [["08:00", "12:00"], ["11:00", "13:00"]]}, "overlap", "overlapping intervals"),
    ({"opening_intervals": [["8:30", "12:00"]]}, "not a time of day HH:MM", "time without leading zero"),
    ({"opening_intervals": "08:30-17:00"}, "expected", "a string instead of pairs"),
    ({"special_days": {"2026-13-01": []}}, "not a date YYYY-MM-DD", "month 13"),
    ({"special_days": {"24/12/2026": []}}, "not a date YYYY-MM-DD", "day-first date"),
    ({"special_days": {"2026-12-23": "closed"}}, "expected", "a word instead of intervals"),
    ({"special_days": {"2026-12-23": {"hours": [], "name": 5}}}, "a name is a string", "bad name"),
    ({"order_cutoff": "25:00"}, "order_cutoff", "hour 25"),
    ({"opening_days": [0, 7]}, "opening_days", "weekday 7"),
    ({"opening_days": 5}, "opening_days", "a number instead of a list"),
    ({"holiday_categories": ["school"]}, "holiday_categories", "a category the SE calendar lacks"),
    ({"holiday_language": "de"}, "holiday_language", "a language the SE calendar lacks"),
    ({"annual_closures": [["02-30", "x"]]}, "annual_closures", "30 February"),
    ({"timezone": "Europe/Stokholm"}, "unknown time zone", "misspelt zone"),
    ({"opening_hours": []}, "opening_hours", "unknown field"),
])
def test_bad_hours_configuration_fails_with_a_clear_message(override, message, why):
    with pytest.raises(ValueError, match="MARKET_OVERRIDES") as info:
        build_markets({"se": override})
    assert message in str(info.value)


def test_configuration_is_parsed_from_json_values():
    se = build_markets({"se": {"opening_intervals": [["09:00", "16:00"]], "order_cutoff": "15:00",
                               "special_days": {"2026-11-26": []}}})["se"]
    assert hours.status(se, at("2026-11-26T10:00+01:00")).reason == "special"
    s = hours.status(se, at("2026-11-27T12:30+01:00"))
    assert (s.state, iso(s.closes_at)) == ("open", "2026-11-27T16:00+01:00")     # one interval: no lunch
    assert hours.ships_today(se, at("2026-11-27T14:30+01:00")) [0] is True


# --- properties of the arithmetic ---

ZONES = st.sampled_from([UTC, ZoneInfo("Europe/Stockholm"), ZoneInfo("Europe/Oslo")])
INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2029, 12, 31),
                        timezones=ZONES, allow_imaginary=False)
MINUTES = st.integers(min_value=0, max_value=4 * 5 * 450)          # up to about four working weeks
MARKET = st.sampled_from([SE, NO])


@settings(max_examples=150, deadline=None)
@given(market=MARKET, start=INSTANTS, minutes=MINUTES)
def test_adding_then_measuring_round_trips(market, start, minutes):
    end = hours.add_business_minutes(market, start, minutes)
    assert hours.business_time_between(market, start, end) == timedelta(minutes=minutes)


@settings(max_examples=150, deadline=None)
@given(market=MARKET, start=INSTANTS, minutes=MINUTES)
def test_the_result_of_adding_is_never_in_a_closed_period(market, start, minutes):
    end = hours.add_business_minutes(market, start, minutes)
    periods = hours.day_periods(market, end.date())                 # end is in the market's zone
    assert any(s <= end <= e for s, e in periods)
    assert end >= start


@settings(max_examples=150, deadline=None)
@given(market=MARKET, a=INSTANTS, b=INSTANTS, minutes=MINUTES, more=MINUTES)
def test_adding_preserves_order(market, a, b, minutes, more):
    first, second = sorted([a, b])
    assert hours.add_business_minutes(market, first, minutes) <= hours.add_business_minutes(market, second, minutes)
    assert hours.add_business_minutes(market, a, minutes) <= hours.add_business_minutes(market, a, minutes + more)


@settings(max_examples=100, deadline=None)
@given(market=MARKET, instants=st.lists(INSTANTS, min_size=3, max_size=3))
def test_measuring_is_additive_and_antisymmetric(market, instants):
    a, b, c = sorted(instants)
    ab, bc = hours.business_time_between(market, a, b), hours.business_time_between(market, b, c)
    assert ab + bc == hours.business_time_between(market, a, c)
    assert hours.business_time_between(market, b, a) == -ab


@settings(max_examples=150, deadline=None)
@given(market=MARKET, now=INSTANTS)
def test_status_agrees_with_the_arithmetic(market, now):
    s = hours.status(market, now)
    if s.is_open:
        assert now < s.closes_at
        assert hours.business_time_between(market, now, s.closes_at) == s.closes_at - now
    else:
        assert now < s.opens_at
        assert hours.business_time_between(market, now, s.opens_at) == timedelta(0)
