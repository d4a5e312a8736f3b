"""The FAQ answer in the acknowledgement and its "this solved it" link (issue 18, item 3).

End to end on a real SMTP server (aiosmtpd): a mail ingested as mail intake does, or a web form posted, gets an
acknowledgement with the FAQ entry's question, the first paragraph of its answer, the entry's link and a signed
link that resolves the ticket; cancellations and damage reports never get one; a forged link changes nothing;
any later customer message reopens the ticket.
"""
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy import select

from support.agent import accounts, events
from support.extensions import db
from support.faq import lookup, presenting
from support.faq.catalog import fill
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.markets import LANGUAGES
from support.outbox import OutboxMail, sender
from support.tickets import answers
from support.tickets.models import Event, Ticket
from support.tickets.operations import Draft, open_ticket

from ..mail.conftest import build
from ..conftest import running
from .conftest import form_fields

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)          # 10:00 in Stockholm and Oslo, a working Monday
SE_SUPPORT, NO_SUPPORT = "support-se@ingrammicro.com", "support-no@example.com"
PUBLIC = "https://support.example.com"
FORGOT = "Hej, jag har glömt mitt lösenord till webbshoppen, hur gör jag?"
# the forgot-password entry (content/faq.yaml) as the customer reads it
SV_QUESTION, SV_ANSWER = "Jag har glömt mitt lösenord. Vad gör jag?", "Klicka på ”Forgot your password” när du är utloggad."
NB_QUESTION, NB_ANSWER = "Jeg har glemt passordet mitt. Hva gjør jeg?", "Klikk på «Forgot your password» når du er logget ut."


@pytest.fixture
def app_config(app_config, smtp_settings):
    return {**app_config, **smtp_settings, "PUBLIC_URL": PUBLIC, "FROZEN_NOW": NOW.isoformat(),
            "MAILBOXES": {SE_SUPPORT: {"market": "se", "queue": "general"},
                          NO_SUPPORT: {"market": "no", "queue": "general"}}}


def delivered(smtp, recipient):
    """The mails the SMTP server received for one address, after the outbox was sent."""
    assert sender.send_due(now=NOW).failed == 0
    return [m for m in smtp.messages if m["To"] == recipient]


def _part(mail, content_type: str) -> str:
    part = next(p for p in mail.walk() if p.get_content_type() == content_type)
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8").replace("\r\n", "\n")


def text_of(mail) -> str:
    return _part(mail, "text/plain")


def html_of(mail) -> str:
    return _part(mail, "text/html")


def solved_link(text: str) -> str:
    """The path and query of the "this solved it" link in a mail's text."""
    [url] = re.findall(r"https://support\.example\.com(/\w\w/ticket/[A-Z]{2}-\d{6}/solved\?token=\S+)", text)
    return url


def ticket_of(ref: str) -> Ticket:
    db.session.expire_all()
    return db.session.scalar(select(Ticket).filter_by(reference=ref))


def actions(ticket: Ticket) -> list[str]:
    return [e.action for e in sorted(ticket.events, key=lambda e: e.id)]


# --- the Swedish e-mail ---

