"""BM25F scores precomputed per term and document, and the arithmetic of ranking one query: pure, no whoosh.

At index time every (term, document) pair gets its final BM25F weight, so that a query is a handful of dict
lookups: per query word the best of its alternatives (the exact spelling, the folded one, compound parts,
synonyms, near spellings), summed over the words, plus a bonus where a run of query words is a keyword phrase.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

FIELDS = ("title", "keywords", "body")
WEIGHTS = (3.0, 2.0, 1.0)   # question over keywords over answer
B = (0.4, 0.2, 0.75)        # length normalisation per field: keywords are a list, not prose
K1 = 1.2

ANSWER_COVERAGE = 0.75  # share of the query's words the best hit must match to be *the* answer
ANSWER_MARGIN = 1.1     # ... and how far its score must lead the runner-up
LOOSE_COVERAGE, LOOSE_MARGIN = 0.5, 1.5
STRONG = 6.0            # a score that needs several query words in the question: it outweighs one unknown word
COMMON = 0.3            # the coverage weight of a query word that more than half the documents match
# A situation described in a sentence or two matches no document on most of its words (the story around the
# question: "kunden", "i morse", "skärmar"), so the share of words matched says little. It is confident when the
# best hit scores like a full question, leads clearly, and the documents know most of what the query says.
LONG_WORDS = 6          # content words from which a query is a described situation rather than keywords
LONG_STRONG = 14.0      # ... the best hit's score: several of the asking words in its question and keywords
LONG_MARGIN = 1.25      # ... its lead over the runner-up
LONG_UNKNOWN = 0.5      # ... at most this (weighted) share of the query's words unknown to every document
LONG_CLEAR = 10.0, 1.6  # ... or a lower score that leads by far
LONG_COVERAGE = 0.25    # ... and it matches at least a quarter of the (weighted) query: one shared word is chance
# The story around the question adds to the best hit and the runner-up alike and so shrinks the lead as a ratio,
# while the words that tell the two apart keep their difference. A long query is also confident when the documents
# know most of it and either the best hit leads by a margin in score, or two of the query's words point at it and
# not at the runner-up ("ordern står som Processing", "esken var hel men den starter ikke").
LONG_GAP = 4.0, 0.3     # ... its score ahead of the runner-up's by this much, with this (weighted) coverage
DISTINCT = 2.0          # ... or this many (weighted) query words that score DISTINCT_SCORE for it
DISTINCT_SCORE = 3.0    # ... a word's score for the best hit that counts: about a word of its question or keywords
DISTINCT_RATIO = 2.0    # ... and at least this many times the word's score for the runner-up
# A smaller lead will do where the sentence the best hit's words stand in (the customer's question, mostly) names
# nothing the documents lack: the words they lack are then the story's ("en QNAP NAS", "regnskapsføreren"), not
# a matter they do not cover ("extended warranty or insurance", "betala med Swish").
FOCUSED_GAP = 3.0       # ... its score ahead of the runner-up's by this much
FOCUSED_UNKNOWN = 0.25  # ... and at most this (weighted) share of that sentence's words unknown to every document
# Where the runner-up is an entry the best hit names as related (DOA and transport damage, the chemical tax and a
# stockist's exemption from it), the two share most of their words and a described situation matches both about
# as well: a small lead then still tells them apart, and the answer's page links the other one; but only where the
# sentence that asks names nothing the documents lack (FOCUSED_UNKNOWN): "open positions in your Stockholm office"
# matches the Swedish and the Norwegian company pages alike, and neither says anything of jobs.
SIBLING_MARGIN = 1.05   # ... the lead over a related runner-up, at a LONG_STRONG score

Scores = dict[int, float]   # document number -> score


class Postings:
    """Term frequencies per field, turned into BM25F weights once all documents are in."""

    def __init__(self, documents: int):
        self.counts: dict[str, dict[int, list[int]]] = {}
        self.lengths = [[0, 0, 0] for _ in range(documents)]

    def add(self, term: str, doc: int, field: int) -> None:
        self.counts.setdefault(term, {}).setdefault(doc, [0, 0, 0])[field] += 1

    def count(self, doc: int, field: int) -> None:
        """One more content word in this field of this document (its length)."""
        self.lengths[doc][field] += 1

    def weights(self) -> dict[str, Scores]:
        """term -> {document: BM25F weight}: idf times the saturated, field-weighted, length-normalised tf."""
        n = len(self.lengths) or 1
        average = [max(1.0, sum(lengths[f] for lengths in self.lengths) / n) for f in range(3)]
        norm = [[1 - B[f] + B[f] * lengths[f] / average[f] for f in range(3)] for lengths in self.lengths]
        table = {}
        for term, docs in self.counts.items():
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            table[term] = {}
            for doc, tf in docs.items():
                pseudo = sum(WEIGHTS[f] * tf[f] / norm[doc][f] for f in range(3))
                table[term][doc] = idf * pseudo * (K1 + 1) / (K1 + pseudo)
        return table


def best(alternatives: Iterable[tuple[Scores | None, float]]) -> Scores:
    """Per document the best weighted score among a word's alternatives (a word counts once)."""
    found: Scores = {}
    for scores, weight in alternatives:
        for doc, score in (scores or {}).items():
            score *= weight
            if score > found.get(doc, 0.0):
                found[doc] = score
    return found


