"""What the customer is told: open now, at lunch, when we open; the 24-hour rule; the cut-offs; in sv/nb/en."""
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from support.extensions import db
from support.outbox import OutboxMail
from support import hours_text
from support.tickets import presenting

from .conftest import MONDAY_10


def _at(month, day, hour, minute=0):
    """A Stockholm wall-clock time in March 2026 (UTC+1) as UTC."""
    return datetime(2026, month, day, hour - 1, minute, tzinfo=UTC)


@pytest.mark.parametrize("now, lang, expected", [
    (_at(3, 2, 10), "en", "We are open now, until 12:00."),
    (_at(3, 2, 12, 15), "en", "We are at lunch until 13:00."),
    (_at(3, 6, 18), "en", "We are closed now. We open Monday at 08:30."),       # Friday evening
    (_at(3, 6, 18), "sv", "Vi har stängt just nu. Vi öppnar måndag kl. 08.30."),
    (_at(3, 2, 7), "nb", "Vi har stengt nå. Vi åpner i dag kl. 08.30."),         # early Monday
])
def test_availability(app, now, lang, expected):
    with force_locale(lang):
        assert hours_text.availability(app.extensions["markets"]["se"], now) == expected


def test_cutoff_notes_before_and_after(app):
    market = app.extensions["markets"]["se"]
    with force_locale("en"):
        morning = presenting.cutoff_notes(market, _at(3, 2, 10))
        mid = presenting.cutoff_notes(market, _at(3, 2, 13, 30))
        saturday = presenting.cutoff_notes(market, _at(3, 7, 10))
    assert "normal orders is 14:00 and has not passed" in morning[0]
    assert "BID orders is 13:00 and has not passed" in morning[1]
    assert "has not passed" in mid[0] and "BID orders (13:00) has passed" in mid[1]
    assert "tomorrow at 13:00" in mid[1]
    assert saturday[0].startswith("We do not ship today") and "Monday at 14:00" in saturday[0]


def test_acknowledgement_in_norwegian(app, make_ticket):
    app.config["MAIL_DEFAULT_SENDER"] = "kundeservice@example.no"
    ticket = make_ticket(market="no", language="nb", category="damage", channel="email",
                         delivered_at=MONDAY_10.replace(hour=6))
    mail = db.session.scalars(select(OutboxMail)).one()
    assert mail.subject == f"[{ticket.reference}] Vi har mottatt henvendelsen din: Fråga om faktura"
    assert "Vi har åpent nå, til kl. 12.00." in mail.body_text
    assert "fristen går ut i morgen kl. 07.00" in mail.body_text     # delivered 07:00 Oslo time, 24 h later
    assert "Vi har åpent nå" in mail.body_html


@pytest.mark.parametrize("lang, name, greeting", [
    ("sv", "Eva Kund", "Hej Eva Kund!"), ("sv", "", "Hej!"), ("nb", "", "Hei!"), ("en", None, "Hello,"),
])
def test_acknowledgement_greets_by_name_or_without_one(app, make_ticket, lang, name, greeting):
    # Never "Hej kund@example.se!": an address is not a name.
    make_ticket(language=lang, customer_name=name)
    mail = db.session.scalars(select(OutboxMail)).one()
    assert mail.body_text.splitlines()[0] == greeting and "kund@example.se" not in mail.body_text
    assert f"<p>{greeting}</p>" in mail.body_html


@pytest.mark.parametrize("lang, greeting", [("sv", "Hej {}!"), ("nb", "Hei {}!"), ("en", "Hello {},")])
def test_acknowledgement_escapes_the_customers_words_in_html_only(app, make_ticket, lang, greeting):
    # the mail templates' _() is bound to the ticket's catalogue (tickets/notify.py): translated, its arguments
    # escaped in the HTML part and left as written in the text part
    name, subject = "Eva <b>&</b> Co", "Skärm <script>x()</script> & kabel"
    make_ticket(language=lang, customer_name=name, subject=subject)
    mail = db.session.scalars(select(OutboxMail)).one()
    assert mail.body_text.splitlines()[0] == greeting.format(name) and subject in mail.body_text
    assert f"<p>{greeting.format('Eva &lt;b&gt;&amp;&lt;/b&gt; Co')}</p>" in mail.body_html
    assert "Skärm &lt;script&gt;x()&lt;/script&gt; &amp; kabel" in mail.body_html and "<script>" not in mail.body_html


@pytest.mark.parametrize("lang, late, text", [
    ("sv", True, "Du tog emot den"), ("nb", True, "Du mottok den"), ("sv", False, "Du anmälde skadan"),
])
def test_the_damage_paragraph_says_du_throughout(app, make_ticket, lang, late, text):
    delivered = MONDAY_10.replace(day=1, hour=6) if late else MONDAY_10.replace(hour=6)
    make_ticket(language=lang, category="damage", channel="email", delivered_at=delivered)
    body = db.session.scalars(select(OutboxMail)).one().body_text
    assert text in body
    plural_you = {"sv": ("Ni", "ni", "er", "ert", "era"), "nb": ("Dere", "dere", "deres")}[lang]
    assert not any(word.strip(".,") in plural_you for word in body.split()), body


@pytest.mark.parametrize("lang, expected", [("sv", "kl. 14.00"), ("nb", "kl. 14.00"), ("en", "14:00")])
def test_cut_off_times_are_written_as_each_language_writes_them(app, lang, expected):
    with app.test_request_context(), force_locale(lang):
        notes = presenting.cutoff_notes(app.extensions["markets"]["se"], _at(3, 2, 10))
    assert expected in notes[0]
