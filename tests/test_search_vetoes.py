"""Questions that match an entry well and still are not answered by it, on the real FAQ: the rules that keep the
search from a confident answer there (support.search_engine.ranking.confident), and the same matter asked the
entry's way, which it answers. The phrasings are our own, not rows of the query sets."""
import pytest


def _answer(client, lang, query):
    body = client.get("/api/faq/search", query_string={"q": query, "lang": lang, "limit": 5}).get_json()
    return body["answer"]


@pytest.mark.parametrize("lang, query, answer, reason", [
    ("sv", "En av våra säljare har slutat hos oss. Hur tar jag bort hennes användare från vårt konto hos er?", None,
     "removing a user is the opposite of the entry that adds one"),
    ("nb", "Kollegaen min har gått over til et annet firma. Hvordan fjerner vi brukeren hans fra kontoen vår?", None,
     "... in Norwegian"),
    ("en", "One of our buyers left the company last month. How do we delete his user from our account?", None,
     "... in English"),
    ("en", "Our controller wants last year in a file. Can I export our order history to a spreadsheet?", None,
     "exporting is the opposite of the entry that imports an order from a spreadsheet"),
    ("sv", "Vi har en ny inköpare som börjar på måndag. Hur lägger jag till henne som användare på vårt konto?",
     "add-user", "adding a user is the entry's own action"),
    ("en", "We have a list of 60 items in a spreadsheet. Can I import it as an order instead of typing each one?",
     "import-order-spreadsheet", "importing is the entry's own action"),
    ("en", "remove an item from my order", "change-order", "an entry that names both actions answers either"),
])
def test_an_entry_does_not_answer_the_opposite_action(client, lang, query, answer, reason):
    assert _answer(client, lang, query) == answer, reason


@pytest.mark.parametrize("lang, query, answer, reason", [
    ("nb", "Vi er et nytt firma som selger PC-er til skoler. Hva må til for å bli forhandler hos dere?", None,
     "becoming a reseller: no entry answers it, though the export rules' question names resellers"),
    ("en", "We run a small IT shop in Malmö and would like to become a reseller. Which papers do you need from us?",
     None, "... wished in one sentence, the details asked in the next"),
    ("sv", "Vi blev kund hos er i våras och har en ny kollega. Hur lägger jag till en ny användare på vårt konto?",
     "add-user", "having become a customer is the story: the question is answered"),
    ("sv", "Vi är en tillverkare av kablar och vill bli leverantör till Ingram Micro i Sverige, vem pratar vi med?",
     None, "becoming a supplier: the company page mentions suppliers and answers nothing on it"),
    ("en", "We make USB-C docks and would like to become a vendor for Ingram Micro Norway. Who handles that?",
     None, "... in English"),
    ("sv", "Vad gör Ingram Micro i Sverige, och vilka leverantörer representerar ni?", "about-ingram-micro-sweden",
     "asking about the suppliers is the company page's question"),
])
def test_becoming_a_customer_or_supplier_is_not_answered(client, lang, query, answer, reason):
    assert _answer(client, lang, query) == answer, reason


@pytest.mark.parametrize("lang, query", [
    ("sv", "Kan jag byta språk i webbshoppen? Allt står på norska sedan i går och jag hittar inte inställningen."),
    ("nb", "Nettbutikken viser alt på svensk for meg. Hvordan bytter jeg språket tilbake til norsk?"),
    ("en", "Since the update the webshop shows everything in Swedish. How do I switch the language to English?"),
])
def test_the_shops_language_is_a_matter_no_entry_answers(client, lang, query):
    assert _answer(client, lang, query) is None, "the chemical tax entry names Swedish and Norwegian, nothing more"


@pytest.mark.parametrize("lang, query, answer, reason", [
    ("sv", "fråga", None, "an everyday word that only an answer's prose has names no entry"),
    ("en", "help", None, "... nor one that several entries' answers have"),
    ("sv", "linkedin", "social-media", "a rarer word in an answer's prose names what it is about"),
    ("en", "question", "delivery-contact", "an everyday word in an entry's keywords ('shipping question') is its own"),
    ("sv", "faktura", "find-invoices", "a word of the question itself"),
])
def test_one_everyday_word_found_only_in_an_answers_prose_is_no_answer(client, lang, query, answer, reason):
    assert _answer(client, lang, query) == answer, reason
