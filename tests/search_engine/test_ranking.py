"""support.search_engine.ranking: BM25F weights precomputed per term and document, and combining a query's words (pure)."""
import pytest

from support.search_engine import ranking

TITLE, KEYWORDS, BODY = range(3)


def _weights(*docs):
    """docs: per document a list of (term, field) occurrences."""
    postings = ranking.Postings(len(docs))
    for n, occurrences in enumerate(docs):
        for term, field in occurrences:
            postings.add(term, n, field)
            postings.count(n, field)
    return postings.weights()


def test_a_word_in_the_question_outweighs_the_same_word_in_the_answer():
    table = _weights([("faktura", TITLE), ("x", BODY)], [("y", TITLE), ("faktura", BODY)], [("z", TITLE)])
    assert table["faktura"][0] > table["faktura"][1] > 0


def test_keywords_outweigh_the_answer():
    table = _weights([("rma", KEYWORDS), ("x", BODY)], [("y", KEYWORDS), ("rma", BODY)], [("z", TITLE)])
    assert table["rma"][0] > table["rma"][1]


def test_a_rare_term_weighs_more_than_a_common_one():
    table = _weights([("order", TITLE), ("stako", TITLE)], [("order", TITLE)], [("order", TITLE)])
    assert table["stako"][0] > table["order"][0]


def test_repetition_saturates():
    table = _weights([("retur", BODY)] * 1, [("retur", BODY)] * 20, [("x", BODY)])
    assert table["retur"][1] < 3 * table["retur"][0]


def test_best_takes_each_documents_best_alternative_once():
    assert ranking.best([({0: 2.0, 1: 1.0}, 1.0), ({0: 4.0, 2: 5.0}, 0.5), (None, 1.0)]) == {0: 2.0, 1: 1.0, 2: 2.5}


def test_together_is_the_mean_of_the_parts():
    assert ranking.together([{0: 2.0, 1: 4.0}, {0: 2.0}]) == {0: 2.0, 1: 2.0}


def test_rank_sums_words_adds_bonus_only_to_matches_and_reports_coverage():
    ranked = ranking.rank([{0: 1.0, 1: 3.0}, {0: 2.5}], {0: 1.0, 2: 9.0}, limit=5)
    assert ranked == [(0, 4.5, 1.0), (1, 3.0, 0.5)]


@pytest.mark.parametrize("ranked, unknown, expected, reason", [
    ([(0, 10.0, 1.0), (1, 5.0, 1.0)], 0, True, "full coverage and a clear lead"),
    ([(0, 10.0, 1.0)], 0, True, "the only hit"),
    ([(0, 10.0, 1.0), (1, 9.5, 1.0)], 0, False, "a near tie is no answer"),
    ([(0, 10.0, 0.5), (1, 5.0, 0.5)], 0, True, "half the words, far ahead, every word known"),
    ([(0, 5.0, 0.5), (1, 2.5, 0.5)], 1, False, "half the words, weakly, and a word the documents never use"),
    ([(0, 10.0, 0.5), (1, 5.0, 0.5)], 1, True, "half the words, strongly: one unknown word is forgiven"),
    ([(0, 10.0, 0.5), (1, 5.0, 0.5)], 2, False, "... but not two"),
    ([(0, 10.0, 0.25)], 0, False, "too little of the query matched"),
    ([], 0, False, "nothing found"),
])
def test_confident(ranked, unknown, expected, reason):
    assert ranking.confident(ranked, unknown) is expected, reason


@pytest.mark.parametrize("marks, exact, terms, expected, reason", [
    ([("kjemikalieskatt", frozenset({"kjemikalieskatt"})), ("vis", frozenset({"vis"}))], {"kjemikalieskatt"}, set(),
     0.5, "one of the question's two words, by its exact stem"),
    ([("lösenord", frozenset({"losenord"}))], set(), {"losenord"}, 1.0, "the whole question, by a loose term"),
    ([("ordr", frozenset({"ordr"}))], {"faktur"}, {"faktur"}, 0.0, "none of the question's words"),
    ([], {"x"}, {"x"}, 0.0, "a question without content words"),
])
def test_share_of_the_question(marks, exact, terms, expected, reason):
    assert ranking.share(marks, exact, terms) == expected, reason


