"""Which language and market a request is in: the URL decides the language, the visitor may choose the market."""
from flask import Flask, current_app, g, has_request_context, request, url_for

from .markets import LANGUAGES, market_for_language

MARKET_COOKIE = "market"


ACCEPTED = {"sv": "sv", "nb": "nb", "no": "nb", "nn": "nb", "en": "en"}


def best_language() -> str:
    """The visitor's preferred language by Accept-Language (for `/`), English when nothing matches."""
    for tag, _quality in request.accept_languages:          # best first
        primary = tag.lower().replace("_", "-").split("-")[0]
        if primary in ACCEPTED:
            return ACCEPTED[primary]
    return "en"


def select_locale() -> str:
    """Flask-Babel's locale selector: the `<lang>` URL part, else what a view set in g.lang, else the header."""
    if request and request.view_args and request.view_args.get("lang") in LANGUAGES:
        return request.view_args["lang"]
    return g.get("lang") or (best_language() if request else "en")


def current_market() -> str:
    """The market the visitor chose (cookie or ?market=), else the one their language implies."""
    chosen = request.args.get("market") or request.cookies.get(MARKET_COOKIE)
    if chosen in current_app.extensions["markets"]:
        return chosen
    return market_for_language(select_locale())


def switch_language_url(code: str) -> str:
    """The same page in another language (the FAQ home for pages without a language in the URL)."""
    args = dict(request.view_args or {})
    if request.endpoint and "lang" in args:
        # the query string must not repeat a URL part (?lang=x would be a second `lang` for url_for)
        query = {k: v for k, v in request.args.items() if k not in args}
        return url_for(request.endpoint, **{**args, "lang": code}, **query)
    return url_for("faq.home", lang=code)


def init_app(app: Flask) -> None:
    """Expose the language and market to templates."""
    app.add_template_global(switch_language_url)

    @app.context_processor
    def language_context():
        markets = app.extensions["markets"]
        if not has_request_context():          # mail rendered by the worker or a CLI command
            return {"languages": LANGUAGES, "markets": markets}
        return {"lang": select_locale(), "languages": LANGUAGES, "market": markets[current_market()],
                "markets": markets}
