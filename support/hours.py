"""Opening-hours calendar and business-time arithmetic per market: pure, every function takes its instant.

Inputs are aware datetimes (any zone); results are aware datetimes in the market's zone. Internally every
instant is UTC, because Python compares and subtracts datetimes that share a tzinfo by wall clock, which is
wrong across a DST change. Opening intervals are half-open: open at 08:30:00, closed at 17:00:00.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import count
from typing import Iterator
from zoneinfo import ZoneInfo

import holidays

from .markets import Market, Names

# UI language -> language code of the `holidays` package
HOLIDAY_LANGUAGES = {"sv": "sv", "nb": "no", "en": "en_US"}
MAX_SEARCH_DAYS = 2 * 366          # a market closed longer than this is a configuration error
MINUTE = timedelta(minutes=1)

Period = tuple[datetime, datetime]  # an opening interval as UTC instants


class NeverOpen(ValueError):
    """The market has no opening hours within MAX_SEARCH_DAYS of the instant asked about."""


@dataclass(frozen=True)
class Closure:
    """Why a whole local day has no opening hours."""
    reason: str                     # "holiday" | "special" | "weekend"
    name: str | None                # the holiday's or closure's name, None for a weekend or unnamed closure


@dataclass(frozen=True)
class Status:
    """The opening state of a market at one instant."""
    market: str
    at: datetime                    # the instant asked about, in the market's zone
    state: str                      # "open" | "lunch" | "closed"
    reason: str                     # "open" | "lunch" | "before_hours" | "after_hours" | "weekend" | "holiday" | "special"
    holiday: str | None
    opens_at: datetime | None       # the next opening, when not open
    closes_at: datetime | None      # the next closing, when open

    @property
    def is_open(self) -> bool:
        return self.state == "open"


@dataclass(frozen=True)
class NextResponse:
    """When someone is there to answer: now (open), after lunch, or at the next opening."""
    state: str                      # "open" | "lunch" | "closed"
    at: datetime                    # now when open, else the next opening (market zone)
    until: datetime | None          # when open: the coming closing time
    holiday: str | None


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo of an IANA name (cached: one object per zone)."""
    return ZoneInfo(name)


@lru_cache(maxsize=128)
def _holidays(country: str, categories: tuple[str, ...], language: str, year: int) -> dict[date, str]:
    """One year of a country's holidays with names in `language`; cached because every page asks."""
    calendar = holidays.country_holidays(country, years=year, categories=categories, language=language)
    return dict(calendar.items())


def _utc(t: datetime) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got naive {t.isoformat()}")
    return t.astimezone(UTC)


def _pick(names: Names, lang: str | None, market: Market) -> str | None:
    """A configured name in the visitor's language, else the market's, else any."""
    table = dict(names)
    for key in (lang, market.language, ""):
        if key in table:
            return table[key]
    return next(iter(table.values()), None)


def holiday_name(market: Market, day: date, lang: str | None = None) -> str | None:
    """The name of the holiday or yearly closure on this local date, in `lang` where the calendar has it."""
    supported = getattr(holidays, market.country).supported_languages
    language = HOLIDAY_LANGUAGES.get(lang or "")
    if language not in supported:
        language = market.holiday_language
    name = _holidays(market.country, market.holiday_categories, language, day.year).get(day)
    if name:
        return name
    closure = next((c for c in market.annual_closures if (c.month, c.day) == (day.month, day.day)), None)
    return _pick(closure.names, lang, market) if closure else None


def closure(market: Market, day: date, lang: str | None = None) -> Closure | None:
    """Why this local date has no opening hours, or None when it has some."""
    special = market.special_day(day)
    if special is not None:
        return None if special.intervals else Closure("special", _pick(special.names, lang, market))
    name = holiday_name(market, day, lang)
    if name:
        return Closure("holiday", name)
    if day.weekday() not in market.opening_days:
        return Closure("weekend", None)
    return None


@lru_cache(maxsize=4096)
def day_periods(market: Market, day: date) -> tuple[Period, ...]:
    """The opening intervals of one local date as UTC instants (none on a closed day).

    Cached (a market is a frozen value): the queue counts business time left for every row it shows, which
    walks these day by day."""
    special = market.special_day(day)
    if special is not None:
        intervals = special.intervals
    elif closure(market, day) is not None:
        intervals = ()
    else:
        intervals = market.opening_intervals
    tz = zone(market.timezone)
    return tuple((_instant(day, start, tz), _instant(day, end, tz)) for start, end in intervals)


