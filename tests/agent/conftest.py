"""Agent fixtures: a tiny FAQ (the agent pages do not depend on the real content), agents, tickets, sign-in."""
import itertools
from datetime import datetime, timedelta

import pytest

from support.agent import accounts
from support.extensions import db
from support.tickets import text_index
from support.tickets.models import Message, Ticket

TINY_FAQ = """
categories:
  orders: {sv: Order, nb: Ordre, en: Orders}
entries:
  - slug: cancel-order
    category: orders
    sv: {question: "Hur makulerar jag en order?", answer: "Kontakta oss."}
    nb: {question: "Hvordan kansellerer jeg en ordre?", answer: "Kontakt oss."}
    en: {question: "How do I cancel an order?", answer: "Contact us."}
"""
PASSWORD = "correct horse battery"
NOW = datetime(2026, 3, 10, 9, 0)          # a Tuesday, 10:00 in Stockholm (naive UTC, as stored)


@pytest.fixture
def app_config(app_config, tmp_path):
    faq = tmp_path / "faq.yaml"
    faq.write_text(TINY_FAQ, encoding="utf-8")
    # the limiter stays on: the sign-in rate limit is under test (and limiter.reset() needs its storage).
    # Two-factor sign-in is off here so that the admin pages' tests sign in with the password alone;
    # test_twofactor.py turns on the production default ("admins") and "everyone" itself.
    return {**app_config, "FAQ_PATH": str(faq), "RATELIMIT_ENABLED": True, "TWO_FACTOR_REQUIRED": "off",
            "MARKET_OVERRIDES": {"no": {"support_email": "support-no@example.test"}}}


@pytest.fixture
def make_agent(app):
    counter = itertools.count(1)

    def make(role="agent", markets="se,no", **fields):
        email = fields.pop("email", None) or f"agent{next(counter)}@example.test"
        return accounts.create_agent(email, fields.pop("name", email.split("@")[0].title()), PASSWORD,
                                     role=role, markets=markets)
    return make


@pytest.fixture
def make_ticket(app):
    """A ticket stored directly (the agent side does not depend on intake): one customer message, due in 4 h."""
    counter = itertools.count(1)

    def make(market="se", **fields):
        n = next(counter)
        values = {"reference": f"{market.upper()}-{n:06d}", "secret": "s" * 32, "market": market,
                  "language": {"se": "sv", "no": "nb"}[market], "channel": "web", "category": "damage",
                  "queue": "damage", "status": "new", "subject": f"Skadad leverans {n}",
                  "customer_email": f"kund{n}@example.se", "customer_name": "Anna Kund", "company": "Kund AB",
                  "order_numbers": f"70000{n}", "created_at": NOW - timedelta(hours=1),
                  "due_at": NOW + timedelta(hours=4 + n), **fields}
        ticket = Ticket(**values)
        ticket.messages.append(Message(kind="customer", sender=values["customer_email"], body_text="Kartongen var trasig.",
                                       created_at=values["created_at"]))
        db.session.add(ticket)
        text_index.refresh(ticket)          # as the ticket operations do before they commit
        db.session.commit()
        return ticket
    return make


def sign_in(client, agent, password=PASSWORD):
    return client.post("/agent/login", data={"email": agent.email, "password": password})
