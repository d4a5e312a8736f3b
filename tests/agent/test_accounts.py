"""Accounts: hashing, the growing delay after failures (never a lock-out), uniform answers, the sign-in rate
limit, sign-out, password change."""
from datetime import timedelta

import pytest

from support.agent import accounts
from support.agent.models import SignInFailure
from support.extensions import db

from .conftest import NOW, PASSWORD, sign_in


def test_password_is_stored_as_a_modern_hash(make_agent):
    agent = make_agent()
    assert agent.password_hash.startswith("scrypt:") and PASSWORD not in agent.password_hash


STRANGER, OFFICE = "203.0.113.9", "198.51.100.20"


def _fail(email, client, now):
    with pytest.raises(accounts.SignInRefused) as refused:
        accounts.sign_in(email, "wrong password", client=client, now=now)
    return refused.value


def test_failures_earn_a_growing_delay_for_that_client_and_address(app, make_agent):
    agent, now = make_agent(), NOW
    free = app.config["LOGIN_FREE_FAILURES"]
    assert [_fail(agent.email, STRANGER, now).reason for _ in range(free)] == ["invalid"] * free
    delays = []
    for _ in range(9):
        refused = _fail(agent.email, STRANGER, now)                  # even the right password is not tried now
        assert refused.reason == "wait"
        delays.append(refused.seconds)
        now += timedelta(seconds=refused.seconds)                  # wait it out, then fail once more
        assert _fail(agent.email, STRANGER, now).reason == "invalid"
    assert delays == [2, 4, 8, 16, 32, 64, 128, 256, 300]           # doubling, capped at LOGIN_MAX_DELAY_SECONDS
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(agent.email, PASSWORD, client=STRANGER, now=now)
    later = now + timedelta(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"])
    assert accounts.sign_in(agent.email, PASSWORD, client=STRANGER, now=later) == agent


def test_a_stranger_cannot_lock_an_agent_out(app, make_agent):
    agent, now = make_agent(), NOW
    for _ in range(16):                                            # a determined stranger, as fast as allowed
        now += timedelta(seconds=_fail(agent.email, STRANGER, now).seconds)
    _fail(agent.email, STRANGER, now)
    assert _fail(agent.email, STRANGER, now).reason == "wait"       # the stranger is slowed down
    assert accounts.sign_in(agent.email, PASSWORD, client=OFFICE, now=now) == agent   # the agent is not affected


def test_unknown_addresses_are_throttled_exactly_like_real_ones(app, make_agent):
    agent = make_agent()
    answers = {}
    for email in (agent.email, "nobody@example.test"):
        answers[email] = [_fail(email, STRANGER, NOW) for _ in range(app.config["LOGIN_FREE_FAILURES"] + 2)]
    real, unknown = ([(r.reason, r.seconds) for r in answers[e]] for e in answers)
    assert real == unknown == [("invalid", 0)] * 3 + [("wait", 2)] * 2


def test_a_successful_sign_in_forgets_the_failures(app, make_agent):
    agent = make_agent()
    for _ in range(app.config["LOGIN_FREE_FAILURES"] - 1):
        _fail(agent.email, OFFICE, NOW)
    accounts.sign_in(agent.email, PASSWORD, client=OFFICE, now=NOW)
    assert [_fail(agent.email, OFFICE, NOW).reason for _ in range(3)] == ["invalid"] * 3


def test_failures_nobody_repeated_for_a_day_are_swept(app, make_agent):
    agent = make_agent()
    for _ in range(5):
        _fail("nobody@example.test", STRANGER, NOW)
    _fail(agent.email, OFFICE, NOW + timedelta(days=1, seconds=1))
    assert [row.account for row in db.session.scalars(db.select(SignInFailure))] == [agent.email]


def _error(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<ul class="errors"', 1)[1].split("</ul>", 1)[0]


def test_the_sign_in_page_answers_alike_for_unknown_addresses_and_wrong_passwords(app, make_agent):
    agent = make_agent()
    client = app.test_client()
    answers = []
    for email, password in ((agent.email, "wrong password"), ("nobody@example.test", "wrong password"),
                            (agent.email.upper(), "wrong password")):
        response = client.post("/agent/login", data={"email": email, "password": password},
                               environ_base={"REMOTE_ADDR": STRANGER}, headers={"Accept-Language": "sv"})
        answers.append((response.status_code, _error(response).replace(email, "")))
    assert answers == [(200, answers[0][1])] * 3 and "Fel e-postadress eller lösenord." in answers[0][1]


def test_the_sign_in_page_asks_to_wait_alike_for_any_address(app, make_agent):
    agent = make_agent()
    client = app.test_client()
    waits = []
    for email in (agent.email, "nobody@example.test"):
        for _ in range(app.config["LOGIN_FREE_FAILURES"] + 1):
            response = client.post("/agent/login", data={"email": email, "password": "wrong password"},
                                   environ_base={"REMOTE_ADDR": STRANGER})
        waits.append(_error(response))
    assert waits[0] == waits[1] and "Too many failed attempts. Try again in 2 seconds." in waits[0]
    # the agent, from the office, signs in as usual
    response = client.post("/agent/login", data={"email": agent.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": OFFICE})
    assert response.status_code == 302 and client.get("/agent/", environ_base={"REMOTE_ADDR": OFFICE}).status_code == 200


def test_sign_in_is_rate_limited(client, app, make_agent):
    app.config["LOGIN_FREE_FAILURES"] = 1000                      # only the rate limit is under test here
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
