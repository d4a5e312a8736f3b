"""Full-text search over short documents in sv, nb and en: the only module that imports whoosh.

It is given documents (`index`) and answers queries (`find`, `search`, `suggest`); it knows nothing of the FAQ.
One in-memory index per language, built lazily on the first query after `index`, so that every process
(gunicorn worker, test app) has its own and never shares a write lock.
"""
from __future__ import annotations

import re
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask import Flask, current_app
from markupsafe import Markup, escape
from whoosh import highlight
from whoosh import query as Q
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.lang import stemmer_for_language, stopwords_for_language

LANGS = ("sv", "nb", "en")
SNOWBALL = {"sv": "sv", "nb": "no", "en": "en"}      # Whoosh spells Norwegian "no"; "nb" silently means no stemming
FIELDS = {"title": 3, "keywords": 2, "body": 1}  # question over keywords over answer: copies in the one field

FOLDED = 0.8     # the same word typed without å/ä/ö/ø: an exact spelling still ranks first
PART = 0.6       # one part of a compound ("skada" for "transportskada")
SYNONYM = 0.7
PHRASE = 3.0     # a run of query words that is one of a document's keywords, per word
FUZZY = 0.5
ANSWER_COVERAGE = 0.75  # share of the query's words the best hit must match to be *the* answer
ANSWER_MARGIN = 1.1     # ... and how far its score must lead the runner-up
LOOSE_COVERAGE, LOOSE_MARGIN = 0.5, 1.5
FOLD = str.maketrans({"å": "a", "ä": "a", "á": "a", "à": "a", "â": "a", "ö": "o", "ø": "o", "ó": "o", "ô": "o",
                      "é": "e", "è": "e", "ê": "e", "ü": "u", "æ": "ae"})
WORD = re.compile(r"\w+(?:-\w+)*")


def fold(word: str) -> str:
    """Accent folding as customers type without Nordic keys: å/ä→a, ö/ø→o, æ→ae."""
    return word.translate(FOLD)


def words(text: str) -> list[str]:
    """Lower-case words; hyphens dropped so that e-post, epost and e-postadress meet."""
    return [w.replace("-", "").replace("_", "") for w in WORD.findall(text.lower())]


@dataclass(frozen=True)
class Doc:
    key: str
    lang: str
    title: str
    body: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    key: str
    lang: str           # the language of the content that matched (another one when falling back)
    title: str
    snippet: Markup     # escaped text with <mark> around the matched words
    score: float
    coverage: float     # share of the query's words this document matched


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    answer: str | None      # the key of the one document that clearly answers the query
    suggestion: str | None  # the query with misspelt words corrected


