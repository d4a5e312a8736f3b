"""The service levels on the agent pages: the running target and its business time left in words, the
"Overdue" and "Due soon" views, and the ticket page's record of targets met and missed."""
from datetime import timedelta

import pytest

from support.agent import queues
from support.agent.queues import Filters
from support.tickets import operations

from .conftest import NOW, sign_in


@pytest.fixture
def frozen(app):
    app.config["FROZEN_NOW"] = NOW.isoformat() + "+00:00"        # Tuesday 10:00 in Stockholm


@pytest.mark.parametrize("lang, soon, late", [
    ("sv", "Första svar: 20 min kvar", "Nästa svar: 1 h 05 min försenat"),
    ("nb", "Første svar: 20 min igjen", "Neste svar: 1 t 05 min over fristen"),
    ("en", "First response: 20 min left", "Next response: 1 h 05 min overdue"),
])
def test_queue_says_which_target_runs_and_the_business_time_left(client, make_agent, make_ticket, frozen,
                                                                 lang, soon, late):
    make_ticket(due_at=NOW + timedelta(minutes=20), sla_target="first", sla_state="running")
    # due 08:55 today: 65 business minutes ago
    make_ticket(due_at=NOW - timedelta(minutes=65), sla_target="next", sla_state="running")
    make_ticket(status="pending", due_at=None, sla_target="resolution", sla_state="paused")
    sign_in(client, make_agent())
    html = client.get("/agent/", headers={"Accept-Language": lang}).get_data(as_text=True)
    assert f'<span class="sla sla-warning">{soon}</span>' in html
    assert f'<span class="sla sla-breached">{late}</span>' in html
    assert {"sv": "Klockan står still medan vi väntar på kunden", "nb": "Klokken står stille mens vi venter på kunden",
            "en": "Clock paused while we wait for the customer"}[lang] in html


def test_overdue_lists_breached_running_targets_and_due_soon_the_next_two_business_hours(make_agent, make_ticket):
    agent = make_agent()
    breached = make_ticket(due_at=NOW - timedelta(minutes=1), sla_target="first", sla_state="running")
    soon = make_ticket(due_at=NOW + timedelta(minutes=110), sla_target="first", sla_state="running")
    # 15:00 today is 240 business minutes away (lunch 12-13 does not count): not soon
    later = make_ticket(due_at=NOW + timedelta(hours=5), sla_target="first", sla_state="running")
    waiting = make_ticket(status="pending", due_at=None, sla_target="resolution", sla_state="paused")

    def refs(view):
        return {t.reference for t in queues.queue_page(Filters(view=view), agent, now=NOW).tickets}
    assert refs("overdue") == {breached.reference}
    assert refs("due_soon") == {soon.reference}
    assert waiting.reference not in refs("overdue") | refs("due_soon") and later.reference in refs("all")


def test_ticket_page_keeps_the_record_of_targets_met_and_missed(client, app, make_agent, make_ticket, frozen):
    agent = make_agent()
    ticket = make_ticket()                                  # the customer wrote an hour ago
    operations.reply(ticket, agent, "Hej! Vi tittar på det.", version=ticket.version, now=NOW)
    sign_in(client, agent)
    html = client.get(f"/agent/tickets/{ticket.reference}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Första svar:\n          uppfyllt" in html
    assert "Klockan står still medan vi väntar på kunden" in html


def test_overview_charts_first_responses_met_per_queue_market_and_week(client, app, make_agent, make_ticket, frozen):
    agent, admin = make_agent(), make_agent(role="admin")
    in_time, late = make_ticket(), make_ticket(created_at=NOW - timedelta(days=2))     # 480 min: missed by now
    for ticket in (in_time, late):
        operations.reply(ticket, agent, "Hej!", version=ticket.version, now=NOW)
    sign_in(client, admin)
    html = client.get("/agent/overview", headers={"Accept-Language": "en"}).get_data(as_text=True)
    chart = html.split("Targets met per week")[1].split("</table>")[0]
    assert "<td>SE</td><td>Transport damage</td><td>First response</td>" in chart
    assert 'aria-label="1 of 2 met"' in chart


def test_a_merge_keeps_the_earlier_due_time_and_a_priority_change_moves_it(make_agent, make_ticket):
    agent = make_agent()
    source = make_ticket(due_at=NOW + timedelta(minutes=30), sla_target="first", sla_state="running")
    target = make_ticket(created_at=NOW - timedelta(minutes=10))
    operations.change(target, agent, {"priority": "high"}, version=target.version, now=NOW)
    # high: 240 business minutes from 09:50 in Stockholm, across lunch: 14:50 (13:50 UTC)
    assert (target.due_at, target.sla_target) == (NOW + timedelta(hours=4, minutes=50), "first")
    operations.merge(source, target, agent, version=source.version, now=NOW)
    assert (target.due_at, target.sla_target) == (NOW + timedelta(minutes=30), "first")
    assert (source.status, source.due_at) == ("closed", None)
    operations.change(target, agent, {"priority": "low"}, version=target.version, now=NOW)
    assert target.due_at == NOW + timedelta(minutes=30), "the merged customer's due time still wins"
