"""support.search_engine.textmatch: folding, tokens, typo distance and neighbours, compound splits, snippets (pure, no app)."""
from collections import Counter

import pytest

from support.search_engine import textmatch


@pytest.mark.parametrize("word, folded, reason", [
    ("lösenord", "losenord", "Swedish ö"),
    ("sjåfør", "sjafor", "Norwegian å and ø"),
    ("nærmeste", "naermeste", "æ is typed as ae"),
    ("order", "order", "nothing to fold"),
])
def test_fold(word, folded, reason):
    assert textmatch.fold(word) == folded, reason


@pytest.mark.parametrize("text, expanded", [
    ("why hasn't my order shipped", "why has not my order shipped"),
    ("status hasnt changed", "status has not changed"),
    ("I can’t log in", "I can not log in"),
    ("it wont start", "it will not start"),
    ("want went sent print", "want went sent print"),        # words that merely end in -nt
])
def test_english_negations(text, expanded):
    assert textmatch.english_negations(text) == expanded


def test_tokens_keep_offsets_and_hyphens():
    assert textmatch.tokens("Byt E-post nu") == [("byt", 0, 3), ("e-post", 4, 10), ("nu", 11, 13)]
    assert textmatch.words("E-post, e_post") == ["epost", "epost"]


@pytest.mark.parametrize("a, b, expected, reason", [
    ("losenord", "losenrod", 1, "a swapped pair counts as one edit"),
    ("faktura", "fakturra", 1, "a doubled letter"),
    ("sporing", "spring", 1, "a missing letter"),
    ("retur", "return", 1, "one extra letter"),
    ("frakt", "fakta", 2, "a letter dropped and one added: two edits"),
])
def test_distance(a, b, expected, reason):
    assert textmatch.distance(a, b) == expected, reason


def test_neighbours_prefer_the_closest_then_the_most_frequent():
    vocabulary = Counter({"leverans": 5, "leveranser": 1, "lösenord": 3, "lösenorden": 9})
    near = textmatch.Neighbours(vocabulary)
    assert near.near("leveras", 1, vocabulary) == ["leverans"]
    assert near.near("losenord", 2, vocabulary)[0] == "lösenord"      # folded distance 0 beats 2
    assert near.near("xyzzy", 2, vocabulary) == []


def _language(lang, text):
    stems = {"skadan": "skad", "skada": "skad", "transport": "transport", "kartong": "kartong"}
    return textmatch.Language(lang, Counter(textmatch.words(text)), lambda w: stems.get(w, w), {"och", "vid"})


@pytest.mark.parametrize("word, parts, reason", [
    ("transportskada", ("transport", "skada"), "two known words"),
    ("kartongskadan", ("kartong", "skadan"), "the tail inflected"),
    ("transportsskada", ("transport", "skada"), "a linking s"),
    ("transport", (), "a known word is not split"),
    ("vidskada", (), "a stop word is no part"),
])
def test_split_against_the_vocabulary(word, parts, reason):
    language = _language("sv", "transport skada kartong och vid")
    assert language.split(word) == parts, reason


def test_a_last_part_the_vocabulary_lacks_may_be_a_real_word():
    language = _language("sv", "transport skada kartong och vid")
    assert language.split("transportadress") == (), "no known word ends it"
    assert language.split("transportadress", frozenset({"adress"})) == ("transport", "adress")
    assert language.split("postadress", frozenset({"adress", "post"})) == ("post", "adress"), "two real words"
    assert language.split("transportskada", frozenset({"adress"})) == ("transport", "skada"), "else as before"


@pytest.mark.parametrize("word, tail, reason", [
    ("jobbskada", "skad", "a real first part the vocabulary lacks: the compound is its last part"),
    ("jobbsskada", "skad", "a linking s"),
    ("xyzwskada", None, "a first part that is no word"),
    ("jobbvagn", None, "a last part the vocabulary lacks"),
])
def test_tail_of_a_compound_with_an_unknown_first_part(word, tail, reason):
    assert _language("sv", "transport skada kartong och vid").tail(word, frozenset({"jobb"})) == tail, reason


def test_a_compound_inflects_on_its_last_part():
    language = textmatch.Language("sv", Counter(["kollinummer"]), lambda w: w[:-2] if w.endswith("er") else w,
                                  set(), {"numret": "nummer", "ser": "se"})
    assert language.stem("kollinumret") == language.stem("kollinummer"), "numret is nummer at the end of a word too"
    assert language.stem("leveranser") == "leverans", "a short irregular form (ser) is no ending of other words"


