"""FAQ search: the one entry point the rest of the app imports; the engine is support/search_engine/.

It is given documents (`index`) and answers queries (`find`, `search`, `suggest`); it knows nothing of the FAQ.
Every process builds its own indexes in memory, lazily on the first query; a production app builds them at start-up
(production.settle), so under gunicorn --preload the workers share the master's copy-on-write.
"""
from __future__ import annotations

from flask import Flask, current_app

from markupsafe import Markup

from .search_engine.index import LANGS, Doc, Found, Highlight, Hit, SearchIndex
from .search_engine.lexicon import load_inflections, load_synonyms, load_unanswered
from .search_engine.stems import stemmer, stop_words

__all__ = ["LANGS", "Doc", "Found", "Highlight", "Hit", "SearchIndex", "load_inflections", "load_synonyms",
           "load_unanswered",
           "init_app", "index", "find", "search", "suggest", "snippet", "stemmer", "stop_words"]


def init_app(app: Flask) -> None:
    """Create this process's empty indexes, with the synonyms of SYNONYMS_PATH, inflections of INFLECTIONS_PATH and
    the matters no entry answers of UNANSWERED_PATH."""
    app.extensions["search"] = SearchIndex(load_synonyms(app.config["SYNONYMS_PATH"]),
                                           load_inflections(app.config["INFLECTIONS_PATH"]),
                                           load_unanswered(app.config["UNANSWERED_PATH"]))


def index(app: Flask, docs) -> None:
    """Replace the documents searched in this app (the indexes are rebuilt on the next query)."""
    app.extensions["search"].replace(list(docs))


def find(text: str, *, lang: str, limit: int = 10) -> Found:
    """Hits, answer and suggestion for one query in the current app."""
    return current_app.extensions["search"].find(text, lang, limit)


def search(text: str, *, lang: str, limit: int = 10) -> list[Hit]:
    """Ranked hits for one query in the current app."""
    return find(text, lang=lang, limit=limit).hits


def suggest(text: str, *, lang: str) -> str | None:
    """A spelling correction of the query, or None."""
    return find(text, lang=lang, limit=1).suggestion


def snippet(text: str, found: Found) -> Markup:
    """A snippet of `text` (say, an answer with the market's facts filled in) with the query of `found` marked."""
    return current_app.extensions["search"].snippet(text, found.highlight)
