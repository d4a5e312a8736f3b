"""The indexes: full-text search over short documents in sv, nb and en.

It is given documents (SearchIndex.replace) and answers queries (SearchIndex.find); it knows nothing of the FAQ.
Whoosh supplies the language knowledge (Snowball stemmers, stop words), wordfreq which words are real words
(so that "kolla" is not corrected to "kolli", nor "card" to "cart"); at index time everything a query needs
is precomputed per language (BM25F weights per term and document, compound splits, synonym expansions, keyword
phrases, a typo index), so that a query is dict lookups (support.ranking) and its words' analysis is cached.
Every process (gunicorn worker, test app) builds its own in memory, lazily on the first query after `index`.
"""
from __future__ import annotations

import functools
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import wordfreq
from markupsafe import Markup
from whoosh.lang import stemmer_for_language, stopwords_for_language

from ..markets import DEFAULT_MARKETS, LANGUAGES
from . import actions, clauses, ranking
from .textmatch import WORD, Language, clean, english_negations, fold, joined_pairs, snippet, tokens, words

LANGS = LANGUAGES
SNOWBALL = {"sv": "sv", "nb": "no", "en": "en"}      # Whoosh spells Norwegian "no"; "nb" silently means no stemming

# weights of a query word's alternatives; a word counts with its best one
FOLDED = 0.8     # typed without å/ä/ö/ø, or a part of a compound in the text: an exact spelling ranks first
PART = 0.6       # the parts of a compound query word ("transportskada" for "skada vid transport")
SYNONYM = 0.7
GUESSED = 0.7    # a word taken for a known one by cutting an ending (kjøpte -> kjøp): likelier another word
FUZZY = 0.5      # a near spelling of a word the documents do not have
PHRASE = 1.0     # per word, for a run of query words that is one of a document's keywords
PAIR = 0.5       # two query words next to each other in a document, as they are in the query
JOINED = 0.6     # two query words that written together are a document's compound ("kemikalie skatt")
TITLE = 2.0      # times the share of a question's words the query has: "kjemikalieskatt" is *the* question
CUE = 2.0        # per question word (why, who, not) the query shares with a document's question or keywords
CONTEXT = 0.5    # a market's name (where the customer is: "gäller det för Norge också") or a count of time: rarely asked
MARKETS = {"sverige", "norge", "sweden", "norway", "noreg"}
# whom the customers write to: the markets and the company ("hos Ingram Micro Norge"), names that say where a
# question goes, not what it asks
ADDRESSEE = MARKETS | {fold(w) for market in DEFAULT_MARKETS.values() for w in words(market.name)}
# a count of time ("för tre dagar sen", "6 dager", "two weeks ago"): when the story happened, not what is asked,
# though "samma dag" is the cut-off time's question
TIME_UNITS = {"dag", "dagar", "dagarna", "dager", "dagene", "dygn", "døgn", "vecka", "veckor", "veckan", "uke", "uker",
              "uka", "timme", "timmar", "time", "timer", "timen", "minuter", "minutter", "månad", "månader", "måned",
              "måneder", "år", "day", "days", "week", "weeks", "hour", "hours", "minutes", "month", "months", "years"}
NUMBERS = {"två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "to", "fire", "seks", "åtte", "ti",
           "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "par", "några", "noen", "few",
           "flera", "flere", "several"}