def test_a_swedish_mail_about_a_forgotten_password_gets_the_answer_and_a_link_that_resolves_it(app, client, smtp):
    out = ingest(build(sender="Anna Kund <anna@kund.example>", to=SE_SUPPORT, subject="Lösenord", body=FORGOT),
                 now=NOW)
    assert (out.action, out.category) == ("created", "other")
    [mail] = delivered(smtp, "anna@kund.example")
    text, html = text_of(mail), html_of(mail)
    assert SV_QUESTION in text and SV_ANSWER in text
    assert f"Läs hela svaret: {PUBLIC}/sv/faq/forgot-password\n" in text
    assert f'<a href="{PUBLIC}/sv/faq/forgot-password">Läs hela svaret</a>' in html and SV_ANSWER in html
    assert "{" not in text
    ticket = ticket_of(out.ticket)
    [offered] = [e for e in ticket.events if e.action == "answer_offered"]
    assert offered.data == {"entry": "forgot-password"}

    link = solved_link(text)
    page = client.get(link)                    # what a mail scanner's prefetch does: nothing changes
    assert page.status_code == 200 and "Fick du svar på din fråga?" in page.get_data(as_text=True)
    assert ticket_of(out.ticket).status == "new"
    done = client.post(link, follow_redirects=True)
    assert done.status_code == 200 and f"Tack! Ärende {out.ticket} är avslutat" in done.get_data(as_text=True)
    ticket = ticket_of(out.ticket)
    assert ticket.status == "resolved" and ticket.resolved_at is not None and ticket.due_at is None
    [solved] = [e for e in ticket.events if e.action == "solved_by_answer"]
    assert (solved.actor, solved.data) == ("customer", {"entry": "forgot-password"})

    again = client.post(link)                  # a second click: a friendly page, no second event
    assert again.status_code == 200 and f"Ärende {out.ticket} är redan avslutat" in again.get_data(as_text=True)
    assert actions(ticket_of(out.ticket)).count("solved_by_answer") == 1

    # the customer writes again: the ticket reopens, and its service-level clock runs again
    reply = ingest(build(sender="Anna Kund <anna@kund.example>", to=SE_SUPPORT, subject=f"Re: Lösenord [{out.ticket}]",
                         body="Det fungerade inte, jag får inget mejl.",
                         headers={"In-Reply-To": "".join(mail["Message-ID"].split())}), now=NOW + timedelta(minutes=30))
    assert (reply.action, reply.ticket) == ("appended", out.ticket)
    ticket = ticket_of(out.ticket)
    assert ticket.status == "open" and ticket.resolved_at is None and ticket.due_at is not None
    assert actions(ticket)[-2:] == ["message", "reopened"]


@pytest.mark.parametrize("subject, body, category", [
    ("Skadad leverans order 12-34567-89", f"{FORGOT} Kartongen var trasig.", "damage"),
    ("Avbeställning", FORGOT, "cancellation"),
    ("Transportskada", "Hej, leveransen kom i morse och två skärmar var krossade. Hur anmäler jag en transportskada?",
     "damage"),
    ("Avboka order 12-34567-89", "Hej, vi vill avboka order 12-34567-89 innan den packas.", "cancellation"),
], ids=["damage, with a question the FAQ answers (forgot-password, were it a general question)",
        "a cancellation, with such a question", "a plain damage report", "a plain cancellation"])
def test_a_damage_report_or_a_cancellation_by_mail_never_gets_an_answer(app, smtp, subject, body, category):
    if FORGOT in body:          # the premise: as a general question, this text would get the answer
        assert lookup.find(answers.question_text(subject, body), "sv").answer == "forgot-password"
    out = ingest(build(sender="kund@foretag.se", to=SE_SUPPORT, subject=subject, body=body), now=NOW)
    assert (out.action, out.category) == ("created", category)
    [mail] = delivered(smtp, "kund@foretag.se")                   # acknowledged, as every request is
    assert "/solved?token=" not in text_of(mail) and "Det här kanske redan besvarar din fråga" not in text_of(mail)
    assert "answer_offered" not in actions(ticket_of(out.ticket))


def test_automated_mail_gets_no_acknowledgement_and_so_no_answer(app, smtp):
    out = ingest(build(sender="kund@foretag.se", to=SE_SUPPORT, subject="Lösenord", body=FORGOT,
                       headers={"Auto-Submitted": "auto-replied"}), now=NOW)
    assert out.ticket is None or "answer_offered" not in actions(ticket_of(out.ticket))
    assert delivered(smtp, "kund@foretag.se") == []


def test_past_the_acknowledgement_limit_no_answer_is_offered_either(app, smtp):
    app.config["MAIL_ACK_LIMIT"] = 1
    refs = [ingest(build(sender="kund@foretag.se", to=SE_SUPPORT, subject="Lösenord", body=f"{FORGOT} ({n})"),
                   now=NOW).ticket for n in range(2)]
    assert [actions(ticket_of(r)) for r in refs] == [["created", "answer_offered"],
                                                     ["created", "acknowledgement-skipped"]]
    assert len(delivered(smtp, "kund@foretag.se")) == 1


