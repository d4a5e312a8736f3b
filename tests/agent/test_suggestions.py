"""FAQ suggestions on the ticket page (issue 18, item 4) and the deflection figure on the overview (item 5).

With the real FAQ content and tickets that come in as real e-mail through intake: the page suggests the entry
in the ticket's language with its market's facts filled in and its link; a reply carrying the inserted slug
records "suggestion_used" (forged slugs ignored); the overview and its CSV count the three ways the FAQ settles
a request.
"""
import html
import re
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from sqlalchemy import select

from support import clock
from support.extensions import db
from support.faq.feedback import record_signal
from support.mail.ingest import ingest
from support.tickets import operations
from support.tickets.models import Event, Ticket

from .conftest import sign_in

FROZEN = "2026-03-11T10:00:00+01:00"           # a Wednesday morning; the overview's days do not straddle midnight
MAILBOXES = {"support-se@example.test": {"market": "se", "queue": "general"},
             "support-no@example.test": {"market": "no", "queue": "general"}}
NORWEGIAN = "Hei, vi la inn en ordre på mandag, og den er fortsatt ikke sendt. Hvorfor?"
SWEDISH = "Hej, jag kommer inte in i webbshoppen längre, lösenordet verkar inte fungera. Hur får jag ett nytt?"


@pytest.fixture
def app_config(app_config):
    """The real FAQ (not the agent tests' tiny one), two support mailboxes, and a frozen clock."""
    config = {k: v for k, v in app_config.items() if k != "FAQ_PATH"}
    return {**config, "MAILBOXES": MAILBOXES, "FROZEN_NOW": FROZEN, "PUBLIC_URL": "https://support.example.test",
            "MARKET_OVERRIDES": {"no": {"support_email": "support-no@example.test"}}}


