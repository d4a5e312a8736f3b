"""support.search_engine.actions: which of two opposite actions a text names, and what a question asks for."""
import pytest

from support.config import Defaults
from support.search_engine import actions
from support.search_engine.lexicon import load_unanswered

UNANSWERED = load_unanswered(Defaults.UNANSWERED_PATH)    # the content file, as the app reads it


@pytest.mark.parametrize("lang, text, expected, reason", [
    ("sv", "hur lägger jag till en kollega", {"add"}, "a particle verb with a word between verb and particle"),
    ("sv", "vi måste ta bort hans inloggning", {"remove"}, "'ta bort'"),
    ("sv", "kan vi lagga en order i kvall", set(), "'lägga' without 'till' places an order: no action of the table"),
    ("nb", "hvordan sletter vi en gammel konto", {"remove"}, "a verb without a particle"),
    ("nb", "vi vil eksportere ordrene til regneark", {"export"}, "export"),
    ("en", "can we download last year's orders", {"export"}, "downloading is taking data out"),
    ("en", "add one item and remove another", {"add", "remove"}, "both sides"),
])
def test_sides(lang, text, expected, reason):
    assert actions.sides(text.split(), lang) == expected, reason


@pytest.mark.parametrize("asked, entry, expected, reason", [
    ({"remove"}, {"add"}, True, "the entry answers the opposite"),
    ({"remove"}, {"add", "remove"}, False, "the entry names both sides: it answers either"),
    ({"remove", "add"}, {"add"}, False, "the query asks for both"),
    ({"export"}, set(), False, "an entry that names no action"),
    ({"add"}, {"add"}, False, "the same action"),
])
def test_opposite(asked, entry, expected, reason):
    assert actions.opposite(frozenset(asked), frozenset(entry)) is expected, reason


@pytest.mark.parametrize("lang, text, expected, reason", [
    ("sv", "kan vi bli en ny kund hos er", True, "becoming a customer, a few words between verb and noun"),
    ("nb", "hva skal til for at vi blir forhandler", True, "... a reseller, in Norwegian"),
    ("en", "we would like to become a reseller", True, "... in English"),
    ("sv", "vi blev kund i fjol", False, "having become one is the story of a customer who is"),
    ("en", "how do I open the shopping cart", False, "opening something else"),
])
def test_asks_for_a_matter_no_entry_answers(lang, text, expected, reason):
    assert actions.asks_for(text.split(), UNANSWERED[lang]) is expected, reason


def test_unanswered_matters_are_read_folded(tmp_path):
    path = tmp_path / "unanswered.yaml"
    path.write_text("sv:\n  become-customer: [bli återförsäljare, Öppna kundkonto]\nnb:\n", encoding="utf-8")
    read = load_unanswered(path)
    assert read["sv"] == (("bli", "aterforsaljare"), ("oppna", "kundkonto"))
    assert read["nb"] == () and read["en"] == ()
    assert actions.asks_for("vi vill bli återförsäljare".split(), read["sv"])
    assert load_unanswered(tmp_path / "missing.yaml") == {}
