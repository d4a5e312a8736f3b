"""`flask agents create EMAIL --name NAME --role agent|admin [--markets se,no]`, `flask agents password EMAIL`
and `flask agents reset-2fa EMAIL`."""
import click
from flask.cli import AppGroup

from . import accounts, twofactor

agents = AppGroup("agents", help="Manage agent accounts.")


def _password(generate: bool) -> tuple[str, bool]:
    if generate:
        return accounts.generate_password(), True
    return click.prompt("Password", hide_input=True, confirmation_prompt=True), False


@agents.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The agent's name as colleagues see it.")
@click.option("--role", type=click.Choice(["agent", "admin"]), default="agent", show_default=True)
@click.option("--markets", default="se,no", show_default=True, help="Comma-separated market codes.")
@click.option("--languages", default="sv,nb,en", show_default=True)
@click.option("--queues", default="", help="Comma-separated queues the agent works (default: all); for notifications.")
@click.option("--generate", is_flag=True, help="Generate a password and print it instead of prompting.")
def create(email, name, role, markets, languages, queues, generate):
    """Create an agent or admin."""
    password, show = _password(generate)
    try:
        agent = accounts.create_agent(email, name, password, role=role, markets=markets, languages=languages,
                                      queues=queues)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {agent.role} {agent.email} (markets {agent.markets}).")
    if show:
        click.echo(f"Password: {password}")


@agents.command("password")
@click.argument("email")
@click.option("--generate", is_flag=True, help="Generate a password and print it instead of prompting.")
def password(email, generate):
    """Set an agent's password (and lift a lock-out)."""
    agent = accounts.by_email(email)
    if agent is None:
        raise click.ClickException(f"no agent {email}")
    new, show = _password(generate)
    try:
        accounts.set_password(agent, new)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Password changed for {agent.email}." + (f" New password: {new}" if show else ""))


@agents.command("reset-2fa")
@click.argument("email")
def reset_2fa(email):
    """Remove an agent's second factor and recovery codes (a lost or replaced phone)."""
    agent = accounts.by_email(email)
    if agent is None:
        raise click.ClickException(f"no agent {email}")
    had = twofactor.reset(agent)
    then = ("they set up a new one at their next sign-in" if twofactor.required_for(agent)
            else "they sign in with the password alone until they set up a new one")
    click.echo(f"{'Removed' if had else 'There was no'} second factor for {agent.email}; {then}.")
