"""A notice on the ticket page when a colleague has the same ticket open or is writing a reply to it."""
from datetime import timedelta

import pytest
from flask_babel import force_locale

from support.agent import presence
from support.clock import utcnow

from .conftest import sign_in

SV = {"Accept-Language": "sv"}


def _poll(client, ticket, state="viewing", headers=SV):
    response = client.post(f"/agent/tickets/{ticket.reference}/presence", data={"state": state}, headers=headers)
    assert response.status_code == 200
    return response.get_json()["notice"]


def test_a_colleague_on_the_same_ticket_is_named_and_typing_shows(app, make_agent, make_ticket):
    ticket = make_ticket()
    anna, ola = make_agent(name="Anna Agent"), make_agent(name="Ola Nordmann")
    first, second = app.test_client(), app.test_client()
    sign_in(first, anna)
    sign_in(second, ola)
    page = first.get(f"/agent/tickets/{ticket.reference}", headers=SV).get_data(as_text=True)
    assert 'id="presence"' in page and "js/presence.js" in page and "ärendet öppet" not in page   # alone
    page = second.get(f"/agent/tickets/{ticket.reference}", headers=SV).get_data(as_text=True)
    assert "Anna Agent har också ärendet öppet." in page
    assert _poll(first, ticket) == "Ola Nordmann har också ärendet öppet."
    assert _poll(first, ticket, "replying") == "Ola Nordmann har också ärendet öppet."   # my own state: not shown
    assert _poll(second, ticket, headers={"Accept-Language": "nb"}) == "Anna Agent skriver et svar på saken nå."


def test_a_colleague_who_left_drops_out(app, make_agent, make_ticket):
    ticket, anna, ola = make_ticket(), make_agent(name="Anna Agent"), make_agent(name="Ola Nordmann")
    presence.seen(ticket, anna, "replying", now=utcnow() - timedelta(seconds=app.config["AGENT_PRESENCE_SECONDS"] + 1))
    assert presence.others(ticket, ola, now=utcnow()) == []
    presence.seen(ticket, anna, "viewing", now=utcnow())          # the same row, stamped again
    assert presence.others(ticket, ola, now=utcnow()) == [("Anna Agent", "viewing")]


def test_only_for_agents_of_the_tickets_market(client, make_agent, make_ticket):
    ticket = make_ticket(market="no")
    sign_in(client, make_agent(markets="se"))
    assert client.post(f"/agent/tickets/{ticket.reference}/presence", data={"state": "viewing"}).status_code == 404


def test_unknown_state_counts_as_viewing(app, make_agent, make_ticket):
    ticket, anna, ola = make_ticket(), make_agent(name="Anna Agent"), make_agent()
    presence.seen(ticket, anna, "<script>", now=utcnow())
    assert presence.others(ticket, ola, now=utcnow()) == [("Anna Agent", "viewing")]


@pytest.mark.parametrize("lang, colleagues, text", [
    ("en", [("Anna", "viewing"), ("Ola", "viewing")], "Anna and Ola also have this ticket open."),
    ("sv", [("Anna", "replying"), ("Ola", "viewing"), ("Per", "viewing")],
     "Anna skriver ett svar på ärendet just nu. Ola och Per har också ärendet öppet."),
    ("nb", [("Kari", "replying"), ("Ola", "replying")], "Kari og Ola skriver svar på saken nå."),
    ("en", [], None),
])
def test_notice_in_words(app, lang, colleagues, text):
    with app.test_request_context(), force_locale(lang):
        assert presence.notice(colleagues) == text
