"""Classification by content in Swedish, Norwegian and English; the mailbox's queue only as a prior."""
import pytest

from support.mail import classify

CASES = [
    # subject, body, queue, category, why
    ("Avbeställning", "Hej, vi vill avbeställa ordern vi lade i morse.", "general", "cancellation",
     "Swedish cancellation to the support address"),
    ("Fel beställning", "Vi råkade beställa av misstag, kan den strykas?", "general", "cancellation",
     "ordered by mistake"),
    ("Annullering", "Kan dere annullere ordren før den sendes?", "general", "cancellation", "Norwegian"),
    ("Order", "We no longer need these items, please call off the order.", "general", "cancellation", "English"),
    ("Leverans", "Två skärmar kom fram med spruckna paneler och kartongen var tillplattad, krossad.",
     "cancellations", "damage", "damage sent to the cancellations address is damage"),
    ("Levering", "Pakken kom fram i dag, men skjermen er knust og esken var våt.", "general", "damage",
     "Norwegian damage"),
    ("Delivery", "The pallet arrived and three boxes were dented; one laptop screen is cracked.", "general",
     "damage", "English damage"),
    ("Order 12-34567-89", "Ordern har fortfarande inte skickats fast den var bekräftad för en vecka sedan.",
     "general", "stuck-order", "Swedish: not shipped"),
    ("Hvor blir det av bestillingen?", "Ordren har ikke kommet ennå, og sporingen viser ingen oppdatering.",
     "general", "stuck-order", "Norwegian: has not arrived"),
    ("Order status", "Our order is stuck in processing and has not shipped.", "general", "stuck-order",
     "English stuck"),
    ("Faktura", "Kan ni skicka fakturan som PDF till ekonomi@foretag.se?", "general", "other", "invoice question"),
    ("Inlogging", "Jeg får ikke logget inn på kontoen vår.", "general", "other", "login question"),
    ("Prislista", "Do you have a price list for docking stations?", "cancellations", "other",
     "no order, no signal: the prior does not invent a cancellation"),
    ("Order 12-34567-89", "Hej, gäller order 12-34567-89.", "cancellations", "cancellation",
     "an order and nothing else, sent to cancellations: the prior decides"),
    # mail programs wrap plain text at 72-76 characters, often inside the phrase that says what it is about
    ("Fråga om order", "Hej! Ordern vi lade förra veckan har stått\nstill i status Behandlas sedan dess.", "general",
     "stuck-order", "a phrase wrapped onto two lines"),
    ("Order", "Hi, the order we placed on Monday has not\r\nbeen shipped yet, can you check?", "general",
     "stuck-order", "wrapped with CRLF"),
]


@pytest.mark.parametrize("subject, body, queue, category, why", CASES)
def test_category_by_content(subject, body, queue, category, why):
    assert classify.classify(subject, body, queue) == category, why


@pytest.mark.parametrize("text, found", [
    ("Gäller order 12-34567-89 och 12-34568-90.", ["12-34567-89", "12-34568-90"]),
    ("Our PO 4500999888 was sent Monday", ["4500999888"]),
    ("Ordrenummer: 55512345", ["55512345"]),
    ("Ring mig på 070-123 45 67", []),
    ("Faktura 9401188", []),
])
def test_order_numbers(text, found):
    assert classify.order_numbers(text) == found


@pytest.mark.parametrize("text, lang", [
    ("Hej, jag undrar när vår leverans kommer. Tack på förhand!", "sv"),
    ("Hei, jeg lurer på når leveransen vår kommer. Takk på forhånd!", "nb"),
    ("Hello, could you tell me when our delivery will arrive? Thanks", "en"),
    ("12-34567-89", None),
])
def test_language(text, lang):
    assert classify.language(text) == lang


def _scores_by_search_alone(subject: str, body: str) -> dict[str, float]:
    """The scores as every rule's regex alone gives them, without the literal-start shortcut."""
    subject, body = (" ".join((text or "").lower().split()) for text in (subject, body))
    return {cat: sum(weight for rx, weight, _start in rules if rx.search(body))
            + sum(weight * 2 for rx, weight, _start in rules if rx.search(subject))
            for cat, rules in classify.COMPILED.items()}


@pytest.mark.parametrize("pattern, start", [
    ("avbok", "avbok"), (r"repor\b", "repor"), ("lagt?", "lag"), ("bild(er(na)?)?\\b", "bild"),
    ("(har )?stått", ""), ("a|b", ""), ("står (still|kvar)", "står "),
])
def test_literal_start(pattern, start):
    assert classify._literal_start(pattern) == start


def test_shortcut_gives_the_scores_of_the_searches():
    """Skipping a rule whose literal start is absent changes no score: every rule's own phrase, every case."""
    texts = [(s, b) for s, b, *_rest in CASES]
    texts += [("", pat.replace("\\w", "x").replace("\\b", "").replace("?", "").replace("(", "").replace(")", "")
               .split("|")[0]) for rules in classify.RULES.values() for pat, _w in rules]
    for subject, body in texts + [(b, s) for s, b in texts]:
        assert classify.scores(subject, body) == _scores_by_search_alone(subject, body), (subject, body)
