"""FAQ pages: every entry in every language, categories, the language switcher, votes, the page cache."""
import os
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from support.extensions import db

from support.faq.models import FaqVote, SearchMiss
from support.markets import LANGUAGES


def test_every_entry_renders_in_every_language(app, client):
    catalog = app.extensions["faq"]
    for slug, entry in catalog.entries.items():
        for lang in LANGUAGES:
            response = client.get(f"/{lang}/faq/{slug}")
            assert response.status_code == 200, (slug, lang)
            html = response.get_data(as_text=True)
            assert f'<html lang="{lang}">' in html
            assert entry.text(lang).question.replace("'", "&#39;").replace('"', "&#34;") in html, (slug, lang)
            assert "{" not in html.split('class="answer"')[1].split("</div>")[0], (slug, lang)


@pytest.mark.parametrize("lang, heading", [("sv", "Beställningar"), ("nb", "Bestillinger"), ("en", "Orders")])
def test_home_lists_categories_in_the_language(client, lang, heading):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200 and heading in response.get_data(as_text=True)


def test_category_page_lists_its_entries(app, client):
    catalog = app.extensions["faq"]
    html = client.get("/nb/categories/delivery").get_data(as_text=True)
    for entry in catalog.in_category("delivery"):
        assert f"/nb/faq/{entry.slug}" in html


def test_unknown_language_and_category_are_404(client):
    assert client.get("/de/").status_code == 404
    assert client.get("/sv/categories/nope").status_code == 404


def test_language_switcher_stays_on_the_same_entry(client):
    html = client.get("/sv/faq/transport-damage").get_data(as_text=True)
    assert 'href="/nb/faq/transport-damage"' in html and 'href="/en/faq/transport-damage"' in html


def test_market_facts_come_from_the_markets_module(app, client):
    app.extensions["markets"]["se"] = app.extensions["markets"]["se"].__class__(
        **{**app.extensions["markets"]["se"].__dict__, "phone": "+46 0 000 00 00"})
    html = client.get("/sv/faq/contact-support").get_data(as_text=True)
    assert "+46 0 000 00 00" in html and "+46 8 477 15 55" not in html


@pytest.mark.parametrize("lang, days, holidays", [
    ("sv", "vardagar 08.30–17.00", "stängt på helgdagar"), ("nb", "hverdager 08.30–17.00", "stengt på helligdager"),
    ("en", "weekdays 08:30–17:00", "closed on public holidays")])
def test_the_opening_hours_name_the_days_and_the_holidays(client, lang, days, holidays):
    html = client.get(f"/{lang}/faq/contact-support").get_data(as_text=True)
    assert days in html and holidays in html


def test_opening_hours_on_other_days_name_no_weekdays(app, client):
    app.extensions["markets"]["se"] = app.extensions["markets"]["se"].__class__(
        **{**app.extensions["markets"]["se"].__dict__, "opening_days": (0, 1, 2, 3, 4, 5)})
    html = client.get("/sv/faq/contact-support").get_data(as_text=True)
    assert "Öppettider: 08.30–17.00" in html and "vardagar" not in html


def test_norwegian_page_does_not_invent_a_norwegian_support_address(client):
    html = client.get("/nb/faq/contact-support").get_data(as_text=True)
    assert "support-no@" not in html


def test_vote_is_recorded_once_per_visitor(app, client):
    first = client.post("/sv/faq/transport-damage/vote", data={"helpful": "no"})
    assert first.status_code == 302
    client.post("/sv/faq/transport-damage/vote", data={"helpful": "yes"})    # same cookie: ignored
    votes = db.session.scalars(select(FaqVote)).all()
    assert [(v.slug, v.lang, v.helpful) for v in votes] == [("transport-damage", "sv", False)]
    assert db.session.scalar(select(func.count()).select_from(SearchMiss).filter_by(kind="not_helpful", slug="transport-damage")) == 1
    assert "Tack för din återkoppling" in client.get("/sv/faq/transport-damage").get_data(as_text=True)


def test_votes_from_different_visitors_all_count(app):
    for _ in range(3):
        app.test_client().post("/en/faq/track-order/vote", data={"helpful": "yes"})
    assert db.session.scalar(select(func.count()).select_from(FaqVote).filter_by(slug="track-order", helpful=True)) == 3


def test_vote_without_choice_is_rejected(client):
    assert client.post("/sv/faq/track-order/vote", data={}).status_code == 400


def test_pages_load_nothing_from_the_internet(client):
    html = client.get("/sv/").get_data(as_text=True)
    for attr in ('src="http', "src='http", 'href="http://', "//cdn", "fonts.googleapis"):
        assert attr not in html


def test_a_cached_page_fills_in_the_live_parts_per_request(app, client):
    """The page is rendered once; the opening badge follows the clock."""
    app.config["FROZEN_NOW"] = "2026-03-10T10:00:00+01:00"            # Tuesday: open
    open_page = client.get("/sv/faq/change-order").get_data(as_text=True)
    app.config["FROZEN_NOW"] = "2026-03-10T12:15:00+01:00"            # lunch
    lunch_page = client.get("/sv/faq/change-order").get_data(as_text=True)
    assert "hours-badge--open" in open_page and "hours-badge--lunch" in lunch_page
    assert "<!--live:" not in open_page + lunch_page and "live-csrf-token" not in open_page + lunch_page
    assert lunch_page.count("js/hours.js") == 1                        # the refresh script once per page


def test_pages_answer_304_until_what_the_visitor_sees_changes(app, client):
    app.config["FROZEN_NOW"] = "2026-03-10T10:00:00+01:00"
    first = client.get("/sv/categories/orders")
    assert first.headers["Cache-Control"] == "private, no-cache" and first.headers["ETag"].startswith('W/')
    again = client.get("/sv/categories/orders", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    app.config["FROZEN_NOW"] = "2026-03-10T17:30:00+01:00"            # closed now: the badge reads otherwise
    later = client.get("/sv/categories/orders", headers={"If-None-Match": first.headers["ETag"]})
    assert later.status_code == 200 and "hours-badge--closed" in later.get_data(as_text=True)


def test_a_changed_content_file_shows_on_the_pages(app, client, tmp_path, monkeypatch):
    from support.faq import lookup
    faq = tmp_path / "faq.yaml"
    original = Path(app.config["FAQ_PATH"]).read_text(encoding="utf-8")
    faq.write_text(original, encoding="utf-8")
    app.config["FAQ_PATH"] = str(faq)
    lookup.reindex(app)
    before = client.get("/sv/faq/change-order").get_data(as_text=True)
    question = re.search(r"<h1>([^<]+)</h1>", before).group(1)
    faq.write_text(original.replace(question, question + " (ny)", 1), encoding="utf-8")
    monkeypatch.setattr(lookup, "RECHECK_SECONDS", 0)
    os.utime(faq, ns=(time.time_ns() + 10**9,) * 2)
    assert f"{question} (ny)" in client.get("/sv/faq/change-order").get_data(as_text=True)
