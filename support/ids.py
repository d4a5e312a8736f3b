"""Database ids as they arrive from outside (URLs, form fields, cursors): ASCII digits that fit an INTEGER column.

A larger number is no id of ours, and passing it on fails in the database instead, which was a 500: SQLite refuses
more than 64 bits ("Python int too large to convert to SQLite INTEGER"), PostgreSQL more than 32 ("integer out of
range", SQLAlchemy casts the parameter to the column's INTEGER). Anything out of range is answered like an
unknown id.
"""
import re

from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1                  # the id and version columns are INTEGER: 32 bits on PostgreSQL
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(text: object) -> int | None:
    """The id written in `text`, or None when it is not one (not ASCII digits, negative, too large)."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def valid_id(value: object) -> bool:
    """An int (not a bool) that can be an id: what a decoded cursor must hold."""
    return type(value) is int and 0 <= value <= MAX_ID


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number too large for the database does not match the route (a 404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str):
        if parse_id(value) is None:     # also before int(): 5,000 digits would exceed Python's conversion limit
            raise ValidationError()
        return super().to_python(value)
