"""FAQ lookups: the catalogue turned into search documents (and re-indexed when content changes), queries
answered with entries, the JSON of the search API, and the search commands. The engine is support.search.
"""
from __future__ import annotations

import os
import re
import time

import click
from flask import Flask, current_app, url_for

from .. import search
from ..markets import LANGUAGES
from . import catalog as catalog_module
from .catalog import Catalog

PLACEHOLDER = re.compile(r"\{\w+\}")
RECHECK_SECONDS = 5          # how often a running process looks at the content files' mtimes


def documents(catalog: Catalog) -> list[search.Doc]:
    """One search document per entry and language; placeholders (market facts) are left out."""
    docs = []
    for entry in catalog.entries.values():
        for lang in LANGUAGES:
            text = entry.text(lang)
            body = PLACEHOLDER.sub("", text.answer.replace("\n- ", "\n"))
            category = catalog.category_name(entry.category, lang)
            docs.append(search.Doc(entry.slug, lang, text.question, body, (*text.keywords, category)))
    return docs


def index_catalog(app: Flask, catalog: Catalog) -> None:
    """Feed every entry of the catalogue to the search indexes and remember the content files' state."""
    search.index(app, documents(catalog))
    app.extensions["faq_content_state"] = {"checked": time.monotonic(), "mtimes": _mtimes(app)}


def _mtimes(app: Flask) -> tuple:
    paths = (app.config["FAQ_PATH"], app.config["SYNONYMS_PATH"], app.config["INFLECTIONS_PATH"])
    return tuple(os.stat(p).st_mtime_ns if p and os.path.exists(p) else None for p in paths)


def refresh_if_changed(app: Flask) -> bool:
    """Reload content and synonyms when their files changed (checked at most every RECHECK_SECONDS)."""
    state = app.extensions.get("faq_content_state")
    if state is None or time.monotonic() - state["checked"] < RECHECK_SECONDS:
        return False
    state["checked"] = time.monotonic()
    if _mtimes(app) == state["mtimes"]:
        return False
    reindex(app)
    return True


def reindex(app: Flask) -> Catalog:
    """Reload content/faq.yaml and the synonyms and rebuild the indexes (invalid content keeps the old ones)."""
    loaded = catalog_module.load(app.config["FAQ_PATH"])
    search.init_app(app)
    app.extensions["faq"] = loaded
    index_catalog(app, loaded)
    return loaded


def current_catalog() -> Catalog:
    """The FAQ as its content files now say (reloaded when they changed; invalid content keeps the last good)."""
    try:
        refresh_if_changed(current_app._get_current_object())
    except catalog_module.ContentError as exc:        # keep serving the last good content
        current_app.logger.error("FAQ content not reloaded:\n%s", exc)
    return current_app.extensions["faq"]


def find(query: str, lang: str, limit: int = 10) -> search.Found:
    """Search the FAQ in one language (reloading changed content first)."""
    current_catalog()
    return search.find(query, lang=lang, limit=limit)


def as_json(catalog: Catalog, query: str, lang: str, found: search.Found | None) -> dict:
    """The /api/faq/search answer of DESIGN.md: titles and URLs in the visitor's language."""
    results = []
    for hit in found.hits if found else ():
        entry = catalog.entries[hit.key]
        results.append({"slug": hit.key, "title": entry.text(lang).question,
                        "url": url_for("faq.entry", lang=lang, slug=hit.key), "snippet": str(hit.snippet),
                        "score": round(hit.score, 3)})
    return {"query": query, "lang": lang, "answer": found.answer if found else None, "results": results,
            "suggestion": found.suggestion if found else None}


def answer_entry(catalog: Catalog, found: search.Found):
    """The catalogue entry that is the confident answer, or None."""
    return catalog.entries.get(found.answer) if found.answer else None


@click.command("reindex")
def reindex_command() -> None:
    """Reload content/faq.yaml and the synonyms and rebuild this process's search indexes."""
    try:
        loaded = reindex(current_app._get_current_object())
    except catalog_module.ContentError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.exceptions.Exit(1)
    for lang in LANGUAGES:
        current_app.extensions["search"].language(lang)        # build now, so timing and errors show here
    click.echo(f"Indexed {len(loaded.entries)} entries in {len(LANGUAGES)} languages.")


@click.command("misses")
@click.option("--limit", default=30, show_default=True, help="How many rows to list.")
@click.option("--not-helpful", is_flag=True, help="List the entries voted not helpful instead.")
def misses_command(limit: int, not_helpful: bool) -> None:
    """List the most frequent searches that found no confident answer, for content editors."""
    from .feedback import top_signals
    rows = top_signals("not_helpful" if not_helpful else "no_answer", limit)
    if not rows:
        click.echo("No entries voted not helpful." if not_helpful else "No searches without an answer recorded.")
    for text, lang, count in rows:
        click.echo(f"{count:5}  {lang}  {text}")
