"""The blank request forms come from form_pages' cache: the same page the template renders, with each visitor's
own CSRF token and the opening-hours badge of the moment filled in."""
import re

import pytest

from ..conftest import running
from .conftest import form_fields, multipart

TOKEN = re.compile(r'(name="csrf_token" type="hidden" value="|name="csrf-token" content=")([^"]+)"')


@pytest.fixture
def csrf_app(app_config):
    yield from running({**app_config, "WTF_CSRF_ENABLED": True, "TESTING": True})


def tokens(page: str) -> set[str]:
    return {found[2] for found in TOKEN.finditer(page)}


def without_tokens(page: str) -> str:
    return TOKEN.sub(r"\1TOKEN", page)


@pytest.mark.parametrize("path", ["/sv/contact/other", "/nb/contact/damage", "/en/contact/cancellation",
                                  "/sv/contact/stuck-order", "/sv/contact/other?market=no"])
def test_the_cached_page_is_the_rendered_page_with_the_visitors_own_token(csrf_app, path):
    first, second = csrf_app.test_client(), csrf_app.test_client()
    page_one = first.get(path).get_data(as_text=True)          # rendered, and kept
    assert csrf_app.extensions["ticket_form_pages"], "the blank page was kept"
    page_two = second.get(path).get_data(as_text=True)         # from the cache
    assert len(tokens(page_one)) == 1 and len(tokens(page_two)) == 1, "the head and the form carry one token"
    assert tokens(page_one) != tokens(page_two), "each session has its own token"
    csrf_app.jinja_env.auto_reload = True                       # templates reloading: rendered afresh
    fresh = second.get(path).get_data(as_text=True)
    assert without_tokens(fresh) == without_tokens(page_two)


def test_a_token_from_the_cached_page_is_accepted(csrf_app):
    csrf_app.test_client().get("/sv/contact/other")             # someone else's visit fills the cache
    client = csrf_app.test_client()
    token, = tokens(client.get("/sv/contact/other").get_data(as_text=True))
    sent = client.post("/sv/contact/other", **multipart({**form_fields("other"), "csrf_token": token}))
    assert sent.status_code == 302


@pytest.mark.parametrize("kind, files", [("other", False), ("stuck-order", False), ("cancellation", False),
                                         ("damage", True)])
def test_only_a_form_with_a_file_input_posts_multipart(csrf_app, kind, files):
    page = csrf_app.test_client().get(f"/sv/contact/{kind}").get_data(as_text=True)
    form = re.search(r'<form method="post"[^>]*class="request-form"', page)[0]
    assert ('enctype="multipart/form-data"' in form) is files
    assert ('type="file"' in page) is files


def test_a_form_of_text_fields_is_accepted_urlencoded(csrf_app):
    client = csrf_app.test_client()
    token, = tokens(client.get("/sv/contact/other").get_data(as_text=True))
    sent = client.post("/sv/contact/other", data={**form_fields("other"), "csrf_token": token})   # urlencoded
    assert sent.status_code == 302 and "/ticket/SE-" in sent.headers["Location"]


def test_the_market_chosen_shows_on_the_page(csrf_app):
    client = csrf_app.test_client()
    sweden = client.get("/sv/contact/other").get_data(as_text=True)
    norway = client.get("/sv/contact/other?market=no").get_data(as_text=True)
    assert re.search(r'<option selected value="se">', sweden) and re.search(r'<option selected value="no">', norway)


def test_the_opening_badge_follows_the_clock(csrf_app):
    client = csrf_app.test_client()
    csrf_app.config["FROZEN_NOW"] = "2026-03-03T10:00:00+01:00"      # a Tuesday morning: open
    open_page = client.get("/sv/contact/other").get_data(as_text=True)
    csrf_app.config["FROZEN_NOW"] = "2026-03-03T12:30:00+01:00"      # lunch
    lunch_page = client.get("/sv/contact/other").get_data(as_text=True)
    assert "Öppet nu" in open_page and "Lunchstängt" in lunch_page and "Öppet nu" not in lunch_page


def test_a_flashed_message_is_shown_not_cached(csrf_app):
    client = csrf_app.test_client()
    client.get("/sv/contact/other")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Ett meddelande bara för dig")]
    assert "Ett meddelande bara för dig" in client.get("/sv/contact/other").get_data(as_text=True)
    assert "Ett meddelande bara för dig" not in csrf_app.test_client().get("/sv/contact/other").get_data(as_text=True)


def test_other_query_arguments_are_rendered_afresh_and_not_kept(csrf_app):
    client = csrf_app.test_client()
    for n in range(5):
        assert client.get(f"/sv/contact/other?utm_source={n}").status_code == 200
    assert not csrf_app.extensions["ticket_form_pages"]
