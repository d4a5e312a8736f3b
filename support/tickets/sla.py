"""Service levels: which target a ticket runs against, when it is due and how it stands (pure).

Three targets, each a number of business minutes from a policy (SLA_POLICIES, support/config.py):

    first       from the ticket's creation to the first agent reply
    next        from a customer message that waits for an answer (after a reply, or reopening) to the next reply
    resolution  from the creation to resolved/closed

The clock replays a ticket's history (`Happening`s, oldest first) over the market's calendar. A target runs
only while the ticket is new or open: waiting for the customer (pending) pauses it, and their answer resumes it
with the business time it had left. A priority or queue change applies the new policy to the business time
already used. A merge hands the target the source's running response due time, and the earlier one wins.

Everything is a value: `compute` takes its `now`, the calendar (support/hours.py) and the policies, so a table
of histories tests it (tests/tickets/test_sla.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .. import hours
from .models import PRIORITIES

TARGETS = ("first", "next", "resolution")
RUNNING_STATUSES = ("new", "open")          # pending waits for the customer; resolved/closed are done
DONE_STATUSES = ("resolved", "closed")
STATES = ("running", "warning", "breached", "paused", "met", "missed")


# --- policies: configuration as data, checked at start-up ---

@dataclass(frozen=True)
class Policy:
    """Business minutes per target for tickets of a queue and priority (and market); None in a key: any."""
    queue: str | None
    priority: str | None
    market: str | None
    first: int
    next: int
    resolution: int

    def matches(self, queue: str, priority: str, market: str) -> bool:
        return all(mine in (None, theirs) for mine, theirs in
                   ((self.queue, queue), (self.priority, priority), (self.market, market)))

    def minutes(self, target: str) -> int:
        return getattr(self, target)


def parse_policies(raw: Iterable[Mapping], *, queues: Iterable[str], markets: Iterable[str]) -> tuple[Policy, ...]:
    """SLA_POLICIES as Policy values; a typo or a gap fails start-up with the entry's position, never silently.

    `queues` are the names a policy may use (the configured ones and those routing and mailboxes give)."""
    queues, markets = set(queues), set(markets)
    allowed = {"queue": queues, "priority": set(PRIORITIES), "market": markets}
    policies = []
    for number, spec in enumerate(raw, 1):
        where = f"SLA_POLICIES[{number}]"
        if not isinstance(spec, Mapping):
            raise ValueError(f"{where}: expected a mapping, got {spec!r}")
        unknown = set(spec) - {*allowed, *TARGETS}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)} (known: queue, priority, market, "
                             f"{', '.join(TARGETS)})")
        for key, values in allowed.items():
            value = spec.get(key, "*")
            if value != "*" and value not in values:
                raise ValueError(f"{where}: {key} {value!r} is not '*' or one of {sorted(values)}")
        for target in TARGETS:
            value = spec.get(target)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{where}: {target} must be a whole number of business minutes above 0, "
                                 f"got {value!r}")
        if spec["resolution"] < max(spec["first"], spec["next"]):
            raise ValueError(f"{where}: resolution ({spec['resolution']} min) is shorter than a response target")
        policies.append(Policy(**{k: (None if spec.get(k, "*") == "*" else spec[k]) for k in allowed},
                               **{t: spec[t] for t in TARGETS}))
    for priority in PRIORITIES:             # every ticket must find a policy: no silent "no target"
        for market in sorted(markets):
            if find_policy([p for p in policies if p.queue is None], "", priority, market) is None:
                raise ValueError(f"SLA_POLICIES: no entry for priority {priority!r} in market {market!r} that "
                                 "holds for any queue (add one with the queue left out or '*')")
    return tuple(policies)


def find_policy(policies: Sequence[Policy], queue: str, priority: str, market: str) -> Policy | None:
    """The first policy matching the ticket's queue, priority and market."""
    return next((p for p in policies if p.matches(queue, priority, market)), None)


# --- the history the clock replays ---

@dataclass(frozen=True)
class Happening:
    """One thing in a ticket's life the clock looks at (instants are aware)."""
    at: datetime
    kind: str                    # "created" | "customer" | "reply" | "status" | "priority" | "queue" | "merged_from"
    value: str | None = None     # the new status, priority or queue
    due: datetime | None = None  # merged_from: the source's running response due time, if any


@dataclass(frozen=True)
class Outcome:
    """A target that ended: met when it ended by its due time."""
    target: str
    started: datetime
    due: datetime
    ended: datetime

    @property
    def met(self) -> bool:
        return self.ended <= self.due


