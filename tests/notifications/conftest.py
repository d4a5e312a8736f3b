"""Notifications are fed by mail intake here: the intake addresses apply; mail is gathered without waiting."""
import pytest

from tests.mail.conftest import app_config as mail_app_config  # noqa: F401

from support.agent import accounts

PASSWORD = "a long enough password"


@pytest.fixture
def app_config(mail_app_config):
    return {**mail_app_config, "NOTIFY_GATHER_SECONDS": 0, "MARKET_OVERRIDES": {"no": {"support_email": "support-no@example.test"}}}


@pytest.fixture
def make_agent(app):
    def make(email, markets="se", queues="", **prefs):
        agent = accounts.create_agent(email, email.split("@")[0].title(), PASSWORD, markets=markets, queues=queues)
        if prefs:
            accounts.set_preferences(agent, queues=agent.queue_names and list(agent.queue_names),
                                     notify=prefs.get("notify", agent.notify.split(",")),
                                     off_hours=prefs.get("off_hours", False))
        return agent
    return make
