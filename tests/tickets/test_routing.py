"""routing.py as a table: facts in, (queue, priority) out, a reason on each row."""
import pytest

from support.config import Defaults
from support.tickets.routing import Facts, parse_rules, route

RULES = parse_rules(Defaults.ROUTING_RULES)


@pytest.mark.parametrize("facts, expected, reason", [
    (Facts("se", "cancellation"), ("cancellations", "urgent"), "must be halted before packing"),
    (Facts("no", "cancellation", channel="email", mailbox="general"), ("cancellations", "urgent"),
     "content decides the category, not the mailbox it was sent to"),
    (Facts("se", "damage", late=False), ("damage", "urgent"), "in-window damage races the 24-hour clock"),
    (Facts("no", "damage", late=True), ("damage", "normal"), "late damage is kept but no longer first"),
    (Facts("se", "stuck-order"), ("order-status", "high"), "a stuck order has its own queue"),
    (Facts("se", "other"), ("general", "normal"), "anything else goes to general"),
    (Facts("no", "other", channel="email", mailbox="cancellations"), ("cancellations", "normal"),
     "an unclear mail to the cancellations address stays in that mailbox's queue"),
])
def test_default_rules(facts, expected, reason):
    assert route(facts, RULES) == expected, reason


def test_first_match_wins_and_market_specific_rules_apply():
    rules = parse_rules([{"market": "no", "category": "damage", "queue": "damage-no", "priority": "high"},
                         {"category": "damage", "queue": "damage", "priority": "urgent"}])
    assert route(Facts("no", "damage"), rules) == ("damage-no", "high")
    assert route(Facts("se", "damage"), rules) == ("damage", "urgent")
    assert route(Facts("se", "other"), rules) == ("general", "normal"), "no rule matches: the default"


@pytest.mark.parametrize("bad, words", [
    ([{"category": "returns", "queue": "x"}], "category 'returns'"),      # a typo fails at start-up
    ([{"category": "damage"}], "needs a queue"),
    ([{"queue": "x", "colour": "red"}], "unknown keys"),
    ([{"queue": "x", "priority": "asap"}], "priority 'asap'"),
    ([{"queue": "x", "market": "dk"}], "market 'dk'"),
    ([{"queue": "x", "late": "yes"}], "late must be"),
])
def test_bad_rules_fail_loudly(bad, words):
    with pytest.raises(ValueError, match=words):
        parse_rules(bad)
