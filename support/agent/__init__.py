"""The agent workspace: sign-in, queues, ticket work."""
from flask import Flask

from ..extensions import db, login
from . import deadlines, labels
from .cli import agents
from .models import Agent
from . import admin_views, ticket_views, views  # noqa: F401  (each declares its routes on bp)
from .blueprint import bp


def init_app(app: Flask) -> None:
    """Flask-Login (strong session protection, sign-in page), sign-in limits, the CLI."""
    login.login_view = "agent.login"
    login.login_message_category = "info"
    login.session_protection = "strong"
    # the sign-in limits and the remember cookie's flags are settings: support/config.py
    app.cli.add_command(agents)
    app.add_template_global(labels.label, "agent_label")
    app.add_template_global(deadlines.describe, "agent_deadline")

    @login.user_loader
    def load_agent(agent_id: str):
        return db.session.get(Agent, int(agent_id))