def test_a_mailed_question_with_a_photo_writes_every_row_once_and_the_offer_is_signed_for_its_reference(app, jpeg):
    """The FAQ lookup runs before the reference is allocated (open_ticket keeps the SQLite write lock short), the
    links after it: the offer's token names the ticket's own reference, and the rows are the ones intake wrote
    before (ticket, message, photo, events in order, acknowledgement, stored mail linked to both, index row)."""
    raw = build(sender="Anna Kund <anna@kund.example>", to=SE_SUPPORT, subject="Lösenord", body=FORGOT,
                attachments=[("skärm.jpg", jpeg, "image/jpeg")])
    out = ingest(raw, now=NOW)
    ticket = ticket_of(out.ticket)
    [message] = ticket.messages
    [photo] = ticket.attachments
    assert (photo.message_id, photo.original_name, photo.mime_type) == (message.id, "skärm.jpg", "image/jpeg")
    assert [(e.action, e.actor, e.data.get("entry")) for e in sorted(ticket.events, key=lambda e: e.id)] == [
        ("created", "customer", None), ("answer_offered", "system", "forgot-password")]
    [inbound] = db.session.scalars(select(InboundMail)).all()
    assert (inbound.raw, inbound.ticket_id, inbound.action, message.inbound_id) == (raw, ticket.id, "created",
                                                                                    inbound.id)
    [ack] = db.session.scalars(select(OutboxMail)).all()
    assert (ack.ticket_id, ack.kind, ack.recipient) == (ticket.id, "acknowledgement", "anna@kund.example")
    assert ack.subject.startswith(f"[{ticket.reference}]") and SV_QUESTION in ack.body_text
    token = solved_link(ack.body_text).split("token=")[1]
    assert answers.read_token(token, ticket.reference) == answers.Claim(ticket.reference, "forgot-password")
    table = "ticket_search" if db.engine.dialect.name == "postgresql" else "ticket_fts"
    key = "ticket_id" if table == "ticket_search" else "rowid"
    assert db.session.execute(sa.text(f"SELECT {key} FROM {table}")).scalars().all() == [ticket.id]


# --- the Norwegian web request ---

def test_a_norwegian_web_question_gets_the_norwegian_answer_and_the_link_resolves_it(app, client, smtp):
    response = client.post("/nb/contact/other", data=form_fields(
        "other", market="no", language="nb", email="ola@kunde.example", subject="Passord",
        description="Hei, jeg har glemt passordet til nettbutikken. Hvordan får jeg nytt?"))
    assert response.status_code == 302, response.get_data(as_text=True)
    [mail] = delivered(smtp, "ola@kunde.example")
    text = text_of(mail)
    assert NB_QUESTION in text and NB_ANSWER in text
    assert re.search(r"Les hele svaret: http://localhost/nb/faq/forgot-password\n", text)   # the request's host
    ref = db.session.scalar(select(Ticket.reference))
    assert ref.startswith("NO-")
    link = re.search(r"http://localhost(/nb/ticket/NO-\d{6}/solved\?token=\S+)", text).group(1)

    page = client.get(link).get_data(as_text=True)
    assert "Fikk du svar på spørsmålet ditt?" in page and NB_QUESTION in page
    assert ticket_of(ref).status == "new"
    client.post(link)
    assert ticket_of(ref).status == "resolved"

    key = re.search(r"/nb/ticket/NO-\d{6}\?key=(\w+)", text).group(1)
    later = client.post(f"/nb/ticket/{ref}?key={key}", data={"body": "Jeg fikk ingen e-post, kan dere hjelpe?"})
    assert later.status_code == 302
    ticket = ticket_of(ref)
    assert ticket.status == "open" and actions(ticket)[-1] == "reopened"


def test_an_english_customer_of_norway_gets_the_entry_with_norways_facts(app, smtp):
    ticket = open_ticket(Draft(market="no", language="en", channel="email", category="other", subject="Cut-off",
                               body="What is the latest time I can place an order and still get it shipped today?",
                               customer_email="kari@kunde.example"), now=NOW, reply_from=NO_SUPPORT)
    [mail] = delivered(smtp, "kari@kunde.example")
    assert f"{PUBLIC}/en/faq/order-cutoff-time?market=no" in text_of(mail)
    assert actions(ticket)[-1] == "answer_offered"