@dataclass(frozen=True)
class Clock:
    """How the ticket stands at `now`: the target that decides its due time, or why none does."""
    target: str | None           # "first" | "next" | "resolution"; None when nothing runs or waits
    state: str | None            # running | warning | breached | paused | met | missed; None: no target at all
    due: datetime | None         # None unless a target runs (so paused and done tickets are never overdue)
    started: datetime | None     # when the deciding target started: with `target`, names it once
    minutes_left: int | None     # business minutes to `due` at `now` (negative once breached)
    history: tuple[Outcome, ...]


@dataclass
class _Run:
    target: str
    started: datetime
    segments: list[list] = field(default_factory=list)   # [start, end or None] while running
    cap: datetime | None = None                           # a merged ticket's earlier due time

    @property
    def running(self) -> bool:
        return bool(self.segments) and self.segments[-1][1] is None

    def resume(self, at: datetime) -> None:
        if not self.running:
            self.segments.append([at, None])

    def pause(self, at: datetime) -> None:
        if self.running:
            self.segments[-1][1] = at

    def due(self, market, minutes: int, resume_at: datetime | None = None) -> datetime | None:
        """When the business time spent across its running stretches reaches `minutes`; None when it is
        paused short of it, unless `resume_at` says from when to count the rest (a target ending while paused)."""
        left = timedelta(minutes=minutes)
        found = None
        for start, end in self.segments:
            if end is None:
                found = hours.add_business_time(market, start, left)
                break
            spent = hours.business_time_between(market, start, end)
            if spent >= left:
                found = hours.add_business_time(market, start, left)
                break
            left -= spent
        else:
            if resume_at is not None:
                found = hours.add_business_time(market, resume_at, left)
        if self.cap is not None and (found is not None or self.running):
            found = self.cap if found is None else min(found, self.cap)
        return found


# at one instant: the creation first, a reply before the status it sets, a customer message before its reopening
_ORDER = {"created": 0, "merged_from": 1, "customer": 2, "reply": 3, "status": 4, "priority": 4, "queue": 4}


def compute(history: Sequence[Happening], *, market, policies: Sequence[Policy], queue: str, priority: str,
            now: datetime, warning_minutes: int) -> Clock:
    """Replay the history and say which target runs at `now`, its due time and state.

    `queue` and `priority` are the ticket's first ones (the "created" happening may carry them too).
    """
    status, outcomes = "new", []
    response: _Run | None = None
    resolution: _Run | None = None
    resolved_at: datetime | None = None

    def minutes(target: str) -> int:
        return find_policy(policies, queue, priority, market.code).minutes(target)

    for h in sorted(history, key=lambda h: (h.at, _ORDER.get(h.kind, 3))):
        if h.kind == "created":
            response, resolution = _Run("first", h.at), _Run("resolution", h.at)
            response.resume(h.at)
            resolution.resume(h.at)
        elif resolution is None:             # nothing before the creation counts
            continue
        elif h.kind == "customer" and response is None:
            response = _Run("next", h.at)    # an unanswered earlier message keeps its earlier target
            if status in RUNNING_STATUSES:   # else it runs from the reopening status change just after it
                response.resume(h.at)
        elif h.kind == "reply" and response is not None:
            outcomes.append(Outcome(response.target, response.started,
                                    response.due(market, minutes(response.target), h.at), h.at))
            response = None
        elif h.kind == "priority":
            priority = h.value
        elif h.kind == "queue":
            queue = h.value
        elif h.kind == "merged_from" and h.due is not None:
            if response is None:
                response = _Run("next", h.at)
                if status in RUNNING_STATUSES:
                    response.resume(h.at)
            response.cap = h.due if response.cap is None else min(response.cap, h.due)
        elif h.kind == "status":
            status = h.value
            for run in (response, resolution):
                if run is not None:
                    (run.resume if status in RUNNING_STATUSES else run.pause)(h.at)
            if status in DONE_STATUSES:
                response, resolved_at = None, h.at       # nothing left to answer
            elif resolved_at is not None:
                resolved_at = None                       # reopened: the resolution clock resumes where it stopped

    if resolution is None:
        return Clock(None, None, None, None, None, ())
    if resolved_at is not None:
        due = resolution.due(market, minutes("resolution"), resolved_at)
        done = Outcome("resolution", resolution.started, due, resolved_at)
        outcomes.append(done)
        return Clock(None, "met" if done.met else "missed", None, None, None, tuple(outcomes))
    candidates = [(run.due(market, minutes(run.target)), run) for run in (response, resolution)
                  if run is not None and run.running]
    if not candidates:
        waiting = response or resolution
        return Clock(waiting.target, "paused", None, waiting.started, None, tuple(outcomes))
    due, run = min(candidates, key=lambda c: (c[0], c[1].target == "resolution"))
    left = hours.business_minutes_between(market, now, due)
    state = "breached" if now >= due else "warning" if left <= warning_minutes else "running"
    return Clock(run.target, state, due, run.started, left, tuple(outcomes))
