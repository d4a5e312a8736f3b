"""Server-side revocation of agent sessions.

Flask's session is a signed cookie, so the server cannot delete it: a cookie copied before sign-out would open
the workspace until it expires. Instead every session names the agent by "id:token" (Flask-Login's alternative
id, Agent.get_id), and the loader accepts it only while the token is the agent's current one. A new token, at
sign-out, password change and deactivation, ends every session of that agent on every device at once.
"""
from __future__ import annotations

import hmac
import secrets

from ..extensions import db
from ..ids import parse_id
from .models import Agent


def load(user_id: str) -> Agent | None:
    """The agent a session names, if that session is still valid (Flask-Login's user loader)."""
    agent_id, _, token = (user_id or "").partition(":")
    agent_id = parse_id(agent_id)
    if agent_id is None or not token:
        return None                               # also a session from before tokens: sign in again
    agent = db.session.get(Agent, agent_id)
    if agent is None or not hmac.compare_digest(agent.session_token.encode(), token.encode()):
        return None
    return agent


def end_all(agent: Agent) -> None:
    """Invalidate every session of the agent (the caller commits)."""
    agent.session_token = secrets.token_hex(16)


def sign_out(agent: Agent) -> None:
    """Sign-out ends every session of the agent, not only the cookie in this browser (one commit)."""
    end_all(agent)
    db.session.commit()