EVERYDAY = 0.6   # an everyday word (GENERIC) in a query of LONG_WORDS or more content words: likelier the story's
NAMED = 0.5      # a capitalised unknown word inside a sentence, towards a long query's unknown share
WORD_CACHE = 8192
# A query's words the documents lack are looked up for near spellings (SymSpell, the dearest step of a query) at
# most this many at a time; the rest count as unknown. Ten typos in one question are plenty to answer it, and a
# paste of 40 unknown words costs no more than ten.
NEAR_WORDS = 10
QUERY_CHARS = 400   # a situation described in 40 words, with room to spare; beyond it a paste, not a question
COMMON = 1e-6    # a word at least this frequent in the language is a real word, not a misspelling to correct
GENERIC = 1e-4   # ... and this frequent, an everyday word ("helt", "idag", "snabbt"): part of any story, no topic
# words of asking, not of the topic, which the stop lists lack; left in, they lower a query's coverage
# and the spoken and texting forms of stop words ("dom", "nåt", "typ", "pls") that the written lists lack, and verb
# particles that name no topic ("logga in", "legge inn", "gå frem")
FILLER = {"sv": {"gör", "göra", "gjort", "gjorde", "får", "ska", "vill", "behöver", "måste", "går", "hej", "tack",
                 "angående", "gällande", "beträffande",
                 "dom", "nåt", "nån", "sånt", "sån", "va", "e", "o", "mkt", "typ", "liksom", "asså", "alltså", "iaf",
                 "ngn", "ngt", "pga", "mvh", "btw", "asap", "tjena", "tja", "tjo", "hallå", "hejsan", "in"},
          "nb": {"gjør", "gjøre", "gjort", "gjorde", "får", "må", "trenger", "går", "hei", "takk",
                 "angående", "vedrørende",
                 "liksom", "altså", "mvh", "hilsen", "jo", "vel", "ca", "pga", "btw", "asap", "heisann", "hallo", "frem", "inn"},
          "en": {"please", "need", "want", "would", "could", "get", "hi", "hello", "thanks", "regarding",
                 "pls", "plz", "thx", "cheers", "regards", "asap", "btw", "guys", "hey", "ok",
                 "us",    # Snowball's English list has "we", "our", "me", "them", but not "us"
                 "re", "ve", "ll", "d", "m"}}   # what the tokens leave of we're, we've, we'll, we'd, I'm
# stop words that still tell questions apart ("why has my order not shipped" vs "when must I order to ship")
CUES = {"sv": {"vem", "varför", "när", "inte", "ej", "vilka", "vilken", "var"},
        "nb": {"hvem", "hvorfor", "når", "ikke", "hvilke", "hvilken", "hvor"},
        "en": {"who", "why", "when", "not", "which", "where"}}
NEGATIONS = {"inte", "ej", "ikke", "not"}
# the particle of a phrasal verb may stand after its object ("send the extra two back", "sende dem tilbake"): the
# verb and the particle are then still the keyword or synonym they make, within PHRASAL_REACH words
PARTICLES = {"sv": {"tillbaka", "bort"}, "nb": {"tilbake", "bort", "vekk"}, "en": {"back", "off"}}
PHRASAL_REACH = 5
# forms of "stå" that, before "som", report what a status or a document says ("står som skickad", "stått som sendt")
REPORTING = {"sv": {"står", "stod", "stått", "star", "statt"},
             "nb": {"står", "sto", "stod", "stått", "star", "statt"}}


@dataclass(frozen=True)
class Doc:
    key: str
    lang: str
    title: str
    body: str
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()   # keys of documents about the same situation, which this one's page links


@dataclass(frozen=True)
class Hit:
    key: str
    lang: str           # the language of the content that matched (another one when falling back)
    title: str
    score: float
    coverage: float     # share of the query's words this document matched
    marked: Callable[[], Markup] = field(repr=False, compare=False)     # makes `snippet`

    @functools.cached_property
    def snippet(self) -> Markup:
        """The document's text, escaped, with <mark> around the matched words. Made on first use: the FAQ's
        pages and API make theirs from the answer with the market's facts filled in, and ask for none of these."""
        return self.marked()


@dataclass(frozen=True)
class Highlight:
    """What of a query to mark in a text: its words' stems, in the language of the documents that matched."""
    lang: str
    exact: frozenset[str]
    terms: frozenset[str]


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    answer: str | None      # the key of the one document that clearly answers the query
    suggestion: str | None  # the query with misspelt words corrected
    highlight: Highlight | None = None   # for snippets of other texts than the indexed ones (SearchIndex.snippet)
    answered_by: str | None = None       # the rule of ranking.confidence that made `answer` the answer


@dataclass(frozen=True)
class _Word:
    """One query word, analysed: its scores per document and the terms to highlight."""
    text: str
    key: str                    # folded normal form: what synonyms and phrases are matched on
    exact: str
    scores: ranking.Scores
    terms: frozenset[str]
    correction: str | None = None
    unmatched: bool = False     # no document has it, and its near spellings were not looked up (NEAR_WORDS)


