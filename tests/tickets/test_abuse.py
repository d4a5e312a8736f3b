"""Abuse guards with the real extensions switched on: CSRF on every form, a rate limit on submissions."""
import re

import pytest
from sqlalchemy import func, select

from support.extensions import db
from support.tickets.models import Ticket

from ..conftest import running
from .conftest import form_fields, multipart


@pytest.fixture
def csrf_app(app_config):
    yield from running({**app_config, "WTF_CSRF_ENABLED": True})


@pytest.fixture
def limited_app(app_config):
    yield from running({**app_config, "RATELIMIT_ENABLED": True, "REQUEST_RATE_LIMIT": "3 per minute"})


def _token(page: str) -> str:
    return re.search(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_csrf_is_enforced(csrf_app):
    client = csrf_app.test_client()
    missing = client.post("/sv/contact/other", **multipart(form_fields("other")))
    assert missing.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
    token = _token(client.get("/sv/contact/other").get_data(as_text=True))
    accepted = client.post("/sv/contact/other", **multipart({**form_fields("other"), "csrf_token": token}))
    assert accepted.status_code == 302
    deflect = client.post("/api/tickets/deflected", json={"query": "x", "lang": "sv", "slug": "x"})
    assert deflect.status_code == 400, "the deflection endpoint wants the token too"


def test_submissions_are_rate_limited(limited_app):
    client = limited_app.test_client()
    codes = [client.post("/sv/contact/other", **multipart(form_fields("other"))).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert client.get("/sv/contact/other").status_code == 200, "reading the form is not limited"
    refused = client.post("/sv/contact/other", **multipart(form_fields("other")))
    assert refused.status_code == 429 and '<html lang="sv">' in refused.get_data(as_text=True), "a page, not a bare 429"
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 3


@pytest.fixture
def ack_limited_app(app_config):
    yield from running({**app_config, "MAIL_ACK_LIMIT": 2})


def test_web_acknowledgements_are_limited_per_recipient_address(ack_limited_app):
    """The form takes any address and puts the visitor's subject in our mail: per address, not per client."""
    from support.outbox import OutboxMail
    from support.tickets.models import Event
    client = ack_limited_app.test_client()
    for email in ("victim@example.se", "Victim@Example.se", "victim@example.se", "other@example.se"):
        response = client.post("/sv/contact/other", **multipart(form_fields("other", email=email)))
        assert response.status_code == 302                  # the request itself is always taken
    acks = db.session.scalars(select(OutboxMail.recipient).where(OutboxMail.kind == "acknowledgement")).all()
    assert sorted(a.lower() for a in acks) == ["other@example.se", "victim@example.se", "victim@example.se"]
    skipped = db.session.scalars(select(Event).where(Event.action == "acknowledgement-skipped")).all()
    assert len(skipped) == 1 and "rate limit" in skipped[0].data["reason"]
    assert db.session.scalar(select(func.count(Ticket.id))) == 4
