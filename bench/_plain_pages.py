"""The support app with its baselines beside it in one WSGI app, so that one gunicorn serves all of them:

    /plain/ping    a bare Flask route
    /plain/page    a plain Jinja page (no i18n, no context processors) as large as the FAQ category page measured
    /plain/entry   the same plain page, as large as the FAQ entry page measured
    /plain/paths   which category and entry those are (bench/faq_pages.py asks)
"""
from flask import Flask, render_template
from jinja2 import DictLoader
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from support import create_app

PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/css/site.css"></head>
<body><header><a href="/sv/">Ingram Micro</a></header>
<main><h1>{{ title }}</h1><ul class="entry-list">{% for item in items %}
<li><a href="{{ item.url }}">{{ item.question }}</a></li>{% endfor %}</ul></main>
<footer>{{ filler }}</footer></body></html>"""

support = create_app()
plain = Flask("plain")
plain.jinja_loader = DictLoader({"page.html": PAGE})


def _pages() -> tuple[str, list[dict], dict[str, str], dict[str, int]]:
    """The largest FAQ category and its first entry: the title and items of the plain page, paths and sizes."""
    catalog = support.extensions["faq"]
    name = max(catalog.categories, key=lambda c: len(catalog.in_category(c)))
    entries = catalog.in_category(name)
    items = [{"url": f"/sv/faq/{e.slug}", "question": e.text("sv").question} for e in entries]
    paths = {"category": f"/sv/categories/{name}", "entry": f"/sv/faq/{entries[0].slug}"}
    with support.test_client() as client:
        sizes = {kind: len(client.get(path).data) for kind, path in paths.items()}
    return catalog.category_name(name, "sv"), items, paths, sizes


TITLE, ITEMS, PATHS, SIZES = _pages()
with plain.app_context():
    _EMPTY = len(render_template("page.html", title=TITLE, items=ITEMS, filler=""))
FILLER = {kind: "x" * max(0, size - _EMPTY) for kind, size in SIZES.items()}


@plain.route("/ping")
def ping():
    return {"status": "ok"}


@plain.route("/paths")
def paths():
    return {**PATHS, "sizes": SIZES}


@plain.route("/page")
def page():
    return render_template("page.html", title=TITLE, items=ITEMS, filler=FILLER["category"])


@plain.route("/entry")
def entry():
    return render_template("page.html", title=TITLE, items=ITEMS, filler=FILLER["entry"])


app = DispatcherMiddleware(support, {"/plain": plain})
