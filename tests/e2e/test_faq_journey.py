"""Customers find answers: a misspelt search in Swedish, search-as-you-type in Norwegian, a "helpful" vote."""
import re

from playwright.sync_api import expect

from .helpers import assert_focus_visible


def test_typo_search_opens_answer_and_vote(page, live_server, viewport, shoot, axe):
    page.goto(f"{live_server}/sv/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe("FAQ home (sv)")
    shoot("faq-home-sv")

    search = page.locator("#q")
    search.fill("transportskda")             # "transportskada" with a letter dropped
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/sv/search\?q=transportskda"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe("search results (sv, typo)")
    shoot("search-typo-sv")

    page.get_by_role("link", name=re.compile("leverans kom fram skadad", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/sv/faq/transport-damage$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("skadad")
    axe("FAQ entry (sv)")
    page.get_by_role("button", name="Ja").click()
    expect(page.locator("#feedback").get_by_role("status")).to_contain_text("Tack")
    axe("FAQ entry after the vote (sv)")
    shoot("faq-entry-voted-sv")


def test_search_as_you_type_and_results_nb(page, live_server, viewport, shoot, axe):
    page.goto(f"{live_server}/nb/")
    search = page.locator("#q")
    search.press_sequentially("glemt passrod", delay=20)     # "passord" mistyped, letter by letter
    suggestions = page.locator("#q-suggestions")
    expect(suggestions).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(suggestions.get_by_role("option").first).to_contain_text("glemt passordet")
    axe("FAQ home with suggestions open (nb)")
    shoot("search-suggestions-nb")

    search.press("Enter")                    # nothing highlighted: Enter runs the full search
    expect(page).to_have_url(re.compile(r"/nb/search\?q=glemt"))
    expect(page.locator(".search-summary")).to_be_visible()
    axe("search results (nb)")
    shoot("search-nb")

    # keyboard only: type, ArrowDown to a suggestion, Enter opens it
    search = page.locator("#q")
    search.fill("")
    search.press_sequentially("retur", delay=20)
    options = page.locator("#q-suggestions").get_by_role("option")
    expect(options.nth(1)).to_be_visible()
    search.press("ArrowDown")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", "q-suggestion-1")
    assert_focus_visible(page)               # the input kept focus while moving through the list
    wanted = options.nth(1).get_attribute("data-href")
    search.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(wanted) + "$"))
    axe("FAQ entry opened from a suggestion (nb)")
