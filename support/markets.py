"""The two markets, Ingram Micro Sweden (se) and Ingram Micro Norway (no): the one place for their facts.

Facts the source material cuts off (Norway's support e-mail address, a Norwegian cancellations address)
default to None and are filled in by configuration (`MARKET_OVERRIDES`), never invented here.

Opening hours (08:30-17:00, lunch 12:00-13:00, working days) come from the source FAQ. Closed days are the
`holidays` package's calendar for the country (SE: categories public + de_facto, which adds midsummer eve,
Christmas eve and New Year's eve; NO: the package only has public holidays, so Christmas eve and New Year's
eve are `annual_closures`, a default the operator can change) plus operator-configured `special_days`.
Configuration may give the hours fields as JSON-friendly strings; `__post_init__` parses and checks them, so
a bad value fails at start-up with a message naming the market and the field.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

LANGUAGES = ("sv", "nb", "en")

Interval = tuple[time, time]
Names = tuple[tuple[str, str], ...]       # (UI language, name) pairs, e.g. (("nb", "Julaften"), ("en", "Christmas Eve"))


@dataclass(frozen=True)
class SpecialDay:
    """An operator-configured date: closed (no intervals) or shortened/changed hours."""
    day: date
    intervals: tuple[Interval, ...]
    names: Names = ()


@dataclass(frozen=True)
class AnnualClosure:
    """A date closed every year (month, day) that the holiday calendar does not cover."""
    month: int
    day: int
    names: Names


@dataclass(frozen=True)
class Market:
    code: str                      # "se" | "no"
    country: str                   # ISO 3166 code for the holidays package: "SE" | "NO"
    name: str                      # "Ingram Micro Sweden"
    language: str                  # default UI language: "sv" | "nb"
    timezone: str                  # IANA zone
    phone: str
    support_email: str | None
    cancellations_email: str | None
    website: str
    # opening intervals of each opening day (local time, sorted, disjoint); lunch is the gap between them
    opening_intervals: tuple[Interval, ...] = ((time(8, 30), time(12, 0)), (time(13, 0), time(17, 0)))
    opening_days: tuple[int, ...] = (0, 1, 2, 3, 4)          # Monday = 0
    order_cutoff: time = time(14, 0)
    bid_order_cutoff: time = time(13, 0)
    holiday_categories: tuple[str, ...] = ("public",)        # categories of the `holidays` package
    holiday_language: str = "en_US"                          # the `holidays` language of local names
    # closed every year besides the holiday calendar: (("12-24", {"nb": "Julaften", "en": "Christmas Eve"}),)
    annual_closures: tuple[AnnualClosure, ...] = ()
    # operator-configured closures and changed days, by local date:
    # {"2026-12-23": [["08:30", "12:00"]], "2026-08-14": [], "2026-08-21": {"hours": [], "name": {"sv": "..."}}}
    special_days: tuple[SpecialDay, ...] = ()

    def __post_init__(self) -> None:
        try:
            _normalise_hours(self)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"market {self.code!r}: {exc}") from None

    @property
    def contact_email(self) -> str | None:
        return self.support_email

    def special_day(self, day: date) -> SpecialDay | None:
        """The operator's entry for this local date, if any."""
        return next((s for s in self.special_days if s.day == day), None)


# --- parsing and checking the hours fields (config gives strings and lists) ---

def _normalise_hours(market: Market) -> None:
    """Parse the hours fields in place (the dataclass is frozen, hence object.__setattr__) and check them."""
    try:
        ZoneInfo(market.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone: unknown time zone {market.timezone!r}") from None
    values = {
        "opening_intervals": _intervals(market.opening_intervals, "opening_intervals"),
        "opening_days": _weekdays(market.opening_days),
        "order_cutoff": _time(market.order_cutoff, "order_cutoff"),
        "bid_order_cutoff": _time(market.bid_order_cutoff, "bid_order_cutoff"),
        "holiday_categories": _categories(market),
        "annual_closures": tuple(_annual(c) for c in market.annual_closures),
        "special_days": _special_days(market.special_days),
    }
    if market.holiday_language not in _calendar(market.country).supported_languages:
        raise ValueError(f"holiday_language: {market.holiday_language!r} not supported for {market.country}")
    for name, value in values.items():
        object.__setattr__(market, name, value)


def _calendar(country: str):
    try:
        return getattr(holidays, country)
    except AttributeError:
        raise ValueError(f"country: no holiday calendar for {country!r}") from None


def _categories(market: Market) -> tuple[str, ...]:
    categories = tuple(market.holiday_categories)
    unknown = set(categories) - set(_calendar(market.country).supported_categories)
    if unknown or not categories:
        raise ValueError(f"holiday_categories: {sorted(unknown) or 'empty'} not supported for {market.country}")
    return categories


def _time(value, where: str) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str) and len(value) == 5 and value[2] == ":":
        try:
            return time.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}: {value!r} is not a time of day HH:MM")