class LanguageIndex:
    """The documents of one language with everything a query needs precomputed."""

    def __init__(self, lang: str, docs: list[Doc], synonym_groups: list[list[str]], lemmas: dict[str, str],
                 unanswered: tuple[tuple[str, ...], ...]):
        vocabulary = Counter(w for d in docs for w in words(" ".join((d.title, d.body, *d.keywords))))
        vocabulary.update({w: 0 for g in synonym_groups for m in g for w in words(m)})   # parts for decompounding
        snowball = SNOWBALL[lang]
        self.language = Language(lang, vocabulary, stemmer_for_language(snowball),
                                 set(stopwords_for_language(snowball)) | FILLER[lang], lemmas)
        # loaded with the index: not inside a query's time
        self.common, self.generic, self.spelled = _frequent_words(lang)
        self.docs = docs
        self.siblings = _siblings(docs)
        exact, loose, pairs = (ranking.Postings(len(docs)) for _ in range(3))
        self.marks: list[list[tuple]] = []    # per document: the answer's words (offsets and terms)
        self.titles: list[list[tuple]] = []   # per document: the question's words' terms
        self.heads: list[set[str]] = []       # per document: the terms of its question and keywords
        plain, marked = set(), set()          # the folded stems of words the documents write without å/ä/ö/ø, with
        for n, d in enumerate(docs):
            self.heads.append(set())
            for field, text in enumerate((d.title, " ; ".join(d.keywords), d.body)):
                marks = self._add(exact, loose, n, field, text)
                for start, end, *_ in marks:
                    word = clean(text[start:end])
                    (plain if word == fold(word) else marked).add(self.language.normal(fold(word)))
                if field < 2:
                    self.heads[n].update(t for *_, e, loose_terms, _ in marks for t in (e, *loose_terms))
                for (*_, a), (*_, b) in zip(marks, marks[1:]):     # stop words between are skipped
                    pairs.add(f"{a} {b}", n, field)
                if field == 0:
                    self.titles.append([(e, terms) for *_, e, terms, _ in marks])
            self.marks.append(marks)
        self.cues = [frozenset(words(self._expand(" ".join((d.title, *d.keywords))))) & CUES[lang] for d in docs]
        self.actions = [actions.sides(words(" ; ".join((d.title, *d.keywords))), lang) for d in docs]
        self.unanswered = unanswered
        self.bare = frozenset(plain - marked)
        self.exact, self.loose, self.pairs = exact.weights(), loose.weights(), pairs.weights()
        self.phrases: dict[tuple[str, ...], set[int]] = {}
        for n, d in enumerate(docs):
            for keyword in d.keywords:      # "STAKO-villkor" is also typed "stako villkor"
                for variant in {keyword, keyword.replace("-", " ")}:
                    self.phrases.setdefault(self._normal([t for t, *_ in tokens(variant)]), set()).add(n)
        self.synonyms = self._synonyms(synonym_groups)
        self.longest = max(map(len, self.synonyms), default=0)
        self.word = functools.lru_cache(WORD_CACHE)(self._word)
        self._near: dict[str, _Word] = {}       # words analysed with their near spellings (bounded: WORD_CACHE)
        self._text_marks: dict[str, tuple] = {}

    def _expand(self, text: str) -> str:
        """English contractions spelt out (hasn't -> has not), so that the negation counts as a question word."""
        return english_negations(text) if self.language.lang == "en" else text

    def _terms(self, token: str) -> tuple[str, frozenset[str], str] | None:
        """A token's exact stem, loose terms (folded stem, compound parts) and folded stem; None for a stop word."""
        lang, word = self.language, clean(token)
        if not word or lang.is_stop(word):
            return None
        folded = fold(word)
        if "-" in token:    # e-postadress: postadress, and its parts post and adress ("ändra adressen")
            pieces = [fold(p) for p in token.split("-") if len(p) > 1]
            parts = [q for p in pieces for q in (p, *lang.split(p, self.common))]
        else:
            parts = lang.split(folded)
        return lang.stem(word), frozenset((lang.stem(folded), *map(lang.normal, parts))), lang.stem(folded)

    def _add(self, exact: ranking.Postings, loose: ranking.Postings, doc: int, field: int, text: str) -> list:
        marks = []
        for token, start, end in tokens(text):
            terms = self._terms(token)
            if terms is not None:
                exact.add(terms[0], doc, field)
                exact.count(doc, field)
                for term in terms[1]:
                    loose.add(term, doc, field)
                loose.count(doc, field)
                marks.append((start, end, *terms))
        return marks

    def _normal(self, raw: list[str]) -> tuple[str, ...]:
        return tuple(self.language.normal(fold(clean(w))) for w in raw)

    def _key(self, phrase: str) -> tuple[str, ...]:
        lang = self.language
        return tuple(lang.normal(fold(w)) for w in words(phrase) if not lang.is_stop(w) and not lang.is_stop(fold(w)))

    def _synonyms(self, groups: list[list[str]]) -> dict[tuple[str, ...], tuple[ranking.Scores, frozenset[str]]]:
        """member -> the other members' scores (as SYNONYM alternatives) and their terms, over all its groups."""
        table: dict = {}
        for group in groups:
            keys = [k for k in map(self._key, group) if k]
            for member in keys:
                others = [k for k in keys if k != member]
                scores = ranking.best((ranking.together([self.loose.get(t) for t in o]), SYNONYM) for o in others)
                old_scores, old_terms = table.get(member, ({}, frozenset()))
                table[member] = (ranking.best([(old_scores, 1.0), (scores, 1.0)]),
                                 old_terms | {t for o in others for t in o})
        return table

    def _word(self, token: str) -> _Word | None:
        """Analysis of one query word (cached): its alternatives' best score per document."""
        lang, word = self.language, clean(token)
        folded = fold(word)
        if not word or lang.is_stop(word) or lang.is_stop(folded):
            return None
        exact, key = lang.normal(word), lang.normal(folded)
        parts = [fold(p) for p in token.split("-") if len(p) > 1] if "-" in token else lang.split(folded)
        parts = [lang.normal(p) for p in parts]
        sure = 1.0 if lang.stem(word) == exact or lang.stem(folded) == key else GUESSED
        # typed with å/ä/ö/ø, a word whose folded spelling is another word ("stöd": "stod", "spør": "spor"), or
        # whose folded stem only the documents' words without å/ä/ö/ø have ("spørre": "spor" of "sporing"), is not
        # that word: it meets none of the documents' folded forms, and the synonyms (keyed by folded forms) by its
        # own stem folded ("stod"), not by that word's ("stod" is a form of "stå")
        other = word != folded and (folded in self.spelled or key in self.bare)
        key = fold(exact) if other else key
        alternatives = [(self.exact.get(exact), sure), (None if other else self.loose.get(key), FOLDED * sure)]
        if parts:
            alternatives.append((ranking.together([self.loose.get(p) for p in parts]), PART))
            alternatives.append((ranking.all_of([self.loose.get(p) for p in parts]), PART))
        scores, terms = ranking.best(alternatives), frozenset((key, *parts))
        if not scores and not parts:
            # a compound whose first part the documents lack ("jobbmejl", "firmamejl") is still its last part:
            # in Swedish and Norwegian the last part says what the compound is
            tail = lang.tail(folded, self.common)
            if tail:
                synonym = self.synonyms.get((tail,), ({}, frozenset()))
                scores = ranking.best([(self.loose.get(tail), PART), (synonym[0], PART)])
                terms = frozenset((key, tail, *synonym[1]))
        if scores or (key,) in self.synonyms or word in self.common:
            return _Word(word, key, exact, scores, terms)     # a real word the documents lack is not a typo
        return _Word(word, key, exact, scores, terms, unmatched=True)

    def _nearest(self, analysis: _Word) -> _Word:
        """An unmatched word scored by its near spellings in the documents (cached)."""
        found = self._near.get(analysis.text)
        if found is None:
            lang = self.language
            near = lang.neighbours(analysis.text)
            stems = [lang.normal(fold(n)) for n in near]
            scores = ranking.best((self.loose.get(s), FUZZY) for s in stems)
            found = _Word(analysis.text, analysis.key, analysis.exact, scores, analysis.terms | set(stems),
                          near[0] if near else None)
            if len(self._near) >= WORD_CACHE:
                self._near.clear()
            self._near[analysis.text] = found
        return found

    def _analyse(self, raw: list[str], budget: int = NEAR_WORDS) -> list[_Word | None]:
        """Each word's analysis; near spellings for at most `budget` words not analysed so before (the rest of
        the unmatched words count as unknown), so that the work of one query is bounded."""
        analysed = [self.word(w) for w in raw]
        for n, analysis in enumerate(analysed):
            if analysis is not None and analysis.unmatched:
                if analysis.text in self._near:
                    analysed[n] = self._near[analysis.text]
                elif budget:
                    analysed[n], budget = self._nearest(analysis), budget - 1
        return analysed

    def search(self, text: str, limit: int, near_words: int = NEAR_WORDS
               ) -> tuple[list[Hit], str | None, str | None, list[_Word], Highlight | None]:
        """Ranked hits with highlighted snippets, the confident answer's key and the rule that made it the answer,
        the analysed query words and what to highlight; near spellings are looked up for at most `near_words` new
        words."""
        expanded = self._expand(clauses.without_signature(text))
        spans = tokens(expanded)
        raw = [token for token, *_ in spans]
        analysed = self._analyse(raw, near_words)
        # "ordern står som Shipped": a status reported, not an order that stands still ("står still")
        analysed = [None if token in REPORTING.get(self.language.lang, ()) and raw[n + 1:n + 2] == ["som"] else a
                    for n, (token, a) in enumerate(zip(raw, analysed))]
        found = [w for w in analysed if w is not None]
        if not found:
            return [], None, None, found, None
        per_word, terms = [w.scores for w in found], set().union(*(w.terms for w in found))
        keys = [w.key for w in found]
        self._join(raw, analysed, per_word)
        for at in _word_groups(len(keys), self.longest, [w.text in PARTICLES[self.language.lang] for w in found]):
            synonym = self.synonyms.get(tuple(keys[n] for n in at))
            if synonym:
                for n in at:
                    per_word[n] = ranking.best([(per_word[n], 1.0), (synonym[0], 1.0)])
                terms |= synonym[1]
        exact = {w.exact for w in found}
        # the words that ask weigh more than the story around them (clauses.py); a question word in the story
        # ("jag har inte fått något") is no sign of what is asked
        known = iter([bool(scores) for scores in per_word])
        content = [analysis is not None and next(known) and analysis.text not in clauses.HANDLING[self.language.lang]
                   for analysis in analysed]
        parts = clauses.weights(expanded, self.language.lang, [(a, b) for _, a, b in spans], content)
        # in a described situation a question word asks where it opens a sentence or a clause; inside one it mostly
        # joins ("när vi handlar", "kartongen var hel"), while a negation tells questions apart wherever it stands.
        # Keywords ("leveranstid när") have no clauses to tell.
        opening = (clauses.openings(expanded, [(a, b) for _, a, b in spans]) if len(found) >= ranking.LONG_WORDS
                   else [True] * len(spans))
        asking = {w for w, part, opens in zip(raw, parts, opening)
                  if part >= clauses.ASKING and (opens or w in NEGATIONS)}
        # what the customer says they do not want ("vi vill inte ändra ordern") makes no question theirs either
        unwanted = clauses.unwanted(raw, self.language.lang)
        refused = [analysis for analysis, not_asked in zip(analysed, unwanted) if analysis is not None and not_asked]
        wanted_exact = exact - {w.exact for w in refused}
        wanted_terms = terms - set().union(*(w.terms for w in refused)) if refused else terms
        # in a described situation the everyday words ("idag", "kom", "still") are mostly the story's: they count
        # less, so that one of them in another entry's keywords does not rival the words that name the matter
        everyday = EVERYDAY if len(found) >= ranking.LONG_WORDS else 1.0
        context = [analysis is not None and (fold(analysis.text) in MARKETS or n > 0 and token in TIME_UNITS
                                             and (raw[n - 1].isdigit() or raw[n - 1] in NUMBERS))
                   for n, (token, analysis) in enumerate(zip(raw, analysed))]
        weight = [w * (CONTEXT if is_context else 1.0)
                  * (everyday if analysis.text in self.generic else 1.0) * (clauses.UNWANTED if not_asked else 1.0)
                  for w, analysis, is_context, not_asked in zip(parts, analysed, context, unwanted)
                  if analysis is not None]
        # a keyword phrase or a pair of words the customer says they do not want ("vi vill inte ändra ordern")
        # counts as little as its words, and one with a market's name or a count of time as little as that
        # ("Ingram Micro Norge" is a company page's keyword, and the market of many a question)
        per_token = [None if analysis is None else clauses.UNWANTED if not_asked else CONTEXT if is_context else 1.0
                     for analysis, not_asked, is_context in zip(analysed, unwanted, context)]
        wanted = [w for w in per_token if w is not None]
        bonus = self._phrase_bonus(raw, per_token)
        for (a, weight_a), (b, weight_b) in zip(zip(keys, wanted), zip(keys[1:], wanted[1:])):
            for doc, score in self.pairs.get(f"{a} {b}", {}).items():
                bonus[doc] = bonus.get(doc, 0.0) + PAIR * score * min(weight_a, weight_b)
        titles = self._title_bonus(wanted_exact, wanted_terms, asking & CUES[self.language.lang], per_word)
        for doc, score in titles.items():
            bonus[doc] = bonus.get(doc, 0.0) + score
        # a number or a model no document has ("ordre 6640012", "EliteBook 840 G10") is no word an entry could
        # match: it counts in neither the share of the query an entry matches nor the whole
        shares = ranking.word_weights(per_word, len(self.docs))
        coverage = [0.0 if not scores and any(c.isdigit() for c in w.text) else share * weighed
                    for share, weighed, w, scores in zip(shares, weight, found, per_word)]
        ranked = ranking.rank(per_word, bonus, limit, coverage, weight)
        hits = [Hit(self.docs[n].key, self.language.lang, self.docs[n].title, score, coverage,
                    functools.partial(self._snippet, n, exact, terms)) for n, score, coverage in ranked]
        unknown = [not scores or w.correction is not None for w, scores in zip(found, per_word)]
        at_token = clauses.sentences(expanded, [(a, b) for _, a, b in spans])
        sentence = [at for at, analysis in zip(at_token, analysed) if analysis is not None]
        # which sentence asks: a question ("?") over a wish (the clause weight at its most) over the story
        asked, questions = [w for w, a in zip(parts, analysed) if a is not None], clauses.questions(expanded)
        most = max(asked, default=0.0)
        asking = [(2 if at in questions else 1) if part >= most else 0 for at, part in zip(sentence, asked)]
        # a topic the documents lack ("vipps", "leasa") is a sign of a question they do not answer; everyday
        # words they lack ("helt", "idag") are not, nor numbers ("20 laptops", "kl 15")
        # and a name counts half: a capitalised word inside a sentence is mostly the story's ("en Lenovo", "vår
        # butik i Umeå"), but may be a service the documents lack ("betala med Swish"); an acronym in the sentence
        # that asks is mostly what is asked for, a format, a standard or a service ("faktura som EHF", "an API")
        content_spans = [(a, b) for (_, a, b), analysis in zip(spans, analysed) if analysis is not None]
        named = [_named(expanded, a) and not (level and _acronym(expanded[a:b]))
                 for (a, b), level in zip(content_spans, asking)]
        topical = [(NAMED if n else 1.0) if u and w.text not in self.generic and not w.text.isdigit() else 0.0
                   for w, u, n in zip(found, unknown, named)]
        story = ranking.Story(len(found), sum(x * u for x, u in zip(weight, topical)) / sum(weight),
                              len(per_word) == 1 and ranking.broad(per_word[0]),
                              ranking.distinct(per_word, coverage, weight, ranked),
                              ranking.focus_unknown(per_word, weight, topical, sentence, ranked[0][0], asking) if ranked
                              else 1.0,
                              len(ranked) > 1 and frozenset((ranked[0][0], ranked[1][0])) in self.siblings,
                              bool(ranked) and ranking.addressed_only(per_word, [fold(w.text) in ADDRESSEE
                                                                                 for w in found], asking, ranked[0][0]),
                              bool(ranked) and self._opposite(raw, at_token, sentence, asking, ranked[0][0]),
                              self._unanswered([w for w, part in zip(raw, parts) if part >= clauses.ASKING]),
                              bool(ranked) and len(found) == 1 and found[0].text in self.generic
                              and not (exact | terms) & self.heads[ranked[0][0]])
        rule = ranking.confidence(ranked, sum(unknown), story)
        return hits, rule and hits[0].key, rule, found, Highlight(self.language.lang, frozenset(exact), frozenset(terms))

    def _opposite(self, raw: list[str], at_token: list[int], sentence: list[int], asking: list[int], top: int
                  ) -> bool:
        """Whether the sentences that ask most (`asking` of each content word, in `sentence`) ask for one of two
        opposite actions and document `top` names only the other: "slette en bruker" and "legge til en bruker"."""
        most = max(asking, default=0)
        asked = {at for at, level in zip(sentence, asking) if level == most}
        named = actions.sides([token for token, at in zip(raw, at_token) if at in asked], self.language.lang)
        return actions.opposite(named, self.actions[top])

    def _unanswered(self, asked: list[str]) -> bool:
        """Whether the words of the parts that ask or wish (not the story's) ask for a matter no entry answers: "we
        would like to become a vendor. Who handles that?" wishes it first and asks the details after, and the
        question that weighs most may be the one without the matter."""
        return actions.asks_for(asked, self.unanswered)

    def snippet(self, text: str, highlight: Highlight) -> Markup:
        """A snippet of any text (an answer with the market's facts filled in) with the query's words marked."""
        spans = [(start, end) for start, end, exact, loose in self._marks(text)
                 if exact in highlight.exact or not loose.isdisjoint(highlight.terms)]
        return snippet(text, spans)

    def _marks(self, text: str) -> tuple[tuple[int, int, str, frozenset[str]], ...]:
        """The content words of a text with their offsets and terms (cached: the FAQ's filled answers are few)."""
        found = self._text_marks.get(text)
        if found is None:
            found = tuple((start, end, terms[0], terms[1]) for token, start, end in tokens(text)
                          if (terms := self._terms(token)) is not None)
            if len(self._text_marks) < WORD_CACHE:
                self._text_marks[text] = found
        return found

    def _join(self, raw: list[str], analysed: list, per_word: list[ranking.Scores]) -> None:
        """Two adjacent query words that together are a known compound also count as it: "transport skada"."""
        at = {n: len([w for w in analysed[:n] if w is not None]) for n, w in enumerate(analysed) if w is not None}
        for n, joined in joined_pairs(raw, set(at), self.language.normal, self.language.known,
                                        self.language.may_be_known):
            for m in (at[n], at[n + 1]):
                per_word[m] = ranking.best([(per_word[m], 1.0), (self.loose.get(joined), JOINED)])

    def _title_bonus(self, exact: set[str], terms: set[str], cues: set[str], per_word) -> ranking.Scores:
        """Per matched document: the share of its question's words the query has, and the question words shared."""
        return {doc: TITLE * ranking.share(self.titles[doc], exact, terms) + CUE * len(cues & self.cues[doc])
                for doc in set().union(*per_word)}

    def _phrase_bonus(self, raw: list[str], weights: list[float | None]) -> ranking.Scores:
        """Runs of query words (stop words included) that are a whole keyword: "mine bestillinger", at the least
        weight of its words (`weights`: None for a stop word)."""
        normal, bonus = self._normal(raw), {}
        particles = PARTICLES[self.language.lang]
        for at in _word_groups(len(raw), 4, [clean(w) in particles for w in raw]):
            docs = self.phrases.get(tuple(normal[n] for n in at), ())
            if docs:
                factor = min((weights[n] for n in at if weights[n] is not None), default=1.0)
                for doc in docs:
                    bonus[doc] = max(bonus.get(doc, 0.0), PHRASE * len(at) * factor)
        return bonus

    def _snippet(self, doc: int, exact: set[str], terms: set[str]) -> Markup:
        spans = [(a, b) for a, b, e, loose, _ in self.marks[doc] if e in exact or not loose.isdisjoint(terms)]
        return snippet(self.docs[doc].body, spans)


