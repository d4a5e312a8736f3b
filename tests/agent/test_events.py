"""The ticket page's audit events as sentences: one per action record_event() writes, in sv/nb/en, with names."""
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from support.agent import events
from support.tickets.models import Event

from .conftest import sign_in

OPERATIONS = Path(__file__).parents[2] / "support" / "tickets" / "operations.py"


class _Agent:
    def __init__(self, id, name, email):
        self.id, self.name, self.email = id, name, email


ANNA, OLA = _Agent(1, "Anna Agent", "anna@example.test"), _Agent(2, "Ola Nordmann", "ola@example.test")
NAMES = events.Names([ANNA, OLA])
BY_ANNA = {"agent_id": 1, "actor": "anna@example.test"}


def _event(action, data=None, **who):
    return Event(action=action, data=data or {}, **(who or {"agent_id": None, "actor": "system"}))


CASES = [  # (event, language, the sentence, why)
    (_event("created", {"category": "damage", "queue": "damage", "priority": "urgent", "channel": "web", "late": False},
            actor="customer"), "en",
     "Opened by the customer via the web form: Damage, queue Transport damage, priority Urgent.", "a web request"),
    (_event("created", {"category": "damage", "queue": "damage", "priority": "urgent", "channel": "email", "late": True},
            actor="customer"), "sv",
     "Ärendet skapades av kunden via e-post: Skada, kö Transportskador, prioritet Brådskande. "
     "Skadan anmäldes senare än 24 timmar efter leverans.", "a late damage mail, in Swedish"),
    (_event("acknowledgement-skipped", {"reason": "no sender address configured for market no"}), "nb",
     "Ingen bekreftelse ble sendt: ingen avsenderadresse er satt opp for marked NO.", "no sender address"),
    (_event("message", {"files": 2}, actor="customer"), "en", "New message from the customer, with 2 files.",
     "a customer message with files"),
    (_event("message", {"files": 0}, actor="customer"), "sv", "Nytt meddelande från kunden.", "without files"),
    (_event("reopened", {"from": "pending", "to": "open"}, actor="customer"), "en",
     "Reopened by a message from the customer (it was Waiting for customer).", "a reply reopens"),
    (_event("mail-copy", {"mailbox": "orders@example.se", "also_at": "support@example.se"}, actor="kund@firma.se"),
     "en", "The same e-mail from kund@firma.se also arrived at orders@example.se; it was recorded here, not as a "
     "new ticket.", "a copy to a second mailbox"),
    (_event("bounce", {"reason": "auto-submitted", "from": "mailer-daemon@x.se", "subject": "Undeliverable"}), "en",
     "An automatic reply or delivery report about our e-mail arrived from mailer-daemon@x.se (auto-submitted).",
     "a bounce"),
    (_event("replied", {"to": "kund@firma.se", "language": "sv"}, **BY_ANNA), "sv",
     "Svar skickat till kund@firma.se av Anna Agent.", "an agent's reply names the agent, not the address"),
    (_event("note", {}, **BY_ANNA), "nb", "Internt notat lagt til av Anna Agent.", "a note"),
    (_event("status", {"from": "new", "to": "pending"}, **BY_ANNA), "en",
     "Status changed from New to Waiting for customer by Anna Agent.", "status"),
    (_event("priority", {"from": "normal", "to": "urgent"}, **BY_ANNA), "sv",
     "Prioritet ändrad från Normal till Brådskande av Anna Agent.", "priority"),
    (_event("queue", {"from": "damage", "to": "general"}, **BY_ANNA), "nb",
     "Flyttet fra køen Transportskader til Generelt av Anna Agent.", "queue"),
    (_event("category", {"from": "damage", "to": "other"}, **BY_ANNA), "en",
     "Category changed from Damage to Other by Anna Agent.", "category"),
    (_event("assigned", {"from": None, "to": "ola@example.test"}, **BY_ANNA), "en",
     "Assigned to Ola Nordmann by Anna Agent.", "assigned: names, not e-mails"),
    (_event("assigned", {"from": "ola@example.test", "to": "anna@example.test"}, **BY_ANNA), "sv",
     "Omfördelat från Ola Nordmann till Anna Agent av Anna Agent.", "reassigned"),
    (_event("assigned", {"from": "ola@example.test", "to": None}, **BY_ANNA), "en",
     "Unassigned (it was Ola Nordmann) by Anna Agent.", "unassigned"),
    (_event("merged", {"into": "SE-000002", "messages": [1, 2], "attachments": []}, **BY_ANNA), "en",
     "Merged into SE-000002 by Anna Agent.", "merged away; the id lists are not shown"),
    (_event("merged_from", {"source": "SE-000001", "messages": [1]}, **BY_ANNA), "nb",
     "SE-000001 ble slått sammen med denne saken av Anna Agent.", "merged in"),
    (_event("suggestion_used", {"entry": "cancel-order"}, **BY_ANNA), "sv",
     "Anna Agent använde FAQ-svaret ”Hur makulerar jag en order?” i svaret till kunden.",
     "a suggestion used: the entry's question in the agent's language"),
    (_event("suggestion_used", {"entry": "cancel-order"}, **BY_ANNA), "nb",
     "Anna Agent brukte FAQ-svaret «Hvordan kansellerer jeg en ordre?» i svaret til kunden.",
     "the same in Norwegian"),
    (_event("suggestion_used", {"entry": "gone-entry"}, **BY_ANNA), "en",
     "Anna Agent used the suggested FAQ answer “gone-entry” in the reply.",
     "an entry removed from the FAQ since: its slug"),
    (_event("carrier-claimed", {"mailbox": "support@example.se", "ids": [3]}, **BY_ANNA), "en",
     "Carrier claimed, by Anna Agent. (mailbox: support@example.se)", "an unknown action: generic"),
    (_event("held", {}, agent_id=99, actor="gone@example.test"), "en", "Held, by gone@example.test.",
     "an agent no longer in the table: the address recorded"),
]


@pytest.mark.parametrize("event, lang, expected, why", CASES, ids=[c[3] for c in CASES])
def test_sentence(app, event, lang, expected, why):
    with app.test_request_context(), force_locale(lang):
        assert events.sentence(event, NAMES) == expected, why


def test_every_action_record_event_writes_has_its_own_sentence():
    written = set(re.findall(r'record_event\(\w+, "([\w-]+)"', OPERATIONS.read_text(encoding="utf-8")))
    assert {"created", "replied", "merged"} <= written
    assert written - set(events._SENTENCES) == set(), "add a sentence to support/agent/events.py"
    assert set(events.FIELDS) == {"status", "priority", "queue", "category"}    # _set() records these by name


def test_ticket_page_shows_sentences_not_codes(client, make_agent, make_ticket):
    ticket, agent = make_ticket(), make_agent(name="Anna Agent")
    sign_in(client, agent)
    client.post(f"/agent/tickets/{ticket.reference}/change", data={
        "version": ticket.version, "status": "pending", "priority": "normal", "queue": "damage", "category": "damage"})
    page = client.get(f"/agent/tickets/{ticket.reference}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Status ändrad från Ny till Väntar på kund av Anna Agent." in page
    assert "from=" not in page and "to=pending" not in page
