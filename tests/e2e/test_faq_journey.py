"""A customer finds an answer in the FAQ and says it helped."""
import re

from playwright.sync_api import expect


def test_faq_home_and_entry_vote(page, live_server, viewport, shoot, axe):
    page.goto(f"{live_server}/sv/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe("FAQ home (sv)")
    shoot("faq-home-sv")
    page.goto(f"{live_server}/sv/faq/transport-damage")
    expect(page.get_by_role("heading", name=re.compile("skad", re.I)).first).to_be_visible()
    axe("FAQ entry (sv)")
    page.get_by_role("button", name="Ja").click()
    expect(page.locator("#feedback").get_by_role("status")).to_contain_text("Tack")