class SearchIndex:
    """The per-language indexes of one process; built on the first query after the documents change."""

    def __init__(self, synonyms: dict[str, list[list[str]]], lemmas: dict[str, dict[str, str]] | None = None,
                 unanswered: dict[str, tuple[tuple[str, ...], ...]] | None = None):
        self.synonyms = synonyms
        self.lemmas = lemmas or {}
        self.unanswered = unanswered or {}
        self._docs: dict[str, list[Doc]] = {lang: [] for lang in LANGS}
        self._built: dict[str, LanguageIndex] = {}
        self._lock = threading.Lock()

    def replace(self, docs) -> None:
        """Take a new set of documents; the indexes are rebuilt when next needed."""
        grouped: dict[str, list[Doc]] = {lang: [] for lang in LANGS}
        for d in docs:
            grouped[d.lang].append(d)
        with self._lock:
            self._docs, self._built = grouped, {}

    def language(self, lang: str) -> LanguageIndex:
        built = self._built.get(lang)
        if built is None:
            with self._lock:
                if lang not in self._built:     # all at once: a first query falls back to the others anyway
                    self._built = {code: _shared(code, tuple(self._docs[code]), self.synonyms.get(code, []),
                                                 self.lemmas.get(code, {}), self.unanswered.get(code, ()))
                                   for code in LANGS}
                built = self._built[lang]
        return built

    def find(self, text: str, lang: str, limit: int = 10) -> Found:
        """Ranked hits, the confident answer if there is one, and a spelling suggestion."""
        text = text[:QUERY_CHARS]
        hits, answer, rule, found, highlight = self.language(lang).search(text, limit)
        # near spellings in the other languages only for as many words as the visitor's language left unknown
        # fewer than NEAR_WORDS: a paste of unknown words is not looked up three times over
        near_words = max(0, NEAR_WORDS - sum(not w.scores for w in found))
        for other in LANGS:          # nothing in the visitor's language: the same question in the others
            if other != lang and not hits:
                hits, answer, rule, theirs, highlight = self.language(other).search(text, limit, near_words)
                if any(w.correction for w in theirs):   # a near spelling in another language is a guess
                    answer = rule = None
        return Found(hits, answer, _suggestion(text, found), highlight, rule)

    def snippet(self, text: str, highlight: Highlight | None) -> Markup:
        """A snippet of `text` with the words of the query that found `highlight` marked."""
        if highlight is None:
            return snippet(text, [])
        return self.language(highlight.lang).snippet(text, highlight)


