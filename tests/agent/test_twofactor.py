"""Two-factor sign-in: enrolment by QR code, the code step after the password, recovery codes, the reset CLI.

Time is frozen (FROZEN_NOW) so that the app and the test agree on the 30-second step; codes are computed
with pyotp as an authenticator app would.
"""
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from support import create_app
from support.agent import twofactor
from support.agent.models import RecoveryCode, SecondFactor
from support.config import Defaults
from support.extensions import db

from .conftest import sign_in

T0 = datetime(2026, 3, 10, 9, 0, 5, tzinfo=UTC)


@pytest.fixture
def at(app):
    """Freeze the app's clock at an instant (aware); returns it, for computing the code of that moment."""
    def freeze(when):
        app.config["FROZEN_NOW"] = when.isoformat()
        return when
    freeze(T0)
    return freeze


@pytest.fixture
def policy(app):
    def set_policy(value):
        app.config["TWO_FACTOR_REQUIRED"] = value
    set_policy("admins")                       # the production default
    return set_policy


@pytest.fixture
def enrolled_admin(make_agent, at, policy):
    """An admin with an authenticator; returns (agent, its TOTP, its recovery codes)."""
    agent = make_agent(role="admin")
    key, codes = twofactor.enrol(agent, now=T0.replace(tzinfo=None) - timedelta(days=1))
    return agent, pyotp.TOTP(key.replace(" ", "")), codes


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_production_default_requires_admins_and_nonsense_is_refused(app_config):
    assert Defaults.TWO_FACTOR_REQUIRED == "admins"
    with pytest.raises(RuntimeError, match="TWO_FACTOR_REQUIRED"):
        create_app({**app_config, "TWO_FACTOR_REQUIRED": "sometimes"})


WORKSPACE = ["/agent/", "/agent/?view=mine", "/agent/overview", "/agent/agents", "/agent/search?q=SE-000001",
             "/agent/tickets/SE-000001", "/agent/password"]


def test_an_admin_without_a_second_factor_reaches_only_the_enrolment_page(client, make_agent, make_ticket, at,
                                                                          policy):
    make_ticket()
    response = sign_in(client, make_agent(role="admin"))
    assert response.headers["Location"] == "/agent/two-factor"
    for url in WORKSPACE:
        assert client.get(url).headers.get("Location") == "/agent/two-factor", url
    with client.session_transaction() as session:
        assert "_user_id" not in session                          # not signed in, only half
    assert client.post("/agent/bulk").headers["Location"] == "/agent/two-factor"


def test_enrolment_by_qr_code_then_the_workspace_opens(client, make_agent, at, policy):
    sign_in(client, make_agent(role="admin"))
    page = client.get("/agent/two-factor")
    html = _text(page)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert re.search(r'<img src="data:image/svg\+xml;charset=utf-8,%3Csvg[^"]+" alt="QR code for your authenticator app"', html)
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html and '<label for="code">' in html
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1).replace(" ", "")
    assert _text(client.get("/agent/two-factor")).count(secret[:4] + " " + secret[4:8]) == 1   # a reload: same key
    totp = pyotp.TOTP(secret)
    wrong = "000000" if totp.at(T0) != "000000" else "111111"
    refused = client.post("/agent/two-factor", data={"code": wrong})
    assert "That code is not right" in _text(refused) and client.get("/agent/").status_code == 302
    done = client.post("/agent/two-factor", data={"code": totp.at(T0)})
    codes = re.findall(r"<li><code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code></li>", _text(done))
    assert done.status_code == 200 and len(set(codes)) == 10 and done.headers["Cache-Control"] == "no-store"
    assert all(client.get(url).status_code == 200 for url in ("/agent/", "/agent/overview"))
    hashes = set(db.session.scalars(db.select(RecoveryCode.code_hash)))
    assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)   # stored hashed


