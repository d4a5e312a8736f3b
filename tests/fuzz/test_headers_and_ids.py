"""Fuzzing what once reached a 500 or a forged header (issue 19): outgoing mail headers, ids, queue cursors.

- Any subject or header value in an outbox row builds a mail that Flask-Mail sends and that parses back with
  exactly our headers: no line break forges another one, none makes the mail unsendable.
- Any text as an id or a cursor is either a value the database can hold or None, never an exception.
FUZZ_EXAMPLES (default 150) sets the examples per property.
"""
import base64
import email
import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support import create_app
from support.agent.queues import decode_cursor
from support.headers import one_line
from support.ids import MAX_ID, parse_id
from support.outbox import OutboxMail
from support.outbox.sender import build

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
OURS = {"subject", "from", "to", "message-id", "date", "mime-version", "content-type", "content-transfer-encoding",
        "in-reply-to", "references", "auto-submitted"}
text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=120)


@pytest.fixture(scope="module", autouse=True)
def app_context():
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        yield


@FUZZ
@example(subject="Hej\r\nBcc: someone@example.com", value="x")
@example(subject="[SE-000001] Cancel order 4400123\nBcc: other@example.com\r\nX-Evil: 1", value="x")
@example(subject="ok", value="<a@b>\r\nBcc: someone@example.com")
@example(subject="\u2028Bcc: a@b\x85\x00", value="\r\n\r\n")
@example(subject="", value="<ä@kund.se>")     # found here: a non-ASCII id quoted in References never serialised
@given(subject=text, value=text)
def test_any_subject_or_header_value_builds_a_clean_mail(subject, value):
    row = OutboxMail(kind="reply", sender="support-se@ingrammicro.com", recipient="kund@example.se",
                     subject=subject, body_text="Hej", message_id="<SE-000001.1.2@support.example>",
                     headers={"In-Reply-To": value, "References": value, "Auto-Submitted": "auto-replied"})
    message = build(row)
    assert not message.has_bad_headers()
    parsed = email.message_from_bytes(message.as_bytes())
    assert {name.lower() for name in parsed.keys()} <= OURS
    assert parsed["To"] == "kund@example.se" and parsed["Bcc"] is None


@FUZZ
@example("99999999999999999999999")
@example(str(2**31))
@example("\u00b2")          # '²': str.isdigit() said yes, int() said no
@example("9" * 5000)        # beyond Python's int-from-text limit
@example("-1")
@given(st.one_of(text, st.integers().map(str)))
def test_any_text_is_an_id_in_range_or_none(value):
    parsed = parse_id(value)
    assert parsed is None or (type(parsed) is int and 0 <= parsed <= MAX_ID)


def _cursor(payload: bytes) -> str:
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | text,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=2),
                           max_leaves=6)


@FUZZ
@example(_cursor(b"[null, 18446744073709551616]"))
@example(_cursor(b"[null, 1e400]"))
@example(_cursor(b'["2026-03-10T09:00:00+05:00", 1]'))
@example(_cursor(b"\xff\xfe"))
@example("%%%")
@given(st.one_of(text, json_values.map(lambda v: _cursor(json.dumps(v).encode())), st.binary().map(_cursor)))
def test_any_cursor_decodes_to_a_position_or_none(cursor):
    position = decode_cursor(cursor)
    if position is not None:
        due, last_id = position
        assert 0 <= last_id <= MAX_ID and (due is None or due.tzinfo is None)


@FUZZ
@given(text)
def test_one_line_has_no_line_breaks(value):
    line = one_line(value)
    assert not any(c in line for c in "\r\n\x00\x85\u2028\u2029") and line == line.strip()
