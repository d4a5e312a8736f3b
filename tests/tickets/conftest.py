"""Fixtures for tickets: a draft factory, a ticket factory, form data per request kind."""
import io
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from support.tickets.operations import Draft, open_ticket

from . import images

MONDAY_10 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)          # 10:00 in Stockholm and Oslo, a working Monday


@pytest.fixture
def make_draft():
    def _make(**overrides):
        fields = {"market": "se", "language": "sv", "channel": "web", "category": "other",
                  "subject": "Fråga om faktura", "body": "Hej, jag undrar över en faktura.",
                  "customer_email": "kund@example.se", "customer_name": "Eva Kund", "company": "Kund AB",
                  **overrides}
        return Draft(**fields)
    return _make


@pytest.fixture
def make_ticket(app, make_draft):
    def _make(uploads=(), now=MONDAY_10, **overrides):
        return open_ticket(make_draft(**overrides), uploads, now=now)
    return _make


def form_fields(kind, **overrides):
    """Valid form data for one request kind (photos excluded)."""
    common = {"company": "Kund AB", "name": "Eva Kund", "email": "eva@example.se", "phone": "", "market": "se",
              "language": "sv", "customer_number": "C-1001"}
    per_kind = {
        "cancellation": {"order_numbers": "4400123, 4400124", "description": "Beställd två gånger av misstag."},
        "damage": {"order_numbers": "4400125", "description": "Skärmen är sprucken, kartongen intryckt.",
                   "delivered_at": (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")},
        "stuck-order": {"order_numbers": "4400126", "status_shown": "Behandlas",
                        "status_since": (datetime.now() - timedelta(days=5)).strftime("%Y-%m-%d")},
        "other": {"subject": "Fakturakopia", "description": "Kan ni skicka en kopia på fakturan?"},
    }
    return {**common, **per_kind[kind], **overrides}


def with_photos(data, *files):
    """Form data plus (name, bytes) photos as a multipart file list."""
    return {**data, "photos": [(name, content) for name, content in files]}


def multipart(data: dict) -> dict:
    """Client keyword arguments for a multipart body encoded in memory.

    The test client spools bodies over 500 KB to a temporary file it never closes (a ResourceWarning,
    an error under filterwarnings=error); a body of bytes avoids that.
    """
    fields = MultiDict()
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, tuple):
                item = FileStorage(io.BytesIO(item[1]), filename=item[0], content_type="application/octet-stream")
            fields.add(key, item)
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


@pytest.fixture
def jpeg():
    return images.photo("JPEG")
