"""FAQ pages rendered once per page, language, market and content version; only the live parts per request.

A FAQ page changes only with the content file, the language and the market, yet rendering it was most of its
cost (template inheritance, some twenty gettext calls, the market's facts). So a page is rendered once with
markers where its live parts go, the opening-hours badges (they follow the clock) and the vote form's CSRF token
(per session), and each request fills in just those. A changed content file brings a new catalogue, and with it
an empty cache (hot reload keeps working). Responses carry a weak ETag over what the visitor sees, so a browser
or proxy revalidates with one cheap request (304).
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict

from flask import Response, current_app, make_response, render_template, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..hours_text import opening_badge
from ..i18n import current_market

MARKER = re.compile(r"<!--live:(badge|csrf):([a-z]*)-->")
MAX_PAGES = 512                 # pages x languages x markets of a few hundred entries, with room to spare
CACHED_ARGS = {"thanks"}        # query arguments a cached page may vary by; any other is rendered afresh


class PageCache:
    """The rendered pages of one catalogue (a reload brings a new catalogue and so an empty cache)."""

    def __init__(self):
        self.catalog = None
        self.pages: OrderedDict[tuple, tuple[str, str]] = OrderedDict()   # key -> (page, digest)

    def get(self, catalog, key: tuple) -> tuple[str, str] | None:
        if catalog is not self.catalog:
            self.catalog, self.pages = catalog, OrderedDict()
        return self.pages.get(key)

    def put(self, key: tuple, page: str) -> tuple[str, str]:
        self.pages[key] = found = (page, hashlib.sha256(page.encode()).hexdigest()[:16])
        while len(self.pages) > MAX_PAGES:
            self.pages.popitem(last=False)
        return found


def init_app(app) -> None:
    app.extensions["faq_pages"] = PageCache()


def _badge_marker(code: str | None = None) -> Markup:
    return Markup(f"<!--live:badge:{code or ''}-->")


def _csrf_marker() -> Markup:
    return Markup("<!--live:csrf:-->")


def respond(template: str, *, variant: object = None, **context) -> Response:
    """The page's response: rendered (or taken from the cache), live parts filled in, with a weak ETag."""
    cacheable = not session.get("_flashes") and set(request.args) <= CACHED_ARGS
    if not cacheable:                      # a one-off message, or arguments that change links: this request only
        return _conditional(render_template(template, **context), ())
    catalog = current_app.extensions["faq"]
    key = (request.path, tuple(sorted(request.args.items())), str(get_locale()), current_market(), variant)
    cache: PageCache = current_app.extensions["faq_pages"]
    found = cache.get(catalog, key) or cache.put(
        key, render_template(template, opening_badge=_badge_marker, csrf_token=_csrf_marker, **context))
    page, digest = found
    badges: list[str] = []

    def live(found: re.Match) -> str:
        if found[1] == "csrf":
            return generate_csrf()
        badges.append(str(opening_badge(found[2] or None)))
        return badges[-1]
    return _conditional(MARKER.sub(live, page), (digest, *badges, session.get("csrf_token")))


def _conditional(html: str, version: tuple) -> Response:
    """A response a browser may keep but must revalidate (private: it holds the session's CSRF token)."""
    response = make_response(html)
    tag = hashlib.sha256(repr(version).encode() if version else html.encode()).hexdigest()[:32]
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    # make_conditional also parses Range and dates, a third of a cached page's cost: only when the client asks
    return response.make_conditional(request) if "If-None-Match" in request.headers else response