# --- which requests get an answer ---

@pytest.mark.parametrize("category, lang, market, body, entry, why", [
    ("other", "sv", "se", FORGOT, "forgot-password", "a general question the FAQ answers"),
    ("stuck-order", "sv", "se", "Hej! Varför har min order inte skickats än? Jag beställde i går.",
     "order-not-shipped", "a stuck-order question the FAQ answers"),
    ("damage", "sv", "se", FORGOT, None, "never for a damage report, whatever its text"),
    ("cancellation", "sv", "se", FORGOT, None, "never for a cancellation, whatever its text"),
    ("other", "sv", "se", "Hej, jag undrar över en sak med vår leverantör av kaffe till kontoret.", None,
     "no confident answer: none"),
    ("other", "nb", "no", "Hei, jeg har glemt passordet til nettbutikken. Hvordan får jeg nytt?", "forgot-password",
     "Norwegian"),
    ("other", "nb", "no", FORGOT, None, "a Swedish text on a Norwegian ticket: no answer the customer reads"),
    ("other", "sv", "se", "Hej, kan jag avboka min order innan den packas?", None,
     "an entry never offered: cancel-order (ACK_ANSWER_EXCLUDED)"),
])
def test_which_requests_get_an_answer(app, category, lang, market, body, entry, why):
    draft = Draft(market=market, language=lang, channel="email", category=category, subject="Fråga", body=body,
                  customer_email="kund@example.se", delivered_at=NOW - timedelta(hours=1))
    ticket = open_ticket(draft, now=NOW, reply_from=SE_SUPPORT)
    offered = [e.data["entry"] for e in ticket.events if e.action == "answer_offered"]
    assert offered == ([entry] if entry else []), why


def test_only_an_answer_by_the_surest_rules_is_mailed(app):
    """The acknowledgement offers what the search answers by ACK_ANSWER_RULES only: by another rule, the results
    page shows it beside the list, and the mail offers nothing."""
    assert lookup.find(answers.question_text("Fråga", FORGOT), "sv").answered_by == "cover"
    app.config["ACK_ANSWER_RULES"] = ("strong",)
    draft = Draft(market="se", language="sv", channel="email", category="other", subject="Fråga", body=FORGOT,
                  customer_email="kund@example.se", delivered_at=NOW - timedelta(hours=1))
    ticket = open_ticket(draft, now=NOW, reply_from=SE_SUPPORT)
    assert "answer_offered" not in actions(ticket)


@pytest.mark.parametrize("subject, body, expected", [
    ("Lösenord", "Hej, jag har glömt mitt lösenord.\n\nMed vänliga hälsningar\nAnna Andersson\n08-123 45 67",
     "Lösenord\nHej, jag har glömt mitt lösenord."),
    ("Passord", "Hei, glemt passord\nMvh Ola", "Passord\nHei, glemt passord"),
    ("Password", "Forgot my password.\nKind regards,\nKate\nACME Ltd", "Password\nForgot my password."),
    ("Order 1 is stuck", "Order 1 is stuck", "Order 1 is stuck"),
    ("", "Hilsen fra oss på lageret: hvorfor er ordren ikke sendt når vi bestilte før klokka to?",
     "Hilsen fra oss på lageret: hvorfor er ordren ikke sendt når vi bestilte før klokka to?"),
    ("Fakturakopior", "Hej, var hittar jag fakturorna för oktober?\n\nPatrik Lind\nLind Konsult AB\n070-123 45 67",
     "Fakturakopior\nHej, var hittar jag fakturorna för oktober?"),
    ("Retur", "Hej!\n\nHur gör jag en retur", "Retur\nHej!\n\nHur gör jag en retur"),
], ids=["a Swedish sign-off", "mvh on its line", "an English sign-off", "a stuck-order form's repeated subject",
        "a long line that starts like a sign-off is part of the question",
        "a signature block without a sign-off", "a short last paragraph that asks is no signature"])