class Language:
    """Analysis of one language: stop words, Snowball stems, folding, decompounding against a vocabulary."""

    def __init__(self, lang: str, vocabulary: Counter):
        self.lang = lang
        self._snowball = stemmer_for_language(SNOWBALL[lang])
        stops = set(stopwords_for_language(SNOWBALL[lang]))
        self.stops = stops | {fold(w) for w in stops}
        self._stems: dict[str, str] = {}
        self._splits: dict[str, tuple[str, ...]] = {}
        self.surface = vocabulary        # word -> frequency in the documents
        self.known = {self.stem(w) for w in vocabulary} | {self.stem(fold(w)) for w in vocabulary}
        self._fuzzy = Neighbours(w for w in vocabulary if len(w) >= 4)

    def stem(self, word: str) -> str:
        """Snowball stem; twice for sv/nb, so that leverans and leveranser (leveran/leverans) meet."""
        found = self._stems.get(word)
        if found is None:
            found = self._snowball(word)
            if self.lang != "en":
                found = self._snowball(found)
            if self.lang == "sv" and len(found) >= 6 and found.endswith("et"):   # Snowball keeps paketet
                found = found[:-2]
            self._stems[word] = found
        return found

    def normal(self, word: str) -> str:
        """The stem, or for an unknown word the stem of a known word it ends like (skadan -> skada)."""
        stem = self.stem(word)
        if stem not in self.known:
            for cut in (1, 2):
                shorter = self.stem(word[:-cut]) if len(word) - cut >= 4 else ""
                if shorter in self.known:
                    return shorter
        return stem

    def is_stop(self, word: str) -> bool:
        return word in self.stops

    def split(self, word: str) -> tuple[str, ...]:
        """Parts of a compound known from the vocabulary (transportskada -> transport, skada); () if none."""
        if self.lang == "en" or len(word) < 6:
            return ()
        if word not in self._splits:
            self._splits[word] = self._split(word, self.stem(word))
        return self._splits[word]

    def _split(self, word: str, whole: str) -> tuple[str, ...]:
        for cut in range(len(word) - 3, 2, -1):     # longest head first
            head, rest = word[:cut], word[cut:]
            if not self._is_word(head, strict=True) or self.stem(head) == whole:   # leveranser: inflection
                continue
            tails = (rest, rest[1:]) if rest[0] in "se" else (rest,)    # linking s/e: betalning-s-villkor
            for tail in tails:
                if self._is_word(tail, tail=True):
                    return head, tail
                deeper = self._split(tail, self.stem(tail)) if len(tail) >= 6 else ()
                if deeper:
                    return (head, *deeper)
        return ()

    def _is_word(self, part: str, strict: bool = False, tail: bool = False) -> bool:
        if len(part) < 3 or part in self.stops:
            return False
        if len(part) == 3:
            return not tail and part in self.surface
        return (self.stem(part) if strict else self.normal(part)) in self.known

    def neighbours(self, word: str) -> list[str]:
        """Vocabulary words within a small edit distance of a word that is not in it (typo tolerance)."""
        return self._fuzzy.near(word, 1 if len(word) <= 7 else 2, self.surface) if len(word) >= 4 else []


class Neighbours:
    """Symmetric-delete lookup (SymSpell) of words within edit distance 2 of a misspelling."""

    def __init__(self, vocabulary):
        self._deletes: dict[str, set[str]] = {}
        for word in vocabulary:
            for variant in _deletes(fold(word), 2 if len(word) >= 8 else 1):
                self._deletes.setdefault(variant, set()).add(word)

    def near(self, word: str, limit: int, frequency: Counter) -> list[str]:
        """The closest words (folded distance <= limit), most frequent first."""
        target = fold(word)
        candidates = {w for v in _deletes(target, limit) for w in self._deletes.get(v, ())}
        scored = [(_distance(target, fold(w)), -frequency[w], w) for w in candidates]
        scored = [s for s in scored if s[0] <= limit]
        if not scored:
            return []
        best = min(s[0] for s in scored)
        return [w for d, _, w in sorted(scored) if d == best][:3]


def _deletes(word: str, depth: int) -> set[str]:
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))} - found
        found |= frontier
    return found


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swapped pair of letters counts as one edit."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


class _MemoryStorage(RamStorage):
    """RamStorage whose scratch files stay in memory too: Whoosh's own puts them in /tmp/MAIN.tmp, shared by
    every process, where concurrent builds (two gunicorn workers starting) delete each other's files."""

    def temp_storage(self, name=None):
        return RamStorage()


_LIVE: weakref.WeakValueDictionary[int, Language] = weakref.WeakValueDictionary()


def _live_filter(key: int) -> TermFilter:
    return TermFilter(_LIVE[key])


