"""JavaScript switched off: the FAQ, its search, a vote and a request form still work, server-rendered."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import run_axe


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


@pytest.fixture
def axe_nojs(browser, page):
    """axe cannot run where JavaScript is off: check the same URL in a context that blocks the page's scripts."""
    checker = browser.new_context(bypass_csp=True, locale="nb-NO", viewport=page.viewport_size)
    checker.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
    probe = checker.new_page()

    def _check(context: str) -> None:
        probe.goto(page.url)
        run_axe(probe, context)
    yield _check
    checker.close()


def test_faq_search_and_request_without_javascript(page, live_server, viewport, shoot, axe_nojs):
    page.goto(f"{live_server}/nb/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_nojs("FAQ home without JS (nb)")

    page.locator("#q").fill("returnere produkt")
    page.locator("#q").press("Enter")                  # a plain GET form
    expect(page).to_have_url(re.compile(r"/nb/search\?q=returnere"))
    expect(page.locator("#q-suggestions")).to_have_count(0)      # search.js did not run
    expect(page.get_by_role("heading", level=1)).to_have_text("Søkeresultater")
    axe_nojs("search without JS (nb)")
    shoot("nojs-search-nb")
    page.get_by_role("link", name=re.compile("returnerer jeg et produkt", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/nb/faq/"))
    page.get_by_role("button", name="Ja").click()
    expect(page.locator("#feedback").get_by_role("status")).to_have_text("Takk for tilbakemeldingen!")
    axe_nojs("FAQ entry after the vote without JS (nb)")

    page.goto(f"{live_server}/nb/contact/")
    page.get_by_role("link", name="Noe annet").click()
    expect(page).to_have_url(re.compile(r"/nb/contact/other$"))
    axe_nojs("request form without JS (nb)")
    page.get_by_label("Emne").fill("Tilgang til nettbutikken for en ny kollega")
    page.get_by_label("Spørsmålet ditt").fill("Hvordan får en ny kollega egen innlogging?")
    page.get_by_label("Firma").fill("Eksempel Data AS")
    page.get_by_label("Navnet ditt").fill("Kari Nordmann")
    page.get_by_label("E-post").fill(f"kari.{viewport}@eksempel.no")
    shoot("nojs-request-form-nb")
    page.get_by_role("button", name="Send henvendelsen").click()
    expect(page).to_have_url(re.compile(r"/nb/ticket/NO-\d+/received\?key="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk, vi har mottatt henvendelsen din")
    axe_nojs("receipt without JS (nb)")
    shoot("nojs-receipt-nb")
