"""The service-level clock as a table: a history, an instant, and what the clock says (pure; no database)."""
from datetime import datetime

import pytest

from support import hours
from support.markets import build_markets
from support.tickets.sla import Happening, compute, parse_policies

MARKETS = build_markets({})
POLICIES = parse_policies([
    {"priority": "urgent", "first": 60, "next": 60, "resolution": 600},
    {"first": 120, "next": 90, "resolution": 960},
], queues={"general"}, markets=MARKETS)


def at(text: str, market: str = "se") -> datetime:
    """A local wall-clock time in the market's zone ("2026-03-02 10:00" is a Monday)."""
    return datetime.fromisoformat(text).replace(tzinfo=hours.zone(MARKETS[market].timezone))


def h(when: str, kind: str, value: str | None = None, due: str | None = None, market: str = "se") -> Happening:
    return Happening(at(when, market), kind, value, at(due, market) if due else None)


def created(when, market="se"):
    return [h(when, "created", market=market), h(when, "customer", market=market)]


def replied(when, status="pending", market="se"):
    return [h(when, "reply", market=market), h(when, "status", status, market=market)]


def customer_again(when, reopen=True, market="se"):
    return [h(when, "customer", market=market)] + ([h(when, "status", "open", market=market)] if reopen else [])


CASES = [
    # (reason, history, now, priority, market, expected target, state, due (local) or None, [(target, met)])
    ("nothing answered yet: the first response runs, 120 business minutes on, across lunch",
     created("2026-03-02 11:00"), "2026-03-02 11:30", "normal", "se", "first", "running", "2026-03-02 14:00", []),
    ("30 business minutes or fewer left turns it into a warning",
     created("2026-03-02 11:00"), "2026-03-02 13:30", "normal", "se", "first", "warning", "2026-03-02 14:00", []),
    ("past the due time it is breached",
     created("2026-03-02 11:00"), "2026-03-02 14:01", "normal", "se", "first", "breached", "2026-03-02 14:00", []),
    ("a reply meets the first response; waiting for the customer nothing runs, so nothing is overdue weeks on",
     created("2026-03-02 10:00") + replied("2026-03-02 10:30"), "2026-03-20 10:00", "normal", "se",
     "resolution", "paused", None, [("first", True)]),
    ("a late reply still ends the first response, as missed",
     created("2026-03-02 10:00") + replied("2026-03-02 15:00"), "2026-03-02 15:00", "normal", "se",
     "resolution", "paused", None, [("first", False)]),
    ("a second customer message before any reply keeps the earlier due time",
     created("2026-03-02 10:00") + customer_again("2026-03-02 11:00", reopen=False), "2026-03-02 11:00", "normal",
     "se", "first", "running", "2026-03-02 12:00", []),
    ("a customer reply starts the next-response target (90 min), ahead of resolution",
     created("2026-03-02 10:00") + replied("2026-03-02 10:30") + customer_again("2026-03-02 15:00"),
     "2026-03-02 15:00", "normal", "se", "next", "running", "2026-03-02 16:30", [("first", True)]),
    ("pending pauses the first response over lunch: 60 min used before, 60 left from the customer's answer",
     created("2026-03-02 10:00") + [h("2026-03-02 11:00", "status", "pending")] + customer_again("2026-03-02 13:30"),
     "2026-03-02 13:30", "normal", "se", "first", "running", "2026-03-02 14:30", []),
    ("pending pauses resolution over a weekend: 60 min used on Friday, 900 left from Monday 14:00",
     created("2026-03-06 10:00") + replied("2026-03-06 11:00") + customer_again("2026-03-09 14:00")
     + replied("2026-03-09 14:30", status="open"), "2026-03-09 14:30", "normal", "se", "resolution", "running",
     "2026-03-11 14:00", [("first", True), ("next", True)]),
    ("resolved within its time: resolution met, nothing runs",
     created("2026-03-02 10:00") + replied("2026-03-02 11:00", status="resolved"), "2026-03-02 11:00", "normal",
     "se", None, "met", None, [("first", True), ("resolution", True)]),
    ("reopen resumes: a next-response target from the customer's mail",
     created("2026-03-02 10:00") + replied("2026-03-02 10:30", status="resolved") + customer_again("2026-03-03 09:00"),
     "2026-03-03 09:00", "normal", "se", "next", "running", "2026-03-03 10:30", [("first", True)]),
    ("reopen resumes resolution where it stopped: 30 min used Monday, 930 left from Tuesday 09:00",
     created("2026-03-02 10:00") + replied("2026-03-02 10:30", status="resolved") + customer_again("2026-03-03 09:00")
     + replied("2026-03-03 09:00", status="open"), "2026-03-03 09:00", "normal", "se", "resolution", "running",
     "2026-03-05 09:30", [("first", True), ("next", True)]),
    ("a priority change recomputes: urgent's 60 min from the creation, 30 of them already used",
     created("2026-03-02 10:00") + [h("2026-03-02 10:30", "priority", "urgent")], "2026-03-02 10:30", "normal", "se",
     "first", "warning", "2026-03-02 11:00", []),
    ("a priority change down gives more time: normal's 120 min instead of urgent's 60",
     created("2026-03-02 10:00") + [h("2026-03-02 10:30", "priority", "normal")], "2026-03-02 10:30", "urgent", "se",
     "first", "running", "2026-03-02 12:00", []),
    ("a merge keeps the earliest: the source's customer was due at 10:45",
     created("2026-03-02 10:00") + [h("2026-03-02 10:30", "merged_from", due="2026-03-02 10:45")], "2026-03-02 10:30",
     "normal", "se", "first", "warning", "2026-03-02 10:45", []),
    ("a merge keeps the earliest: a later source due time leaves the ticket's own",
     created("2026-03-02 10:00") + [h("2026-03-02 10:30", "merged_from", due="2026-03-02 16:00")], "2026-03-02 10:30",
     "normal", "se", "first", "running", "2026-03-02 12:00", []),
    ("a merge into a ticket waiting for its customer: the source's customer still waits for an answer",
     created("2026-03-02 10:00") + replied("2026-03-02 10:15", status="open")
     + [h("2026-03-02 10:30", "merged_from", due="2026-03-02 11:00")], "2026-03-02 10:30",
     "normal", "se", "next", "warning", "2026-03-02 11:00", [("first", True)]),
    ("Sweden works on Maundy Thursday: 60 min on Wednesday, 60 on Thursday",
     created("2026-04-01 16:00"), "2026-04-01 16:00", "normal", "se", "first", "running", "2026-04-02 09:30", []),
    ("Norway is closed Maundy Thursday to Easter Monday: the second hour falls on Tuesday",
     created("2026-04-01 16:00", "no"), "2026-04-01 16:00", "normal", "no", "first", "running", "2026-04-07 09:30",
     []),
]