def test_question_text(subject, body, expected):
    assert answers.question_text(subject, body) == expected


def test_the_search_is_asked_without_the_signature_under_the_question(app):
    signed = f"{FORGOT}\n\nMed vänliga hälsningar\nAnna Andersson\nKundföretaget AB\n08-123 45 67"
    ticket = open_ticket(Draft(market="se", language="sv", channel="email", category="other", subject="Lösenord",
                               body=signed, customer_email="anna@kund.example"), now=NOW, reply_from=SE_SUPPORT)
    assert actions(ticket)[-1] == "answer_offered"


def test_no_first_paragraph_of_any_entry_leaves_a_market_fact_unfilled(app):
    catalog = app.extensions["faq"]
    for market in app.extensions["markets"].values():
        for lang in LANGUAGES:
            with app.test_request_context(), force_locale(lang):
                values = presenting.market_values(market)
            for entry in catalog.entries.values():
                first = answers.first_paragraph(fill(entry.text(lang).answer, values))
                lines = [line for block in first for line in block.lines]
                assert lines, (entry.slug, lang, market.code)
                assert not any(re.search(r"[{}]|kl\. ,|kl\. \)", line) for line in lines), (entry.slug, lang, market)


def test_a_paragraph_that_opens_a_list_comes_with_its_list():
    first = answers.first_paragraph("Det kan finnas flera orsaker, till exempel att:\n- en\n- två\n\nSista stycket.")
    assert [(b.kind, b.lines) for b in first] == [("p", ("Det kan finnas flera orsaker, till exempel att:",)),
                                                  ("ul", ("en", "två"))]
    assert [b.kind for b in answers.first_paragraph("Ett.\n\n- lista")] == ["p"]


# --- the link: forged, changed, expired, already closed ---

@pytest.fixture
def offered(app):
    """A Swedish ticket whose acknowledgement carried the forgot-password answer, and its link."""
    ticket = open_ticket(Draft(market="se", language="sv", channel="email", category="other", subject="Lösenord",
                               body=FORGOT, customer_email="anna@kund.example"), now=NOW, reply_from=SE_SUPPORT)
    return ticket.reference, f"/sv/ticket/{ticket.reference}/solved?token={answers.solved_token(ticket, 'forgot-password')}"


def _unchanged(ref):
    ticket = ticket_of(ref)
    assert ticket.status == "new" and "solved_by_answer" not in actions(ticket)


@pytest.mark.parametrize("change, why", [
    (lambda link: link[:-3] + ("abc" if not link.endswith("abc") else "xyz"), "the signature changed"),
    (lambda link: link.split("?")[0] + "?token=", "no token"),
    (lambda link: link.split("?")[0], "no token parameter at all"),
    (lambda link: link.split("?")[0] + "?token=..%ff!!%22", "garbage"),
    (lambda link: link.split("?")[0] + "?token=" + "A" * 5000, "a very long token"),
])
def test_a_forged_or_changed_link_changes_nothing_and_says_so_in_the_customers_language(client, offered,
                                                                                       change, why):
    ref, link = offered
    for method in (client.get, client.post):
        response = method(change(link))
        assert response.status_code == 404, why
        assert "Länken fungerar inte" in response.get_data(as_text=True), why
    _unchanged(ref)


def test_a_link_of_another_ticket_or_another_entry_opens_nothing(app, client, offered):
    ref, link = offered
    other = open_ticket(Draft(market="se", language="sv", channel="email", category="other", subject="Faktura",
                              body="Hej, jag undrar över en faktura.", customer_email="bo@kund.example"),
                        now=NOW, reply_from=SE_SUPPORT)
    token = link.split("token=")[1]
    # a genuine token, on the URL of another ticket
    assert client.post(f"/sv/ticket/{other.reference}/solved?token={token}").status_code == 404
    # a token we signed, but for an entry the ticket was never offered
    wrong = answers.solved_token(ticket_of(ref), "find-invoices")
    response = client.post(f"/nb/ticket/{ref}/solved?token={wrong}")
    assert response.status_code == 404 and "Lenken virker ikke" in response.get_data(as_text=True)
    # signed by us, but not the shape of a claim
    for odd in (["SE-000001", "forgot-password"], {"ref": ref}, {"ref": ref, "entry": 7}):
        assert client.post(f"/sv/ticket/{ref}/solved?token={answers._serializer().dumps(odd)}").status_code == 404
    _unchanged(ref)
    assert ticket_of(other.reference).status == "new"


