"""Pure text helpers for search: tokens, accent folding, stems and compounds, typo neighbours, snippets.

No whoosh here: support.search owns it and hands in its Snowball stemmer and stop words. Everything is plain
Python so that a query costs dict lookups.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable

from markupsafe import Markup, escape

FOLD = str.maketrans({"å": "a", "ä": "a", "á": "a", "à": "a", "â": "a", "ö": "o", "ø": "o", "ó": "o", "ô": "o",
                      "é": "e", "è": "e", "ê": "e", "ü": "u", "æ": "ae"})
WORD = re.compile(r"\w+(?:[-&]\w+)*")          # e-post, T&C: one word each
ACRONYM_PLURAL = re.compile(r"[A-Z][A-Z&]*[A-Z]s")   # RMAs, SKUs, T&Cs: the plural of an abbreviation
SNIPPET_CHARS, SURROUND = 180, 50
IRREGULAR_ENDING = 5     # an irregular form this long ends compounds too ("kollinumret"); shorter ones ("ser") end
                         # too many other words ("leveranser")
MEMO = 100_000      # stems and splits remembered per language: every word a process has seen would be unbounded
# the endings an inflected word may have beyond the known word it is taken for (skadan -> skada): a letter that
# is no ending makes another word ("skjerm" is a screen, not "skjer", happens)
ENDINGS = {"sv": {"n", "en", "an", "et", "t", "a", "e", "r", "ar", "er", "or", "s", "na", "de", "te"},
           "nb": {"n", "en", "et", "t", "a", "e", "r", "er", "s", "ne", "de", "te"},
           "en": {"s", "es", "d", "ed", "r", "er", "y"}}


# an adjective in -ig/-lig keeps its suffix: Snowball cuts it off and the rest is often another word ("tidigare",
# earlier, would be "tid", time; "skadlig" would be "skada", "virkelig" would be "virker"); its inflections and its
# noun in -het keep meeting it ("tidigt", "möjligheten")
ADJECTIVE = {"sv": re.compile(r"^(\w{2,}ig)(a|e|t|are|aste|ast|en|het|heten|heter|heterna)?$"),
             "nb": re.compile(r"^(\w{2,}ig)(e|t|ere|ste|st|het|heten|heter|hetene)?$")}
# words Snowball cuts to another word's stem, with the stem they keep: "lager" (stock) and its forms would meet
# "laga" (repair) and "lagar" (laws), "lösen" (a password) "lösa" (solve), "gods" (goods) "god" (good),
# "important" "import", "busy" "business", "excellent" "Excel", and Norwegian "lage" (make) "lager" (stock, and
# "makes": the noun's reading, as the FAQ uses it); typed without å/ä/ö/ø too
OWN_STEMS = {"sv": {"lager": "lager", "lagret": "lager", "lagren": "lager", "lagers": "lager", "lagrets": "lager",
                    "lösen": "lösen", "lösenet": "lösen", "gods": "gods", "godset": "gods"},
             "nb": {"gods": "gods", "godset": "gods", "lager": "lager", "lageret": "lager", "lagre": "lager",
                    "lagrene": "lager", "lagerets": "lager", "lage": "lage", "lagde": "lage", "lagd": "lage"},
             "en": {"important": "important", "importance": "important", "importantly": "important", "busy": "busy",
                    "excellent": "excellent"}}
EN_NOT = re.compile(r"\b(do|does|did|is|are|was|were|has|have|had|could|should|would|must|need|ca|wo|sha)"
                    r"n['’]?t\b", re.IGNORECASE)
EN_NOT_STEMS = {"ca": "can", "wo": "will", "sha": "shall"}


def english_negations(text: str) -> str:
    """hasn't, hasnt, can't -> has not, can not: the "not" is what tells "why hasn't my order shipped" apart."""
    return EN_NOT.sub(lambda m: EN_NOT_STEMS.get(m.group(1).lower(), m.group(1)) + " not", text)


def fold(word: str) -> str:
    """Accent folding as customers type without Nordic keys: å/ä→a, ö/ø→o, æ→ae."""
    return word.translate(FOLD)


def clean(token: str) -> str:
    """A token without hyphens, so that e-post, epost and e-postadress meet."""
    return token.replace("-", "").replace("_", "")


def words(text: str) -> list[str]:
    """Lower-case words; hyphens dropped."""
    return [clean(token) for token, *_ in tokens(text)]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Lower-case tokens (hyphens kept, abbreviations singular) with their start and end offsets in the text."""
    return [(_singular(m.group()).lower(), m.start(), m.end()) for m in WORD.finditer(text)]


def _singular(token: str) -> str:
    """RMAs -> RMA: Snowball keeps the s of a word without vowels (T&Cs), and the documents use the singular."""
    return token[:-1] if ACRONYM_PLURAL.fullmatch(token) else token


