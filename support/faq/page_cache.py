"""FAQ pages rendered once per page, language, market and content version; only the live parts per request.

A FAQ page changes only with the content file, the language and the market, yet rendering it was most of its
cost (template inheritance, some twenty gettext calls, the market's facts). So a page is rendered once with
markers where its live parts go, the opening-hours badges (they follow the clock), and each request fills in just
those. No FAQ page holds a CSRF token (the vote is protected by the cross-origin check of web.py), so a first visit
sets no session cookie. A changed content file brings a new catalogue, and with it
an empty cache (hot reload keeps working). Responses carry a weak ETag over what the visitor sees, so a browser
or proxy revalidates with one cheap request (304).
"""
from __future__ import annotations

import hashlib

from flask import Response, current_app, make_response, render_template, request, session

from .. import live_pages

MAX_PAGES = 512                 # pages x languages x markets of a few hundred entries, with room to spare
CACHED_ARGS = {"thanks"}        # query arguments a cached page may vary by; any other is rendered afresh


def init_app(app) -> None:
    app.extensions["faq_pages"] = live_pages.Pages(MAX_PAGES)


def respond(template: str, *, variant: object = None, **context) -> Response:
    """The page's response: rendered (or taken from the cache), live parts filled in, with a weak ETag."""
    cacheable = not session.get("_flashes") and set(request.args) <= CACHED_ARGS
    if not cacheable:                      # a one-off message, or arguments that change links: this request only
        return _conditional(render_template(template, **context), ())
    pages: live_pages.Pages = current_app.extensions["faq_pages"]
    page, digest = pages.page(template, lambda: context, variant=variant, generation=current_app.extensions["faq"])
    html, badges = live_pages.fill(page)
    return _conditional(html, (digest, *badges))


def _conditional(html: str, version: tuple) -> Response:
    """A response a browser may keep but must revalidate (private: an entry page reads "thank you" for a visitor
    who voted)."""
    response = make_response(html)
    tag = hashlib.sha256(repr(version).encode() if version else html.encode()).hexdigest()[:32]
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    # make_conditional also parses Range and dates, a third of a cached page's cost: only when the client asks
    return response.make_conditional(request) if "If-None-Match" in request.headers else response
