"""Accounts: hashing, lock-out after repeated failures, the sign-in rate limit, sign-out, password change."""
from datetime import timedelta

import pytest

from support.agent import accounts
from support.extensions import db

from .conftest import NOW, PASSWORD, sign_in


def test_password_is_stored_as_a_modern_hash(make_agent):
    agent = make_agent()
    assert agent.password_hash.startswith("scrypt:") and PASSWORD not in agent.password_hash


def test_lock_out_after_repeated_failures_then_release(app, make_agent):
    agent = make_agent()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.sign_in(agent.email, "wrong password", now=NOW)
        assert refused.value.reason == "invalid"
    with pytest.raises(accounts.SignInRefused) as refused:     # the failure that locks
        accounts.sign_in(agent.email, "wrong password", now=NOW)
    assert refused.value.reason == "locked"
    with pytest.raises(accounts.SignInRefused) as refused:     # even the right password, while locked
        accounts.sign_in(agent.email, PASSWORD, now=NOW + timedelta(minutes=14))
    assert refused.value.reason == "locked"
    later = NOW + timedelta(minutes=app.config["LOGIN_LOCKOUT_MINUTES"], seconds=1)
    assert accounts.sign_in(agent.email, PASSWORD, now=later) == agent


def test_lock_out_through_the_sign_in_page(client, app, make_agent):
    agent = make_agent()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert sign_in(client, agent, "wrong password").status_code == 200
    response = sign_in(client, agent)
    assert "locked" in response.get_data(as_text=True)
    assert client.get("/agent/").status_code == 302                # still not signed in
    db.session.refresh(agent)
    assert agent.locked_until is not None


def test_sign_in_is_rate_limited(client, app, make_agent):
    app.config["LOGIN_MAX_FAILURES"] = 1000                       # only the rate limit is under test here
    agent = make_agent()
    codes = [sign_in(client, agent, "wrong password").status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


@pytest.mark.parametrize("active, expected", [(True, 302), (False, 200)])
def test_deactivated_agents_cannot_sign_in(client, make_agent, active, expected):
    agent = make_agent()
    accounts.update_agent(agent, active=active)
    assert sign_in(client, agent).status_code == expected


def test_sign_in_sets_a_fresh_http_only_session_and_sign_out_ends_it(client, make_agent):
    response = sign_in(client, make_agent())
    assert response.status_code == 302 and response.headers["Location"] == "/agent/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/agent/").status_code == 200
    client.post("/agent/logout")
    assert client.get("/agent/").status_code == 302


@pytest.mark.parametrize("target, expected", [
    ("/agent/search?q=x", "/agent/search?q=x"),     # a path on this site is followed
    ("https://evil.example/", "/agent/"),           # another site is not
    ("//evil.example/", "/agent/"),
])
def test_next_after_sign_in_stays_on_this_site(client, make_agent, target, expected):
    agent = make_agent()
    response = client.post("/agent/login", query_string={"next": target},
                           data={"email": agent.email, "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_password_change(client, make_agent):
    agent = make_agent()
    sign_in(client, agent)
    refused = client.post("/agent/password", data={"current": "not it", "new": "a new password!", "confirm": "a new password!"})
    assert refused.status_code == 200
    done = client.post("/agent/password", data={"current": PASSWORD, "new": "a new password!", "confirm": "a new password!"})
    assert done.status_code == 302
    client.post("/agent/logout")
    assert sign_in(client, agent).status_code == 200                # the old password is gone
    assert sign_in(client, agent, "a new password!").status_code == 302


@pytest.mark.parametrize("email, role, markets, password, reason", [
    ("x@example.test", "boss", "se", "long enough pw", "unknown role"),
    ("x@example.test", "agent", "dk", "long enough pw", "unknown market"),
    ("x@example.test", "agent", "se", "short", "password too short"),
    ("not-an-address", "agent", "se", "long enough pw", "no @"),
])
def test_create_agent_refuses_bad_input(app, email, role, markets, password, reason):
    with pytest.raises(accounts.AccountError):
        accounts.create_agent(email, "X", password, role=role, markets=markets)


def test_create_agent_refuses_a_taken_address(make_agent):
    agent = make_agent()
    with pytest.raises(accounts.AccountError):
        accounts.create_agent(agent.email.upper(), "Twin", PASSWORD)