def test_an_enrolled_admin_passes_the_code_step_before_any_page(client, enrolled_admin, at):
    agent, totp, _ = enrolled_admin
    response = client.post("/agent/login", query_string={"next": "/agent/overview"},
                           data={"email": agent.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/agent/login/code"
    for url in WORKSPACE:
        assert client.get(url).headers.get("Location") == "/agent/login/code", url
    page = _text(client.get("/agent/login/code"))
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page and "autofocus" in page
    assert "not right" in _text(client.post("/agent/login/code", data={"code": "12345"}))
    passed = client.post("/agent/login/code", data={"code": totp.at(T0)})
    assert passed.headers["Location"] == "/agent/overview"
    assert client.get("/agent/").status_code == 200


def test_a_wrong_or_reused_code_is_refused(client, enrolled_admin, at):
    agent, totp, _ = enrolled_admin
    sign_in(client, agent)
    wrong = totp.at(T0 + timedelta(minutes=5))                     # a real code, but of another time
    assert "That code is not right" in _text(client.post("/agent/login/code", data={"code": wrong}))
    assert client.post("/agent/login/code", data={"code": totp.at(T0)}).status_code == 302
    client.post("/agent/logout")
    sign_in(client, agent)
    for code in (totp.at(T0), totp.at(T0 - timedelta(seconds=30))):   # the same code, and the step before it
        refused = client.post("/agent/login/code", data={"code": code})
        assert "already been used" in _text(refused) and client.get("/agent/").status_code == 302
    at(T0 + timedelta(seconds=30))                                  # the app's next code
    assert client.post("/agent/login/code", data={"code": totp.at(T0 + timedelta(seconds=30))}).status_code == 302


@pytest.mark.parametrize("offset, accepted", [(-60, False), (-30, True), (0, True), (30, True), (60, False)])
def test_one_step_of_clock_drift_either_way(app, offset, accepted):
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).at(T0 + timedelta(seconds=offset))
    assert (twofactor._matching_step(secret, code, T0.replace(tzinfo=None)) is not None) == accepted


def test_a_recovery_code_works_once(client, enrolled_admin, at):
    agent, _, codes = enrolled_admin
    sign_in(client, agent)
    page = _text(client.get("/agent/login/recovery"))
    assert 'autocomplete="one-time-code"' in page and 'inputmode="text"' in page
    typed = codes[0].upper().replace("-", " ")                    # as someone might type it off paper
    passed = client.post("/agent/login/recovery", data={"code": typed}, follow_redirects=True)
    assert passed.status_code == 200 and "Recovery codes left: 9." in _text(passed)
    client.post("/agent/logout")
    sign_in(client, agent)
    refused = client.post("/agent/login/recovery", data={"code": codes[0]})
    assert "not right" in _text(refused) and client.get("/agent/").status_code == 302
    assert client.post("/agent/login/recovery", data={"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, enrolled_admin, at):
    agent, totp, old = enrolled_admin
    sign_in(client, agent)
    client.post("/agent/login/code", data={"code": totp.at(T0)})
    assert "Unused recovery codes: 10." in _text(client.get("/agent/two-factor"))
    refused = client.post("/agent/two-factor/recovery-codes", data={"code": "000000"}, follow_redirects=True)
    assert "not right" in _text(refused) or "already been used" in _text(refused)
    at(T0 + timedelta(seconds=30))
    page = client.post("/agent/two-factor/recovery-codes", data={"code": totp.at(T0 + timedelta(seconds=30))})
    new = re.findall(r"<li><code>([0-9a-z-]{19})</code></li>", _text(page))
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/agent/logout")
    sign_in(client, agent)
    assert client.post("/agent/login/recovery", data={"code": old[0]}).status_code == 200     # refused
    assert client.post("/agent/login/recovery", data={"code": new[0]}).status_code == 302


@pytest.mark.parametrize("setting, role, enrolled, first_stop", [
    ("admins", "agent", False, "/agent/"),                 # agents may sign in with the password alone...
    ("admins", "agent", True, "/agent/login/code"),        # ...but who has enrolled always passes the code step
    ("everyone", "agent", False, "/agent/two-factor"),     # everyone must enrol
    ("off", "admin", False, "/agent/"),
    ("off", "admin", True, "/agent/login/code"),
])
def test_who_must_use_a_second_factor(client, make_agent, at, policy, setting, role, enrolled, first_stop):
    policy(setting)
    agent = make_agent(role=role)
    if enrolled:
        twofactor.enrol(agent, now=T0.replace(tzinfo=None))
    assert sign_in(client, agent).headers["Location"] == first_stop


def test_a_half_finished_sign_in_runs_out(client, enrolled_admin, at, app):
    agent, totp, _ = enrolled_admin
    sign_in(client, agent)
    later = at(T0 + timedelta(minutes=app.config["TWO_FACTOR_STEP_MINUTES"], seconds=1))
    response = client.post("/agent/login/code", data={"code": totp.at(later)})
    assert response.headers["Location"] == "/agent/login" and client.get("/agent/").status_code == 302


def test_wrong_codes_slow_down_like_wrong_passwords(client, enrolled_admin, at, app):
    agent, totp, _ = enrolled_admin
    sign_in(client, agent)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        client.post("/agent/login/code", data={"code": "000000" if totp.at(T0) != "000000" else "111111"})
    waiting = client.post("/agent/login/code", data={"code": totp.at(T0)})
    assert "Try again in 2 seconds" in _text(waiting)
    at(T0 + timedelta(seconds=2))
    assert client.post("/agent/login/code", data={"code": totp.at(T0)}).status_code == 302


def test_the_code_step_is_rate_limited(client, enrolled_admin, at, app):
    app.config["LOGIN_FREE_FAILURES"] = 1000                      # only the rate limit is under test here
    agent, _, _ = enrolled_admin
    sign_in(client, agent)
    codes = [client.post("/agent/login/code", data={"code": "000000"}).status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_the_code_step_in_swedish_and_norwegian(client, enrolled_admin, at):
    agent, _, _ = enrolled_admin
    sign_in(client, agent)
    sv = _text(client.get("/agent/login/code", headers={"Accept-Language": "sv"}))
    nb = _text(client.get("/agent/login/code", headers={"Accept-Language": "nb"}))
    assert "Tvåstegsverifiering" in sv and "Kod från autentiseringsappen" in sv and "Använd en reservkod" in sv
    assert "Totrinnsbekreftelse" in nb and "Kode fra autentiseringsappen" in nb and "Bruk en reservekode" in nb


def test_reset_cli_removes_the_factor_and_ends_its_sessions(client, runner, enrolled_admin, at):
    agent, totp, _ = enrolled_admin
    sign_in(client, agent)
    client.post("/agent/login/code", data={"code": totp.at(T0)})
    assert client.get("/agent/").status_code == 200
    result = runner.invoke(args=["agents", "reset-2fa", agent.email.upper()])
    assert result.exit_code == 0, result.output
    assert "Removed second factor" in result.output and "new one at their next sign-in" in result.output
    assert db.session.get(SecondFactor, agent.id) is None
    assert not db.session.scalars(db.select(RecoveryCode).filter_by(agent_id=agent.id)).all()
    # the signed-in session no longer counts (an admin must have a second factor): sign in again, then enrol
    assert client.get("/agent/").headers["Location"].startswith("/agent/login")
    assert sign_in(client, agent).headers["Location"] == "/agent/two-factor"


def test_reset_cli_for_an_unknown_address(runner):
    result = runner.invoke(args=["agents", "reset-2fa", "nobody@example.test"])
    assert result.exit_code == 1 and "no agent" in result.output


def test_the_demo_seed_prints_a_key_and_recovery_codes_for_the_demo_admin(runner, client, at, policy):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    email, password = re.search(r"login: (\S+) / (\S+)", result.output).groups()
    key = re.search(r"add the key ([A-Z2-7 ]+) to", result.output).group(1).replace(" ", "")
    response = client.post("/agent/login", data={"email": email, "password": password})
    assert response.headers["Location"] == "/agent/login/code"
    assert client.post("/agent/login/code", data={"code": pyotp.TOTP(key).at(T0)}).status_code == 302


def test_an_agent_may_enrol_without_being_required_to(client, make_agent, at, policy):
    agent = make_agent(role="agent")
    sign_in(client, agent)
    page = _text(client.get("/agent/two-factor"))
    assert "so a stolen password alone is not enough" in page
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert client.post("/agent/two-factor", data={"code": pyotp.TOTP(secret).at(T0)}).status_code == 200
    assert client.get("/agent/").status_code == 200                   # still signed in
    client.post("/agent/logout")
    assert sign_in(client, agent).headers["Location"] == "/agent/login/code"


def test_a_half_signed_in_agent_can_cancel(client, enrolled_admin, at):
    agent, totp, _ = enrolled_admin
    sign_in(client, agent)
    assert "Avbryt och logga ut" in _text(client.get("/agent/login/code", headers={"Accept-Language": "sv"}))
    client.post("/agent/logout")
    assert client.post("/agent/login/code", data={"code": totp.at(T0)}).headers["Location"] == "/agent/login"
