"""Turn an entry's answer into display blocks, with the visitor's market facts filled in."""
from collections.abc import Callable

from flask import current_app
from flask_babel import get_locale, gettext as _

from .. import app_memo
from ..hours_text import clock_time
from ..i18n import current_market
from ..markets import Market
from .catalog import Block, Entry, blocks, fill


WEEKDAYS = (0, 1, 2, 3, 4)


def market_values(market: Market) -> dict:
    """The values the answers' {placeholders} may use, for one market."""
    (morning_open, lunch_start), (lunch_end, closing) = market.opening_intervals[0], market.opening_intervals[-1]
    times = dict(open=clock_time(morning_open), close=clock_time(closing), lunch_start=clock_time(lunch_start),
                 lunch_end=clock_time(lunch_end))
    # the days too, and that the market's holidays are closed (support.hours): "are you open on 6 June?"
    if market.opening_days == WEEKDAYS:
        hours = _("weekdays %(open)s–%(close)s (closed for lunch %(lunch_start)s–%(lunch_end)s), closed on public "
                  "holidays", **times)
    else:
        hours = _("%(open)s–%(close)s (closed for lunch %(lunch_start)s–%(lunch_end)s), closed on public holidays",
                  **times)
    return {"phone": market.phone, "support_email": market.support_email,
            "cancellations_email": market.cancellations_email, "opening_hours": hours,
            "cutoff": clock_time(market.order_cutoff), "bid_cutoff": clock_time(market.bid_order_cutoff)}


def visitor_values() -> dict:
    """The placeholder values of the visitor's market.

    They differ only by market and language, yet formatting their six clock times was a quarter of a search
    request's cost: so each app keeps them per market and language."""
    market, lang = current_app.extensions["markets"][current_market()], str(get_locale())
    return dict(app_memo.kept("faq_market_values", (id(market), lang), lambda: market_values(market),
                              held=(market,)))


MAX_FILLED = 4096       # answers x languages x markets x UI languages of a few hundred entries; more: start again


def answer_filler() -> Callable[[Entry, str], str]:
    """filled_answer for the current visitor, their market and language looked up once (a search fills one
    answer per hit).

    A filled answer is the same for every visitor of a market and UI language, yet filling it was a tenth of a
    search request's cost: so each app keeps them. A reloaded catalogue brings new entries, hence new keys."""
    market, ui = current_app.extensions["markets"][current_market()], str(get_locale())

    def filled(entry: Entry, lang: str) -> str:
        return app_memo.kept("faq_filled_answers", (id(entry), lang, id(market), ui),
                             lambda: fill(entry.text(lang).answer, visitor_values()), held=(entry, market),
                             most=MAX_FILLED)
    return filled


def filled_answer(entry: Entry, lang: str) -> str:
    """The entry's answer in `lang` as text, placeholders filled from the visitor's market."""
    return answer_filler()(entry, lang)


def answer_blocks(entry: Entry, lang: str) -> list[Block]:
    """The entry's answer in `lang` as paragraphs and lists, placeholders filled from the visitor's market."""
    return blocks(filled_answer(entry, lang))
