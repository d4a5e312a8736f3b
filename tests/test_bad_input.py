"""Input that used to reach a 500 (issue 19, item 5) gets a 400/404 page or a form error in the visitor's language.

One row per input, with the reason it once failed; run on SQLite and (TEST_DATABASE=postgresql) PostgreSQL, whose
drivers refuse out-of-range numbers differently.
"""
import base64
import io
import json
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from support.agent import accounts
from support.extensions import db
from support.mail.ingest import ingest
from support.tickets import links
from support.tickets.models import Attachment, Ticket

from .agent.conftest import PASSWORD, TINY_FAQ

HUGE = str(2**64)                       # larger than SQLite's 64-bit INTEGER
OVER_64 = str(2**63)                    # one past BIGINT
OVER_32 = str(2**31)                    # one past PostgreSQL's INTEGER, the type of our id columns
LONGEST = str(2**31 - 1)                # in range, but no such row
DIGITS_5000 = "9" * 5000               # beyond Python's int-from-text limit (4300 digits)
MAILBOX = "help-se@example.com"
CRLF_NAME_MAIL = (
    f"From: Kund <kund@foretag.se>\r\nTo: {MAILBOX}\r\nSubject: Kvitto\r\nMessage-ID: <crlf-name@foretag.se>\r\n"
    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHej, kvittot bifogas.\r\n"
    "--b\r\nContent-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename*=utf-8''kvitto%0D%0ABcc%3A%20x%40example.com.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJSBrdml0dG8K\r\n--b--\r\n").encode()


def cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode() if not isinstance(value, bytes) else value).decode()


@pytest.fixture
def app_config(app_config, tmp_path):
    faq = tmp_path / "faq.yaml"
    faq.write_text(TINY_FAQ, encoding="utf-8")
    return {**app_config, "FAQ_PATH": str(faq), "MAILBOXES": {MAILBOX: {"market": "se", "queue": "general"}}}


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def world(app, client):
    """A mail ticket whose attachment name has a line break, one stored before names were cleaned, an admin."""
    assert ingest(CRLF_NAME_MAIL).action == "created"
    ticket = db.session.scalar(select(Ticket))
    cleaned = ticket.attachments[0]
    legacy = Attachment(ticket=ticket, message=cleaned.message, original_name="gammal\r\nX-Evil: 1.pdf",
                        stored_name=cleaned.stored_name, mime_type=cleaned.mime_type, size=cleaned.size,
                        sha256=cleaned.sha256)
    db.session.add(legacy)
    db.session.commit()
    accounts.create_agent("admin@example.test", "Admin", PASSWORD, role="admin")
    return {"ref": ticket.reference, "key": links.status_key(ticket), "file": cleaned.id, "legacy": legacy.id,
            "version": ticket.version}


def damage_form(delivered_at: str) -> dict:
    return {"company": "Kund AB", "name": "Eva", "email": "eva@example.se", "market": "se", "language": "sv",
            "order_numbers": "4400125", "description": "Sprucken skärm.", "delivered_at": delivered_at,
            "photos": [(io.BytesIO(jpeg()), "skada.jpg")]}


def stuck_form(since: str) -> dict:
    return {"company": "Kund AB", "name": "Eva", "email": "eva@example.se", "market": "se", "language": "sv",
            "order_numbers": "4400126", "status_shown": "Behandlas", "status_since": since}


TOO_OLD_SV = "Det är mer än ett år sedan"
NOT_FOUND_SV = "Vi hittade inte sidan"

