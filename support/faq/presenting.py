"""Turn an entry's answer into display blocks, with the visitor's market facts filled in."""
from flask import current_app
from flask_babel import gettext as _

from ..hours_text import clock_time
from ..i18n import current_market
from ..markets import Market
from .catalog import Block, Entry, blocks, fill


def market_values(market: Market) -> dict:
    """The values the answers' {placeholders} may use, for one market."""
    (morning_open, lunch_start), (lunch_end, closing) = market.opening_intervals[0], market.opening_intervals[-1]
    hours = _("%(open)s–%(close)s (closed for lunch %(lunch_start)s–%(lunch_end)s)",
              open=clock_time(morning_open), close=clock_time(closing),
              lunch_start=clock_time(lunch_start), lunch_end=clock_time(lunch_end))
    return {"phone": market.phone, "support_email": market.support_email,
            "cancellations_email": market.cancellations_email, "opening_hours": hours,
            "cutoff": clock_time(market.order_cutoff), "bid_cutoff": clock_time(market.bid_order_cutoff)}


def visitor_values() -> dict:
    """The placeholder values of the visitor's market."""
    return market_values(current_app.extensions["markets"][current_market()])


def filled_answer(entry: Entry, lang: str) -> str:
    """The entry's answer in `lang` as text, placeholders filled from the visitor's market."""
    return fill(entry.text(lang).answer, visitor_values())


def answer_blocks(entry: Entry, lang: str) -> list[Block]:
    """The entry's answer in `lang` as paragraphs and lists, placeholders filled from the visitor's market."""
    return blocks(filled_answer(entry, lang))