def _instant(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def _periods_from(market: Market, t: datetime) -> Iterator[Period]:
    """Opening periods from the local day of UTC instant `t` on, in order; raises NeverOpen if they stop."""
    first = t.astimezone(zone(market.timezone)).date()
    empty = 0
    for offset in count():
        periods = day_periods(market, first + timedelta(days=offset))
        empty = 0 if periods else empty + 1
        if empty > MAX_SEARCH_DAYS:
            raise NeverOpen(f"market {market.code!r} has no opening hours after {first.isoformat()}")
        yield from periods


def next_opening(market: Market, t: datetime) -> datetime:
    """The first opening strictly after `t`, in the market's zone."""
    u = _utc(t)
    start = next(s for s, _e in _periods_from(market, u) if s > u)
    return start.astimezone(zone(market.timezone))


def next_closing(market: Market, t: datetime) -> datetime:
    """The first closing strictly after `t` (the current interval's end when open), in the market's zone."""
    u = _utc(t)
    end = next(e for _s, e in _periods_from(market, u) if e > u)
    return end.astimezone(zone(market.timezone))


def status(market: Market, now: datetime, lang: str | None = None) -> Status:
    """Open, at lunch or closed at `now`, why, and the next change; holiday names in `lang` (None: local)."""
    u = _utc(now)
    tz = zone(market.timezone)
    local = u.astimezone(tz)
    today = day_periods(market, local.date())
    if any(s <= u < e for s, e in today):
        return Status(market.code, local, "open", "open", None, None, next_closing(market, u))
    opens = next_opening(market, u)
    if today and today[0][0] < u < today[-1][1]:
        return Status(market.code, local, "lunch", "lunch", None, opens, None)
    if today:
        reason = "before_hours" if u < today[0][0] else "after_hours"
        return Status(market.code, local, "closed", reason, None, opens, None)
    why = closure(market, local.date(), lang)
    return Status(market.code, local, "closed", why.reason, why.name, opens, None)


def describe_next_response(market: Market, now: datetime, lang: str | None = None) -> NextResponse:
    """For acknowledgements: "we are open now" / "at lunch until 13:00" / "we open Monday at 08:30"."""
    s = status(market, now, lang)
    if s.is_open:
        return NextResponse("open", s.at, s.closes_at, None)
    return NextResponse(s.state, s.opens_at, None, s.holiday)


def add_business_time(market: Market, start: datetime, delta: timedelta) -> datetime:
    """The instant `delta` of opening time after `start`; from a closed instant counting starts at the opening."""
    if delta < timedelta(0):
        raise ValueError("business time to add must not be negative")
    u, left = _utc(start), delta
    for s, e in _periods_from(market, u):
        if e <= u:
            continue
        s = max(s, u)
        if left <= e - s:
            return (s + left).astimezone(zone(market.timezone))
        left -= e - s
    raise AssertionError("unreachable: _periods_from is endless or raises")


def business_time_between(market: Market, a: datetime, b: datetime) -> timedelta:
    """Opening time between two instants; negative when `b` is before `a`."""
    ua, ub = _utc(a), _utc(b)
    if ub < ua:
        return -business_time_between(market, b, a)
    tz = zone(market.timezone)
    first, last = ua.astimezone(tz).date(), ub.astimezone(tz).date()
    total = timedelta(0)
    for offset in range((last - first).days + 1):
        for s, e in day_periods(market, first + timedelta(days=offset)):
            total += max(timedelta(0), min(e, ub) - max(s, ua))
    return total


def add_business_minutes(market: Market, start: datetime, minutes: int) -> datetime:
    """`start` plus this many minutes of opening time (see add_business_time)."""
    return add_business_time(market, start, minutes * MINUTE)


def business_minutes_between(market: Market, a: datetime, b: datetime) -> int:
    """Whole minutes of opening time between two instants (truncated toward zero; negative if b < a)."""
    total = business_time_between(market, a, b)
    whole = abs(total) // MINUTE
    return whole if total >= timedelta(0) else -whole


def is_working_day(market: Market, day: date) -> bool:
    """Whether this local date has any opening hours."""
    return bool(day_periods(market, day))


def ships_today(market: Market, placed_at: datetime, bid: bool = False) -> tuple[bool, datetime]:
    """Does an order placed at `placed_at` ship today? Also the cut-off it made (or the next one it will make)."""
    u = _utc(placed_at)
    tz = zone(market.timezone)
    today = u.astimezone(tz).date()
    cutoff_clock = market.bid_order_cutoff if bid else market.order_cutoff
    for offset in range(MAX_SEARCH_DAYS):
        day = today + timedelta(days=offset)
        cutoff = _instant(day, cutoff_clock, tz)
        if is_working_day(market, day) and u < cutoff:   # strictly before: placed at 14:00 ships tomorrow
            return offset == 0, cutoff.astimezone(tz)
    raise NeverOpen(f"market {market.code!r} has no working day after {today.isoformat()}")
