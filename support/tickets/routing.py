"""Routing as data plus a pure function: ordered rules, first match wins, most specific first.

A rule is a mapping in config (`ROUTING_RULES`); any condition it leaves out matches anything:

    {"market": "se", "category": "damage", "late": False, "queue": "damage", "priority": "urgent"}

Conditions: market, category, channel, late (damage reported after the 24-hour window), mailbox (the queue of
the intake address a mail arrived at). `"queue": None` means "the mailbox's queue if any, else general".
The market is a column of its own, so queue names are the same in both markets (agents filter by market).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import CATEGORIES, CHANNELS, PRIORITIES

CONDITIONS = ("market", "category", "channel", "late", "mailbox")
DEFAULT_QUEUE = "general"
DEFAULT_PRIORITY = "normal"
DAMAGE_WINDOW = timedelta(hours=24)      # the terms: transport damage is notified within 24 hours of receipt



@dataclass(frozen=True)
class Facts:
    """What routing looks at: plain values, so the function is pure and table-testable."""
    market: str
    category: str
    channel: str = "web"
    late: bool = False
    mailbox: str | None = None          # queue of the intake mailbox (the routing prior for mail)


@dataclass(frozen=True)
class Rule:
    queue: str | None
    priority: str
    market: str | None = None
    category: str | None = None
    channel: str | None = None
    late: bool | None = None
    mailbox: str | None = None

    def matches(self, facts: Facts) -> bool:
        """Every condition the rule sets equals the fact."""
        return all(getattr(self, name) in (None, getattr(facts, name)) for name in CONDITIONS)


def route(facts: Facts, rules: Sequence[Rule]) -> tuple[str, str]:
    """The (queue, priority) of the first matching rule; general/normal when none matches."""
    for rule in rules:
        if rule.matches(facts):
            return rule.queue or facts.mailbox or DEFAULT_QUEUE, rule.priority
    return facts.mailbox or DEFAULT_QUEUE, DEFAULT_PRIORITY


def parse_rules(raw: Iterable[Mapping], markets: Iterable[str] = ("se", "no")) -> tuple[Rule, ...]:
    """Config mappings to rules; a typo fails at start-up with the rule's position, never silently."""
    rules = []
    allowed = {"market": set(markets), "category": set(CATEGORIES), "channel": set(CHANNELS),
               "priority": set(PRIORITIES)}
    for number, spec in enumerate(raw, 1):
        where = f"ROUTING_RULES[{number}]"
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}: expected a mapping, got {spec!r}")
        unknown = set(spec) - {*CONDITIONS, "queue", "priority"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        if "queue" not in spec:
            raise ValueError(f"{where}: a rule needs a queue (null: the mailbox's queue)")
        for key, values in allowed.items():
            if spec.get(key) is not None and spec[key] not in values:
                raise ValueError(f"{where}: {key} {spec[key]!r} is not one of {sorted(values)}")
        if spec.get("late") not in (None, True, False):
            raise ValueError(f"{where}: late must be true, false or absent")
        rules.append(Rule(**{"priority": DEFAULT_PRIORITY, **spec}))
    return tuple(rules)


def damage_deadline(delivered_at: datetime) -> datetime:
    """When a damage report about this delivery is due (24 hours after receipt)."""
    return delivered_at + DAMAGE_WINDOW
