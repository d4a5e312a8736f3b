"""An administrator who must use two-factor sign-in enrols with the key shown on the page, signs out, and
signs in again with a code, as an authenticator app (pyotp here) computes them; in Swedish and Norwegian."""
import re
from datetime import timedelta

import pyotp
import pytest
from playwright.sync_api import expect

from support import clock
from support.agent import accounts

from .conftest import STEADY_NOW
from .helpers import assert_focus_visible, in_app, tab_to, type_into

PASSWORD = "e2e two factor lantern meadow"
LOCALES = {"sv": "sv-SE", "nb": "nb-NO"}
TEXT = {"sv": {"out": "Logga ut", "codes": "Dina reservkoder", "continue": "Jag har sparat dem, fortsätt"},
        "nb": {"out": "Logg ut", "codes": "Reservekodene dine", "continue": "Jeg har lagret dem, fortsett"}}


@pytest.fixture(scope="module")
def site(make_site):
    return make_site(FROZEN_NOW=STEADY_NOW, TWO_FACTOR_REQUIRED="admins")


@pytest.fixture(params=sorted(LOCALES))
def lang(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, lang):
    return {**browser_context_args, "locale": LOCALES[lang]}


def _password_step(page, site, email):
    page.goto(f"{site.url}/agent/login")
    type_into(page, "#email", email)
    type_into(page, "#password", PASSWORD)
    page.keyboard.press("Enter")


def test_admin_enrols_and_signs_in_with_a_code(page, site, lang, viewport, shoot, axe):
    email = f"admin.{lang}.{viewport}@e2e.example"
    text = TEXT[lang]
    with in_app(site):
        accounts.create_agent(email, "Ada Admin", PASSWORD, role="admin", markets="se,no")
        now = clock.now()              # the site's frozen clock: the codes are for its time, not the machine's
    _password_step(page, site, email)
    expect(page).to_have_url(re.compile(r"/agent/two-factor$"))        # required: no workspace before enrolment
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    assert totp.provisioning_uri(name=email).startswith("otpauth://totp/")   # a key an authenticator app accepts
    axe(f"two-factor enrolment ({lang})")
    shoot(f"journey-two-factor-enrol-{lang}")

    # the code of the step before: accepted (clock drift), and it leaves the current step for the sign-in below
    type_into(page, "#code", totp.at(now - timedelta(seconds=30)))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["codes"])
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(len(re.sub(r"[\s-]", "", c)) == 16 for c in codes), codes
    axe(f"recovery codes ({lang})")
    shoot(f"journey-two-factor-recovery-codes-{lang}")
    tab_to(page, "main a.button")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/agent/$"))
    page.get_by_role("button", name=text["out"]).click()

    _password_step(page, site, email)
    expect(page).to_have_url(re.compile(r"/agent/login/code$"))
    expect(page.locator("#code")).to_be_focused()                      # autofocus: type straight away
    page.keyboard.type("123 456" if totp.at(now) != "123456" else "654 321")
    page.keyboard.press("Enter")
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")    # a wrong code is said so
    page.locator("#code").fill(totp.at(now))
    page.locator("#code").press("Enter")
    expect(page).to_have_url(re.compile(r"/agent/$"))
    expect(page.get_by_role("button", name=text["out"])).to_be_visible()

    page.goto(f"{site.url}/agent/two-factor")
    expect(page.locator("main")).to_contain_text("10")                 # unused recovery codes
    axe(f"two-factor status ({lang})")
    shoot(f"journey-two-factor-status-{lang}")
