"""Two agents open the same ticket: each is told of the other, and that one is writing a reply, under the real CSP."""
from playwright.sync_api import expect

from support.agent import accounts
from support.tickets import operations
from support import clock

from .helpers import in_app

PASSWORD = "e2e-presence-password"


def _signed_in(browser, site, email):
    # the app's own CSP applies here (the shared context bypasses it for axe): the script must run under it
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site.url}/agent/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    return context, page, errors


def test_colleagues_see_each_other_on_a_ticket(browser, make_site):
    site = make_site(AGENT_PRESENCE_POLL_SECONDS=5)
    with in_app(site):
        for email, name in (("anna@e2e.example", "Anna Agent"), ("ola@e2e.example", "Ola Nordmann")):
            accounts.create_agent(email, name, PASSWORD, markets="se")
        draft = operations.Draft(market="se", language="sv", channel="email", category="other", subject="Faktura",
                                 body="Hej", customer_email="kund@exempel.se", customer_name="Åsa Kund")
        ref = operations.open_ticket(draft, now=clock.now()).reference
    anna_context, anna, anna_errors = _signed_in(browser, site, "anna@e2e.example")
    ola_context, ola, ola_errors = _signed_in(browser, site, "ola@e2e.example")
    try:
        anna.goto(f"{site.url}/agent/tickets/{ref}")
        expect(anna.locator("#presence")).to_be_hidden()
        ola.goto(f"{site.url}/agent/tickets/{ref}")
        expect(ola.locator("#presence")).to_have_text("Anna Agent har också ärendet öppet.")
        expect(anna.locator("#presence")).to_have_text("Ola Nordmann har också ärendet öppet.", timeout=10_000)
        anna.locator("#reply-body").fill("Hej Åsa! Vi tittar på fakturan.")
        anna.locator("#reply-body").press("End")      # an input event, as typing gives
        expect(ola.locator("#presence")).to_have_text("Anna Agent skriver ett svar på ärendet just nu.",
                                                      timeout=10_000)
        assert not [e for e in anna_errors + ola_errors if "Content Security Policy" in e], anna_errors + ola_errors
    finally:
        anna_context.close()
        ola_context.close()
