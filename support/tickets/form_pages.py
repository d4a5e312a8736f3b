"""The request forms' blank pages, rendered once per form, language and market; the live parts per request.

A blank form (a GET: nothing typed, no errors) changes only with the form, the language, the market and, for
cancellations, the cut-off notes of the day, yet rendering it (template inheritance, WTForms' widgets, some
forty gettext calls) was a third of what a web ticket cost. So it is rendered once with markers where its live
parts go: the session's CSRF token (in the form and in the page head) and the opening-hours badges, which
follow the clock; each request fills in just those. A page with a flashed message or unexpected query
arguments is rendered afresh, and so is every page when templates reload (debug).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, render_template, request, session
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from ..hours_text import opening_badge
from ..i18n import current_market

TOKEN = "live-csrf-token"                     # plain text: it is written into attributes, and escaped there
LIVE = re.compile(r"live-csrf-token|<!--live:badge:([a-z]*)-->")
CACHED_ARGS = {"market"}                      # the one query argument a blank form page varies by
MAX_PAGES = 64                                # forms x languages x markets, and the day's cut-off notes


def init_app(app) -> None:
    app.extensions["ticket_form_pages"] = {}


def blank(kind: str, make_form: Callable[[], FlaskForm], variant: tuple = (), **context) -> str:
    """The page of a form as it is first shown; `variant` is what else the page depends on (cut-off notes).
    The form object is built only when the page is rendered."""
    if session.get("_flashes") or not set(request.args) <= CACHED_ARGS or current_app.jinja_env.auto_reload:
        return render_template("tickets/form.html", form=make_form(), kind=kind, **context)
    pages: dict = current_app.extensions["ticket_form_pages"]
    key = (request.path, str(get_locale()), current_market(), tuple(sorted(request.args.items())), variant)
    page = pages.get(key)
    if page is None:
        form = make_form()
        if "csrf_token" in form:              # absent when CSRF is switched off (tests)
            form.csrf_token.current_token = TOKEN
        page = render_template("tickets/form.html", form=form, kind=kind, csrf_token=lambda: TOKEN,
                               opening_badge=_badge_marker, **context)
        if len(pages) >= MAX_PAGES:           # yesterday's cut-off notes, mostly: start again
            pages.clear()
        pages[key] = page
    token = generate_csrf()

    def live(found: re.Match) -> str:
        return token if found[1] is None else str(opening_badge(found[1] or None))
    return LIVE.sub(live, page)


def _badge_marker(code: str | None = None) -> Markup:
    return Markup(f"<!--live:badge:{code or ''}-->")