def test_all_of_sums_the_parts_where_a_document_has_every_part():
    assert ranking.all_of([{0: 2.0, 1: 1.0}, {0: 3.0, 2: 4.0}]) == {0: 5.0}, "only document 0 has both parts"
    assert ranking.all_of([{0: 2.0}]) == {}, "one part is no compound"
    assert ranking.all_of([{0: 2.0}, None]) == {}, "a part no document has"


def test_words_most_documents_have_count_little_towards_coverage():
    weights = ranking.word_weights([{0: 1.0, 1: 1.0, 2: 1.0}, {0: 1.0}, {}], documents=4)
    assert weights == [ranking.COMMON, 1.0, 1.0]


def test_rank_weighs_coverage():
    ranked = ranking.rank([{0: 1.0, 1: 1.0}, {1: 1.0}], {}, limit=5, weights=[0.25, 1.0])
    assert ranked == [(1, 2.0, 1.0), (0, 1.0, 0.2)]


def test_distinct_counts_the_words_that_point_at_the_best_hit_and_not_the_runner_up():
    per_word = [{0: 4.0, 1: 1.0}, {0: 3.5, 1: 3.0}, {0: 5.0}, {0: 1.0}]
    ranked = [(0, 13.5, 1.0), (1, 4.0, 0.5)]
    assert ranking.distinct(per_word, [1.0, 1.0, 0.5, 1.0], [1.0] * 4, ranked) == 1.5, \
        "the second word scores for both, the fourth too weakly; the third counts with its weight"
    assert ranking.distinct(per_word, [1.0] * 4, [0.5, 1.0, 1.0, 1.0], ranked) == 1.0, "scaled below DISTINCT_SCORE"
    assert ranking.distinct(per_word, [1.0] * 4, [1.0] * 4, ranked[:1]) == 0.0, "no runner-up to tell apart from"


STORY = ranking.Story(words=9, unknown_share=0.1)


@pytest.mark.parametrize("ranked, story, expected, reason", [
    ([(0, 12.0, 0.3), (1, 10.0, 0.3)], STORY, False, "a long query: a lead of 1.2 is a near tie"),
    ([(0, 12.0, 0.3), (1, 10.0, 0.3)], ranking.Story(9, 0.1, distinct=2.0), True,
     "... unless two of its words point at the best hit and not at the runner-up"),
    ([(0, 9.0, 0.35), (1, 4.8, 0.3)], STORY, True, "a margin in score, with a third of the query matched"),
    ([(0, 9.0, 0.2), (1, 4.8, 0.2)], STORY, False, "... but not with a fifth"),
    ([(0, 9.0, 0.35), (1, 4.8, 0.3)], ranking.Story(9, 0.6), False, "... nor when the documents lack most of it"),
    ([(0, 9.0, 0.35), (1, 4.8, 0.3)], ranking.Story(4, 0.1), False, "a short query needs its coverage"),
    ([(0, 9.0, 0.2), (1, 5.5, 0.2)], ranking.Story(9, 0.3, focus_unknown=0.0), True,
     "a smaller lead, a fifth matched, where the sentence that matches names nothing the documents lack"),
    ([(0, 9.0, 0.2), (1, 5.5, 0.2)], ranking.Story(9, 0.3, focus_unknown=0.4), False,
     "... but not when that sentence has words they lack ('extended warranty or insurance')"),
    ([(0, 9.0, 0.2), (1, 7.0, 0.2)], ranking.Story(9, 0.3, focus_unknown=0.0), False, "... nor with a lead of 2"),
    ([(0, 15.0, 0.3), (1, 13.6, 0.3)], ranking.Story(9, 0.1, focus_unknown=0.1, sibling=True), True,
     "a strong score a little ahead of an entry it is related to: the two share their words"),
    ([(0, 15.0, 0.3), (1, 13.6, 0.3)], ranking.Story(9, 0.1, focus_unknown=0.3, sibling=True), False,
     "... but not when the sentence that asks names what neither covers ('open positions')"),
    ([(0, 15.0, 0.3), (1, 14.6, 0.3)], ranking.Story(9, 0.1, focus_unknown=0.1, sibling=True), False,
     "... nor a tie"),
    ([(0, 12.0, 0.3), (1, 10.9, 0.3)], ranking.Story(9, 0.1, focus_unknown=0.1, sibling=True), False,
     "... nor a weaker score"),
    ([(0, 15.0, 0.3), (1, 13.6, 0.3)], ranking.Story(9, 0.6, focus_unknown=0.1, sibling=True), False,
     "... nor when the documents lack most of the query"),
    ([(0, 15.0, 0.3), (1, 7.0, 0.3)], ranking.Story(9, 0.1, focus_unknown=0.0, addressed_only=True), False,
     "the best hit matches only the company's and the market's names in the question"),
    ([(0, 20.0, 0.9), (1, 5.0, 0.3)], ranking.Story(9, 0.0, focus_unknown=0.0, opposite_action=True), False,
     "the question asks for the opposite of what the best hit does (remove a user, the entry adds one)"),
    ([(0, 20.0, 0.9), (1, 5.0, 0.3)], ranking.Story(3, 0.0, opposite_action=True), False,
     "... a short query too"),
    ([(0, 20.0, 0.9), (1, 5.0, 0.3)], ranking.Story(9, 0.0, focus_unknown=0.0, unanswered=True), False,
     "the customer asks for a matter no entry answers (becoming a customer)"),
])
def test_confident_on_a_described_situation(ranked, story, expected, reason):
    assert ranking.confident(ranked, 0, story) is expected, reason


