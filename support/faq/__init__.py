"""The FAQ: content loaded and validated at start-up, pages per language, votes and search signals."""
from flask import Flask

from .cli import check
from .views import bp

bp.cli.add_command(check)


def init_app(app: Flask) -> None:
    """Load content/faq.yaml (refusing to start on invalid content) and feed the search indexes."""
    from . import catalog, lookup, page_cache
    page_cache.init_app(app)
    loaded = catalog.load(app.config["FAQ_PATH"])
    app.extensions["faq"] = loaded
    lookup.index_catalog(app, loaded)