# (signed in as the admin?, method, url, request keyword arguments, status, text that must be on the page, reason)
CASES = [
    (False, "get", "/sv/?lang=x", {}, 200, "Kundtjänst", "?lang= repeated the URL's lang for the language switch"),
    (False, "get", "/sv/contact/damage?lang=x", {}, 200, None, "the same, on a form"),
    (False, "get", "/sv/search?q=order&lang=x", {}, 200, None, "the same, on the results page"),
    (False, "get", "/sv/no-such-page?lang=x", {}, 404, NOT_FOUND_SV, "the same, inside the 404 page itself"),
    (False, "get", "/en/ticket/{ref}?key={key}&lang=x", {}, 200, None, "the same, on the status page"),
    (False, "post", "/sv/contact/damage", {"data": damage_form("0001-01-01T00:00")}, 422, TOO_OLD_SV,
     "year 1 overflowed the time-zone conversion"),
    (False, "post", "/sv/contact/damage", {"data": damage_form("0001-01-01T23:00")}, 422, TOO_OLD_SV,
     "a year-1 delivery that did not overflow was stored as a ticket"),
    (False, "post", "/sv/contact/damage", {"data": damage_form("9999-12-31T23:59")}, 422,
     "Leveranstidpunkten kan inte ligga i framtiden", "the other end of the calendar"),
    (False, "post", "/sv/contact/stuck-order", {"data": stuck_form("0001-01-01")}, 422, TOO_OLD_SV,
     "a stuck-order date in year 1"),
    (False, "post", "/api/tickets/deflected", {"json": [1, 2]}, 400, None, "a JSON list has no .get"),
    (False, "post", "/api/tickets/deflected", {"json": "sv"}, 400, None, "a JSON string"),
    (False, "post", "/api/tickets/deflected", {"json": 7}, 400, None, "a JSON number"),
    (False, "post", "/api/tickets/deflected", {"data": "{", "content_type": "application/json"}, 400, None,
     "not JSON at all"),
    (False, "post", "/api/tickets/deflected", {"json": {"lang": "sv", "slug": ["cancel-order"]}}, 400, None,
     "a list as the slug is unhashable for the entries lookup"),
    (False, "post", "/sv/contact/stuck-order", {"data": {**stuck_form("2026-01-01"), "market": "dk"}}, 422,
     "Kontrollera de markerade fälten", "an unknown market re-rendered the form with markets['dk']"),
    (False, "post", "/sv/contact/other", {"data": {**stuck_form("2026-01-01"), "subject": "Hej\x00",
                                                   "description": "Hej\x00då"}}, 400,
     "Vi kunde inte tolka förfrågan", "PostgreSQL refuses a NUL character in text (psycopg DataError)"),
    (False, "post", "/sv/ticket/{ref}?key={key}", {"data": {"body": "Tack\x00!"}}, 400, None,
     "the same on the status page"),
    (False, "get", "/sv/search?q=%00", {}, 400, None, "a NUL in a search that is logged as unanswered"),
    (False, "get", "/api/faq/search?lang=sv&q=leverans%00", {}, 400, None, "the same, from the search box"),
    (False, "post", "/api/tickets/deflected", {"json": {"lang": "sv", "slug": "cancel-order", "query": "a\x00"}},
     400, None, "the same in a JSON body"),
    (False, "get", "/sv/ticket/SE-0%00?key=x", {}, 400, None, "a NUL in a reference compared in a query"),
    (True, "get", "/agent/search?q=SE%00", {}, 400, None, "the same in the agent search"),
    (True, "post", "/agent/tickets/{ref}/note", {"data": {"body": "Intern\x00anteckning", "version": "{version}"}},
     400, None, "an agent's note with a NUL"),
    (False, "get", "/ticket/{ref}/files/" + HUGE + "?key={key}", {}, 404, None, "2**64 overflowed the driver"),
    (False, "get", "/ticket/{ref}/files/" + OVER_64 + "?key={key}", {}, 404, None, "2**63: one past BIGINT"),
    (False, "get", "/ticket/{ref}/files/" + OVER_32 + "?key={key}", {}, 404, None,
     "2**31: PostgreSQL's INTEGER is out of range"),
    (False, "get", "/ticket/{ref}/files/" + LONGEST + "?key={key}", {}, 404, None, "in range, no such file"),
    (False, "get", "/ticket/{ref}/files/" + DIGITS_5000 + "?key={key}", {}, 404, None,
     "5000 digits: int() itself refuses"),
    (False, "get", "/ticket/{ref}/files/{file}?key={key}", {}, 200, None,
     "a line break in a mail attachment's name broke its Content-Disposition"),
    (False, "get", "/ticket/{ref}/files/{legacy}?key={key}", {}, 200, None, "the same, for a name stored earlier"),
    (True, "get", "/agent/tickets/{ref}/files/{legacy}", {}, 200, None, "the same, from the agent side"),
    (True, "get", "/agent/?after=" + cursor([None, int(HUGE)]), {}, 200, None, "a cursor with a huge id"),
    (True, "get", "/agent/?after=" + cursor(["2026-03-10T09:00:00", 10**30]), {}, 200, None,
     "the same after a due time"),
    (True, "get", "/agent/?after=" + cursor(b"[null, 1e400]"), {}, 200, None, "an infinite id"),
    (True, "get", "/agent/?after=" + cursor(["2026-03-10T09:00:00+05:00", 1]), {}, 200, None,
     "an aware due time compared with naive stored ones"),
    (True, "get", "/agent/?after=" + cursor([True, 1]), {}, 200, None, "not a date"),
    (True, "get", "/agent/?after=" + cursor({"a": 1}), {}, 200, None, "not a pair"),
    (True, "get", "/agent/?after=%%%", {}, 200, None, "not base64"),
    (True, "get", "/agent/?after=" + cursor(b"\xff\xfe"), {}, 200, None, "not UTF-8"),
    (True, "get", "/agent/?lang=x", {}, 200, None, "?lang= on an agent page"),
    (True, "post", "/agent/bulk", {"data": {"ticket": "abc", "action": "status", "value": "open"}}, 302, None,
     "not an id"),
    (True, "post", "/agent/bulk", {"data": {"ticket": "\u00b2:1", "action": "status", "value": "open"}}, 302,
     None, "'²' passed str.isdigit() and then failed int()"),
    (True, "post", "/agent/bulk", {"data": {"ticket": HUGE + ":1", "action": "status", "value": "open"}}, 302,
     None, "a huge ticket id overflowed the driver"),
    (True, "post", "/agent/bulk", {"data": {"ticket": "1:" + HUGE, "action": "status", "value": "open"}}, 302,
     None, "a huge version"),
    (True, "post", "/agent/tickets/{ref}/assign", {"data": {"assignee": HUGE, "version": "1"}}, 400, None,
     "a huge colleague id overflowed the agent lookup"),
    (True, "post", "/agent/tickets/{ref}/assign", {"data": {"assignee": "-3", "version": "1"}}, 400, None,
     "a negative one"),
    (True, "post", "/agent/tickets/{ref}/note", {"data": {"body": "x", "version": HUGE}}, 409, None,
     "a huge version is compared in Python only: a stale form"),
    (True, "get", "/agent/tickets/{ref}/files/" + HUGE, {}, 404, None, "a huge file id, agent side"),
    (True, "get", "/agent/tickets/{ref}/mail/" + HUGE + ".txt", {}, 404, None, "a huge mail id"),
    (True, "get", "/agent/tickets/{ref}/mail/" + LONGEST + ".txt", {}, 404, None, "in range, no such mail"),
    (True, "get", "/agent/tickets/{ref}/mail/" + OVER_32 + ".txt", {}, 404, None, "32 bits: PostgreSQL refused"),
    (True, "post", "/agent/bulk", {"data": {"ticket": OVER_32 + ":1", "action": "status", "value": "open"}}, 302,
     None, "the same for a bulk id"),
    (True, "get", "/agent/?after=" + cursor([None, 2**31]), {}, 200, None, "the same in a cursor"),
    (True, "post", "/agent/agents/" + HUGE, {"data": {"markets": "se", "role": "agent"}}, 404, None,
     "a huge agent id"),
    (True, "get", "/agent/tickets/SE-" + HUGE, {}, 404, None, "a reference with a huge number"),
    (True, "get", "/agent/search?q=" + HUGE, {}, 200, None, "a huge number searched for"),
]


