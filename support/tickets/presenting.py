"""What a customer is told after a request, in words: when someone is there, when to expect an answer, the 24-hour rule.

Used by the receipt page and the acknowledgement mail alike; call it inside the customer's locale. Opening hours
are put into words by support/hours_text.py, the same sentences everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from .. import hours
from ..clock import as_utc
from ..hours_text import availability, clock_time, moment
from ..markets import Market
from .routing import damage_deadline
from .service_levels import response_due


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
    promised = response_due(ticket)     # a configured response target only: never a time the settings do not give
    due = as_utc(promised).astimezone(tz) if promised else None
    answer_by = _("We aim to answer by %(when)s.", when=moment(due, local_now)) if due else None
    return NextSteps(availability(market, local_now), answer_by, _damage_text(ticket, tz, local_now),
                     bool(ticket.damage_late))


def _damage_text(ticket, tz, now: datetime) -> str | None:
    if ticket.category != "damage" or ticket.delivered_at is None:
        return None
    received = as_utc(ticket.delivered_at).astimezone(tz)
    deadline = damage_deadline(received)
    if ticket.damage_late:
        return _("Transport damage must be reported within 24 hours of receiving the delivery. "
                 "You received it %(received)s, so the deadline was %(deadline)s and this report came after it. "
                 "We have registered your report with everything you sent, and it is marked as reported late.",
                 received=moment(received, now), deadline=moment(deadline, now))
    return _("You reported the damage within 24 hours of receiving the delivery, before the deadline %(deadline)s.",
             deadline=moment(deadline, now))


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
                           kind=kind, time=clock_time(cutoff)))
        elif hours.is_working_day(market, local_now.date()):
            notes.append(_("Today's cut-off for %(kind)s (%(time)s) has passed: orders placed before it are being "
                           "shipped today and may no longer be possible to halt. The next cut-off is %(next)s.",
                           kind=kind, time=clock_time(today), next=moment(cutoff, local_now)))
        else:
            notes.append(_("We do not ship today. The next cut-off for %(kind)s is %(next)s.",
                           kind=kind, next=moment(cutoff, local_now)))
    return notes

