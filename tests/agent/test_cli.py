"""`flask agents create` and `flask agents password`."""
import pytest

from support.agent import accounts

from .conftest import NOW


def test_create_with_a_generated_password_prints_it(runner):
    result = runner.invoke(args=["agents", "create", "Lena@Example.test", "--name", "Lena", "--role", "admin",
                                 "--markets", "se", "--generate"])
    assert result.exit_code == 0, result.output
    password = result.output.split("Password: ")[1].strip()
    agent = accounts.sign_in("lena@example.test", password, now=NOW)
    assert (agent.role, agent.market_codes, agent.name) == ("admin", ("se",), "Lena")


def test_create_prompts_for_the_password(runner):
    result = runner.invoke(args=["agents", "create", "ola@example.test", "--name", "Ola", "--markets", "no"],
                           input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    assert accounts.sign_in("ola@example.test", "a long password", now=NOW).market_codes == ("no",)


def test_create_reports_bad_input_without_a_traceback(runner):
    result = runner.invoke(args=["agents", "create", "x@example.test", "--name", "X", "--markets", "dk", "--generate"])
    assert result.exit_code == 1 and "unknown or no markets" in result.output


def test_password_resets_and_lifts_the_delays(runner, make_agent):
    agent = make_agent()
    for _ in range(10):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(agent.email, "wrong password", now=NOW)
    result = runner.invoke(args=["agents", "password", agent.email, "--generate"])
    assert result.exit_code == 0, result.output
    new = result.output.split("New password: ")[1].strip()
    assert accounts.sign_in(agent.email, new, now=NOW) == agent


def test_password_for_an_unknown_agent(runner):
    result = runner.invoke(args=["agents", "password", "nobody@example.test", "--generate"])
    assert result.exit_code == 1 and "no agent" in result.output
