"""Whoosh's Snowball stemmers and stop words, for other parts of the app (through support/search.py).

The ticket search (support/tickets/text_index.py) stems in Python for SQLite's FTS5, which has no Swedish or
Norwegian stemmer; this keeps whoosh behind the search package's one entry point.
"""
from __future__ import annotations

import functools
from collections.abc import Callable

from whoosh.lang import stemmer_for_language, stopwords_for_language

from .index import SNOWBALL


@functools.cache
def stemmer(lang: str) -> Callable[[str], str]:
    """The Snowball stemmer of an app language ("sv", "nb", "en") for one lower-case word, memoised."""
    return functools.lru_cache(maxsize=200_000)(stemmer_for_language(SNOWBALL[lang]))


@functools.cache
def stop_words(lang: str) -> frozenset[str]:
    """The language's Snowball stop words (och, og, the ...)."""
    return frozenset(stopwords_for_language(SNOWBALL[lang]))