def _intervals(value, where: str) -> tuple[Interval, ...]:
    """Sorted, non-empty, non-overlapping (start, end) pairs within one day."""
    if not isinstance(value, (list, tuple)) or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in value):
        raise ValueError(f"{where}: expected [[\"HH:MM\", \"HH:MM\"], ...], got {value!r}")
    pairs = [(_time(start, where), _time(end, where)) for start, end in value]
    for start, end in pairs:
        if end <= start:
            raise ValueError(f"{where}: interval {start:%H:%M}-{end:%H:%M} ends before it starts")
    pairs.sort()
    for (s1, e1), (s2, e2) in zip(pairs, pairs[1:]):
        if s2 < e1:
            raise ValueError(f"{where}: intervals {s1:%H:%M}-{e1:%H:%M} and {s2:%H:%M}-{e2:%H:%M} overlap")
    return tuple(pairs)


def _weekdays(value) -> tuple[int, ...]:
    days = tuple(value) if isinstance(value, (list, tuple)) else (None,)
    if any(not isinstance(d, int) or not 0 <= d <= 6 for d in days) or len(set(days)) != len(days):
        raise ValueError(f"opening_days: {value!r} must be distinct weekdays 0 (Monday) .. 6 (Sunday)")
    return tuple(sorted(days))


def _names(value, where: str) -> Names:
    if isinstance(value, str):
        value = {"": value}                 # "" = any language
    if isinstance(value, tuple):
        value = dict(value)
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise ValueError(f"{where}: a name is a string or {{language: string}}, got {value!r}")
    return tuple(value.items())


def _annual(value) -> AnnualClosure:
    if isinstance(value, AnnualClosure):
        return value
    try:
        month_day, names = value
        month, day = (int(part) for part in month_day.split("-"))
        date(2000, month, day)              # a leap year, so 02-29 is allowed
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"annual_closures: expected [\"MM-DD\", name], got {value!r}") from None
    return AnnualClosure(month, day, _names(names, f"annual_closures {month_day}"))


def _special_days(value) -> tuple[SpecialDay, ...]:
    if isinstance(value, tuple) and all(isinstance(v, SpecialDay) for v in value):
        return value
    if not isinstance(value, dict):
        raise ValueError(f"special_days: expected {{\"YYYY-MM-DD\": [[\"HH:MM\", \"HH:MM\"], ...]}}, got {value!r}")
    days = []
    for key, spec in value.items():
        try:
            day = key if isinstance(key, date) else date.fromisoformat(key)
        except (TypeError, ValueError):
            raise ValueError(f"special_days: {key!r} is not a date YYYY-MM-DD") from None
        hours, names = (spec.get("hours", []), spec.get("name", ())) if isinstance(spec, dict) else (spec, ())
        names = _names(names, f"special_days {key}") if names else ()
        days.append(SpecialDay(day, _intervals(hours, f"special_days {key}"), names))
    return tuple(sorted(days, key=lambda s: s.day))


DEFAULT_MARKETS: dict[str, Market] = {
    "se": Market(code="se", country="SE", name="Ingram Micro Sweden", language="sv",
                 timezone="Europe/Stockholm", phone="+46 8 477 15 55",
                 support_email="support-se@ingrammicro.com",
                 cancellations_email="cancellations@ingrammicro.se", website="https://www.ingrammicro.se",
                 holiday_categories=("public", "de_facto"), holiday_language="sv"),
    "no": Market(code="no", country="NO", name="Ingram Micro Norway", language="nb",
                 timezone="Europe/Oslo", phone="+47 230 50000",
                 support_email=None, cancellations_email=None, website="https://www.ingrammicro.no",
                 holiday_language="no",
                 annual_closures=(("12-24", {"nb": "Julaften", "sv": "Julafton", "en": "Christmas Eve"}),
                                  ("12-31", {"nb": "Nyttårsaften", "sv": "Nyårsafton", "en": "New Year's Eve"}))),
}

LANGUAGE_MARKET = {"sv": "se", "nb": "no", "en": "se"}


def build_markets(overrides: dict | None) -> dict[str, Market]:
    """Apply configuration ({"no": {"support_email": "..."}}) to the default markets; unknown keys fail loudly."""
    markets = dict(DEFAULT_MARKETS)
    for code, values in (overrides or {}).items():
        if code not in markets:
            raise ValueError(f"MARKET_OVERRIDES: unknown market {code!r} (known: se, no)")
        try:
            markets[code] = replace(markets[code], **values)
        except TypeError as exc:            # an unknown field name
            raise ValueError(f"MARKET_OVERRIDES[{code!r}]: {exc}") from None
        except ValueError as exc:
            raise ValueError(f"MARKET_OVERRIDES: {exc}") from None
    return markets


def market_for_language(lang: str) -> str:
    """The market a visitor of this language most likely belongs to (sv -> se, nb -> no)."""
    return LANGUAGE_MARKET.get(lang, "se")
