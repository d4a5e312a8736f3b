"""Pages rendered once, with markers where their live parts go; each request fills in just those.

A FAQ page or a blank request form changes only with its path, language, market and a variant of its own, yet
rendering it (template inheritance, WTForms' widgets, dozens of gettext calls) was most of what it cost. So it is
rendered once with markers for what follows the visitor or the clock, the session's CSRF token and the
opening-hours badges, and each request fills in just those. Used by faq/page_cache.py and tickets/form_pages.py,
which decide what may be cached.
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable

from flask import render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .hours_text import opening_badge
from .i18n import current_market

TOKEN = "live-csrf-token"      # plain text, not a comment: a form's hidden field writes it into an attribute, escaped
LIVE = re.compile(r"live-csrf-token|<!--live:badge:([a-z]*)-->")
Parts = tuple[str | None, ...]    # LIVE.split of a page: text, a marker's group (None for the token), text, ...


class Pages:
    """Rendered pages with their markers, the oldest dropped past `size`. `generation` (the content catalogue,
    say) empties them when it changes, so a reloaded content file shows at once."""

    def __init__(self, size: int):
        self.size, self.generation = size, None
        self.pages: OrderedDict[tuple, tuple[Parts, str]] = OrderedDict()   # key -> (parts, digest)

    def __len__(self) -> int:
        return len(self.pages)

    def page(self, template: str, context: Callable[[], dict], *, variant: object = None,
             generation: object = None) -> tuple[Parts, str]:
        """The page of this request's path, arguments, language and market (rendered with `context()` on first
        use) as its parts for `fill`, and a digest of it."""
        if generation is not self.generation:
            self.generation, self.pages = generation, OrderedDict()
        key = (request.path, tuple(sorted(request.args.items())), str(get_locale()), current_market(), variant)
        found = self.pages.get(key)
        if found is None:
            page = render_template(template, **context(), csrf_token=lambda: TOKEN, opening_badge=_badge_marker)
            # split once here: finding the markers on each request (re.sub over the page) was an eighth of a
            # FAQ entry page's cost
            parts = tuple(LIVE.split(page))
            self.pages[key] = found = (parts, hashlib.sha256(page.encode()).hexdigest()[:16])
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)
        return found


def fill(parts: Parts) -> tuple[str, list[str]]:
    """The page with this request's CSRF token and badges in place of the markers, and the badges."""
    badges: list[str] = []
    out = [parts[0]]
    for n in range(1, len(parts), 2):
        code = parts[n]                   # the badge marker's market code ("" for the visitor's); None: the token
        if code is None:
            out.append(generate_csrf())
        else:
            badges.append(str(opening_badge(code or None)))
            out.append(badges[-1])
        out.append(parts[n + 1])
    return "".join(out), badges


def _badge_marker(code: str | None = None) -> Markup:
    return Markup(f"<!--live:badge:{code or ''}-->")
