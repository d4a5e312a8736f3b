"""CSV exports for spreadsheets: a queue view (every page, the agent's markets) and the admins' overview figures.

Written for Excel as the agents have it: UTF-8 with a byte-order mark (without it Excel reads å/ä/ö/ø as
Windows-1252), column names in the agent's language, and the list separator of that language's Excel (";" in
Swedish and Norwegian, where "," is the decimal comma; "," in English), so a double-click opens it in columns.
A cell that begins with = + - @ (or a tab or carriage return) is a formula to a spreadsheet, and customers write
subjects and company names, so such a cell gets a leading apostrophe: shown as text, never evaluated (OWASP).
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Iterable, Iterator

from flask import current_app
from flask_babel import gettext as _

from .. import hours
from ..clock import as_utc
from ..hours_text import current_language
from ..tickets.models import Ticket
from . import queues
from .labels import label
from .overview import Overview

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = {"sv": ";", "nb": ";"}
PAGE_SIZE = 500                    # tickets per database round trip while exporting


def safe(value) -> str | int:
    """One cell: numbers as they are, text with a formula start defused by a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(tables: Iterable[tuple[list[str], Iterable[Iterable]]]) -> str:
    """The tables one after another (a blank line between), as text starting with the BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=SEPARATORS.get(current_language(), ","), lineterminator="\r\n")
    for index, (header, rows) in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([safe(h) for h in header])
        writer.writerows([safe(cell) for cell in row] for row in rows)
    return BOM + out.getvalue()


def _local(t: datetime | None, market: str) -> str:
    """"2026-03-11 09:40" in the market's own time: a format every spreadsheet reads as a date and time."""
    if t is None:
        return ""
    zone = hours.zone(current_app.extensions["markets"][market].timezone)
    return as_utc(t).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _all_pages(filters: queues.Filters, agent, now: datetime) -> Iterator[tuple[Ticket, str]]:
    """Every ticket of the view, page by page through the queue's own keyset pages (memory stays one page)."""
    cursor = None
    while True:
        page = queues.queue_page(filters, agent, now=now, cursor=cursor, size=PAGE_SIZE)
        yield from ((t, page.assignees.get(t.assignee_id, "")) for t in page.tickets)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def queue_csv(filters: queues.Filters, agent, *, now: datetime) -> str:
    """The queue view as the page shows it (same filters and order), all pages, only the agent's markets."""
    header = [_("Reference"), _("Due"), _("Subject"), _("Company"), _("Customer"), _("E-mail"), _("Market"),
              _("Language"), _("Category"), _("Queue"), _("Status"), _("Priority"), _("Assignee"), _("Created"),
              _("Order numbers")]
    rows = ([t.reference, _local(t.due_at, t.market), t.subject, t.company, t.customer_name, t.customer_email,
             t.market.upper(), t.language, label("category", t.category), label("queue", t.queue),
             label("status", t.status), label("priority", t.priority), assignee, _local(t.created_at, t.market),
             t.order_numbers] for t, assignee in _all_pages(filters, agent, now))
    return to_csv([(header, rows)])


def overview_csv(o: Overview) -> str:
    """The overview's figures, one table per section of the page."""
    r = o.responses
    return to_csv([
        ([_("Date"), _("Tickets in"), _("Tickets resolved")], o.days),
        ([_("Market"), _("Queue"), _("In"), _("Still open")],
         [(m.upper(), label("queue", q), n, still) for m, q, n, still in o.by_queue]),
        ([_("First responses against due times"), _("Tickets")],
         [(_("On time"), r["on_time"]), (_("Late"), r["late"]), (_("Not answered, overdue"), r["waiting_overdue"]),
          (_("Not answered, in time"), r["waiting_in_time"]),
          (_("Median first response (minutes)"), "" if o.median_first_response_minutes is None
           else o.median_first_response_minutes),
          (_("Requests the FAQ answered (deflected)"), o.deflected)]),
        *_deflection_tables(o),
        ([_("Questions the FAQ could not answer"), _("Language"), _("Times")], o.unanswered),
        ([_("Answers voted not helpful"), _("Language"), _("Votes")], o.not_helpful),
    ])


def _deflection_tables(o: Overview) -> list[tuple[list[str], list]]:
    """Requests settled by the FAQ per day (the overview's chart) and how often replies used a suggestion."""
    d = o.deflection
    if d is None:
        return []
    return [
        ([_("Date"), _("Solved on the request form, while typing"), _("“This solved it” in the acknowledgement"),
          _("Replies with a suggested answer"), _("Settled by the FAQ"), _("All requests")],
         [(day.day, day.panel, day.link, day.suggested, day.settled, day.requests) for day in d.days]),
        ([_("Suggested FAQ answers"), _("Replies")],
         [(_("Replies that used a suggested FAQ answer"), d.replies_with_suggestion), (_("All replies"), d.replies)]),
    ]
