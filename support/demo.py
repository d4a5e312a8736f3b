"""Demo data for the embedded run: one agent whose fresh password is printed at every start."""
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from .agent.models import Agent
from .extensions import db

DEMO_EMAIL = "demo@example.com"


def seed(password: str) -> tuple[str, str]:
    """Create the demo agent (or reset its password) and return the login to print."""
    agent = db.session.scalar(select(Agent).filter_by(email=DEMO_EMAIL))
    if agent is None:
        agent = Agent(email=DEMO_EMAIL, name="Demo Agent", role="admin", password_hash="")
        db.session.add(agent)
    agent.password_hash = generate_password_hash(password)
    agent.failed_logins, agent.locked_until = 0, None
    db.session.commit()
    return DEMO_EMAIL, password