def together(parts: list[Scores | None]) -> Scores:
    """Several terms that stand for one word (compound parts, a multi-word synonym): their mean score."""
    found: Scores = {}
    for scores in parts:
        for doc, score in (scores or {}).items():
            found[doc] = found.get(doc, 0.0) + score / len(parts)
    return found


def all_of(parts: list[Scores | None]) -> Scores:
    """The documents that have every part of a compound query word, with the parts' summed score: written as one
    word ("garantireklamation") or as two, the customer names both things."""
    if len(parts) < 2 or not all(parts):
        return {}
    shared = set.intersection(*(set(scores) for scores in parts))
    return {doc: sum(scores[doc] for scores in parts) for doc in shared}


def word_weights(per_word: list[Scores], documents: int) -> list[float]:
    """How much each query word counts towards coverage: a word most documents have ("ingram", "order") little."""
    return [1.0 if len(scores) <= documents / 2 else COMMON for scores in per_word]


def share(marks: list[tuple[str, frozenset[str]]], exact: set[str], terms: set[str]) -> float:
    """The share of a text's words (exact stem, loose terms) that the query has: 1.0 when it is the question."""
    if not marks:
        return 0.0
    return sum(e in exact or not loose.isdisjoint(terms) for e, loose in marks) / len(marks)


def distinct(per_word: list[Scores], weights: list[float], scale: list[float], ranked: list[tuple[int, float, float]]
             ) -> float:
    """The weighted number of query words that point at the best hit and not at the runner-up (DISTINCT_SCORE,
    DISTINCT_RATIO): what tells the two apart, whatever else the query says."""
    if len(ranked) < 2:
        return 0.0
    top, runner = ranked[0][0], ranked[1][0]
    return sum(weight for scores, weight, factor in zip(per_word, weights, scale)
               if scores.get(top, 0.0) * factor >= max(DISTINCT_SCORE, DISTINCT_RATIO * scores.get(runner, 0.0) * factor))


def focus_unknown(per_word: list[Scores], scale: list[float], topical: list[float], sentence: list[int],
                  top: int, asking: list[int] | None = None) -> float:
    """The weighted share of topical unknown words (`topical`: 0.0 known .. 1.0 a topic no document has) in the
    sentence that asks what document `top` answers. `asking` ranks each word's sentence: 2 a question ("?"), 1 a
    wish, 0 the story. Of the sentences that ask most and have a word scoring for `top`, the one where the query's
    words score most: the story around the question may score more ("kontaktpersonen slutade i somras"), but it
    names no thing asked about."""
    asking = asking or [0] * len(sentence)
    scored = [(level, at) for scores, level, at in zip(per_word, asking, sentence) if scores.get(top)]
    if not scored:
        return 1.0
    most = max(level for level, _ in scored)
    score: dict[int, float] = {}
    for scores, factor, at, level in zip(per_word, scale, sentence, asking):
        if level == most:
            score[at] = score.get(at, 0.0) + scores.get(top, 0.0) * factor
    focus = max(score, key=lambda at: (score[at], -at))
    inside = [(factor, unknown) for factor, unknown, at in zip(scale, topical, sentence) if at == focus]
    return sum(factor * unknown for factor, unknown in inside) / (sum(factor for factor, _ in inside) or 1.0)


def addressed_only(per_word: list[Scores], addressee: list[bool], asking: list[int], top: int) -> bool:
    """Whether, in the sentences that ask most (`asking` as in focus_unknown), the words that score for `top` all
    name whom the customer writes to (`addressee`: the company, the market) while another word there scores for
    other documents only: "how do we become a reseller with Ingram Micro Norway" matches the company's page by
    its name, and asks what the page does not say."""
    most = max(asking, default=0)
    inside = [(scores, named) for scores, named, level in zip(per_word, addressee, asking) if level == most]
    hits = [named for scores, named in inside if scores.get(top)]
    return bool(hits) and all(hits) and any(scores and not named and not scores.get(top) for scores, named in inside)


