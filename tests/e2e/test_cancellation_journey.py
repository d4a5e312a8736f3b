"""After today's 14:00 cut-off a customer cancels an order, by keyboard alone, and is told what that means."""
import re

import pytest
from playwright.sync_api import expect

from .helpers import assert_focus_visible, tab_to, type_into

NOW = "2026-03-11T15:10:00+01:00"            # Wednesday 15:10 in Stockholm: the 14:00 and 13:00 cut-offs have passed


@pytest.fixture(scope="module")
def site(make_site):
    return make_site(FROZEN_NOW=NOW)


def test_cancel_after_cutoff_by_keyboard_only(page, site, viewport, shoot, axe):
    page.goto(f"{site.url}/sv/contact/cancellation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avbeställ en order")
    notes = page.locator(".notice li")
    expect(notes.first).to_contain_text("vanliga ordrar (kl. 14.00) har passerat")
    expect(notes.first).to_contain_text("i morgon kl. 14.00")
    expect(notes.nth(1)).to_contain_text("BID-ordrar (kl. 13.00) har passerat")
    axe("cancellation form after the cut-off (sv)")

    # Tab, type, Enter: no mouse from here to the receipt
    type_into(page, "#order_numbers", "4500123456")
    assert_focus_visible(page)
    type_into(page, "#description", "Fel modell beställd, vi behöver inte varorna.")
    type_into(page, "#company", "Exempel Data AB")
    type_into(page, "#name", "Per Ek")
    type_into(page, "#email", f"per.{viewport}@exempel.se")
    tab_to(page, "#language")
    expect(page.locator("#market")).to_have_value("se")
    expect(page.locator("#language")).to_have_value("sv")
    tab_to(page, "form.request-form button[type=submit]")
    assert_focus_visible(page)
    shoot("cancellation-form-sv")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/sv/ticket/SE-\d+/received\?key="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack, vi har tagit emot ditt ärende")
    expect(page.locator("main")).to_contain_text("En order som redan har packats eller skickats kan inte stoppas")
    axe("cancellation receipt (sv)")
    shoot("cancellation-receipt-sv")
