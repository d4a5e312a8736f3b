"""What a customer is told after a request, in words: when someone is there, when to expect an answer, the 24-hour rule.

Used by the receipt page and the acknowledgement mail alike; call it inside the customer's locale.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _

from .. import hours
from ..markets import Market
from ..clock import as_utc
from .routing import damage_deadline

FULL_DATE_AFTER_DAYS = 6


@dataclass(frozen=True)
class NextSteps:
    availability: str               # "We are open now, until 17:00." / "We are at lunch until 13:00." / ...
    answer_by: str | None           # "We aim to answer by today at 15:30."
    damage: str | None              # the 24-hour rule, met or missed; None for other requests
    damage_late: bool


def next_steps(ticket, market: Market, now: datetime) -> NextSteps:
    """The sentences for this ticket at `now`, in the current locale."""
    tz = hours.zone(market.timezone)
    local_now = as_utc(now).astimezone(tz)
    due = as_utc(ticket.due_at).astimezone(tz) if ticket.due_at else None
    answer_by = _("We aim to answer by %(when)s.", when=moment(due, local_now)) if due else None
    return NextSteps(availability(market, local_now), answer_by, _damage_text(ticket, tz, local_now),
                     bool(ticket.damage_late))


def availability(market: Market, now: datetime) -> str:
    """"We are open now", "we are at lunch until 13:00", "we open Monday at 08:30" (with a holiday's name)."""
    locale = get_locale()
    answer = hours.describe_next_response(market, now, locale.language if locale else None)
    if answer.state == "open":
        return _("We are open now, until %(time)s.", time=clock(answer.until))
    if answer.state == "lunch":
        return _("We are at lunch until %(time)s.", time=clock(answer.at))
    when = moment(answer.at, now)
    if answer.holiday:
        return _("We are closed today (%(holiday)s). We open %(when)s.", holiday=answer.holiday, when=when)
    return _("We are closed now. We open %(when)s.", when=when)


def _damage_text(ticket, tz, now: datetime) -> str | None:
    if ticket.category != "damage" or ticket.delivered_at is None:
        return None
    received = as_utc(ticket.delivered_at).astimezone(tz)
    deadline = damage_deadline(received)
    if ticket.damage_late:
        return _("Our terms require transport damage to be reported within 24 hours of receiving the delivery. "
                 "You received it %(received)s, so the deadline was %(deadline)s and this report came after it. "
                 "We have registered your report with everything you sent, and it is marked as reported late.",
                 received=moment(received, now), deadline=moment(deadline, now))
    return _("You reported the damage within 24 hours of receiving the delivery, before the deadline %(deadline)s.",
             deadline=moment(deadline, now))


def moment(t: datetime, now: datetime) -> str:
    """"today at 13:00", "tomorrow at 08:30", "Monday at 08:30", "Monday 28 December at 08:30" (market time)."""
    days = (t.date() - now.date()).days
    if days == 0:
        day = _("today")
    elif days == 1:
        day = _("tomorrow")
    elif days == -1:
        day = _("yesterday")
    elif 1 < days <= FULL_DATE_AFTER_DAYS:
        day = format_date(t.date(), "EEEE")
    else:
        # Translators: a Babel date pattern for "Monday 28 December"; keep EEEE (weekday), d (day), MMMM (month)
        day = format_date(t.date(), _("EEEE d MMMM"))
    return _("%(day)s at %(time)s", day=day, time=clock(t))


def clock(t: datetime) -> str:
    # rebase=False: the market's own wall clock, not the app's default zone
    return format_time(t, "HH:mm", rebase=False)


def cutoff_notes(market: Market, now: datetime) -> list[str]:
    """Whether today's order cut-offs (14:00, BID 13:00) have passed, for the cancellation form."""
    tz = hours.zone(market.timezone)
    local_now = as_utc(now).astimezone(tz)
    notes = []
    for bid in (False, True):
        ships, cutoff = hours.ships_today(market, local_now, bid=bid)
        kind = _("BID orders") if bid else _("normal orders")
        today = market.bid_order_cutoff if bid else market.order_cutoff
        if ships:
            notes.append(_("Today's cut-off for %(kind)s is %(time)s and has not passed yet: orders placed before "
                           "it are shipped today, so send your cancellation as early as you can.",
                           kind=kind, time=clock(cutoff)))
        elif hours.is_working_day(market, local_now.date()):
            notes.append(_("Today's cut-off for %(kind)s (%(time)s) has passed: orders placed before it are being "
                           "shipped today and may no longer be possible to halt. The next cut-off is %(next)s.",
                           kind=kind, time=today.strftime("%H:%M"), next=moment(cutoff, local_now)))
        else:
            notes.append(_("We do not ship today. The next cut-off for %(kind)s is %(next)s.",
                           kind=kind, next=moment(cutoff, local_now)))
    return notes

