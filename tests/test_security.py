"""Security: headers and the CSP, no inline script in templates, CSRF, open redirects, rate limits."""
import re
from urllib.parse import urlsplit
from pathlib import Path

import pytest

from support.agent import accounts
from support.extensions import db
from support.web import CSP, safe_next

from .conftest import running

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PASSWORD = "correct horse battery"


@pytest.mark.parametrize("path", ["/en/", "/sv/contact/", "/nb/contact/damage", "/healthz", "/api/hours?market=se",
                                  "/en/faq/no-such-entry", "/agent/login"])
def test_security_headers_on_every_kind_of_response(client, path):
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers      # plain HTTP: HSTS would be ignored or lock out a dev


def test_hsts_over_https(client):
    assert client.get("/en/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith(
        "max-age=31536000")


def test_csp_allows_no_inline_code_and_no_other_origin():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP and "http" not in CSP
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


# pages only: e-mail templates are not under the CSP, and mail clients need inline styles
PAGE_TEMPLATES = [p for p in TEMPLATES.rglob("*.html") if "email" not in p.relative_to(TEMPLATES).parts]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script> block"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on...= event handler attribute"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_no_inline_script_or_style(template):
    source = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(source)]
    assert not found, f"{template.name} has {', '.join(found)}: the CSP blocks it; move it to support/static/"


@pytest.mark.parametrize("target, expected, reason", [
    ("/agent/tickets/SE-000001", "/agent/tickets/SE-000001", "a local path"),
    ("/agent/?queue=damage&page=2", "/agent/?queue=damage&page=2", "a local path with a query"),
    ("https://evil.example/", None, "another site"),
    ("//evil.example/", None, "scheme-relative: another site"),
    ("/\\evil.example", None, "browsers read a backslash as a slash"),
    ("\\\\evil.example", None, "backslashes only"),
    ("/\t/evil.example", None, "browsers drop the tab: //evil.example"),
    ("javascript:alert(1)", None, "a script URL"),
    ("agent/", None, "relative: resolved against whatever page comes next"),
    (" /agent/", None, "leading blank"),
    ("", None, "empty"),
    (None, None, "absent"),
])
def test_safe_next(target, expected, reason):
    assert safe_next(target) == expected, reason
    assert safe_next(target, "/fallback") == (expected or "/fallback"), reason


@pytest.mark.parametrize("next_param", ["/agent/?queue=damage", "https://evil.example/", "//evil.example",
                                        "/\\evil.example", "/\t/evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(app, client, next_param):
    accounts.create_agent("agent@example.test", "Agent", PASSWORD)
    db.session.commit()
    response = client.post("/agent/login", query_string={"next": next_param},
                           data={"email": "agent@example.test", "password": PASSWORD})
    location = response.headers["Location"]
    # what a browser does with the Location: "\\" counts as "/", tabs are dropped
    as_browser = urlsplit(location.replace("\\", "/").replace("\t", ""))
    assert response.status_code == 302 and location.startswith("/")
    assert not as_browser.netloc and not as_browser.scheme and not location.startswith("//"), location


@pytest.fixture
def csrf_app(app_config):
    yield from running({**app_config, "WTF_CSRF_ENABLED": True})


def _csrf_token(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("path, data", [
    ("/en/contact/other", {"subject": "Hej", "description": "Fråga"}),
    ("/agent/login", {"email": "agent@example.test", "password": PASSWORD}),
])
def test_posts_without_a_csrf_token_are_refused(csrf_app, path, data):
    client = csrf_app.test_client()
    refused = client.post(path, data=data)
    assert refused.status_code == 400
    assert "Traceback" not in refused.get_data(as_text=True)
    accepted = client.post(path, data={**data, "csrf_token": _csrf_token(client, path)})
    assert accepted.status_code != 400


def test_a_token_from_another_session_is_refused(csrf_app):
    token = _csrf_token(csrf_app.test_client(), "/en/contact/other")
    response = csrf_app.test_client().post("/en/contact/other", data={"subject": "x", "csrf_token": token})
    assert response.status_code == 400


@pytest.mark.parametrize("headers, refused, reason", [
    ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, True, "a page of another site posted it"),
    ({"Sec-Fetch-Site": "same-site", "Origin": "https://shop.localhost"}, True, "a sibling host is another origin"),
    ({"Origin": "https://evil.example"}, True, "a browser without Sec-Fetch-Site: its Origin tells"),
    ({"Origin": "null"}, True, "a sandboxed frame or a redirect's hidden origin"),
    ({"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}, False, "the entry page's own form"),
    ({"Origin": "http://localhost"}, False, "the own form, in a browser without Sec-Fetch-Site"),
    ({}, False, "no browser sent it, so it is nobody's visit forged"),
])
def test_a_vote_sent_from_another_origin_is_refused(csrf_app, headers, refused, reason):
    """The vote has no CSRF token (its page needs no session): the cross-origin check is what protects it."""
    from support.faq.models import FaqVote
    client = csrf_app.test_client()
    page = client.get("/en/faq/cancel-order")
    assert "Set-Cookie" not in page.headers, "a first visit gets no session"
    response = client.post("/en/faq/cancel-order/vote", data={"helpful": "yes"}, headers=headers)
    assert response.status_code == (403 if refused else 302), reason
    assert db.session.query(FaqVote).count() == (0 if refused else 1), reason


@pytest.fixture
def limited_app(app_config):
    yield from running({**app_config, "RATELIMIT_ENABLED": True, "REQUEST_RATE_LIMIT": "3 per minute",
                        "LOGIN_RATE_LIMIT": "3 per minute", "DEFAULT_RATE_LIMIT": "4 per minute"})


def client_from(app, address):
    """A test client whose requests come from `address` (the default is loopback, which searches skip)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("method, path, allowed, reason", [
    ("post", "/en/contact/other", 3, "request forms: REQUEST_RATE_LIMIT"),
    ("post", "/agent/login", 3, "sign-in: LOGIN_RATE_LIMIT"),
    ("get", "/api/faq/search?q=order&lang=en", 4, "search API: the default limit"),
    ("get", "/en/search?q=order", 4, "search page: the default limit"),
    ("post", "/en/faq/cancel-order/vote", 4, "any other public POST: the default limit"),
])
def test_rate_limits(limited_app, method, path, allowed, reason):
    client = client_from(limited_app, "192.0.2.10")
    codes = [getattr(client, method)(path).status_code for _ in range(allowed + 1)]
    assert 429 not in codes[:allowed] and codes[allowed] == 429, (reason, codes)


@pytest.mark.parametrize("address, limited, reason", [
    ("127.0.0.1", False, "a local tool, or a proxy without PROXY_FIX: one address for every customer"),
    ("::1", False, "loopback over IPv6 alike"),
    ("192.0.2.10", True, "a real client address is limited"),
])
def test_search_limit_skips_loopback(limited_app, address, limited, reason):
    client = client_from(limited_app, address)
    codes = {client.get("/api/faq/search?q=order&lang=en").status_code for _ in range(6)}
    assert (429 in codes) == limited, reason


def test_reading_the_faq_is_not_limited(limited_app):
    client = limited_app.test_client()
    assert {client.get("/en/").status_code for _ in range(10)} == {200}


def test_limit_page_is_in_the_visitors_language(limited_app):
    client = limited_app.test_client()
    for _ in range(4):
        response = client.post("/sv/contact/other")
    assert response.status_code == 429 and "För många förfrågningar" in response.get_data(as_text=True)
