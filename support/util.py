"""Small helpers shared by every area."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, the form every timestamp is stored in."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_utc(value: datetime) -> datetime:
    """A stored naive-UTC datetime as an aware one (for arithmetic with market-local times)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def to_naive_utc(value: datetime) -> datetime:
    """An aware datetime in the stored form (naive UTC)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