def mail_in(to: str, subject: str, body: str, sender: str = "Kari Kunde <kari@kunde.no>") -> Ticket:
    """One customer e-mail through the real intake (parse, loop guard, classify, open_ticket)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"], msg["Message-ID"] = sender, to, subject, make_msgid(domain="kunde.no")
    msg.set_content(body)
    outcome = ingest(bytes(msg), now=clock.now())
    assert outcome.action == "created", outcome
    return db.session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))


def suggestions_on(page: str) -> list[tuple[str, str]]:
    """(slug, text Insert puts into the reply) of each suggestion on a ticket page."""
    return [(slug, html.unescape(text)) for slug, text in re.findall(
        r'name="insert" value="([\w-]+)"\s+data-text="([^"]*)"', page)]


def question(app, slug, lang):
    return app.extensions["faq"].entries[slug].text(lang).question


def test_mailed_in_norwegian_question_gets_the_norwegian_answer_with_norways_facts(app, client, make_agent):
    ticket = mail_in("support-no@example.test", "Ordren er ikke sendt ennå", NORWEGIAN)
    assert (ticket.market, ticket.language) == ("no", "nb")
    sign_in(client, make_agent(markets="no"))
    page = client.get(f"/agent/tickets/{ticket.reference}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    found = suggestions_on(page)
    assert found and found[0][0] == "order-not-shipped", found
    assert question(app, "order-not-shipped", "nb") in page          # the ticket's language, not the agent's (en)
    assert question(app, "order-not-shipped", "sv") not in page
    text = found[0][1]
    assert text.startswith("Det kan være flere årsaker")
    # Norway's cut-off times as a Norwegian reads them, though the agent works in English (who would see "14:00")
    assert "kl. 14.00, for BID-ordrer kl. 13.00" in text
    assert text.endswith("\n\nhttps://support.example.test/nb/faq/order-not-shipped"), "the public link"
    assert len(found) <= 3
    for _slug, each in found:
        assert not re.search(r"\{\w+\}", each), "no unfilled market fact"


def test_mailed_in_swedish_question_gets_the_swedish_answer(app, client, make_agent):
    ticket = mail_in("support-se@example.test", "Inloggning", SWEDISH, sender="Sven Kund <sven@kund.se>")
    assert (ticket.market, ticket.language) == ("se", "sv")
    sign_in(client, make_agent())
    page = client.get(f"/agent/tickets/{ticket.reference}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    found = suggestions_on(page)
    assert found and found[0][0] == "forgot-password", found
    assert question(app, "forgot-password", "sv") in page
    assert "Klicka på ”Forgot your password”" in found[0][1]
    assert found[0][1].endswith("https://support.example.test/sv/faq/forgot-password")


def test_english_ticket_of_the_norwegian_market_links_with_its_market(app, client, make_agent):
    """An English customer of Ingram Micro Norway: the link says market=no (English alone implies Sweden)."""
    ticket = mail_in("support-no@example.test", "Order not shipped",
                     "Hello, we ordered yesterday morning but the order has still not been shipped. Why is that?",
                     sender="John <john@firm.no>")
    if ticket.language != "en":
        pytest.fail(f"intake read the English mail as {ticket.language}")
    sign_in(client, make_agent(markets="no"))
    found = suggestions_on(client.get(f"/agent/tickets/{ticket.reference}").get_data(as_text=True))
    assert found[0][1].endswith("https://support.example.test/en/faq/order-not-shipped?market=no")


def reply(client, ticket, body, suggestions=None):
    data = {"version": ticket.version, "body": body, "status": "pending"}
    if suggestions is not None:
        data["suggestions"] = suggestions
    return client.post(f"/agent/tickets/{ticket.reference}/reply", data=data)


def used(ticket):
    return [e.data for e in db.session.scalars(select(Event).where(Event.ticket_id == ticket.id,
                                                                   Event.action == "suggestion_used"))]


def test_reply_with_the_inserted_slug_records_suggestion_used(app, client, make_agent):
    ticket = mail_in("support-no@example.test", "Ordren er ikke sendt ennå", NORWEGIAN)
    agent = make_agent(markets="no", name="Ola Agent")
    sign_in(client, agent)
    text = suggestions_on(client.get(f"/agent/tickets/{ticket.reference}").get_data(as_text=True))[0][1]
    assert reply(client, ticket, "Hei Kari!\n\n" + text, "order-not-shipped").status_code == 302
    db.session.expire_all()
    assert used(ticket) == [{"entry": "order-not-shipped"}]
    event = db.session.scalar(select(Event).where(Event.action == "suggestion_used"))
    assert event.agent_id == agent.id
    page = client.get(f"/agent/tickets/{ticket.reference}", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert "Ola Agent brukte FAQ-svaret «Hvorfor er ikke ordren min sendt ennå?» i svaret til kunden." in page


@pytest.mark.parametrize("field, expected, why", [
    ("no-such-entry", [], "an unknown slug"),
    ("order-not-shipped ../../etc/passwd <script>x</script> ORDER-NOT-SHIPPED", [{"entry": "order-not-shipped"}],
     "forged ones beside a real one: only the real one"),
    ("order-not-shipped order-not-shipped", [{"entry": "order-not-shipped"}], "the same one twice counts once"),
    ("order-not-shipped forgot-password", [{"entry": "order-not-shipped"}, {"entry": "forgot-password"}],
     "two inserted answers"),
    ("x" * 5000, [], "a huge value"),
    ("", [], "nothing inserted"),
    (None, [], "no field at all (an older page)"),
])
def test_forged_slugs_are_ignored_and_the_reply_still_goes(app, client, make_agent, field, expected, why):
    ticket = mail_in("support-no@example.test", "Ordren er ikke sendt ennå", NORWEGIAN)
    sign_in(client, make_agent(markets="no"))
    response = reply(client, ticket, "Hei! Her er svaret.", field)
    assert response.status_code == 302, why
    db.session.expire_all()
    assert used(ticket) == expected, why
    assert db.session.scalar(select(Event).where(Event.ticket_id == ticket.id, Event.action == "replied")), why


def test_insert_without_javascript_fills_the_reply_on_the_server(app, client, make_agent):
    ticket = mail_in("support-no@example.test", "Ordren er ikke sendt ennå", NORWEGIAN)
    sign_in(client, make_agent(markets="no"))
    page = client.get(f"/agent/tickets/{ticket.reference}?insert=order-not-shipped").get_data(as_text=True)
    box = html.unescape(re.search(r'<textarea[^>]*id="reply-body"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert "kl. 14.00" in box and box.strip().endswith("/nb/faq/order-not-shipped")
    assert re.search(r'id="reply-suggestions"[^>]*value="order-not-shipped"', page) or \
        re.search(r'value="order-not-shipped"[^>]*id="reply-suggestions"', page)
    forged = client.get(f"/agent/tickets/{ticket.reference}?insert=../../x")
    assert forged.status_code == 200
    assert re.search(r'<textarea[^>]*id="reply-body"[^>]*>\s*</textarea>', forged.get_data(as_text=True))


def test_overview_counts_deflections_and_suggestion_use(app, client, make_agent):
    now = clock.now()
    one = mail_in("support-no@example.test", "Ordren er ikke sendt ennå", NORWEGIAN)
    two = mail_in("support-se@example.test", "Inloggning", SWEDISH, sender="Sven <sven@kund.se>")
    three = mail_in("support-se@example.test", "Faktura", "Hej, var hittar jag mina fakturor?", sender="a@kund.se")
    mail_in("support-se@example.test", "Retur", "Hej, vi vill skicka tillbaka en dator.", sender="b@kund.se")
    agent = make_agent(role="admin")
    for _ in range(2):                       # the form's panel: two customers who never sent the form
        record_signal("deflected", "glömt lösenord", "sv", "forgot-password")
    record_signal("no_answer", "swish", "sv")                      # not a deflection
    # the acknowledgement's link (item 3, another module): counted by its action name
    operations.record_event(three, "solved_by_answer", now, actor="customer", entry="find-invoices")
    db.session.commit()
    operations.reply(one, agent, "Svar 1", version=one.version, now=now, suggestions=["order-not-shipped"])
    operations.reply(two, agent, "Svar 2", version=two.version, now=now,
                     suggestions=["forgot-password", "change-email"])          # one reply, two answers: once
    operations.reply(two, agent, "Svar 3", version=two.version, now=now)      # without a suggestion
    sign_in(client, agent)
    page = client.get("/agent/overview").get_data(as_text=True)
    section = page.split('id="deflection"')[1].split("</section>")[0]
    # settled: 2 (panel) + 1 (link) + 2 (replies with a suggestion); requests: 4 tickets + 2 panel deflections
    assert "5 of 6 requests (83%) in the last 14 days" in section, section
    assert "Solved on the request form, while typing: 2" in section
    assert "“This solved it” in the acknowledgement: 1" in section
    assert "Replies with a suggested answer: 2" in section
    assert "Replies that used a suggested FAQ answer: 2 of 3 (67%)" in section
    today = clock.utcnow().strftime("%Y-%m-%d")
    assert f"{today}: 5 of 6." in section, "the chart's description names the day"
    assert section.count('class="bar-panel"') == 1 and section.count('class="bar-suggested"') == 1

    csv = client.get("/agent/overview.csv", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"{today},2,1,2,5,6" in csv
    assert "Replies that used a suggested FAQ answer,2" in csv and "All replies,3" in csv


def test_overview_without_requests_or_replies_says_so(app, client, make_agent):
    sign_in(client, make_agent(role="admin"))
    page = client.get("/agent/overview", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Inga frågor de senaste 14 dagarna." in page and "Inga svar de senaste 14 dagarna." in page


def test_the_query_is_what_the_customer_wrote_not_quotes_signatures_or_our_replies():
    from support.agent.suggestions import ticket_text
    from support.tickets.models import Message
    ticket = Ticket(subject="Lösenord", messages=[
        Message(kind="customer", body_text="Hej, jag har tappat bort det.\n\n-- \nSven Kund\nKund AB, 08-123 45"),
        Message(kind="reply", body_text="Hej Sven! Klicka på länken."),
        Message(kind="customer", body_text="Det fungerar inte.\n> Hej Sven! Klicka på länken.\n>> äldre citat")])
    assert ticket_text(ticket) == "Lösenord Hej, jag har tappat bort det. Det fungerar inte."