class TermFilter(Filter):
    """Index-time analysis: stop words out, then the stem of each word and of its compound parts."""

    def __init__(self, language: Language):
        self.language = language
        _LIVE[id(language)] = language

    def __reduce__(self):
        # Whoosh pickles the schema into the index's table of contents: refer to the live Language, not a copy
        return _live_filter, (id(self.language),)

    def __call__(self, tokens):
        lang = self.language
        for token in tokens:
            word = token.text.replace("-", "").replace("_", "")
            if lang.is_stop(word):
                if not token.removestops:
                    token.stopped = True      # the highlighter keeps stop words as context
                    yield token
                continue
            hyphenated = [p for p in token.text.split("-") if len(p) > 1] if "-" in token.text else []
            for part in (word, *lang.split(word), *hyphenated):
                exact = lang.stem(part)
                token.text = exact
                yield token
                folded = lang.stem(fold(part))
                if folded != exact:        # "lösenord" is also findable as "losenord"
                    token.text = folded
                    yield token


def _analyzer(language: Language):
    return RegexTokenizer(WORD) | LowercaseFilter() | TermFilter(language)


@dataclass
class _Word:
    text: str
    alternatives: list[tuple[str, tuple[str, ...], float]] = field(default_factory=list)  # field suffix, terms, weight
    correction: str | None = None


