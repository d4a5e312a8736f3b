"""The clock: what time it is (frozen in browser tests), and the stored form of timestamps (naive UTC)."""
from datetime import UTC, datetime

from flask import current_app, has_app_context


def now() -> datetime:
    """The current instant (aware, UTC): what views hand to the services as their explicit `now`.

    Browser tests freeze it with the FROZEN_NOW setting (ISO 8601), honoured only when TESTING, so a journey
    such as "after today's cut-off" or "at lunch" does not depend on when the suite runs.
    """
    if has_app_context() and current_app.testing and current_app.config["FROZEN_NOW"]:
        return datetime.fromisoformat(current_app.config["FROZEN_NOW"]).astimezone(UTC)
    return datetime.now(UTC)


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form every timestamp is stored in."""
    return now().replace(tzinfo=None)


def as_utc(value: datetime) -> datetime:
    """A stored naive-UTC datetime as an aware one (for arithmetic with market-local times)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_naive_utc(value: datetime) -> datetime:
    """An aware datetime in the stored form (naive UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
