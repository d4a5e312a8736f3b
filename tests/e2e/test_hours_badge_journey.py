"""At 12:30 on a working day the opening badge says Customer Support is at lunch and back at 13:00."""
import pytest
from playwright.sync_api import expect

NOW = "2026-03-10T12:30:00+01:00"            # a Tuesday, half-way through the 12:00-13:00 lunch (Stockholm and Oslo)

CASES = [  # (page language, market shown first, the badge text in that language)
    ("sv", "se", "Lunchstängt, öppnar igen kl. 13.00"),
    ("nb", "no", "Stengt for lunsj, åpner igjen kl. 13.00"),
]


@pytest.fixture(scope="module")
def site(make_site):
    return make_site(FROZEN_NOW=NOW)


@pytest.mark.parametrize("lang, market, text", CASES)
def test_badge_shows_lunch(page, site, viewport, shoot, axe, lang, market, text):
    page.goto(f"{site.url}/{lang}/")
    badge = page.locator(f".hours-badge[data-hours-market={market}]")
    expect(badge).to_have_class("hours-badge hours-badge--lunch")
    expect(badge).to_have_text(text)
    # the page's script refreshes the badge from /api/hours (same frozen clock): wipe the text, make it refresh
    badge.locator(".hours-badge__label").evaluate("el => { el.textContent = ''; }")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(badge).to_have_text(text)
    axe(f"FAQ home at lunch ({lang})")
    shoot(f"hours-lunch-{lang}", page.locator(".contact-block"))
