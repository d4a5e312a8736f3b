"""The opening badge: a market's opening status put into words in the visitor's language (needs an app context)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, get_template_attribute
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

from . import hours
from .markets import Market
from . import clock

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
    from .i18n import current_market   # request-bound; imported here so this module stays importable alone
    market = current_app.extensions["markets"][market_code or current_market()]
    lang = current_language()
    status = hours.status(market, now or clock.now(), lang)
    return Badge(market.code, lang, status.state, label(market, status))


def opening_badge(market_code: str | None = None, now: datetime | None = None):
    """The rendered badge (Markup); the first badge of a page also brings the refresh script."""
    with_script = not g.get("hours_script_included", False)
    g.hours_script_included = True
    macro = get_template_attribute("hours/badge.html", "hours_badge")
    return macro(opening_status(market_code, now), with_script=with_script)


def label(market: Market, status: hours.Status) -> str:
    """"Open now, until 17:00" / "Closed for lunch, back at 13:00" / "Opens Monday at 08:30" and the like."""
    if status.state == "open":
        return _("Open now, until %(time)s", time=_clock(status.closes_at))
    if status.state == "lunch":
        return _("Closed for lunch, back at %(time)s", time=_clock(status.opens_at))
    closed_all_day = status.reason in ("holiday", "special")
    when = _when(status.at, status.opens_at, full=closed_all_day or _holiday_before(market, status))
    if closed_all_day and status.holiday:
        return _("Closed today (%(name)s), opens %(when)s at %(time)s",
                 name=status.holiday, when=when, time=_clock(status.opens_at))
    if closed_all_day:
        return _("Closed today, opens %(when)s at %(time)s", when=when, time=_clock(status.opens_at))
    return _("Opens %(when)s at %(time)s", when=when, time=_clock(status.opens_at))


def _clock(t: datetime) -> str:
    # rebase=False: show the market's own wall clock, not the app's default zone
    return format_time(t, "HH:mm", rebase=False)


def _holiday_before(market: Market, status: hours.Status) -> bool:
    """Whether a holiday or closure (not just a weekend) lies between now and the next opening."""
    first, last = status.at.date(), status.opens_at.date()
    between = (first + timedelta(days=n) for n in range(1, (last - first).days))
    return any((hours.closure(market, day) or hours.Closure("weekend", None)).reason != "weekend" for day in between)


def _when(now: datetime, opens: datetime, full: bool) -> str:
    """"today", "tomorrow", a weekday, or weekday and date (across holidays, and beyond a week)."""
    days = (opens.date() - now.date()).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if full or days > FULL_DATE_AFTER_DAYS:
        # Translators: a Babel date pattern for "Monday 28 December"; keep EEEE (weekday), d (day), MMMM (month)
        return format_date(opens.date(), _("EEEE d MMMM"))
    return format_date(opens.date(), "EEEE")


def status_json(market: Market, status: hours.Status) -> dict:
    """The /api/hours answer for one status (times in the market's offset, ISO 8601)."""
    def iso(t: datetime | None) -> str | None:
        return t.isoformat(timespec="seconds") if t else None
    return {"market": market.code, "at": iso(status.at), "open": status.is_open, "state": status.state,
            "reason": status.reason, "holiday": status.holiday,
            "opens_at": iso(status.opens_at), "closes_at": iso(status.closes_at)}
