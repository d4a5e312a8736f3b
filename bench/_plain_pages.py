"""The support app with its two baselines beside it in one WSGI app, so that one gunicorn serves all three:

    /plain/ping   a bare Flask route
    /plain/page   a plain Jinja page (no i18n, no context processors) as large as a FAQ category page
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


def _category_page() -> tuple[str, list[dict], int]:
    """The largest FAQ category: its name, entries and the size of its page."""
    catalog = support.extensions["faq"]
    name = max(catalog.categories, key=lambda c: len(catalog.in_category(c)))
    items = [{"url": f"/sv/faq/{e.slug}", "question": e.text("sv").question} for e in catalog.in_category(name)]
    with support.test_client() as client:
        size = len(client.get(f"/sv/categories/{name}").data)
    return catalog.category_name(name, "sv"), items, size


TITLE, ITEMS, SIZE = _category_page()
FILLER = "x" * max(0, SIZE - len(PAGE) - sum(len(i["url"]) + len(i["question"])
                                                                                   + 24 for i in ITEMS))


@plain.route("/ping")
def ping():
    return {"status": "ok"}


@plain.route("/page")
def page():
    return render_template("page.html", title=TITLE, items=ITEMS, filler=FILLER)


app = DispatcherMiddleware(support, {"/plain": plain})