class LanguageIndex:
    """The documents of one language in an in-memory Whoosh index, with its analysis and synonyms."""

    def __init__(self, lang: str, docs: list[Doc], synonym_groups: list[list[str]]):
        vocabulary = Counter(w for d in docs for w in words(" ".join((d.title, d.body, *d.keywords))))
        vocabulary.update({w: 0 for g in synonym_groups for m in g for w in words(m)})   # parts for decompounding
        self.language = language = Language(lang, vocabulary)
        self.synonyms = [[self._key(m) for m in g] for g in synonym_groups]
        analyzer = self._snippet_analyzer = _analyzer(language)
        # one text field holding the question three times and the keywords twice: a third of the term lookups
        # of separate fields per query, which keeps a query well under a millisecond or two
        schema = Schema(key=ID(stored=True, unique=True), text=STORED, title=STORED,
                        all=TEXT(analyzer=analyzer), phrases=KEYWORD)
        self.index = _MemoryStorage().create_index(schema)
        self.phrases = {self.phrase(k) for d in docs for k in d.keywords}
        writer = self.index.writer()
        for d in docs:
            keywords = " ; ".join(d.keywords)
            weighted = " ; ".join([d.title] * FIELDS["title"] + [keywords] * FIELDS["keywords"] + [d.body])
            writer.add_document(key=d.key, text=d.body, title=d.title, all=weighted,
                                phrases=" ".join(self.phrase(k) for k in d.keywords))
        writer.commit()
        self.searcher = self.index.searcher()
        reader = self.searcher.reader()
        self.terms = {t.decode() for t in reader.lexicon("all")}

    def _key(self, phrase: str) -> tuple[str, ...]:
        lang = self.language
        return tuple(lang.stem(fold(w)) for w in words(phrase) if not lang.is_stop(fold(w)))

    def analyse(self, text: str) -> list[_Word]:
        """The query's content words, each with the terms that may match it and their weights."""
        lang, raw = self.language, WORD.findall(text.lower())
        found = []
        for token in raw:
            w = token.replace("-", "").replace("_", "")
            f = fold(w)
            if lang.is_stop(w) or lang.is_stop(f):
                continue
            word = _Word(w, [("", (lang.normal(w),), 1.0), ("", (lang.normal(f),), FOLDED)])
            parts = [*lang.split(f), *(p for p in fold(token).split("-") if len(p) > 1 and "-" in token)]
            word.alternatives += [("", (lang.normal(p),), PART) for p in parts]
            found.append(word)
        self._add_synonyms(found)
        self._add_phrases(found, raw)
        for word in found:
            if len(word.alternatives) == 2 and lang.normal(fold(word.text)) not in lang.known:
                near = lang.neighbours(word.text)
                word.alternatives += [("", (lang.stem(fold(n)),), FUZZY) for n in near]
                word.correction = near[0] if near else None
        return found

    def is_known(self, word: _Word) -> bool:
        """Whether any document has any of the word's terms (itself, a part, a synonym or a near spelling)."""
        return any(all(t in self.terms for t in terms) for kind, terms, _ in word.alternatives if kind == "")

    def _add_phrases(self, found: list[_Word], raw: list[str]) -> None:
        """Runs of query words (stop words included) that are a whole keyword: "mine bestillinger"."""
        normal = [self.language.normal(fold(w.replace("-", ""))) for w in raw]
        by_normal = {self.language.normal(fold(w.text)): w for w in found}
        for size in range(1, min(4, len(raw)) + 1):
            for start in range(len(raw) - size + 1):
                phrase = "_".join(normal[start:start + size])
                if phrase in self.phrases:
                    for n in normal[start:start + size]:
                        if n in by_normal:
                            by_normal[n].alternatives.append(("phrase", (phrase,), PHRASE * size))

    def phrase(self, text: str) -> str:
        return "_".join(self.language.normal(fold(w)) for w in words(text))

    def _add_synonyms(self, found: list[_Word]) -> None:
        sequence = [self.language.normal(fold(w.text)) for w in found]
        for group in self.synonyms:
            for member in group:
                size = len(member)
                for start in range(len(sequence) - size + 1):
                    if size and tuple(sequence[start:start + size]) == member:
                        extra = [("", other, SYNONYM) for other in group if other and other != member]
                        for word in found[start:start + size]:
                            word.alternatives += extra

    def query(self, found: list[_Word]) -> Q.Query:
        """Per word its alternatives (deduplicated) over the fields; phrase matches add to that."""
        clauses, phrases, seen = [], {}, set()
        for word in found:
            options = []
            for suffix, terms, weight in word.alternatives:
                if suffix == "phrase":
                    phrases[terms[0]] = max(weight, phrases.get(terms[0], 0))
                elif (suffix, terms) not in seen:
                    seen.add((suffix, terms))
                    option = self._option(suffix, terms, weight)
                    if option is not None:
                        options.append(option)
            if options:
                # a sum, not Q.DisjunctionMax: whoosh 2.7's DisMax matcher mixes in other documents' scores
                clauses.append(Q.Or(options) if len(options) > 1 else options[0])
        clauses += [Q.Term("phrases", p, boost=w) for p, w in phrases.items()]
        return Q.Or(clauses)

    def _option(self, suffix: str, terms: tuple[str, ...], weight: float) -> Q.Query | None:
        """One alternative of a word; None when no document has it."""
        if not all(t in self.terms for t in terms):
            return None
        if len(terms) > 1:
            return Q.And([Q.Term("all", t) for t in terms], boost=weight)
        return Q.Term("all", terms[0], boost=weight)

    def hits(self, found: list[_Word], limit: int) -> list[Hit]:
        """Ranked documents with the share of query words each matched and a highlighted snippet."""
        if not found:
            return []
        results = self.searcher.search(self.query(found), limit=limit, terms=True)
        hits = []
        for r in results:
            matched = {t.decode() if isinstance(t, bytes) else t for _, t in r.matched_terms()}
            covered = sum(any(t in matched for _, terms, _ in w.alternatives for t in terms) for w in found)
            hits.append(Hit(r["key"], self.language.lang, r["title"], self.snippet(r["text"], found),
                            r.score, covered / len(found)))
        return hits

    def snippet(self, text: str, found: list[_Word]) -> Markup:
        """Up to two passages of the text with the matched words in <mark>; everything else escaped."""
        terms = {t for w in found for _, ts, _ in w.alternatives for t in ts}
        formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        marked = highlight.highlight(text, terms, self._snippet_analyzer,
                                     highlight.ContextFragmenter(maxchars=180, surround=50), formatter, top=2)
        if marked:
            return Markup(marked)
        short = text if len(text) <= 180 else text[:180].rsplit(" ", 1)[0] + " …"
        return escape(short)