def test_focus_unknown_is_of_the_question_the_best_hit_matches_not_the_story_it_matches_more():
    per_word = [{0: 1.0}, {}, {0: 3.0}, {0: 2.0}, {}]
    topical = [0.0, 1.0, 0.0, 0.0, 1.0]
    sentence = [0, 0, 1, 1, 1]
    question = [2, 2, 0, 0, 0]
    assert ranking.focus_unknown(per_word, [1.0] * 5, topical, sentence, 0, question) == pytest.approx(1 / 2), \
        "the question (first sentence) names a thing no document has, though the story scores more"
    assert ranking.focus_unknown(per_word, [1.0] * 5, topical, sentence, 1, question) == 1.0, "nothing scores for 1"
    assert ranking.focus_unknown([{}, {}, {0: 3.0}, {0: 2.0}, {}], [1.0] * 5, topical, sentence, 0, question) == \
        pytest.approx(1 / 3), "a question without a word for the best hit: the sentence that has them"


def test_focus_unknown_is_the_unknown_share_of_the_sentence_that_matches_the_best_hit_most():
    per_word = [{0: 1.0}, {}, {0: 3.0}, {}, {0: 2.0, 1: 5.0}]
    topical = [0.0, 1.0, 0.0, 1.0, 0.0]
    sentence = [0, 0, 1, 1, 1]
    assert ranking.focus_unknown(per_word, [1.0] * 5, topical, sentence, 0) == pytest.approx(1 / 3), \
        "the second sentence scores 5 for document 0: one of its three words is unknown"
    assert ranking.focus_unknown(per_word, [1.0, 1.0, 1.0, 0.5, 1.0], topical, sentence, 0) == pytest.approx(0.2), \
        "words count with their weight"
    assert ranking.focus_unknown(per_word, [1.0] * 5, [1.0, 0.0, 0.0, 0.0, 0.0], [0, 0, 1, 1, 1], 0) == 0.0


# a question "how do we become a reseller with Ingram Micro Norway" (asking 2) and its story (asking 0)
RESELLER = [{1: 4.0}, {0: 2.5, 2: 2.5}, {0: 2.5, 2: 2.5}, {0: 5.0}, {3: 1.0}]
ADDRESSEE = [False, True, True, True, False]


@pytest.mark.parametrize("per_word, asking, expected, reason", [
    (RESELLER, [2, 2, 2, 2, 0], True, "the question's 'reseller' points elsewhere, the best hit has only the names"),
    ([{0: 1.0}, *RESELLER[1:]], [2, 2, 2, 2, 0], False, "... not when it has a word of the question besides"),
    ([{}, *RESELLER[1:]], [2, 2, 2, 2, 0], False, "... nor when nothing else in the question is known"),
    (RESELLER, [0, 2, 2, 2, 0], False, "... nor when the word it lacks is the story's"),
])
def test_addressed_only(per_word, asking, expected, reason):
    assert ranking.addressed_only(per_word, ADDRESSEE, asking, 0) is expected, reason