@pytest.mark.parametrize("reason, history, now, priority, market, target, state, due, outcomes", CASES,
                         ids=[c[0][:60] for c in CASES])
def test_clock(reason, history, now, priority, market, target, state, due, outcomes):
    clock = compute(history, market=MARKETS[market], policies=POLICIES, queue="general", priority=priority,
                    now=at(now, market), warning_minutes=30)
    assert (clock.target, clock.state) == (target, state), reason
    assert clock.due == (at(due, market) if due else None), reason
    assert [(o.target, o.met) for o in clock.history] == outcomes, reason


@pytest.mark.parametrize("bad, words", [
    ([{"first": 60, "next": 60}], "resolution must be a whole number"),
    ([{"priority": "urgnet", "first": 60, "next": 60, "resolution": 600}], "priority 'urgnet'"),
    ([{"queue": "damgae", "first": 60, "next": 60, "resolution": 600}], "queue 'damgae'"),
    ([{"first": 60, "next": 60, "resolution": 30}], "shorter than a response target"),
    ([{"first": 60, "next": 60, "resolution": 600, "warn": 5}], "unknown keys"),
    ([{"priority": "urgent", "first": 60, "next": 60, "resolution": 600}], "no entry for priority 'high'"),
    ([{"queue": "general", "first": 60, "next": 60, "resolution": 600}], "holds for any queue"),
])
def test_bad_policies_fail_at_start_up_with_a_clear_message(bad, words):
    with pytest.raises(ValueError, match=words):
        parse_policies(bad, queues={"general"}, markets=MARKETS)


def test_first_match_wins_on_queue_priority_and_market():
    policies = parse_policies([
        {"queue": "general", "market": "no", "first": 30, "next": 30, "resolution": 300},
        {"queue": "general", "first": 45, "next": 45, "resolution": 300},
        {"first": 120, "next": 90, "resolution": 960},
    ], queues={"general", "damage"}, markets=MARKETS)
    from support.tickets.sla import find_policy
    assert find_policy(policies, "general", "low", "no").first == 30
    assert find_policy(policies, "general", "low", "se").first == 45
    assert find_policy(policies, "damage", "low", "no").first == 120
