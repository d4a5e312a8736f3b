"""Answers settle requests (issue 18, items 4 and 5): the agent inserts the suggested Norwegian answer into the
reply of a mailed-in question and sends it; a customer typing on the request form sees an answer, follows it,
says it solved the request, and the overview counts it."""
import re
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from support import clock
from support.agent import accounts
from support.extensions import db
from support.faq.models import SearchMiss
from support.mail.ingest import ingest
from support.tickets.models import Event

from .helpers import assert_focus_visible, in_app, tab_to, type_into

NOW = "2026-03-11T09:40:00+01:00"            # Wednesday morning, open
EMAIL, PASSWORD = "agent@e2e.example", "e2e lantern meadow"
MAILBOXES = {"support-no@e2e.example": {"market": "no", "queue": "general"}}
QUESTION = "Hei, vi la inn en ordre på mandag, og den er fortsatt ikke sendt. Hvorfor?"


@pytest.fixture
def site(make_site):
    """A fresh site per run (the reply and the deflection change the figures)."""
    site = make_site(FROZEN_NOW=NOW, MAILBOXES=MAILBOXES, TWO_FACTOR_REQUIRED="off",   # the overview needs an admin
                     MARKET_OVERRIDES={"no": {"support_email": "support-no@e2e.example"}})
    with in_app(site):
        accounts.create_agent(EMAIL, "Eva Agent", PASSWORD, role="admin", markets="se,no")
    return site


def _mail_in(site) -> str:
    """The customer's e-mail to the Norwegian support address, through the real intake."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Kari Kunde <kari@kunde.no>", "support-no@e2e.example", "Ordren er ikke sendt"
    msg["Message-ID"] = make_msgid(domain="kunde.no")
    msg.set_content(QUESTION)
    with in_app(site):
        outcome = ingest(bytes(msg), now=clock.now())
    assert outcome.action == "created", outcome
    return outcome.ticket


def _sign_in(page, site):
    page.goto(f"{site.url}/agent/login")
    type_into(page, "#email", EMAIL)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def test_agent_inserts_the_norwegian_suggestion_and_sends_it(page, site, viewport, shoot, axe):
    ref = _mail_in(site)
    _sign_in(page, site)
    page.goto(f"{site.url}/agent/tickets/{ref}")
    panel = page.locator(".faq-suggestions")
    expect(panel.get_by_role("heading", level=2)).to_have_text("Svar från FAQ:n för det här ärendet")
    first = panel.locator(".faq-suggestion").first
    expect(first.get_by_role("heading", level=3)).to_contain_text("Hvorfor er ikke ordren min sendt ennå?")
    axe("ticket page with suggestions (sv agent, nb ticket)")
    shoot("agent-suggestions-nb", panel)

    tab_to(page, ".faq-suggestion:first-child button.insert-suggestion")       # by keyboard
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    body = page.locator("#reply-body")
    expect(body).to_be_focused()
    text = body.input_value()
    assert text.startswith("Det kan være flere årsaker"), text
    assert "kl. 14.00, for BID-ordrer kl. 13.00" in text
    assert re.search(r"/nb/faq/order-not-shipped$", text), text
    assert "{" not in text
    expect(page.locator("#reply-suggestions")).to_have_value("order-not-shipped")
    expect(page.locator("#suggest-status")).to_contain_text("Hvorfor er ikke ordren min sendt ennå?")
    body.press("Control+Home")
    page.keyboard.type("Hei Kari!\n\n")                                        # the agent's own greeting on top
    shoot("agent-reply-with-suggestion-nb")

    tab_to(page, "#reply-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Svaret är köat")).to_be_visible()
    expect(page.locator(".entry.reply")).to_contain_text("Det kan være flere årsaker")
    expect(page.locator(".entry.event").filter(has_text="använde FAQ-svaret")).to_contain_text(
        "”Varför har min order inte skickats än?”")           # the event reads in the agent's language
    axe("ticket page after the reply (sv)")
    with in_app(site):
        used = db.session.scalars(select(Event.data).where(Event.action == "suggestion_used")).all()
    assert used == [{"entry": "order-not-shipped"}]


def test_deleted_insert_is_not_counted(page, site):
    """An answer inserted and then deleted again was not used: the reply does not record it."""
    ref = _mail_in(site)
    _sign_in(page, site)
    page.goto(f"{site.url}/agent/tickets/{ref}")
    page.locator(".faq-suggestion").first.get_by_role("button").click()
    page.locator("#reply-body").fill("Hei! Vi ser på ordren og kommer tilbake i dag.")
    page.locator("#reply-form button[type=submit]").click()
    expect(page.get_by_role("status").filter(has_text="Svaret är köat")).to_be_visible()
    with in_app(site):
        assert db.session.scalar(select(func.count()).where(Event.action == "suggestion_used")) == 0


def test_form_panel_shows_an_answer_while_typing_and_counts_the_deflection(page, site, viewport, shoot, axe):
    page.goto(f"{site.url}/nb/contact/other")
    panel = page.locator("#deflect")
    expect(panel).to_be_hidden()
    axe("request form (nb)")
    type_into(page, "#subject", "Glemt passord")
    type_into(page, "#description", "Jeg får ikke logget inn i nettbutikken, hvordan lager jeg et nytt passord?")
    expect(panel).to_be_visible()
    answer = panel.get_by_role("link", name="Jeg har glemt passordet mitt. Hva gjør jeg?")
    expect(answer).to_be_visible()
    axe("request form with answers (nb)")
    shoot("deflect-panel-nb")

    with page.context.expect_page() as opened:       # the answer opens beside the form, which keeps its text
        answer.click()
    entry = opened.value
    expect(entry.get_by_role("heading", level=1)).to_have_text("Jeg har glemt passordet mitt. Hva gjør jeg?")
    expect(entry.locator("main")).to_contain_text("Forgot your password")
    entry.close()

    tab_to(page, "#deflect li:first-child button")            # from the answer's link, by keyboard
    expect(page.locator("#deflect li:first-child button")).to_have_text("Dette løste det")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(panel.get_by_role("status")).to_contain_text("Du trenger ikke å sende skjemaet")
    with in_app(site):
        rows = db.session.execute(select(SearchMiss.kind, SearchMiss.lang, SearchMiss.slug)).all()
    assert rows == [("deflected", "nb", "forgot-password")]

    _sign_in(page, site)
    page.goto(f"{site.url}/agent/overview")
    figure = page.locator("section[aria-labelledby=deflection]")
    expect(figure).to_contain_text("1 av 1 frågor (100 %) de senaste 14 dagarna")
    expect(figure).to_contain_text("Lösta i formuläret medan kunden skrev: 1")
    axe("overview with the deflection figure (sv)")
    shoot("overview-deflection-sv", figure)
