"""The agent workspace: sign-in, queues, ticket work."""
from flask import Flask
from flask_login import current_user

from ..extensions import login
from ..mail import held
from . import deadlines, labels, sessions, twofactor
from .cli import agents
from . import (admin_views, export_views, held_views, privacy_views, ticket_views,  # noqa: F401  (routes on bp)
               twofactor_views, views)
from .blueprint import bp  # noqa: F401  (the package exports it)


def _held_count() -> int:
    """The navigation's count of held mail for the signed-in agent (a page asks only when it shows the link)."""
    return held.count(current_user) if current_user.is_authenticated else 0


def init_app(app: Flask) -> None:
    """Flask-Login (strong session protection, sign-in page), sign-in limits, the CLI."""
    if app.config["TWO_FACTOR_REQUIRED"] not in twofactor.POLICIES:
        raise RuntimeError(f"TWO_FACTOR_REQUIRED must be one of {', '.join(twofactor.POLICIES)}, "
                           f"not {app.config['TWO_FACTOR_REQUIRED']!r}")
    login.login_view = "agent.login"
    login.login_message_category = "info"
    login.session_protection = "strong"
    # the sign-in limits and the remember cookie's flags are settings: support/config.py
    app.cli.add_command(agents)
    app.add_template_global(labels.label, "agent_label")
    app.add_template_global(_held_count, "held_mail_count")
    app.add_template_global(deadlines.describe, "agent_deadline")

    @login.user_loader
    def load_agent(user_id: str):
        agent = sessions.load(user_id)       # "id:token": a revoked session is refused (sessions.py)
        # a session signed in before a second factor became required for this agent (the setting changed, or
        # an admin reset it) is no longer enough: sign in again, then enrol
        if agent is None or twofactor.must_enrol(agent):
            return None
        return agent
