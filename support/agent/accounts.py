"""Agent accounts: create, sign in (throttled per client and address), passwords, admin changes."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..markets import LANGUAGES
from . import passwords, sessions, throttle, twofactor
from .models import NOTIFY_KINDS, ROLES, Agent

MIN_PASSWORD = passwords.MIN_LENGTH
# a hash to compare against when the e-mail is unknown, so timing does not reveal which addresses exist
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is shown to the agent."""


class WeakPassword(AccountError):
    """The password breaks the rule; `reason` is one of passwords.WeakPassword's."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class SignInRefused(Exception):
    """Why a sign-in step failed: "invalid" (wrong or unknown address, or wrong password: never told apart),
    "wait" (too many failures from this client for this address: `seconds` to wait) or "inactive" (told only
    after the right password)."""

    def __init__(self, reason: str, seconds: int = 0):
        super().__init__(reason)
        self.reason, self.seconds = reason, seconds


def _clean_markets(markets: str, known) -> str:
    codes = [m.strip().lower() for m in markets.split(",") if m.strip()]
    unknown = [m for m in codes if m not in known]
    if unknown or not codes:
        raise AccountError(f"unknown or no markets: {', '.join(unknown) or '(none)'} (known: {', '.join(known)})")
    return ",".join(dict.fromkeys(codes))


def _check_password(password: str, email: str, name: str) -> None:
    """The password rule (support/agent/passwords.py); raises WeakPassword, an AccountError."""
    config = current_app.config
    try:
        passwords.check(password, email=email, name=name, min_score=config["PASSWORD_MIN_SCORE"],
                        extra_words=config["PASSWORD_EXTRA_WORDS"])
    except passwords.WeakPassword as exc:
        raise WeakPassword(exc.reason, str(exc)) from None


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
    _check_password(password, email, name)
    agent = Agent(email=email, name=name.strip() or email, role=role,
                  markets=_clean_markets(markets, current_app.extensions["markets"]),
                  languages=_clean_markets(languages, LANGUAGES), password_hash=generate_password_hash(password),
                  queues=_clean_queues(queues))
    db.session.add(agent)
    db.session.commit()
    return agent


def generate_password() -> str:
    """A random password to print once (the CLI, the admin page and the demo seed); it passes the rule."""
    config = current_app.config
    return passwords.generate({"email": "", "min_score": config["PASSWORD_MIN_SCORE"],
                               "extra_words": config["PASSWORD_EXTRA_WORDS"]})


def set_password(agent: Agent, password: str) -> None:
    """Replace an agent's password and let every client try this address afresh."""
    _check_password(password, agent.email, agent.name)
    agent.password_hash = generate_password_hash(password)
    throttle.forget_account(agent.email)
    sessions.end_all(agent)             # a password change ends the other sessions (a thief's copy too)
    db.session.commit()


def change_password(agent: Agent, current: str, new: str) -> None:
    """The agent's own password change: the current password must be right."""
    if not check_password_hash(agent.password_hash, current):
        raise AccountError("the current password is not right")
    set_password(agent, new)


def sign_in(email: str, password: str, *, client: str | None = None, now: datetime) -> Agent:
    """Check a password sign-in from `client` (an address); count failures per client and typed address,
    refusing further tries for a growing while (support/agent/throttle.py). One commit."""
    seconds = throttle.wait(client, email, now=now)
    if seconds:
        raise SignInRefused("wait", seconds)
    agent = by_email(email)
    if agent is None or not check_password_hash(agent.password_hash, password):
        if agent is None:
            check_password_hash(_DUMMY_HASH, password)          # the same work as for a real address
        throttle.record_failure(client, email, now=now)
        db.session.commit()
        raise SignInRefused("invalid")
    if not agent.active:
        raise SignInRefused("inactive")
    if not twofactor.enrolled(agent):         # else the pair is forgotten once the second step passes too
        throttle.forget(client, email)
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
        if not active:
            sessions.end_all(agent)
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
