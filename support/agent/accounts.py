"""Agent accounts: create, sign in (with lock-out after repeated failures), passwords, admin changes."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..markets import LANGUAGES
from .models import NOTIFY_KINDS, ROLES, Agent

MIN_PASSWORD = 10
# a hash to compare against when the e-mail is unknown, so timing does not reveal which addresses exist
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is shown to the agent."""


class SignInRefused(Exception):
    """Wrong e-mail or password, or the account is locked or deactivated; `reason` says which."""

    def __init__(self, reason: str, until: datetime | None = None):
        super().__init__(reason)
        self.reason, self.until = reason, until


def _clean_markets(markets: str, known) -> str:
    codes = [m.strip().lower() for m in markets.split(",") if m.strip()]
    unknown = [m for m in codes if m not in known]
    if unknown or not codes:
        raise AccountError(f"unknown or no markets: {', '.join(unknown) or '(none)'} (known: {', '.join(known)})")
    return ",".join(dict.fromkeys(codes))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")


def get(agent_id: int) -> Agent | None:
    """The agent with this id, or None."""
    return db.session.get(Agent, agent_id)


def by_email(email: str) -> Agent | None:
    """The agent with this e-mail address (case-insensitive)."""
    return db.session.scalar(select(Agent).where(func.lower(Agent.email) == email.strip().lower()))


def create_agent(email: str, name: str, password: str, *, role: str = "agent", markets: str = "se,no",
                 languages: str = "sv,nb,en", queues: str = "") -> Agent:
    """Create an agent or admin; raises AccountError for a taken address, bad role, market or password."""
    email = email.strip().lower()
    if "@" not in email or by_email(email) is not None:
        raise AccountError(f"{email!r} is not a valid address or is already taken")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    _check_password(password)
    agent = Agent(email=email, name=name.strip() or email, role=role,
                  markets=_clean_markets(markets, current_app.extensions["markets"]),
                  languages=_clean_markets(languages, LANGUAGES), password_hash=generate_password_hash(password),
                  queues=_clean_queues(queues))
    db.session.add(agent)
    db.session.commit()
    return agent


def generate_password() -> str:
    """A random password to print once (the CLI and the demo seed)."""
    return secrets.token_urlsafe(12)


def set_password(agent: Agent, password: str) -> None:
    """Replace an agent's password and lift any lock-out."""
    _check_password(password)
    agent.password_hash = generate_password_hash(password)
    agent.failed_logins, agent.locked_until = 0, None
    db.session.commit()


def change_password(agent: Agent, current: str, new: str) -> None:
    """The agent's own password change: the current password must be right."""
    if not check_password_hash(agent.password_hash, current):
        raise AccountError("the current password is not right")
    set_password(agent, new)


def sign_in(email: str, password: str, *, now: datetime) -> Agent:
    """Check a sign-in; count failures and lock the account for a while after too many (one commit)."""
    agent = by_email(email)
    if agent is None:
        check_password_hash(_DUMMY_HASH, password)
        raise SignInRefused("invalid")
    if agent.locked_until is not None and agent.locked_until > now:
        raise SignInRefused("locked", agent.locked_until)
    if not check_password_hash(agent.password_hash, password):
        agent.failed_logins += 1
        locked = agent.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]
        if locked:
            minutes = current_app.config["LOGIN_LOCKOUT_MINUTES"]
            agent.locked_until, agent.failed_logins = now + timedelta(minutes=minutes), 0
        db.session.commit()
        raise SignInRefused("locked" if locked else "invalid", agent.locked_until if locked else None)
    if not agent.active:
        raise SignInRefused("inactive")
    agent.failed_logins, agent.locked_until = 0, None
    db.session.commit()
    return agent


def update_agent(agent: Agent, *, markets: str | None = None, role: str | None = None,
                 active: bool | None = None, name: str | None = None) -> Agent:
    """An admin's change to an agent: markets, role, active flag, name (one commit)."""
    if markets is not None:
        agent.markets = _clean_markets(markets, current_app.extensions["markets"])
    if role is not None:
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        agent.role = role
    if active is not None:
        agent.active = active
    if name:
        agent.name = name.strip()
    db.session.commit()
    return agent


def _clean_queues(queues: str) -> str:
    names = [q.strip() for q in queues.split(",") if q.strip()]
    unknown = [q for q in names if q not in current_app.config["QUEUES"]]
    if unknown:
        raise AccountError(f"unknown queues: {', '.join(unknown)} (known: {', '.join(current_app.config['QUEUES'])})")
    return ",".join(dict.fromkeys(names))


def set_preferences(agent: Agent, *, queues: list[str], notify: list[str], off_hours: bool) -> Agent:
    """The agent's own choice: the queues they work (none: all), what they are told about, and whether
    mail about it reaches them outside opening hours (else it waits, gathered, for the opening)."""
    unknown = [k for k in notify if k not in NOTIFY_KINDS]
    if unknown:
        raise AccountError(f"unknown notifications: {', '.join(unknown)}")
    agent.queues = _clean_queues(",".join(queues))
    agent.notify = ",".join(k for k in NOTIFY_KINDS if k in notify)
    agent.notify_off_hours = off_hours
    db.session.commit()
    return agent


def list_agents() -> list[Agent]:
    """All agents, active first, by name."""
    return list(db.session.scalars(select(Agent).order_by(Agent.active.desc(), Agent.name)))
