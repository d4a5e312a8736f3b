"""The password rule: length, nothing about the agent, and zxcvbn's estimate (common and breached passwords)."""
import pytest

from support.agent import accounts, passwords

from .conftest import NOW, PASSWORD, sign_in

EMAIL, NAME = "anna.svensson@example.se", "Anna Svensson"


@pytest.mark.parametrize("password, reason, why", [
    ("1234567890", "guessable", "a top-100 password from public breaches"),
    ("qwertyuiop", "guessable", "a keyboard row"),
    ("password123", "guessable", "a common password with digits"),
    ("lösenord1234", "guessable", "the Swedish word, from PASSWORD_EXTRA_WORDS"),
    ("passord12345", "guessable", "the Norwegian word"),
    ("aaaaaaaaaaaa", "guessable", "a repeat"),
    (EMAIL, "personal", "the agent's own address"),
    ("Anna.Svensson2024", "personal", "the address's local part, capitalised"),
    ("svensson-katt-99", "personal", "the surname"),
    ("short", "short", "under 10 characters"),
    ("x" * 201, "long", "over the form's 200"),
    ("correct horse battery", None, "three unrelated words"),
    ("Qm8#vT2!pL9zR", None, "random characters"),
    ("Ola kör sin röda traktor hem", None, "a sentence; 'Ola' is a short name word, not refused outright"),
    ("vT2!pL9zRQm8#" * 7, None, "longer than zxcvbn's 72 characters: judged by its start"),
])
def test_the_rule(app, password, reason, why):
    config = app.config
    check = dict(email=EMAIL, name=NAME, min_score=config["PASSWORD_MIN_SCORE"],
                 extra_words=config["PASSWORD_EXTRA_WORDS"])
    if reason is None:
        passwords.check(password, **check)
        return
    with pytest.raises(passwords.WeakPassword) as refused:
        passwords.check(password, **check)
    assert refused.value.reason == reason, why


def test_generated_passwords_pass(app):
    for _ in range(50):
        password = accounts.generate_password()
        passwords.check(password, email=EMAIL, name=NAME)


@pytest.mark.parametrize("password", ["1234567890", "lena.berg@example.test"])
def test_create_and_set_refuse_weak_passwords(make_agent, password):
    with pytest.raises(accounts.WeakPassword):
        accounts.create_agent("lena.berg@example.test", "Lena Berg", password)
    agent = make_agent(email="lena.berg@example.test", name="Lena Berg")
    with pytest.raises(accounts.WeakPassword):
        accounts.set_password(agent, password)


def test_the_password_page_says_why_in_the_agents_language(client, make_agent):
    agent = make_agent(email="lena.berg@example.test", name="Lena Berg")
    sign_in(client, agent)
    cases = {"1234567890": "för vanligt eller för lätt att gissa",
             "lena.berg@example.test": "får inte innehålla din e-postadress eller ditt namn"}
    for new, message in cases.items():
        page = client.post("/agent/password", data={"current": PASSWORD, "new": new, "confirm": new},
                           headers={"Accept-Language": "sv"})
        assert page.status_code == 200 and message in page.get_data(as_text=True), new
    assert sign_in(client, agent).status_code == 302                 # the old password still works


def test_the_cli_refuses_a_weak_password(runner):
    result = runner.invoke(args=["agents", "create", "ola@example.test", "--name", "Ola Nordmann"],
                           input="1234567890\n1234567890\n")
    assert result.exit_code == 1 and "too common or too easy to guess" in result.output
    assert accounts.by_email("ola@example.test") is None


def test_the_admin_page_creates_agents_with_a_generated_password_that_passes(client, make_agent):
    sign_in(client, make_agent(role="admin"))
    response = client.post("/agent/agents", data={"email": "ny@example.test", "name": "Ny Agent", "role": "agent",
                                                  "markets": "se", "languages": "sv"}, follow_redirects=True)
    text = response.get_data(as_text=True)
    password = text.split("one-time password: ")[1].split("<")[0].strip()
    assert accounts.sign_in("ny@example.test", password, now=NOW).email == "ny@example.test"
