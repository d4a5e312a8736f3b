"""What this round added to the agent's workspace, in the browser: held mail released into a ticket, a
notification followed to its ticket, a PDF sent with a reply; each step by keyboard where an agent would."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from support import clock
from support.agent import accounts
from support.extensions import db
from support.mail.ingest import ingest
from support.notifications.models import Notification
from support.tickets import operations
from tests.mail.conftest import build
from tests.tickets.images import pdf

from .conftest import STEADY_NOW
from .helpers import assert_focus_visible, in_app, tab_to

PASSWORD = "e2e workspace lantern meadow"
EMAIL = "eva@e2e.example"
MAILBOXES = {"help-se@e2e.example": {"market": "se", "queue": "general"},
             "cancel@e2e.example": {"market": "se", "queue": "cancellations"}}


@pytest.fixture(scope="module")
def site(make_site):
    site = make_site(FROZEN_NOW=STEADY_NOW, TWO_FACTOR_REQUIRED="off", MAILBOXES=MAILBOXES, NOTIFY_GATHER_SECONDS=0)
    with in_app(site):
        accounts.create_agent(EMAIL, "Eva Agent", PASSWORD, markets="se", queues="cancellations")
    return site


def _sign_in(page, site):
    page.goto(f"{site.url}/agent/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_held_mail_released_into_a_ticket(page, site, viewport, shoot, axe):
    subject = f"Frånvaro: Skadad leverans ({viewport})"
    with in_app(site):
        held = ingest(build(sender="Kund <kund@foretag.se>", to="help-se@e2e.example", subject=subject,
                            body="Jag är på semester. Kartongen kom fram trasig, se bild.",
                            headers={"Auto-Submitted": "auto-replied"}), now=clock.now())
    assert held.action == "ignored" and held.ticket is None          # held: no ticket yet
    _sign_in(page, site)
    nav = page.get_by_role("navigation", name="Handläggarvy")
    expect(nav.get_by_role("link", name=re.compile(r"^Kvarhållen e-post 1$"))).to_be_visible()
    nav.get_by_role("link", name=re.compile("^Kvarhållen e-post")).click()
    page.get_by_role("link", name=subject).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(subject)
    expect(page.locator("main")).to_contain_text("Auto-Submitted")   # why it was held
    axe("held message (sv)")
    shoot("journey-held-mail-sv")

    tab_to(page, "form[action$='/release'] button")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/agent/tickets/SE-\d{6}$"))
    ref = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("status").filter(has_text=f"Mejlet ligger nu på ärende {ref}.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(subject)
    expect(page.locator(".entry.customer")).to_contain_text("Kartongen kom fram trasig")
    expect(nav.get_by_role("link", name=re.compile("^Kvarhållen e-post"))).to_have_text("Kvarhållen e-post")
    axe("ticket made of held mail (sv)")
    shoot("journey-held-mail-released-sv")
    page.goto(f"{site.url}/agent/held")
    expect(page.get_by_role("link", name=subject)).to_have_count(0)


def test_notification_opened_lands_on_the_ticket_and_is_read(page, site, viewport, shoot, axe):
    order = "44001" + ("1" if viewport == "desk" else "2")
    with in_app(site):
        out = ingest(build(sender="Inköp <inkop@kund.se>", to="cancel@e2e.example", subject=f"Makulera order {order}",
                           body=f"Hej! Vi vill makulera order {order}, den beställdes av misstag."), now=clock.now())
        note_id = db.session.scalar(select(Notification.id).join(Notification.ticket)
                                    .where(Notification.read_at.is_(None)).order_by(Notification.id.desc()))
    assert out.action == "created" and note_id is not None
    _sign_in(page, site)
    nav = page.get_by_role("navigation", name="Handläggarvy")
    link = nav.get_by_role("link", name=re.compile("^Aviseringar"))
    expect(link.locator(".count")).to_have_text("1")
    link.click()
    item = page.locator("ol.entries li.unread").get_by_role("link", name=re.compile(out.ticket))
    expect(item).to_have_count(1)
    axe("notifications with one unread (sv)")
    shoot("journey-notification-unread-sv")

    tab_to(page, f"ol.entries a[href$='/agent/notifications/{note_id}']")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/agent/tickets/{out.ticket}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Makulera order {order}")
    expect(link.locator(".count")).to_have_count(0)                   # nothing unread any more
    with in_app(site):
        assert db.session.get(Notification, note_id).read_at is not None
    page.go_back()
    page.reload()
    expect(page.locator("ol.entries li.unread")).to_have_count(0)


def test_pdf_attached_to_a_reply_is_listed_on_the_thread(page, site, viewport, shoot, axe):
    with in_app(site):
        draft = operations.Draft(market="se", language="sv", channel="web", category="other",
                                 subject=f"Fraktsedel saknas ({viewport})", body="Kan ni skicka fraktsedeln?",
                                 customer_email="kund@exempel.se", customer_name="Åsa Kund")
        ref = operations.open_ticket(draft, now=clock.now()).reference
    _sign_in(page, site)
    page.goto(f"{site.url}/agent/tickets/{ref}")
    page.keyboard.press("r")
    expect(page.locator("#reply-body")).to_be_focused()
    page.keyboard.type("Hej Åsa! Fraktsedeln ligger bifogad som PDF.")
    tab_to(page, "#reply-form input[type=file]")
    assert_focus_visible(page)
    page.locator("#reply-form input[type=file]").set_input_files(
        files=[{"name": "fraktsedel 4711.pdf", "mimeType": "application/pdf", "buffer": pdf()}])
    tab_to(page, "#reply-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Svaret är köat")).to_be_visible()
    attachment = page.locator(".entry.reply").get_by_role("link", name="fraktsedel 4711.pdf")
    expect(attachment).to_be_visible()
    axe("ticket with a PDF on the reply (sv)")
    shoot("journey-reply-pdf-sv")
    download = page.request.get(site.url + attachment.get_attribute("href"))
    assert download.status == 200 and download.headers["content-type"].startswith("application/pdf")
    assert download.body().startswith(b"%PDF-")
