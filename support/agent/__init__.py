"""The agent workspace: sign-in, queues, ticket work."""
from flask import Flask

from ..extensions import login
from . import labels, sessions
from .cli import agents
from .views import bp


def init_app(app: Flask) -> None:
    """Flask-Login (strong session protection, sign-in page), sign-in limits, the CLI."""
    login.login_view = "agent.login"
    login.login_message_category = "info"
    login.session_protection = "strong"
    # the remember cookie's flags are site-wide settings: support/config.py and support/production.py
    app.config.setdefault("LOGIN_MAX_FAILURES", 5)
    app.config.setdefault("LOGIN_LOCKOUT_MINUTES", 15)
    app.config.setdefault("LOGIN_RATE_LIMIT", "10 per minute")
    app.cli.add_command(agents)
    app.add_template_global(labels.label, "agent_label")

    login.user_loader(sessions.load)             # "id:token": revoked sessions are refused (sessions.py)
