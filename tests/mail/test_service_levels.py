"""The service-level clock through the real paths: a mail opens a ticket, an agent replies, the customer
answers by mail. A ticket waiting for its customer is never "Overdue"; their answer gives it a due time again."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from support import hours
from support.agent import accounts, queues
from support.extensions import db
from support.mail.ingest import ingest
from support.outbox.models import OutboxMail
from support.tickets import operations, sla
from support.tickets.models import Ticket

from .conftest import build

MONDAY_1030 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)        # 10:30 in Stockholm


def overdue_everywhere(agent, now):
    """The references in every "Overdue" list an agent can open: the view, and the view per queue and market."""
    found = set()
    for queue in (None, *operations.queues()):
        for market in (None, "se", "no"):
            page = queues.queue_page(queues.Filters(view="overdue", queue=queue, market=market), agent, now=now)
            found |= {t.reference for t in page.tickets}
    return found


def test_a_ticket_waiting_for_its_customer_is_never_overdue_and_their_answer_sets_a_due_time(app):
    agent = accounts.create_agent("agent@example.test", "Agent", "a long password", markets="se")
    opened = ingest(build(subject="Faktura saknas", body="Hej, fakturan för order 4400123 saknas."), now=MONDAY_1030)
    ticket = db.session.scalar(select(Ticket).filter_by(reference=opened.ticket))
    assert ticket.sla_target == "first" and ticket.due_at is not None

    operations.reply(ticket, agent, "Hej! Vilket datum gällde ordern?", version=ticket.version,
                     now=MONDAY_1030 + timedelta(minutes=20))            # waiting for the customer now
    assert (ticket.status, ticket.due_at, ticket.sla_state) == ("pending", None, "paused")
    for later in (timedelta(hours=3), timedelta(days=3), timedelta(days=60)):
        assert ticket.reference not in overdue_everywhere(agent, (MONDAY_1030 + later).replace(tzinfo=None))

    ours = db.session.scalars(select(OutboxMail.message_id).where(OutboxMail.kind == "reply")).one()
    answer_at = datetime(2026, 3, 6, 16, 45, tzinfo=UTC)                  # Friday 17:45 in Stockholm: closed
    out = ingest(build(subject="Re: Faktura saknas", body="Den 12 februari.",
                       headers={"In-Reply-To": ours, "References": ours}), now=answer_at)
    assert (out.action, out.ticket) == ("appended", ticket.reference)
    db.session.refresh(ticket)
    assert (ticket.status, ticket.sla_target, ticket.sla_state) == ("open", "next", "running")
    market = app.extensions["markets"]["se"]
    due = ticket.due_at.replace(tzinfo=UTC)
    assert hours.status(market, due - timedelta(seconds=1)).is_open, "due within opening hours"
    # the next-response target counts from Monday's opening: the configured business minutes, no more
    policy = sla.find_policy(app.extensions["sla_policies"], ticket.queue, ticket.priority, "se")
    assert due == hours.add_business_minutes(market, answer_at, policy.next)
    assert hours.business_minutes_between(market, answer_at, due) == policy.next
    assert ticket.reference not in overdue_everywhere(agent, answer_at.replace(tzinfo=None))
    assert ticket.reference in overdue_everywhere(agent, (due + timedelta(minutes=1)).replace(tzinfo=None))