class SearchIndex:
    """The per-language indexes of one process; built on the first query after the documents change."""

    def __init__(self, synonyms: dict[str, list[list[str]]]):
        self.synonyms = synonyms
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
                built = self._built.get(lang)
                if built is None:
                    built = _shared(lang, tuple(self._docs[lang]), self.synonyms.get(lang, []))
                    self._built = {**self._built, lang: built}
        return built

    def find(self, text: str, lang: str, limit: int = 10) -> Found:
        """Ranked hits, the confident answer if there is one, and a spelling suggestion."""
        own = self.language(lang)
        found = own.analyse(text[:200])
        index, words_used, hits = own, found, own.hits(found, limit)
        for other in LANGS:          # nothing in the visitor's language: the same question in the others
            if other != lang and not hits:
                index = self.language(other)
                words_used = index.analyse(text[:200])
                hits = index.hits(words_used, limit)
        unknown = sum(not index.is_known(w) for w in words_used)
        return Found(hits, _answer(hits, unknown), _suggestion(text, found) if found else None)


_SHARED: dict[tuple, LanguageIndex] = {}


def _shared(lang: str, docs: tuple[Doc, ...], synonyms: list[list[str]]) -> LanguageIndex:
    """A read-only index for these documents, shared by the apps of one process (tests build many apps)."""
    key = (lang, docs, tuple(map(tuple, synonyms)))
    if key not in _SHARED:
        if len(_SHARED) >= 12:
            _SHARED.pop(next(iter(_SHARED)))
        _SHARED[key] = LanguageIndex(lang, list(docs), synonyms)
    return _SHARED[key]


def _answer(hits: list[Hit], unknown: int) -> str | None:
    """The best hit's key when it matches (nearly) all of the query and clearly leads the runner-up.

    A looser match (half the words) must lead by far, and only when every query word is known to the
    documents: a word the documents never use ("vipps") is a sign of a question they do not answer.
    """
    if not hits:
        return None
    top, lead = hits[0], hits[0].score / hits[1].score if len(hits) > 1 else float("inf")
    if top.coverage >= ANSWER_COVERAGE and lead >= ANSWER_MARGIN:
        return top.key
    if top.coverage >= LOOSE_COVERAGE and lead >= LOOSE_MARGIN and not unknown:
        return top.key
    return None


def _suggestion(text: str, found: list[_Word]) -> str | None:
    """The query with each unknown word replaced by its nearest vocabulary word, or None."""
    corrections = {w.text: w.correction for w in found if w.correction}
    if not corrections:
        return None
    return WORD.sub(lambda m: corrections.get(words(m.group())[0], m.group()), text.strip().lower())


def load_synonyms(path: str | Path | None) -> dict[str, list[list[str]]]:
    """Synonym groups per language from a YAML file `{lang: [[word, word, ...], ...]}`; {} when there is none."""
    if not path or not Path(path).exists():
        return {}
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {lang: [[str(m).lower() for m in group] for group in data.get(lang) or []] for lang in LANGS}


def init_app(app: Flask) -> None:
    """Create this process's empty indexes, with the synonyms of SYNONYMS_PATH."""
    app.extensions["search"] = SearchIndex(load_synonyms(app.config.get("SYNONYMS_PATH")))


def index(app: Flask, docs) -> None:
    """Replace the documents searched in this app (the indexes are rebuilt on the next query)."""
    app.extensions["search"].replace(list(docs))


def find(text: str, *, lang: str, limit: int = 10) -> Found:
    """Hits, answer and suggestion for one query in the current app."""
    return current_app.extensions["search"].find(text, lang, limit)


def search(text: str, *, lang: str, limit: int = 10) -> list[Hit]:
    """Ranked hits for one query in the current app."""
    return find(text, lang=lang, limit=limit).hits


def suggest(text: str, *, lang: str) -> str | None:
    """A spelling correction of the query, or None."""
    return find(text, lang=lang, limit=1).suggestion