def test_an_irregular_form_typed_without_diacritics_has_the_folded_stem_of_its_base():
    language = textmatch.Language("sv", Counter(["köp"]), lambda w: w[:-1] if w.endswith("a") else w, set(),
                                  {"köpte": "köpa", "kopte": "köpa"})
    assert language.stem("köpte") == "köp"
    assert language.stem("kopte") == language.stem("kop") == "kop", "as 'köp' folded, not 'köp'"


def test_english_words_are_not_split():
    assert _language("en", "transport damage").split("transportdamage") == ()


@pytest.mark.parametrize("text, spans, expected, reason", [
    ("Fill in <b>the</b> form.", [(19, 23)], "Fill in &lt;b&gt;the&lt;/b&gt; <mark>form</mark>.",
     "markup in the text is escaped"),
    ("a & b", [], "a &amp; b", "no match: the start of the text, escaped"),
    ("One two", [(0, 3), (4, 7)], "<mark>One</mark> <mark>two</mark>", "neighbouring matches share a passage"),
])
def test_snippet(text, spans, expected, reason):
    assert str(textmatch.snippet(text, spans)) == expected, reason


def test_snippet_of_a_long_text_keeps_the_passages_around_matches():
    text = " ".join(["filler"] * 60 + ["faktura"] + ["filler"] * 60 + ["kopia"] + ["filler"] * 60)
    start = text.index("faktura")
    marked = str(textmatch.snippet(text, [(start, start + 7), (text.index("kopia"), text.index("kopia") + 5)]))
    assert marked.count("<mark>") == 2 and " … " in marked and len(marked) < 300


@pytest.mark.parametrize("raw, content, expected, reason", [
    (["kemikalie", "skatt"], {0, 1}, [(0, "kemikalieskatt")], "a split compound is joined"),
    (["betalning", "villkor"], {0, 1}, [(0, "betalningsvillkor")], "joined with a linking s"),
    (["om", "skatt"], {1}, [], "a stop word is not a compound's head"),
    (["glömt", "lösenord"], {0, 1}, [], "two words that are not one written together"),
])
def test_joined_pairs(raw, content, expected, reason):
    known = {"kemikalieskatt", "betalningsvillkor", "omskatt"}
    assert list(textmatch.joined_pairs(raw, content, lambda w: w, known)) == expected, reason


def test_swedish_and_norwegian_stems_start_the_word_so_prefixes_rule_out_unknown_words(app):
    """Language.may_be_known and the compound split skip words no known stem starts: that holds only while
    Snowball cuts endings and nothing else, which this checks over the whole vocabulary."""
    for lang in ("sv", "nb"):
        language = app.extensions["search"].language(lang).language
        for word in language.surface:
            if word not in language._lemmas:
                assert word.startswith(language.stem(word)), (lang, word)
                assert language.may_be_known(word), (lang, word)
        assert not language.may_be_known("xqzvbrt"), "a word no known stem starts is not worth the stemming"


@pytest.mark.parametrize("lang, word, not_stem, same_as", [
    ("sv", "tidigare", "tid", "tidigt"),          # earlier is no time: "vilken tid" did find "tidigare beställningar"
    ("sv", "skadlig", "skad", "skadliga"),        # harmful is no damage
    ("sv", "möjligheten", "möj", "möjligt"),      # the noun in -het still meets its adjective
    ("nb", "virkelig", "virk", "virkelige"),      # really is no "virker" (works)
    ("nb", "tidligere", "tid", "tidlig"),
])
def test_an_adjective_keeps_its_suffix_and_meets_its_inflections(app, lang, word, not_stem, same_as):
    language = app.extensions["search"].language(lang).language
    assert language.stem(word) != not_stem and language.stem(word) == language.stem(same_as)


@pytest.mark.parametrize("lang, word, same, other, reason", [
    ("sv", "lagret", "lager", "laga", "stock is no repair"),
    ("sv", "lösen", "losen", "löser", "a password is no solving, typed with or without ö"),
    ("sv", "godset", "gods", "goda", "goods are not good"),
    ("nb", "godset", "gods", "gode", "... in Norwegian"),
    ("nb", "lageret", "lager", "lage", "stock is no making"),
    ("en", "importance", "important", "import", "what matters is no import"),
    ("en", "busy", "busy", "business", "being busy is no business"),
])
def test_a_word_snowball_would_join_to_another_keeps_its_own_stem(app, lang, word, same, other, reason):
    language = app.extensions["search"].language(lang).language
    folded = [textmatch.fold(language.stem(w)) for w in (word, same, other)]   # typed without å/ä/ö/ø, a word
    assert folded[0] == folded[1] != folded[2], reason                          # meets the folded stem



def test_an_irregular_form_takes_no_ending_of_its_own(app):
    language = app.extensions["search"].language("nb").language
    assert language.normal("setter") != language.normal("sett") == language.normal("ser"), "'setter' is no 'sett'"