def joined_pairs(raw: list[str], content: set[int], normal: Callable[[str], str], known: set[str],
                 possible: Callable[[str], bool] = lambda word: True):
    """(position, stem) for adjacent content words that written together, or with a linking s, are a known word
    (`possible` rules out cheaply a word that cannot be: most pairs of a long query)."""
    for n in range(len(raw) - 1):
        if n in content and n + 1 in content:
            candidates = [folded for joined in (raw[n] + raw[n + 1], raw[n] + "s" + raw[n + 1])
                          if len(joined) >= 7 and possible(folded := fold(clean(joined)))]
            if not candidates:
                continue
            parts = {normal(fold(clean(raw[n]))), normal(fold(clean(raw[n + 1])))}
            for joined in candidates:
                stem = normal(joined)
                if stem in known and stem not in parts:    # not "ladda ner" as ladda
                    yield n, stem
                    break


class Language:
    """Analysis of one language: stop words, Snowball stems, folding, decompounding against a vocabulary."""

    def __init__(self, lang: str, vocabulary: Counter, snowball: Callable[[str], str], stops: set[str],
                 lemmas: dict[str, str] | None = None):
        self.lang = lang
        self._snowball = snowball
        self._lemmas = lemmas or {}      # irregular form -> base form (såg -> se), folded forms too
        # a compound inflects on its last part (kollinumret, kundordrar): the longer irregular forms as endings
        self._endings_irregular = sorted(((form, base) for form, base in self._lemmas.items()
                                          if len(form) >= IRREGULAR_ENDING and lang != "en"),
                                         key=lambda pair: -len(pair[0]))
        self.stops = stops | {fold(w) for w in stops}
        self._endings = {fold(e) for e in ENDINGS.get(lang, ())}
        self._stems: dict[str, str] = {}
        own = OWN_STEMS.get(lang, {})
        self._own_stems = own | {fold(word): fold(stem) for word, stem in own.items()}
        self._splits: dict[str, tuple[str, ...]] = {}
        self.surface = vocabulary        # word -> frequency in the documents
        self.known = {self.stem(w) for w in vocabulary} | {self.stem(fold(w)) for w in vocabulary}
        # what a compound's head can start with: Snowball only cuts endings, so a known head's stem is a prefix of
        # it (irregular forms aside); a word with none of these at its start has no head and is not split
        self._heads = self.known | set(self.surface) | set(self._lemmas)
        self._fuzzy = Neighbours(w for w in vocabulary if len(w) >= 4)

    def stem(self, word: str) -> str:
        """Snowball stem of the base form; twice for sv/nb, so that leverans and leveranser (leveran/leverans) meet."""
        found = self._stems.get(word)
        if found is None:
            if len(self._stems) >= MEMO:
                self._stems.clear()
            base = self._lemmas.get(word) or self._compound_lemma(word)
            if base != word and word == fold(word):        # kopte, lagd: typed or folded without å/ä/ö, and so
                base = fold(base)                           # its base form, to meet the folded forms of the rest
            found = self._kept_stem(base)
            if found is None:
                found = self._snowball(base)
                if self.lang != "en":
                    found = self._snowball(found)
            if self.lang == "sv" and len(found) >= 6 and found.endswith(("et", "an")):   # Snowball keeps paketet
                found = found[:-2]                                                        # and fakturan
            self._stems[word] = found
        return found

    def _kept_stem(self, base: str) -> str | None:
        """The stem a word keeps that Snowball would cut to another word's (OWN_STEMS, ADJECTIVE); None if none."""
        if base in self._own_stems:
            return self._own_stems[base]
        adjective = ADJECTIVE[self.lang].match(base) if self.lang in ADJECTIVE else None
        return adjective.group(1) if adjective else None

    def _compound_lemma(self, word: str) -> str:
        """A compound ending in an irregular form with that form's base (kollinumret -> kollinummer); else itself."""
        for form, base in self._endings_irregular:
            if len(word) >= len(form) + 3 and word.endswith(form):
                return word[:-len(form)] + base
        return word

    def normal(self, word: str) -> str:
        """The stem, or for an unknown word the stem of a known word it ends like (skadan -> skada), or that it
        is with its last consonant doubled, as loanwords are inflected (webbshoppen -> webbshop)."""
        stem = self.stem(word)
        if stem not in self.known and self.may_be_known(word):
            if self.lang != "en" and len(word) > 4 and word.endswith("nr"):    # sporingsnr, art.nr: nummer
                return self.stem(word[:-2] + "nummer")
            for cut in (1, 2):
                # an irregular form takes no ending of its own: "setter" is no "sett" (seen) with -er
                if fold(word[-cut:]) not in self._endings or word[:-cut] in self._lemmas:
                    continue
                shorter = self.stem(word[:-cut]) if len(word) - cut >= 4 else ""
                if shorter in self.known:
                    return shorter
            if len(stem) >= 5 and stem[-1] == stem[-2] and stem[-1] not in "aeiouyåäöæø" and stem[:-1] in self.known:
                return stem[:-1]
        return stem

    def may_be_known(self, word: str) -> bool:
        """False when no form of this word can have a known stem, so that an unknown word costs one stemming.

        Swedish and Norwegian Snowball only cut endings, so a known stem of the word (or of it shortened, as
        normal() tries) starts it; English turns y into i, irregular forms have other stems: those are always
        worth the stemming."""
        if self.lang == "en" or word.endswith("nr"):
            return True
        return any(word[:n] in self._heads for n in range(min(3, len(word)), len(word) + 1))

    def is_stop(self, word: str) -> bool:
        return word in self.stops

    def split(self, word: str, real: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """Parts of a compound known from the vocabulary (transportskada -> transport, skada); () if none. With
        `real` words of the language, both parts may be of them instead (postadress -> post, adress)."""
        if self.lang == "en" or len(word) < 6:
            return ()
        if real:
            return self.split(word) or next(((word[:cut], word[cut:]) for cut in range(len(word) - 5, 2, -1)
                                             if word[cut:] in real and (word[:cut] in real or
                                                                        self._is_word(word[:cut], strict=True))), ())
        if word not in self._splits:
            if len(self._splits) >= MEMO:
                self._splits.clear()
            self._splits[word] = self._split(word, self.stem(word))
        return self._splits[word]

    def _split(self, word: str, whole: str) -> tuple[str, ...]:
        shortest = next((n for n in range(3, len(word) - 2) if word[:n] in self._heads), None)
        if shortest is None:        # no known word starts it ("flimra", a typo): no stemming of every prefix
            return ()
        for cut in range(len(word) - 3, shortest - 1, -1):     # longest head first
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

    def tail(self, word: str, real: frozenset[str] | set[str]) -> str | None:
        """The known stem of the longest last part of a compound whose first part is a real word of the language
        the vocabulary lacks (jobbmejl -> mejl, firmamejl -> mejl); None if there is none."""
        if self.lang == "en" or len(word) < 8:
            return None
        for cut in range(4, len(word) - 3):     # a part of three letters is too often a piece of another word
            head, rest = word[:cut], word[cut:]
            if head in real and head not in self.stops:
                for tail in (rest, rest[1:]) if rest[0] == "s" and len(rest) > 4 else (rest,):
                    # not an irregular form (koppl-ade is no lade), nor a stem of three letters (fort-farande)
                    if tail not in self._lemmas and self._is_word(tail, tail=True) and len(self.normal(tail)) >= 4:
                        return self.normal(tail)
        return None

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
    """Symmetric-delete lookup (SymSpell) of vocabulary words within edit distance 2 of a misspelling."""

    def __init__(self, vocabulary):
        deletes: dict[str, set[str]] = {}
        for word in vocabulary:
            for variant in _deletes(fold(word), 2 if len(word) >= 8 else 1):
                deletes.setdefault(variant, set()).add(word)
        # tuples of strings, unlike sets, drop out of the garbage collector's sight: tens of thousands of sets
        # made every full collection (and the query it fell in) take 90 ms
        self._deletes: dict[str, tuple[str, ...]] = {v: tuple(found) for v, found in deletes.items()}

    def near(self, word: str, limit: int, frequency: Counter) -> list[str]:
        """The closest words (folded distance <= limit), most frequent first."""
        target = fold(word)
        candidates = {w for v in _deletes(target, limit) for w in self._deletes.get(v, ())}
        scored = [(distance(target, fold(w)), -frequency[w], w) for w in candidates]
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


def distance(a: str, b: str) -> int:
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


def snippet(text: str, spans: list[tuple[int, int]], top: int = 2) -> Markup:
    """Up to `top` passages of the text around the matched spans, matches in <mark>, everything else escaped."""
    if not spans:
        return escape(_shorten(text, 0, SNIPPET_CHARS))
    groups: list[list[tuple[int, int]]] = []
    for span in spans:      # spans close together share one passage
        if groups and span[1] - groups[-1][0][0] <= SNIPPET_CHARS - 2 * SURROUND:
            groups[-1].append(span)
        else:
            groups.append([span])
    best = sorted(sorted(groups, key=lambda g: -len({text[a:b].lower() for a, b in g}))[:top])
    return Markup(" … ".join(_passage(text, group) for group in best))


def _passage(text: str, group: list[tuple[int, int]]) -> str:
    """One passage as HTML: plain str built with html.escape, which is far cheaper than Markup operations."""
    start = min(_word_start(text, group[0][0] - SURROUND), group[0][0])
    end = max(_word_end(text, group[-1][1] + SURROUND), group[-1][1])
    out, at = [], start
    for a, b in group:
        out += [html.escape(text[at:a], quote=False), "<mark>", html.escape(text[a:b], quote=False), "</mark>"]
        at = b
    out.append(html.escape(text[at:end], quote=False))
    return "".join(out).strip()


def _word_start(text: str, at: int) -> int:
    if at <= 0:
        return 0
    space = text.find(" ", at)
    return at if space < 0 else space + 1


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", 0, at)
    return at if space < 0 else space


def _shorten(text: str, start: int, size: int) -> str:
    part = text[start:start + size]
    return part if len(text) - start <= size else part.rsplit(" ", 1)[0] + " …"