def rank(per_word: list[Scores], bonus: Scores, limit: int, weights: list[float] | None = None,
         scale: list[float] | None = None) -> list[tuple[int, float, float]]:
    """(document, score, weighted share of query words matched), best first; `scale` multiplies each word's
    scores (cheaper here than a scaled copy of every word's table)."""
    weights = weights or [1.0] * len(per_word)
    scale = scale or [1.0] * len(per_word)
    total: Scores = {}
    matched: dict[int, float] = {}
    for scores, weight, factor in zip(per_word, weights, scale):
        for doc, score in scores.items():
            total[doc] = total.get(doc, 0.0) + score * factor
            matched[doc] = matched.get(doc, 0.0) + weight
    for doc, extra in bonus.items():
        if doc in total:
            total[doc] += extra
    ranked = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(doc, score, matched[doc] / (sum(weights) or 1.0)) for doc, score in ranked]


BROAD = 6               # a word this many documents match about as well names a topic ("villkor"), not a question


def broad(scores: Scores) -> bool:
    """Whether BROAD documents or more match a word at least half as well as the best."""
    top = max(scores.values(), default=0.0)
    return sum(score >= top / 2 for score in scores.values()) >= BROAD


@dataclass(frozen=True)
class Story:
    """What a query is like as a whole: its content words, the weighted share of them no document has, and
    whether every word it has is broad (BROAD); how many of its words point at the best hit, not the runner-up
    (distinct); the share of unknown words in the sentence that matches the best hit most (focus_unknown);
    whether the runner-up is an entry the best hit is related to (sibling); and whether the best hit matches only
    the names of whom the question is addressed to in the sentence that asks (addressed_only); and whether that
    sentence asks for one of two opposite actions and the best hit names only the other (opposite_action); and
    whether a sentence that asks or wishes asks for a matter no entry answers (unanswered: content/unanswered.yaml);
    and whether the query is one everyday word that the best hit has only in its answer, not in its question or
    keywords (prose_only)."""
    words: int
    unknown_share: float
    broad: bool = False
    distinct: float = 0.0
    focus_unknown: float = 1.0
    sibling: bool = False
    addressed_only: bool = False
    opposite_action: bool = False
    unanswered: bool = False
    prose_only: bool = False


def confident(ranked: list[tuple[int, float, float]], unknown: int, story: Story | None = None) -> bool:
    """Whether the best hit matches (nearly) all of the query and clearly leads the runner-up (confidence)."""
    return confidence(ranked, unknown, story) is not None


def confidence(ranked: list[tuple[int, float, float]], unknown: int, story: Story | None = None) -> str | None:
    """Which rule makes the best hit *the* answer, or None: "cover" (it matches nearly all of the query and
    leads), "strong" (a described situation whose best hit scores like a full question), "clear", "gap",
    "distinct", "focused" (a described situation told apart by less), "loose" (half the words, far ahead).

    A looser match (half the words) must lead by far, and only when every query word is known to the
    documents: a word the documents never use ("vipps") is a sign of a question they do not answer, unless
    the rest of the query matches strongly ("jag råkade beställa fel modell, kan jag byta artikel i ordern").
    """
    if not ranked:
        return None
    _, score, coverage = ranked[0]
    lead = score / ranked[1][1] if len(ranked) > 1 else math.inf
    if story and story.opposite_action:     # "ta bort en användare" is not "lägga till en användare"
        return None
    if story and story.unanswered:          # "hur blir vi återförsäljare": the FAQ is for those who are
        return None
    if story and story.prose_only:          # "fråga", "kund": an everyday word in an answer's prose names no entry
        return None
    if story and story.broad:       # "villkor" alone: one of many entries, the list is the answer
        return "cover" if lead >= LOOSE_MARGIN and coverage >= ANSWER_COVERAGE else None
    if coverage >= ANSWER_COVERAGE and lead >= ANSWER_MARGIN:
        return "cover"
    if story and story.words >= LONG_WORDS and story.addressed_only:
        return None
    if story and story.words >= LONG_WORDS and story.unknown_share <= LONG_UNKNOWN and coverage >= LONG_COVERAGE:
        clear_score, clear_margin = LONG_CLEAR
        sibling = story.sibling and story.focus_unknown <= FOCUSED_UNKNOWN
        if score >= LONG_STRONG and lead >= (SIBLING_MARGIN if sibling else LONG_MARGIN):
            return "strong"
        if score >= clear_score and lead >= clear_margin:
            return "clear"
    if story and story.words >= LONG_WORDS and story.unknown_share <= LONG_UNKNOWN:
        gap, gap_coverage = LONG_GAP
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score - runner_up >= gap and coverage >= gap_coverage:
            return "gap"
        if story.distinct >= DISTINCT:
            return "distinct"
        if score - runner_up >= FOCUSED_GAP and story.focus_unknown <= FOCUSED_UNKNOWN:
            return "focused"
    loose = coverage >= LOOSE_COVERAGE and lead >= LOOSE_MARGIN
    return "loose" if loose and (not unknown or unknown == 1 and score >= STRONG) else None
