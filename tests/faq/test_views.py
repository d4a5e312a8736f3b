"""FAQ pages: every entry in every language, categories, the language switcher, votes."""
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
