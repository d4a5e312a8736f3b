"""An agent signs in, works the damage queue by keyboard, replies in Swedish, and the reply reaches SMTP."""
import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from support import clock
from support.agent import accounts
from support.outbox import sender
from support.tickets import operations, photos

from ..conftest import SmtpCapture as Capture, free_port
from .helpers import assert_focus_visible, damage_photo, in_app, tab_to, type_into

NOW = "2026-03-11T09:40:00+01:00"            # Wednesday morning, open
EMAIL, PASSWORD = "agent@e2e.example", "e2e lantern meadow"  # the rule refuses a password holding the address
REPLY = "Hej Åsa! Vi har tagit emot dina bilder på den skadade skärmen och skickar en ersättare i dag."


@pytest.fixture(scope="module")
def smtp():
    port = free_port()
    handler = Capture()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def site(make_site, smtp):
    """A fresh site per run (the reply changes the queue); Flask-Mail reads MAIL_* when the app is built."""
    handler, port = smtp
    handler.messages.clear()
    site = make_site(FROZEN_NOW=NOW, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                     MAIL_USE_SSL=False, MAIL_SUPPRESS_SEND=False)
    with in_app(site):
        accounts.create_agent(EMAIL, "Eva Agent", PASSWORD, markets="se,no")
        site.refs = {name: _open(**spec).reference for name, spec in SEED.items()}
    return site


def _open(category, hours_ago=None, **fields):
    """One customer request through the real intake service, at the frozen time."""
    now = clock.now()
    delivered = now - timedelta(hours=hours_ago) if hours_ago is not None else None
    photo = photos.Upload("skada.jpg", damage_photo("skada", "#8a6a3a"), "image/jpeg")
    uploads = [photo] if category == "damage" else []
    draft = operations.Draft(market="se", language="sv", channel="web", category=category,
                         customer_email="kund@exempel.se", customer_name="Åsa Kund", company="Exempel Data AB",
                         delivered_at=delivered, **fields)
    return operations.open_ticket(draft, uploads, now=now)


SEED = {  # name -> request; only "fresh" is a damage report still inside the 24-hour window
    "late": {"category": "damage", "hours_ago": 72, "subject": "Transportskada, order 111", "body": "Trasig kartong.",
             "order_numbers": "111"},
    "fresh": {"category": "damage", "hours_ago": 2, "subject": "Transportskada, order 222",
              "body": "Skärmen har en spricka.", "order_numbers": "222"},
    "cancel": {"category": "cancellation", "subject": "Avbeställ order 333", "body": "Fel vara.",
               "order_numbers": "333"},
}


def _text(message) -> str:
    parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    return "".join(p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8") for p in parts)


def test_agent_works_damage_queue_by_keyboard_and_reply_is_mailed(page, site, smtp, viewport, shoot, axe):
    page.goto(f"{site.url}/agent/login")
    axe("agent sign-in (sv)")
    type_into(page, "#email", EMAIL)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()

    tab_to(page, "nav.queue-nav a[href$='queue=damage']")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Transportskador")
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(site.refs["fresh"])     # in the 24-hour window: urgent, due first
    expect(rows.nth(1)).to_contain_text(site.refs["late"])
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("k")
    expect(rows.first).to_have_attribute("aria-selected", "true")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "false")
    assert_focus_visible(page)
    axe("damage queue (sv)")
    shoot("agent-queue-sv")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/agent/tickets/{site.refs['fresh']}$"))
    axe("ticket page (sv)")
    page.keyboard.press("r")
    expect(page.locator("#reply-body")).to_be_focused()
    page.keyboard.type(REPLY)
    tab_to(page, "#reply-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Svaret är köat")).to_be_visible()
    expect(page.locator(".entry.reply")).to_contain_text("Hej Åsa!")
    axe("ticket page after the reply (sv)")
    shoot("agent-ticket-sv")
    if viewport == "desk":
        _assert_desk_layout(page)

    with in_app(site):
        report = sender.send_due()
    handler, _port = smtp
    assert report.failed == 0 and report.deferred == 0
    replies = [m for m in handler.messages if m["To"] == "kund@exempel.se"
               and str(make_header(decode_header(m["Subject"]))).startswith("Re:")]
    assert len(replies) == 1, [str(make_header(decode_header(m["Subject"]))) for m in handler.messages]
    subject = str(make_header(decode_header(replies[0]["Subject"])))
    assert f"[{site.refs['fresh']}]" in subject and "[SE-" in subject
    assert REPLY in _text(replies[0])


def _assert_desk_layout(page):
    """At 1280x800: the reply sits under the thread, the actions beside them, the change form's fields close."""
    box = lambda selector: page.locator(selector).first.bounding_box()
    thread, reply, side = box(".thread"), box("#reply-form"), box(".ticket-side")
    assert abs(reply["x"] - thread["x"]) < 1 and reply["y"] > thread["y"], "the reply is under the thread"
    assert side["x"] >= reply["x"] + reply["width"] and side["y"] < reply["y"], "the actions are beside, at the top"
    fields = [page.locator(".change-form .field").nth(i).bounding_box() for i in range(4)]
    gaps = [b["y"] - (a["y"] + a["height"]) for a, b in zip(fields, fields[1:])]
    assert all(0 <= gap <= 16 for gap in gaps), f"the change form's fields are {gaps} px apart"