@pytest.mark.parametrize("as_admin, method, url, kwargs, status, text, reason", CASES,
                         ids=[f"{c[1]} {c[2][:60]}" for c in CASES])
def test_bad_input_gets_a_clear_answer(client, world, as_admin, method, url, kwargs, status, text, reason):
    if as_admin:
        assert client.post("/agent/login", data={"email": "admin@example.test", "password": PASSWORD}).status_code == 302
    if isinstance(kwargs.get("data"), dict):          # a "{name}" value is one of the world's
        kwargs = {**kwargs, "data": {k: str(v).format(**world) if str(v).startswith("{") else v
                                     for k, v in kwargs["data"].items()}}
    response = getattr(client, method)(url.format(**world), headers={"Accept-Language": "sv"}, **kwargs)
    assert response.status_code == status, reason
    if text:
        assert text in response.get_data(as_text=True), reason
    disposition = response.headers.get("Content-Disposition", "")
    response.close()                    # a file download holds its file open until closed
    assert "\n" not in disposition and "\r" not in disposition


def test_a_line_break_in_an_attachment_name_is_folded_at_intake(world):
    assert db.session.get(Attachment, world["file"]).original_name == "kvitto Bcc: x@example.com.pdf"


def test_delivery_dates_within_the_year_are_still_taken(client):
    recent = (datetime.now() - timedelta(days=300)).strftime("%Y-%m-%dT%H:%M")
    assert client.post("/sv/contact/damage", data=damage_form(recent)).status_code == 302
