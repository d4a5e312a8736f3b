"""FAQ lookups: the catalogue turned into search documents (and re-indexed when content changes), queries
answered with entries, the JSON of the search API, and the search commands. The engine is support.search.
"""
from __future__ import annotations

import os
import re
import time

from dataclasses import dataclass

import click
from flask import Flask, current_app, request, url_for
from markupsafe import Markup

from .. import app_memo, search
from ..markets import LANGUAGES
from . import catalog as catalog_module
from . import presenting
from .catalog import Catalog

PLACEHOLDER = re.compile(r"\{\w+\}")
RECHECK_SECONDS = 5          # how often a running process looks at the content files' mtimes
# The results page lists what is worth reading, not always ten: with a confident answer only the results that
# score close to it (the customer may mean one of those), otherwise the few that score like the best one.
CLOSE, CLOSE_MOST = 0.7, 3
RELEVANT, RELEVANT_MOST = 0.5, 5


@dataclass(frozen=True)
class Result:
    """One search result as the visitor sees it: the entry in their language, the snippet from its filled text."""
    hit: search.Hit
    title: str
    snippet: Markup


def _flat(answer: str) -> str:
    """An answer as the search reads it: list items as lines."""
    return answer.replace("\n- ", "\n")


def documents(catalog: Catalog) -> list[search.Doc]:
    """One search document per entry and language; placeholders (market facts) are left out: the index is
    shared by both markets, and snippets are made again from the visitor's filled text (results)."""
    docs = []
    for entry in catalog.entries.values():
        for lang in LANGUAGES:
            text = entry.text(lang)
            body = PLACEHOLDER.sub("", _flat(text.answer))
            category = catalog.category_name(entry.category, lang)
            docs.append(search.Doc(entry.slug, lang, text.question, body, (*text.keywords, category), entry.related))
    return docs


def index_catalog(app: Flask, catalog: Catalog) -> None:
    """Feed every entry of the catalogue to the search indexes and remember the content files' state."""
    search.index(app, documents(catalog))
    app.extensions["faq_content_state"] = {"checked": time.monotonic(), "mtimes": _mtimes(app)}


def _mtimes(app: Flask) -> tuple:
    paths = (app.config["FAQ_PATH"], app.config["SYNONYMS_PATH"], app.config["INFLECTIONS_PATH"],
             app.config["UNANSWERED_PATH"])
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


def results(catalog: Catalog, found: search.Found | None, lang: str, hits: list[search.Hit] | None = None):
    """The hits (all of `found`, or those given) as Results: titles in the visitor's language, snippets from the
    answer with the visitor's market facts filled in, in the language that matched."""
    if found is None:
        return []
    out, filled = [], presenting.answer_filler()
    for hit in found.hits if hits is None else hits:
        entry = catalog.entries[hit.key]
        text = _flat(filled(entry, hit.lang))
        out.append(Result(hit, entry.text(lang).question, search.snippet(text, found)))
    return out


def listed(found: search.Found | None) -> list[search.Hit]:
    """The hits the results page lists besides the answer: those close to the answer, else the plausible few."""
    if not found or not found.hits:
        return []
    best = found.hits[0].score
    if found.answer:
        return [h for h in found.hits[1:CLOSE_MOST + 1] if h.score >= CLOSE * best]
    return [h for h in found.hits[:RELEVANT_MOST] if h.score >= RELEVANT * best]


MAX_URLS = 4096          # entries x languages of a few hundred entries, on a script root or two; more: start again


def entry_url(lang: str, slug: str) -> str:
    """url_for of an entry page, kept per app and script root: the API lists up to 50 entries per request,
    and url_for took as long per entry as making its snippet."""
    return app_memo.kept("faq_entry_urls", (request.script_root, lang, slug), most=MAX_URLS,
                         make=lambda: url_for("faq.entry", lang=lang, slug=slug))


def as_json(catalog: Catalog, query: str, lang: str, found: search.Found | None) -> dict:
    """The /api/faq/search answer of DESIGN.md: titles and URLs in the visitor's language."""
    rows = [{"slug": r.hit.key, "title": r.title, "url": entry_url(lang, r.hit.key),
             "snippet": str(r.snippet), "score": round(r.hit.score, 3)} for r in results(catalog, found, lang)]
    return {"query": query, "lang": lang, "answer": found.answer if found else None, "results": rows,
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
