"""Opening hours in words, in the current language: the badge ("Open now, until 17:00"), the sentence on the
receipt and in the acknowledgement ("We are at lunch until 13:00."), and the days and times they name.

The one text layer over the calendar (support/hours.py, pure); needs an app context for the translations.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app, g, get_template_attribute
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

from . import app_memo, clock, hours
from .clock import as_utc
from .i18n import current_market
from .markets import Market

FULL_DATE_AFTER_DAYS = 6           # beyond a week a weekday alone is ambiguous


@dataclass(frozen=True)
class Badge:
    """What the badge template shows and what its script needs to refresh it."""
    market: str
    lang: str
    state: str                     # "open" | "lunch" | "closed"
    label: str


def current_language() -> str:
    """The request's UI language ("sv", "nb" or "en")."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def opening_status(market_code: str | None = None, now: datetime | None = None) -> Badge:
    """The badge of a market (default: the visitor's) in the request's language, at `now` (default: now)."""
    market = current_app.extensions["markets"][market_code or current_market()]
    lang = current_language()
    status = hours.status(market, now or clock.now(), lang)
    return Badge(market.code, lang, status.state, label(market, status))


def opening_badge(market_code: str | None = None, now: datetime | None = None):
    """The rendered badge (Markup); the first badge of a page also brings the refresh script.

    A badge reads the same for a whole minute, so each process renders it once a minute per market and language:
    every FAQ page shows two, and rendering them was a fifth of the page's cost.
    """
    with_script = not g.get("hours_script_included", False)
    g.hours_script_included = True
    at = (now or clock.now()).replace(second=0, microsecond=0)
    code = market_code or current_market()
    # only the current minute's badges are ever asked for again: a small memo
    return app_memo.kept("hours_badges", (code, current_language(), at, with_script), most=64,
                         make=lambda: get_template_attribute("hours/badge.html", "hours_badge")(
                             opening_status(code, at), with_script=with_script))



def label(market: Market, status: hours.Status) -> str:
    """"Open now, until 17:00" / "Closed for lunch, back at 13:00" / "Opens Monday at 08:30" and the like."""
    if status.state == "open":
        return _("Open now, until %(time)s", time=clock_time(status.closes_at))
    if status.state == "lunch":
        return _("Closed for lunch, back at %(time)s", time=clock_time(status.opens_at))
    closed_all_day = status.reason in ("holiday", "special")
    when = day_words(status.opens_at.date(), status.at.date(),
                     full=closed_all_day or _holiday_before(market, status))
    if closed_all_day and status.holiday:
        return _("Closed today (%(name)s), opens %(when)s at %(time)s",
                 name=status.holiday, when=when, time=clock_time(status.opens_at))
    if closed_all_day:
        return _("Closed today, opens %(when)s at %(time)s", when=when, time=clock_time(status.opens_at))
    return _("Opens %(when)s at %(time)s", when=when, time=clock_time(status.opens_at))


def availability(market: Market, now: datetime) -> str:
    """"We are open now", "we are at lunch until 13:00", "we open Monday at 08:30" (with a holiday's name)."""
    local_now = as_utc(now).astimezone(hours.zone(market.timezone))
    answer = hours.describe_next_response(market, local_now, current_language())
    if answer.state == "open":
        return _("We are open now, until %(time)s.", time=clock_time(answer.until))
    if answer.state == "lunch":
        return _("We are at lunch until %(time)s.", time=clock_time(answer.at))
    when = moment(answer.at, local_now)
    if answer.holiday:
        return _("We are closed today (%(holiday)s). We open %(when)s.", holiday=answer.holiday, when=when)
    return _("We are closed now. We open %(when)s.", when=when)


def moment(t: datetime, now: datetime) -> str:
    """"today at 13:00", "tomorrow at 08:30", "Monday at 08:30", "Monday 28 December at 08:30" (in t's zone)."""
    return _("%(day)s at %(time)s", day=day_words(t.date(), now.astimezone(t.tzinfo).date()), time=clock_time(t))


def day_words(day: date, today: date, *, full: bool = False) -> str:
    """"today", "tomorrow", "yesterday", a weekday within the week ahead, else weekday and date (also when `full`:
    across holidays a weekday alone is ambiguous)."""
    days = (day - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if full or not 1 < days <= FULL_DATE_AFTER_DAYS:
        # Translators: a Babel date pattern for "Monday 28 December"; keep EEEE (weekday), d (day), MMMM (month)
        return format_date(day, _("EEEE d MMMM"))
    return format_date(day, "EEEE")


# Swedish and Norwegian write the time of day with a point (kl. 14.00, as the source's 08.30-17.00), English with
# a colon; Babel's own short formats are not those, so the pattern is chosen here.
CLOCK_PATTERNS = {"sv": "HH.mm", "nb": "HH.mm"}


def clock_time(t: datetime | time) -> str:
    """"13.00" (sv, nb) / "13:00" (en): the wall clock of t's own zone (the market's), not the app's default zone."""
    return format_time(t, CLOCK_PATTERNS.get(current_language(), "HH:mm"), rebase=False)



def _holiday_before(market: Market, status: hours.Status) -> bool:
    """Whether a holiday or closure (not just a weekend) lies between now and the next opening."""
    first, last = status.at.date(), status.opens_at.date()
    between = (first + timedelta(days=n) for n in range(1, (last - first).days))
    return any((hours.closure(market, day) or hours.Closure("weekend", None)).reason != "weekend" for day in between)


def status_json(market: Market, status: hours.Status) -> dict:
    """The /api/hours answer for one status (times in the market's offset, ISO 8601)."""
    def iso(t: datetime | None) -> str | None:
        return t.isoformat(timespec="seconds") if t else None
    return {"market": market.code, "at": iso(status.at), "open": status.is_open, "state": status.state,
            "reason": status.reason, "holiday": status.holiday,
            "opens_at": iso(status.opens_at), "closes_at": iso(status.closes_at)}


def init_app(app) -> None:
    """Give templates `opening_status(code)` (badge data) and `opening_badge(code)` (its HTML), now."""
    app.context_processor(lambda: {"opening_status": opening_status, "opening_badge": opening_badge})