def _word_groups(count: int, longest: int, is_particle: list[bool]) -> list[range | tuple[int, int]]:
    """The positions of the words that may make one keyword or synonym: each run of up to `longest` words, and
    each word up to PHRASAL_REACH before a particle with words between them (a phrasal verb around its object)."""
    runs = [range(start, start + size) for size in range(1, min(longest, count) + 1)
            for start in range(count - size + 1)]
    return runs + [(verb, at) for at, particle in enumerate(is_particle) if particle
                   for verb in range(max(0, at - PHRASAL_REACH), at - 1)]


def _named(text: str, start: int) -> bool:
    """Whether the word at `start` is capitalised where a sentence does not start: a name (a brand, a model, a
    town), which mostly says what the story is about, not which question is asked."""
    before = text[:start].rstrip()
    return text[start].isupper() and bool(before) and before[-1] not in ".?!:;\n"


def _siblings(docs: list[Doc]) -> set[frozenset[int]]:
    """The pairs of documents (by number) that one of them names as related, either way round."""
    number = {d.key: n for n, d in enumerate(docs)}
    return {frozenset((n, number[key])) for n, d in enumerate(docs) for key in d.related
            if key in number and number[key] != n}


def _acronym(word: str) -> bool:
    """Whether a word as written is an acronym: "EHF", "API", "SDS" (not "I", "Lenovo", nor a model: "T14")."""
    return len(word) > 1 and word.isalpha() and word.isupper()


