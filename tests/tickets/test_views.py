"""The request pages through the test client: each kind end to end, photos, the receipt, the status link."""
import re

import pytest
from sqlalchemy import event, func, select

from support import hours
from support.extensions import db
from support.faq.models import SearchMiss
from support.outbox import OutboxMail
from support.tickets import links
from support.tickets.models import Event, Ticket
from support.clock import as_utc, to_naive_utc

from . import images
from .conftest import form_fields, multipart, with_photos


def _tickets():
    return db.session.scalars(select(Ticket).order_by(Ticket.id)).all()


def _post(client, kind, data, lang="sv"):
    return client.post(f"/{lang}/contact/{kind}", **multipart(data))


@pytest.mark.parametrize("kind, market, queue, minutes", [
    ("cancellation", "se", "cancellations", 60),
    ("damage", "no", "damage", 120),                 # in the window: urgent
    ("stuck-order", "se", "order-status", 240),
    ("other", "no", "general", 480),
])
def test_each_kind_becomes_a_ticket(app, client, jpeg, kind, market, queue, minutes):
    data = form_fields(kind, market=market)
    if kind == "damage":
        data = with_photos(data, ("skada.jpg", jpeg))
    response = _post(client, kind, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    ticket = _tickets()[0]
    assert (ticket.category, ticket.market, ticket.queue, ticket.channel) == (kind, market, queue, "web")
    assert ticket.reference.startswith(market.upper() + "-")
    expected = hours.add_business_minutes(app.extensions["markets"][market], as_utc(ticket.created_at), minutes)
    assert ticket.due_at == to_naive_utc(expected)
    assert ticket.company == "Kund AB" and ticket.customer_number == "C-1001"
    assert response.headers["Location"].startswith(f"/sv/ticket/{ticket.reference}/received?key=")
    receipt = client.get(response.headers["Location"])
    assert receipt.status_code == 200 and ticket.reference in receipt.get_data(as_text=True)


def test_a_web_request_is_one_flush_one_commit_and_statements_of_fixed_text(app, client):
    """A web request is written as a mailed-in one is (tickets/operations.py open_ticket): ticket, message,
    event, acknowledgement and index in one flush and one commit; and every statement a request runs is the
    same text for the next one (values bound, none written into the SQL), so none is compiled afresh."""
    flushes, commits, statements, session = [], [], [], db.session()
    listeners = [(session, "after_flush", lambda _session, _context: flushes.append(True)),
                 (db.engine, "commit", lambda conn: commits.append(True)),
                 (db.engine, "before_cursor_execute", lambda *args: statements[-1].append(args[2]))]
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    try:
        for n in range(3):           # the first opens the market's reference counter, the others only bump it
            statements.append([])
            assert _post(client, "other", form_fields("other", email=f"kund{n}@example.se")).status_code == 302
    finally:
        for target, name, listener in listeners:
            event.remove(target, name, listener)
    # PostgreSQL takes each reference in a commit of its own (references.allocate: its row is not locked to the end)
    assert len(flushes) == 3 and len(commits) == (6 if db.engine.dialect.name == "postgresql" else 3)
    assert statements[1] == statements[2]
    assert db.session.scalar(select(func.count()).select_from(OutboxMail).where(OutboxMail.ticket_id.is_not(None))) == 3
    assert db.session.scalar(select(func.count()).select_from(Event).where(Event.action == "created")) == 3


def test_prefilled_from_the_visitors_language(client):
    page = client.get("/nb/contact/cancellation").get_data(as_text=True)
    assert re.search(r'<option selected value="no">|<option value="no" selected>', page)
    assert re.search(r'<option selected value="nb">|<option value="nb" selected>', page)


def test_unknown_kind_and_language_are_404(client):
    assert client.get("/sv/contact/returns").status_code == 404
    assert client.get("/de/contact/other").status_code == 404


def test_cancellation_page_warns_and_points_to_returns(client):
    page = client.get("/en/contact/cancellation").get_data(as_text=True)
    assert "already been packed or shipped cannot be halted" in page
    assert "/en/faq/register-return" in page
    assert "cut-off for normal orders" in page and "cut-off for BID orders" in page
    assert "14:00" in page and "13:00" in page


def test_damage_with_photos_of_every_format(client):
    files = [("a.jpg", images.photo("JPEG")), ("b.png", images.photo("PNG")), ("c.webp", images.photo("WEBP")),
             ("d.heic", images.photo("HEIF"))]
    response = _post(client, "damage", with_photos(form_fields("damage"), *files))
    assert response.status_code == 302
    ticket = _tickets()[0]
    assert [a.original_name for a in ticket.attachments] == ["a.jpg", "b.png", "c.webp", "d.heic"]
    assert [a.mime_type for a in ticket.attachments] == ["image/jpeg", "image/png", "image/webp", "image/jpeg"]
    assert ticket.damage_late is False


@pytest.mark.parametrize("name, data, words", [
    ("shell.jpg", images.PHP, "not a photo we can read"),
    ("logo.svg", images.SVG, "not a photo we can read"),
    ("bomb.png", images.png_bomb(), "too many pixels"),
    ("half.jpg", images.truncated_jpeg(), "damaged or incomplete"),
    ("huge.jpg", images.huge_file(30), "too large"),
])
def test_forged_photo_is_refused_and_the_form_kept(client, jpeg, name, data, words):
    fields = form_fields("damage", description="Hörnet på skärmen är krossat")
    response = _post(client, "damage", with_photos(fields, ("good.jpg", jpeg), (name, data)), lang="en")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert name in page and words in page
    assert "Hörnet på skärmen är krossat" in page and 'value="Kund AB"' in page and 'value="4400125"' in page
    assert _tickets() == []


def test_late_damage_is_accepted_flagged_and_told(client, jpeg):
    fields = form_fields("damage", delivered_at="2026-01-05T09:00")
    response = _post(client, "damage", with_photos(fields, ("a.jpg", jpeg)), lang="en")
    assert response.status_code == 302
    ticket = _tickets()[0]
    assert ticket.damage_late is True and ticket.priority == "normal"
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "within 24 hours" in receipt and "marked as reported late" in receipt
    mail = db.session.scalars(select(OutboxMail)).one()       # in the language chosen on the form (sv)
    assert "markerad som sent anmäld" in mail.body_text and "Transportskada, order 4400125" in mail.subject


def test_in_window_damage_states_the_deadline_met(client, jpeg):
    response = _post(client, "damage", with_photos(form_fields("damage"), ("a.jpg", jpeg)), lang="en")
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "within 24 hours of receiving the delivery, before the deadline" in receipt


def test_damage_in_the_future_is_refused(client, jpeg):
    response = _post(client, "damage", with_photos(form_fields("damage", delivered_at="2099-01-01T10:00"),
                                                   ("a.jpg", jpeg)), lang="en")
    assert response.status_code == 422 and "cannot be in the future" in response.get_data(as_text=True)


def test_honeypot_refuses_bots(client):
    response = _post(client, "other", form_fields("other", website="http://spam.example"))
    assert response.status_code == 422 and _tickets() == []


def test_status_link_works_and_tampered_or_foreign_ones_do_not(client, jpeg):
    _post(client, "damage", with_photos(form_fields("damage"), ("a.jpg", jpeg)))
    _post(client, "other", form_fields("other"))
    mine, other = _tickets()
    key = links.status_key(mine)
    page = client.get(f"/sv/ticket/{mine.reference}?key={key}")
    assert page.status_code == 200 and mine.subject in page.get_data(as_text=True)
    tampered = key[:-1] + ("0" if key[-1] != "0" else "1")
    assert client.get(f"/sv/ticket/{mine.reference}?key={tampered}").status_code == 404
    assert client.get(f"/sv/ticket/{mine.reference}").status_code == 404
    assert client.get(f"/sv/ticket/{other.reference}?key={key}").status_code == 404, "a key opens one ticket"
    photo = mine.attachments[0]
    url = f"/ticket/{mine.reference}/files/{photo.id}"
    with client.get(f"{url}?key={key}") as full, client.get(f"{url}?key={key}&thumb=1") as thumb:
        assert (full.status_code, full.mimetype, thumb.status_code) == (200, "image/jpeg", 200)
        assert full.headers["Cache-Control"] == "private, no-store"
        assert len(thumb.get_data()) < len(full.get_data()) or photo.width <= 320
    assert client.get(f"{url}?key={links.status_key(other)}").status_code == 404
    assert client.get(f"/ticket/{other.reference}/files/{photo.id}?key={links.status_key(other)}").status_code == 404


def test_ack_mail_carries_the_status_link(client):
    _post(client, "other", form_fields("other"))
    ticket, mail = _tickets()[0], db.session.scalars(select(OutboxMail)).one()
    assert f"/sv/ticket/{ticket.reference}?key={links.status_key(ticket)}" in mail.body_text


def test_customer_adds_message_and_photos_on_the_status_page(client, jpeg):
    _post(client, "other", form_fields("other"))
    ticket = _tickets()[0]
    url = f"/sv/ticket/{ticket.reference}?key={links.status_key(ticket)}"
    response = client.post(url, **multipart({"body": "Här är ett foto.", "photos": [("x.jpg", jpeg)]}))
    assert response.status_code == 302
    db.session.refresh(ticket)
    assert [m.body_text for m in ticket.messages][-1] == "Här är ett foto." and len(ticket.attachments) == 1
    refused = client.post(url, **multipart({"body": "Fel fil", "photos": [("y.svg", images.SVG)]}))
    assert refused.status_code == 422 and "y.svg" in refused.get_data(as_text=True)
    assert client.post(url, data={"body": ""}).status_code == 422


def test_deflection_click_is_recorded(client):
    slug = next(iter(client.application.extensions["faq"].entries))
    response = client.post("/api/tickets/deflected", json={"query": "Avbeställa order", "lang": "sv", "slug": slug})
    assert response.status_code == 204
    row = db.session.scalars(select(SearchMiss)).one()
    assert (row.kind, row.slug, row.text) == ("deflected", slug, "avbeställa order")
    assert client.post("/api/tickets/deflected", json={"lang": "sv", "slug": "no-such"}).status_code == 400


def test_oversized_request_rerenders_the_form(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = _post(client, "damage", with_photos(form_fields("damage"), ("big.jpg", images.huge_file(2))),
                     lang="en")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "too large" in page and "<form" in page and 'name="company"' in page
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0


@pytest.mark.parametrize("markets, status, reason", [
    ("se", 200, "an agent of the ticket's market sees its photos without the key"),
    ("no", 404, "an agent of another market does not"),
])
def test_agents_see_photos_of_their_markets(client, jpeg, markets, status, reason):
    from support.agent import accounts
    _post(client, "damage", with_photos(form_fields("damage"), ("a.jpg", jpeg)))
    ticket = _tickets()[0]
    accounts.create_agent("agent@example.se", "Agent", "a-long-enough-passphrase-42", markets=markets)
    signed_in = client.post("/agent/login", data={"email": "agent@example.se",
                                                  "password": "a-long-enough-passphrase-42"})
    assert signed_in.status_code == 302
    with client.get(f"/ticket/{ticket.reference}/files/{ticket.attachments[0].id}") as response:
        assert response.status_code == status, reason
