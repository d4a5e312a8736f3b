"""The request forms' blank pages, rendered once per form, language and market; the live parts per request.

A blank form (a GET: nothing typed, no errors) changes only with the form, the language, the market and, for
cancellations, the cut-off notes of the day, yet rendering it (template inheritance, WTForms' widgets, some
forty gettext calls) was a third of what a web ticket cost. So it is rendered once with markers where its live
parts go: the session's CSRF token (in the form and in the page head) and the opening-hours badges, which
follow the clock; each request fills in just those. A page with a flashed message or unexpected query
arguments is rendered afresh, and so is every page when templates reload (debug).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, render_template, request, session
from flask_wtf import FlaskForm

from .. import live_pages

CACHED_ARGS = {"market"}                      # the one query argument a blank form page varies by
MAX_PAGES = 64                                # forms x languages x markets, and the day's cut-off notes


def init_app(app) -> None:
    app.extensions["ticket_form_pages"] = live_pages.Pages(MAX_PAGES)


def blank(kind: str, make_form: Callable[[], FlaskForm], variant: tuple = (), **context) -> str:
    """The page of a form as it is first shown; `variant` is what else the page depends on (cut-off notes).
    The form object is built only when the page is rendered."""
    if session.get("_flashes") or not set(request.args) <= CACHED_ARGS or current_app.jinja_env.auto_reload:
        return render_template("tickets/form.html", form=make_form(), kind=kind, **context)

    def rendered_with() -> dict:
        form = make_form()
        if "csrf_token" in form:              # absent when CSRF is switched off (tests)
            form.csrf_token.current_token = live_pages.TOKEN
        return {"form": form, "kind": kind, **context}
    pages: live_pages.Pages = current_app.extensions["ticket_form_pages"]
    page, _digest = pages.page("tickets/form.html", rendered_with, variant=variant)
    return live_pages.fill(page)[0]
