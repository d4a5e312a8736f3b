"""Queue views: most urgent first, keyset pages without gaps or repeats, filters, counts, search."""
from datetime import timedelta

import pytest

from support.agent import queues, ticket_search
from support.agent.queues import Filters

from .conftest import NOW, sign_in


def _refs(page):
    return [t.reference for t in page.tickets]


def test_pages_follow_due_time_without_gaps_or_repeats(make_agent, make_ticket):
    agent = make_agent()
    due = [NOW + timedelta(minutes=m) for m in (30, 10, 10, 50, 20, 40, 10)]   # ties broken by id
    made = [make_ticket(due_at=d) for d in due]
    expected = [t.reference for t in sorted(made, key=lambda t: (t.due_at, t.id))]
    seen, cursor = [], None
    while True:
        page = queues.queue_page(Filters(), agent, now=NOW, cursor=cursor, size=3)
        seen += _refs(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_tickets_without_due_time_are_paged_too(make_agent, make_ticket):
    agent = make_agent()
    made = [make_ticket(due_at=None, status="resolved") for _ in range(3)] + [make_ticket(status="resolved")]
    seen, cursor = [], None
    for _ in range(5):
        page = queues.queue_page(Filters(status="resolved"), agent, now=NOW, cursor=cursor, size=1)
        seen += _refs(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(t.reference for t in made)


@pytest.mark.parametrize("filters, expected", [
    (Filters(), {"SE-000001", "SE-000002", "SE-000003", "NO-000004", "SE-000005"}),   # all open, both markets
    (Filters(view="mine"), {"SE-000002"}),
    (Filters(view="unassigned"), {"SE-000001", "SE-000003", "NO-000004", "SE-000005"}),
    (Filters(view="overdue"), {"SE-000003"}),                   # due before now
    (Filters(view="waiting"), {"SE-000005"}),                   # pending = waiting for the customer
    (Filters(queue="cancellations"), {"SE-000001"}),
    (Filters(market="no"), {"NO-000004"}),
    (Filters(category="cancellation"), {"SE-000001"}),
    (Filters(language="nb"), {"NO-000004"}),
    (Filters(status="resolved"), {"SE-000006"}),                # closed work only when asked for
])
def test_views_and_filters(make_agent, make_ticket, filters, expected):
    agent = make_agent()
    make_ticket(category="cancellation", queue="cancellations")
    make_ticket(assignee_id=agent.id)
    make_ticket(due_at=NOW - timedelta(minutes=5))
    make_ticket(market="no")
    make_ticket(status="pending")
    make_ticket(status="resolved")
    assert set(_refs(queues.queue_page(filters, agent, now=NOW))) == expected


def test_counts_per_queue_are_open_tickets_of_the_agents_markets(make_agent, make_ticket):
    make_ticket(queue="damage")
    make_ticket(queue="damage", status="closed")
    make_ticket(queue="general", category="other")
    make_ticket(market="no", queue="damage")
    assert queues.counts(make_agent(markets="se")) == {"damage": 1, "general": 1}
    assert queues.counts(make_agent(role="admin", markets="se")) == {"damage": 2, "general": 1}


def test_queue_page_lists_the_most_urgent_first_and_links_the_next_page(client, app, make_agent, make_ticket):
    later, sooner = make_ticket(due_at=NOW + timedelta(hours=9)), make_ticket(due_at=NOW + timedelta(hours=1))
    sign_in(client, make_agent())
    html = client.get("/agent/?queue=damage").get_data(as_text=True)
    assert html.index(sooner.reference) < html.index(later.reference)
    assert 'src="/static/js/agent.js"' in html and "<script>" not in html      # no inline script (CSP)


@pytest.mark.parametrize("query, expected", [
    ("SE-000002", {"SE-000002"}),              # reference, exact
    ("se-000002", {"SE-000002"}),              # in any case
    ("700001", {"SE-000001"}),                 # order number prefix
    ("KUND2@example", {"SE-000002"}),          # e-mail prefix, any case
    ("kund ab", {"SE-000001", "SE-000002"}),   # company prefix
    ("leverans 2", {"SE-000002"}),             # words in the subject
    ("100%", set()),                           # LIKE wildcards are taken literally
    ("", set()),
])
def test_search(make_agent, make_ticket, query, expected):
    make_ticket()
    make_ticket()
    assert {t.reference for t in ticket_search.search(query, make_agent()).tickets} == expected


def test_a_mangled_cursor_starts_from_the_top(make_agent, make_ticket):
    make_ticket()
    assert len(queues.queue_page(Filters(), make_agent(), now=NOW, cursor="not-a-cursor!").tickets) == 1
