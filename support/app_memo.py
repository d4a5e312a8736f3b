"""Values an app makes once and keeps: what depends only on the language, the market, the content or the minute.

A FAQ page or a search answer asks for the same few of them on every request (the opening-hours badge, the
market's facts, the filled answers, the entries' URLs), and making them again was a large share of its cost.
"""
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")


def kept(memo: str, key: Hashable, make: Callable[[], T], *, held: tuple = (), most: int = 4096) -> T:
    """The value under `key` in the app's memo `memo`, made by `make()` the first time it is asked for.

    `held` are the objects whose ids `key` contains (markets and entries are compared by value, which would cost
    more than making the value): they are kept beside it, so a later object that reuses an id is never taken for
    them. A memo that grows past `most` keys starts again; a reloaded catalogue brings new keys and the old fall
    out that way.
    """
    values = current_app.extensions.setdefault(memo, {})
    found = values.get(key)
    if found is None or found[0] != held:       # the same objects compare equal without comparing their fields
        if len(values) >= most:
            values.clear()
        values[key] = found = (held, make())
    return found[1]
