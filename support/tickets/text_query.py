"""An agent's search words, parsed once for both text engines, and the snippet that shows where they matched.

The syntax is the one people type into any search box: words (all must match), "a phrase" (in that order),
-word and -"a phrase" (must not match). Nothing in it is an error: an unbalanced quote runs to the end, other
punctuation only separates words, and the engines are handed expressions built from these terms, never the
agent's text (FTS5 would otherwise read AND, NEAR( or * as its own syntax). Pure: no database, no app.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup

from ..markets import LANGUAGES
from ..search import stemmer, stop_words

MAX_CHARS = 500              # a longer query is cut here: nobody types more, and it bounds the engines' work
MAX_TERMS = 8
MAX_PARTS = 8                # words in one phrase
SNIPPET_WORDS, SNIPPET_BEFORE = 24, 6

WORD = re.compile(r"[^\W_]+")                                   # letters and digits; FTS5's unicode61 agrees
TERM = re.compile(r'(-?)"([^"]*)(?:"|$)|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Term:
    text: str                    # as typed (PostgreSQL's parser reads e-mail addresses and numbers in it itself)
    parts: tuple[str, ...]       # its lower-case words
    phrase: bool
    negative: bool


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negative)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negative)


def clean(text: str) -> str:
    """The query without control characters (PostgreSQL refuses NUL) and runs of spaces, at most MAX_CHARS."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text[:MAX_CHARS * 2])
    return " ".join(text.split())[:MAX_CHARS]


def is_stop_word(word: str) -> bool:
    """A stop word of any of the languages: the index leaves it out in the ticket's language, so a query word
    that is one (och, og, the) would match nothing in that language; it is dropped instead."""
    return any(word in stop_words(lang) for lang in LANGUAGES)


def parse(text: str) -> Query:
    terms: list[Term] = []
    for m in TERM.finditer(clean(text)):
        phrase = m.group(2) is not None
        raw = m.group(2) if phrase else m.group(4)
        parts = tuple(w.lower() for w in WORD.findall(raw))[:MAX_PARTS]
        if not parts or (len(parts) == 1 and is_stop_word(parts[0])):
            continue
        terms.append(Term(raw.strip(), parts, phrase, bool(m.group(1) if phrase else m.group(3))))
        if len(terms) == MAX_TERMS:
            break
    return Query(tuple(terms))


def alternatives(term: Term) -> set[tuple[str, ...]]:
    """The word sequences one term may match in the index: stemmed in each language (its stop words left out,
    as the index leaves them out), and unstemmed, for the names, addresses and numbers kept whole."""
    found = {term.parts}
    for lang in LANGUAGES:
        stem, stops = stemmer(lang), stop_words(lang)
        seq = tuple(stem(p) for p in term.parts if p not in stops)
        if seq:
            found.add(seq)
    return found


def analysed(text: str, lang: str) -> list[str]:
    """The words of ticket text as the index keeps them: lower case, stemmed, without the language's stop words."""
    stem, stops = stemmer(lang), stop_words(lang)
    return [stem(w) for w in (m.lower() for m in WORD.findall(text)) if w not in stops]


def whole(text: str) -> list[str]:
    """Names, addresses, numbers and file names: lower-case words, not stemmed (anna@kund.se -> anna kund se)."""
    return [w.lower() for w in WORD.findall(text)]


class Highlighter:
    """Marks the words of a ticket's text that the query's positive terms match (stemmed in the ticket's language
    or as typed), and cuts a short snippet around the first one. Everything else is escaped."""

    def __init__(self, query: Query):
        self.raw = {p for t in query.positive for p in t.parts}
        self.stems = {s for t in query.positive for seq in alternatives(t) for s in seq}

    def hit(self, word: str, lang: str) -> bool:
        low = word.lower()
        return low in self.raw or stemmer(lang)(low) in self.stems

    def snippet(self, texts: list[str], lang: str) -> Markup | None:
        """A snippet from the first text with a match; the start of the first text if none has one."""
        for text in texts:
            words = list(WORD.finditer(text))
            first = next((n for n, m in enumerate(words) if self.hit(m.group(), lang)), None)
            if first is not None:
                return self._cut(text, words, max(0, first - SNIPPET_BEFORE), lang)
        for text in texts:
            words = list(WORD.finditer(text))
            if words:
                return self._cut(text, words, 0, lang)
        return None

    def _cut(self, text: str, words: list, start: int, lang: str) -> Markup:
        end = min(len(words), start + SNIPPET_WORDS)
        out, at = ["…" if start else ""], words[start].start()
        for m in words[start:end]:
            out.append(html.escape(text[at:m.start()]))
            word = html.escape(m.group())
            out.append(f"<mark>{word}</mark>" if self.hit(m.group(), lang) else word)
            at = m.end()
        out.append(html.escape(text[at:at + 1]) if end == len(words) else "…")   # a closing full stop, say
        return Markup(" ".join("".join(out).split()))        # every piece escaped above; line breaks become spaces
