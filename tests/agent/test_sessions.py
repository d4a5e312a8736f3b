"""Sessions are revoked on the server (issue 19, item 3): a cookie copied before sign-out, a password change or a
deactivation no longer opens the workspace; and no cookie is accepted for Flask's default 31 days."""
import time
from datetime import timedelta

from flask.sessions import SecureCookieSessionInterface

from support.agent import accounts
from support.config import Defaults

from .conftest import PASSWORD, sign_in

NEW = "a brand new passphrase"


def copy_of(client, app):
    """A second browser holding a copy of `client`'s session cookie (what an attacker captured)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/agent/").status_code == 200


def test_a_cookie_captured_before_sign_out_is_refused_after_it(app, client, make_agent):
    sign_in(client, make_agent())
    thief = copy_of(client, app)
    assert signed_in(thief)                           # the copy works while the agent is signed in ...
    client.post("/agent/logout")
    assert not signed_in(thief)                       # ... and not after the sign-out
    assert thief.get("/agent/").headers["Location"].startswith("/agent/login")


def test_sign_out_ends_the_sessions_on_other_devices_too(app, make_agent):
    agent = make_agent()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, agent)
    sign_in(phone, agent)
    laptop.post("/agent/logout")
    assert not signed_in(phone)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, make_agent):
    agent = make_agent()
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, agent)
    sign_in(elsewhere, agent)
    thief = copy_of(elsewhere, app)
    done = here.post("/agent/password", data={"current": PASSWORD, "new": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere) and not signed_in(thief)


def test_a_password_reset_by_an_admin_ends_every_session(app, client, make_agent):
    agent = make_agent()
    sign_in(client, agent)
    result = app.test_cli_runner().invoke(args=["agents", "password", agent.email, "--generate"])
    assert result.exit_code == 0, result.output
    assert not signed_in(client)


def test_deactivation_ends_every_session(app, make_agent):
    agent, admin = make_agent(), make_agent(role="admin")
    agents_browser, admins_browser = app.test_client(), app.test_client()
    sign_in(agents_browser, agent)
    sign_in(admins_browser, admin)
    assert signed_in(agents_browser)
    response = admins_browser.post(f"/agent/agents/{agent.id}", data={"markets": "se,no", "role": "agent"})
    assert response.status_code == 302 and agent.active is False
    assert not signed_in(agents_browser)
    accounts.update_agent(agent, active=True)            # reactivated: the old session stays ended
    assert not signed_in(agents_browser)


def test_a_session_from_before_tokens_is_refused(app, make_agent):
    """Sessions that name the agent by id alone (before this change) must sign in again."""
    agent = make_agent()
    browser = app.test_client()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    browser.set_cookie("session", serializer.dumps({"_user_id": str(agent.id), "_fresh": True}))
    assert not signed_in(browser)


def test_cookies_live_a_working_day_by_default():
    assert Defaults.PERMANENT_SESSION_LIFETIME == timedelta(hours=12)
    assert Defaults.REMEMBER_COOKIE_DURATION == timedelta(hours=12)


def test_a_cookie_older_than_the_lifetime_is_refused(app, client, make_agent):
    app.permanent_session_lifetime = timedelta(seconds=1)
    sign_in(client, make_agent())
    thief = copy_of(client, app)
    time.sleep(2.1)                                  # itsdangerous counts whole seconds: age 2 > 1
    assert not signed_in(thief)
