"""support.search_engine.clauses: which words of a long query carry the question (pure)."""
import re

import pytest

from support.search_engine import clauses


def _weighed(text, lang):
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    return {text[a:b].lower(): w for (a, b), w in zip(spans, clauses.weights(text, lang, spans))}


def test_a_short_query_is_weighed_evenly():
    assert set(_weighed("glömt lösenord webbshop", "sv").values()) == {1.0}


def test_the_sentence_that_asks_outweighs_the_story():
    w = _weighed("Paketet kom idag och kartongen var krossad. Hur anmäler jag transportskadan?", "sv")
    assert w["anmäler"] == clauses.ASKING and w["kartongen"] == clauses.TELLING


@pytest.mark.parametrize("lang, text, first, second", [
    ("sv", "Jag vill avbeställa ordern. Och förresten, var hittar jag fakturorna?", "avbeställa", "fakturorna"),
    ("nb", "Hvordan sporer jeg pakken? Og så lurer jeg på hva frakten koster.", "sporer", "frakten"),
    ("en", "How do I report the damage? Also, what does shipping cost?", "report", "shipping"),
    ("sv", "hur spårar jag ordern? och kan ni lägga till en användare", "spårar", "användare"),
])
def test_a_second_matter_weighs_less_than_the_first(lang, text, first, second):
    w = _weighed(text, lang)
    assert w[first] > w[second] and w[second] <= clauses.SECOND


def test_without_any_asking_sentence_the_story_is_the_question():
    w = _weighed("Kartongen var trasig. Skärmen är sprucken.", "sv")
    assert w["kartongen"] == w["skärmen"] == 1.0


def test_a_wish_asks_like_a_question():
    w = _weighed("Vi fick fel vara i går. Vi vill returnera den.", "sv")
    assert w["returnera"] == clauses.ASKING and w["fel"] == clauses.TELLING


@pytest.mark.parametrize("lang, text, story, asked", [
    ("sv", "Var hittar jag prislistan? Chefen vill ha den innan mötet.", "mötet", "prislistan"),
    ("nb", "Hvor finner jeg prislisten? Revisoren vår trenger den innen fredag.", "fredag", "prislisten"),
    ("en", "Where is the price list? My manager would like it before Friday.", "friday", "price"),
])
def test_a_third_partys_wish_is_the_story(lang, text, story, asked):
    w = _weighed(text, lang)
    assert w[asked] == clauses.ASKING and w[story] == clauses.TELLING


@pytest.mark.parametrize("lang, text", [
    ("sv", "Paketet kom i går. Nu vill vi skicka tillbaka det."),
    ("nb", "Pakken kom i går. Hei, trenger å sende den tilbake."),
    ("en", "The parcel came yesterday. We'd like to send it back."),
])
def test_the_customers_own_wish_asks(lang, text):
    w = _weighed(text, lang)
    assert w["tillbaka" if lang == "sv" else "tilbake" if lang == "nb" else "back"] == clauses.ASKING


def test_a_wish_after_and_is_the_customers_own():
    w = _weighed("The parcel came yesterday. We opened it and would like to send it back.", "en")
    assert w["back"] == clauses.ASKING and w["yesterday"] == clauses.TELLING, "'we ... and would like' is ours"


def test_a_question_with_no_topic_of_its_own_does_not_make_the_rest_a_story():
    text = "Datorn vi fick i fredags startar inte alls. Vad ska vi göra?"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    topical = {"datorn", "startar"}
    content = [text[a:b].lower() in topical for a, b in spans]
    w = dict(zip((text[a:b].lower() for a, b in spans), clauses.weights(text, "sv", spans, content)))
    assert w["startar"] == w["datorn"] == 1.0, "'vad ska vi göra?' asks, but about what the story says"
    asked = dict(zip((text[a:b].lower() for a, b in spans), clauses.weights(text, "sv", spans)))
    assert asked["startar"] == clauses.TELLING, "without the content words, an asking sentence still counts"


@pytest.mark.parametrize("text, kept", [
    ("kan ni ändra antalet innan den skickas? mvh Johan", "kan ni ändra antalet innan den skickas? "),
    ("kan dere stoppe ordren? Vennlig hilsen Kari Nordmann", "kan dere stoppe ordren? "),
    ("how do I reset my password? Best regards, Tom", "how do I reset my password? "),
    ("tack för snabb leverans men en skärm var trasig", "tack för snabb leverans men en skärm var trasig"),
    ("mvh", "mvh"),
])
def test_a_closing_greeting_and_name_are_left_out(text, kept):
    assert clauses.without_signature(text) == kept


@pytest.mark.parametrize("lang, text, unwanted, wanted", [
    ("sv", "vi vill inte ändra ordern utan stoppa den helt", {"ändra", "ordern"}, {"stoppa", "helt"}),
    ("nb", "jeg vil ikke endre ordren, jeg vil kansellere den", {"endre", "ordren"}, {"kansellere"}),
    ("en", "we do not want to change it, we want to cancel", {"change"}, {"cancel"}),
    ("sv", "datorn vill inte starta alls", set(), {"starta", "alls"}),
])
def test_what_the_customer_does_not_want_is_marked(lang, text, unwanted, wanted):
    raw = re.findall(r"\w+", text.lower())
    marked = dict(zip(raw, clauses.unwanted(raw, lang)))
    assert {w for w in unwanted if marked[w]} == unwanted and not any(marked[w] for w in wanted), \
        "a product that 'vill inte starta' is no customer's wish"


def test_a_word_opens_a_clause_after_punctuation_a_greeting_or_a_joining_word():
    text = "hej, när kommer den? kartongen var hel och var hittar jag fakturan"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    opens = {text[a:b]: o for (a, b), o in zip(spans, clauses.openings(text, spans)) if text[a:b] != "var"}
    varieties = [o for (a, b), o in zip(spans, clauses.openings(text, spans)) if text[a:b] == "var"]
    assert opens["hej"] and opens["när"] and opens["kartongen"] and not opens["kommer"] and not opens["hittar"]
    assert varieties == [False, True], "'kartongen var hel' joins; 'och var hittar jag' asks where"


def test_sentences_number_each_word_by_the_sentence_it_stands_in():
    text = "Vi har en NAS. Hur gör vi? Tack"
    spans = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    assert clauses.sentences(text, spans) == [0, 0, 0, 0, 1, 1, 1, 2]


def test_questions_are_the_sentences_ending_in_a_question_mark():
    assert clauses.questions("Kunden vill ha SDS. Var hittar jag dem? Tack.") == {1}
