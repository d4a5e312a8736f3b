"""FAQ pages: home with categories, a page per category, a page per entry with feedback."""
import secrets

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from ..extensions import csrf
from ..markets import LANGUAGES
from ..web import from_another_origin
from . import feedback, lookup, page_cache, presenting
from .forms import VoteForm

bp = Blueprint("faq", __name__)
VISITOR_COOKIE = "visitor"


@bp.url_value_preprocessor
def check_language(endpoint, values):
    if values and values.get("lang") not in LANGUAGES:
        abort(404)


def _catalog():
    return lookup.current_catalog()


@bp.route("/<lang>/")
def home(lang):
    return page_cache.respond("faq/home.html", catalog=_catalog())


@bp.route("/<lang>/categories/<category>")
def category(lang, category):
    if category not in _catalog().categories:
        abort(404)
    return page_cache.respond("faq/category.html", catalog=_catalog(), category=category)


@bp.route("/<lang>/faq/<slug>")
def entry(lang, slug):
    found = _catalog().entries.get(slug) or abort(404)
    voted = bool(request.args.get("thanks")) or feedback.has_voted(slug, request.cookies.get(VISITOR_COOKIE))
    # the template makes the answer's blocks: only when it renders, not for each request the cache answers
    return page_cache.respond("faq/entry.html", variant=voted, catalog=_catalog(), entry=found, voted=voted,
                              answer_blocks=presenting.answer_blocks)


@bp.route("/<lang>/faq/<slug>/vote", methods=["POST"])
@csrf.exempt    # a session's CSRF token would make every first visit to an entry page set a session cookie
def vote(lang, slug):
    if from_another_origin():
        abort(403)
    if slug not in _catalog().entries:
        abort(404)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    visitor = request.cookies.get(VISITOR_COOKIE) or secrets.token_hex(16)
    feedback.record_vote(slug, lang, visitor, helpful=form.helpful.data == "yes")
    response = redirect(url_for(".entry", lang=lang, slug=slug, thanks=1, _anchor="feedback"))
    response.set_cookie(VISITOR_COOKIE, visitor, max_age=365 * 86400, httponly=True, samesite="Lax")
    return response


@bp.route("/<lang>/search")
def search(lang):
    query = request.args.get("q", "").strip()
    found = lookup.find(query, lang) if query else None
    if found is not None and found.answer is None:
        feedback.record_signal("no_answer", query, lang)
    answer = found and lookup.answer_entry(_catalog(), found)
    return render_template("faq/search.html", catalog=_catalog(), query=query, found=found, answer=answer,
                           answer_blocks=presenting.answer_blocks(answer, lang) if answer else (),
                           results=lookup.results(_catalog(), found, lang, lookup.listed(found)))


@bp.route("/api/faq/search")
def api_search():
    query, lang = request.args.get("q", "").strip(), request.args.get("lang", "sv")
    limit = request.args.get("limit", 10, type=int)
    if lang not in LANGUAGES or not 1 <= limit <= 50:
        return {"error": "lang must be one of sv, nb, en and limit 1-50"}, 400
    # the request is in `lang`, as a page in it would be (i18n.select_locale): its market's facts in the snippets,
    # written as `lang` writes them, whatever the browser's Accept-Language says
    g.lang = lang
    found = lookup.find(query, lang, limit) if query else None
    if found is not None and found.answer is None and request.args.get("log") == "1":
        feedback.record_signal("no_answer", query, lang)    # only final queries, not each keystroke
    return lookup.as_json(_catalog(), query, lang, found)


bp.cli.add_command(lookup.reindex_command)
bp.cli.add_command(lookup.misses_command)
