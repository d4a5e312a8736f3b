"""GET /api/hours: the contract answer, errors as JSON 400, and the badge on pages."""
import pytest

KEYS = {"market", "at", "open", "state", "reason", "holiday", "opens_at", "closes_at"}


@pytest.mark.parametrize("market, instant, state, holiday, opens_at, closes_at, why", [
    ("se", "2026-12-24T10:00:00+01:00", "closed", "Julafton", "2026-12-28T08:30:00+01:00", None,
     "Christmas eve in Sweden: closed until Monday the 28th"),
    ("no", "2027-05-17T10:00:00+02:00", "closed", "Grunnlovsdag", "2027-05-18T08:30:00+02:00", None,
     "Norwegian Constitution Day, a Monday, named in Norwegian"),
    ("se", "2027-05-17T10:00:00+02:00", "open", None, None, "2027-05-17T12:00:00+02:00",
     "the same instant is a working day in Sweden"),
    ("se", "2026-06-19T10:00:00+02:00", "closed", "Midsommarafton", "2026-06-22T08:30:00+02:00", None,
     "midsummer eve closes Sweden"),
    ("no", "2026-06-19T10:00:00+02:00", "open", None, None, "2026-06-19T12:00:00+02:00", "but not Norway"),
    ("se", "2026-11-27T12:30:00+01:00", "lunch", None, "2026-11-27T13:00:00+01:00", None, "lunch, back at 13:00"),
    ("no", "2026-10-25T01:30:00+00:00", "closed", None, "2026-10-26T08:30:00+01:00", None,
     "a UTC instant in the repeated hour: answered in local time"),
])
def test_hours(client, market, instant, state, holiday, opens_at, closes_at, why):
    response = client.get("/api/hours", query_string={"market": market, "at": instant})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == KEYS
    assert (body["market"], body["state"], body["open"]) == (market, state, state == "open")
    assert (body["holiday"] is None) if holiday is None else (holiday in body["holiday"])
    assert (body["opens_at"], body["closes_at"]) == (opens_at, closes_at)


def test_an_unencoded_plus_in_the_offset_is_understood(client):
    body = client.get("/api/hours?market=se&at=2026-12-24T10:00:00+01:00").get_json()
    assert (body["at"], body["holiday"]) == ("2026-12-24T10:00:00+01:00", "Julafton")


def test_without_at_it_answers_for_now(client):
    body = client.get("/api/hours?market=no").get_json()
    assert body["state"] in ("open", "lunch", "closed") and body["at"].endswith(("+01:00", "+02:00"))
    assert (body["closes_at"] is None) != (body["opens_at"] is None)


@pytest.mark.parametrize("query, fragment, why", [
    ("", "'market'", "market missing"),
    ("market=dk", "'market'", "unknown market"),
    ("market=se&at=yesterday", "ISO 8601", "not a date"),
    ("market=se&at=2026-02-30T10:00:00%2B01:00", "ISO 8601", "30 February"),
    ("market=se&at=2026-12-24T10:00:00", "UTC offset", "no offset: ambiguous"),
    ("market=se&at=0001-01-01T00:00:00%2B00:00", "between the years", "out of range"),
    ("market=se&lang=de", "'lang'", "unknown language"),
])
def test_bad_requests_get_a_json_400(client, query, fragment, why):
    response = client.get("/api/hours?" + query)
    assert response.status_code == 400
    assert response.is_json and fragment in response.get_json()["description"]


@pytest.mark.parametrize("market, instant, lang, label, why", [
    ("se", "2026-11-27T10:00:00+01:00", "en", "Open now, until 12:00", "open"),
    ("se", "2026-11-27T12:30:00+01:00", "sv", "Lunchstängt, öppnar igen kl. 13.00", "lunch, Swedish"),
    ("no", "2026-11-27T17:30:00+01:00", "nb", "Åpner mandag kl. 08.30", "weekend, Norwegian weekday"),
    ("se", "2026-11-26T07:00:00+01:00", "en", "Opens today at 08:30", "before opening"),
    ("se", "2026-12-24T10:00:00+01:00", "en", "Closed today (Christmas Eve), opens Monday 28 December at 08:30",
     "holiday named in the visitor's language, with the full date"),
    ("no", "2026-12-24T10:00:00+01:00", "nb", "Stengt i dag (Julaften), åpner mandag 28. desember kl. 08.30",
     "Norwegian date pattern"),
    ("se", "2026-12-30T17:30:00+01:00", "sv", "Öppnar måndag 4 januari kl. 08.30",
     "over New Year: the date is given when the opening is far off"),
])
def test_lang_adds_the_badge_text(client, market, instant, lang, label, why):
    body = client.get("/api/hours", query_string={"market": market, "at": instant, "lang": lang}).get_json()
    assert body["label"] == label


def test_the_badge_renders_and_brings_its_script_once(app):
    with app.test_request_context("/sv/"):
        badge = _context(app)["opening_badge"]
        html = str(badge("se")) + str(badge("no"))
    assert html.count('class="hours-badge ') == 2
    assert html.count("js/hours.js") == 1
    assert 'data-hours-market="no"' in html and "<script>" not in html


def _context(app):
    context = {}
    app.update_template_context(context)
    return context