def test_a_token_signed_with_another_key_opens_nothing(app, client, offered):
    ref, link = offered
    app.config["SECRET_KEY"] = "another-secret"
    assert client.post(link).status_code == 404
    _unchanged(ref)


def test_an_old_link_has_expired(app, client, offered):
    ref, link = offered
    app.config["FROZEN_NOW"] = (NOW + timedelta(days=app.config["ACK_ANSWER_LINK_DAYS"], minutes=1)).isoformat()
    response = client.post(link)
    assert response.status_code == 410 and "Länken gäller inte längre" in response.get_data(as_text=True)
    _unchanged(ref)


def test_a_ticket_an_agent_already_closed_gets_the_already_closed_page(app, client, offered):
    ref, link = offered
    ticket = ticket_of(ref)
    ticket.status = "closed"
    db.session.commit()
    for method in (client.get, client.post):
        response = method(link)
        assert response.status_code == 200 and f"Ärende {ref} är redan avslutat" in response.get_data(as_text=True)
    assert "solved_by_answer" not in actions(ticket_of(ref))


def test_the_button_needs_the_csrf_token_of_the_page(app, client, offered):
    ref, link = offered
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(link).status_code == 400                 # a forged form elsewhere cannot close it
    _unchanged(ref)
    page = client.get(link).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(link, data={"csrf_token": token}).status_code == 302
    assert ticket_of(ref).status == "resolved"


@pytest.fixture
def limited_app(app_config):
    yield from running({**app_config, "RATELIMIT_ENABLED": True, "REQUEST_RATE_LIMIT": "2 per minute"})


def test_the_public_route_is_rate_limited(limited_app):
    ticket = open_ticket(Draft(market="se", language="sv", channel="email", category="other", subject="Lösenord",
                               body=FORGOT, customer_email="anna@kund.example"), now=NOW, reply_from=SE_SUPPORT)
    client = limited_app.test_client()
    guess = f"/sv/ticket/{ticket.reference}/solved?token=guess"
    assert [client.post(guess).status_code for _ in range(3)] == [404, 404, 429]
    assert ticket_of(ticket.reference).status == "new"


# --- what agents read ---

@pytest.mark.parametrize("action, lang, expected", [
    ("answer_offered", "sv", "Bekräftelsen innehöll FAQ-svaret ”Jag har glömt mitt lösenord. Vad gör jag?”."),
    ("solved_by_answer", "nb", "Løst av kunden: FAQ-svaret «Jeg har glemt passordet mitt. Hva gjør jeg?» i "
                               "bekreftelsen var nok."),
    ("solved_by_answer", "en", "Resolved by the customer: the FAQ answer “I have forgotten my password. What should "
                               "I do?” in the acknowledgement solved it."),
])
def test_the_events_read_as_sentences_with_the_entrys_question(app, action, lang, expected):
    event = Event(action=action, data={"entry": "forgot-password"}, actor="customer" if "solved" in action else "system")
    with app.test_request_context(), force_locale(lang):
        assert events.sentence(event, events.Names()) == expected



def test_the_agent_sees_on_the_ticket_page_what_was_offered_and_that_it_solved_it(app, client, offered):
    ref, link = offered
    client.post(link)
    agent = accounts.create_agent("agnes@example.test", "Agnes Agent", "correct horse battery staple")
    client.post("/agent/login", data={"email": agent.email, "password": "correct horse battery staple"})
    page = client.get(f"/agent/tickets/{ref}", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "Bekräftelsen innehöll FAQ-svaret ”Jag har glömt mitt lösenord. Vad gör jag?”." in page
    assert "Löst av kunden: FAQ-svaret ”Jag har glömt mitt lösenord. Vad gör jag?” i bekräftelsen räckte." in page