_SHARED: dict[tuple, LanguageIndex] = {}


@functools.cache
def _frequent_words(lang: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words of a language common enough to be real words, and those so frequent that they say nothing of
    a topic (wordfreq's list, read once per process), each also as customers type it without å/ä/ö/ø ("star" for
    "står" is as everyday a word); and the common words as the language spells them."""
    frequencies = wordfreq.get_frequency_dict(lang, wordlist="small")
    spelled = frozenset(word for word, frequency in frequencies.items() if frequency >= COMMON)
    generic = frozenset(word for word, frequency in frequencies.items() if frequency >= GENERIC)
    common, generic = spelled | {fold(word) for word in spelled}, generic | {fold(word) for word in generic}
    wordfreq.get_frequency_dict.cache_clear()       # its cached tables would cost each worker ~10 MB more
    wordfreq.get_frequency_list.cache_clear()
    return common, generic, spelled


def _shared(lang: str, docs: tuple[Doc, ...], synonyms: list[list[str]], lemmas: dict[str, str],
            unanswered: tuple[tuple[str, ...], ...]) -> LanguageIndex:
    """A read-only index for these documents, shared by the apps of one process (tests build many apps)."""
    key = (lang, docs, tuple(map(tuple, synonyms)), tuple(sorted(lemmas.items())), unanswered)
    if key not in _SHARED:
        if len(_SHARED) >= 12:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[key] = LanguageIndex(lang, list(docs), synonyms, lemmas, unanswered)
    return _SHARED[key]


def _suggestion(text: str, found: list[_Word]) -> str | None:
    """The query with each unknown word replaced by its nearest vocabulary word, or None."""
    corrections = {w.text: w.correction for w in found if w.correction}
    if not corrections:
        return None
    corrected = WORD.sub(lambda m: corrections.get(clean(m.group()), m.group()), text.strip().lower())
    return corrected if corrected != text.strip().lower() else None
