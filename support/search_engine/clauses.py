"""Which words of a long query carry the question: pure, no whoosh.

Customers describe a situation before they ask ("vi fick leveransen i morse och kartongen var trasig, hinner vi
anmäla det idag?"), and sometimes ask a second thing after the first ("... och förresten, var hittar jag mina
fakturor?"). The search weighs every query word by the part of the query it stands in:

- a sentence that asks (ends in "?", has a part that starts with a question word, or says what the customer
  wants: "vill", "trenger", "need") counts fully; what someone else wants ("kunden vill ha SDS", "revisorn vill ha
  en fil") is the story;
- a sentence that only tells the story counts less, but still counts: "kartongen var intryckt" is what the
  question is about;
- whatever comes after a word that adds a second matter ("förresten", "også", "also", a sentence that starts
  with "och") counts less again, so that two questions give the first one.

A query of one sentence, or with no asking sentence at all, is weighed evenly: there is nothing to tell apart.
Nor does a question without a topic of its own ("vad ska vi göra?", "hva gjør vi nå?") make the rest a story: the
caller says which words carry content, and an asking part with none of them is no question to weigh over the story.
"""
from __future__ import annotations

import re

ASKING, TELLING = 1.0, 0.6
SECOND = 0.5          # a second matter, after "förresten" / "also": the first question is the customer's main one
UNWANTED = 0.2        # what the customer says they do not want ("vi vill inte ändra ordern utan stoppa den")

SENTENCE = re.compile(r"[^.?!;\n]+[.?!;\n]*")
PART = re.compile(r"[^,:]+")
GREETING = {"hej", "hejsan", "hallå", "tjena", "hei", "heisann", "hallo", "hi", "hello", "hey", "dear", "ok",
            "okej", "jo", "ja", "sorry", "please", "snälla", "pls"}
# words that open a question; written with and without å/ä/ö/ø, as customers type them
QUESTION = {
    "sv": {"hur", "var", "vart", "vad", "när", "nar", "varför", "varfor", "vem", "vilken", "vilket", "vilka", "kan",
           "går", "gar", "finns", "får", "far", "måste", "maste", "behöver", "behover", "hinner", "gäller",
           "galler", "stämmer", "varifrån"},
    "nb": {"hvordan", "hvor", "hva", "når", "nar", "hvorfor", "hvem", "hvilken", "hvilket", "hvilke", "kan", "går",
           "gar", "finnes", "finns", "får", "far", "må", "ma", "trenger", "rekker", "gjelder", "stemmer"},
    "en": {"how", "where", "what", "when", "why", "who", "which", "can", "could", "is", "are", "do", "does", "did",
           "will", "would", "should", "may", "shall"},
}
# words that say what the customer wants, wherever they stand in the sentence
WANTING = {
    "sv": {"vill", "behöver", "behover", "undrar", "önskar", "onskar", "försöker", "forsoker", "hjälp", "hjalp"},
    "nb": {"vil", "trenger", "lurer", "ønsker", "onsker", "prøver", "prover", "hjelp"},
    "en": {"want", "need", "wonder", "wondering", "trying", "help", "like"},
}
# "how do we handle this?": a question that asks what to do about the story told before it, no topic of its own
HANDLING = {"sv": {"hantera", "hanterar", "hanteras", "hanterat", "tillväga"},
            "nb": {"håndtere", "håndterer", "håndteres", "håndtert", "handtere", "handterer"},
            "en": {"handle", "handled", "handling", "deal", "proceed"}}
ADDING = {
    "sv": ["förresten", "forresten", "dessutom", "också", "ocksa", "en annan sak", "en sak till", "sen undrar",
           "sen vill", "och sen", "och så", "och sa"],
    "nb": ["forresten", "dessuten", "også", "ogsa", "en annen ting", "en ting til", "og så", "og sa", "og en ting"],
    "en": ["also", "by the way", "btw", "another thing", "while i'm at it", "while im at it", "one more thing",
           "as well as", "and then"],
}
# a sentence that starts with one of these, after an earlier question, is a further matter
AND = {"sv": {"och", "sen", "plus"}, "nb": {"og", "så", "plus"}, "en": {"and", "plus"}}


def weights(text: str, lang: str, spans: list[tuple[int, int]], content: list[bool] | None = None) -> list[float]:
    """The weight of each word (given by its start and end offsets in `text`) by the part of the query it is in.

    `content` says of each span whether it is a word the documents know (not a stop word, not unknown); an asking
    part with none counts as telling. Without it every word counts as content."""
    sentences = [(m.start(), m.end(), m.group()) for m in SENTENCE.finditer(text) if m.group().strip(" .?!;\n")]
    if len(sentences) <= 1 and not _adding_at(text, lang):
        return [1.0] * len(spans)
    pieces = []     # (start, end, asks, is a second matter) of each part of the text
    second = False
    for start, end, sentence in sentences:
        cut = _adding_at(sentence, lang)
        opening = _words(sentence)[:1]
        if pieces and any(asks for *_, asks, _ in pieces) and opening and opening[0] in AND[lang]:
            second = True
        for a, b in ((0, cut), (cut, len(sentence))) if cut else ((0, len(sentence)),):
            part = sentence[a:b]
            if part.strip():
                second = second or bool(a)
                pieces.append((start + a, start + b, _asks(part, lang), second))
    content = content if content is not None else [True] * len(spans)
    topical = [(a, b) for (a, _), is_content in zip(spans, content) if is_content]
    pieces = [(a, b, asks and any(a <= start < b for start, _ in topical), later) for a, b, asks, later in pieces]
    anything_asked = any(asks for *_, asks, _ in pieces)
    weighed = [(a, b, (ASKING if asks or not anything_asked else TELLING) * (SECOND if later else 1.0))
               for a, b, asks, later in pieces]
    return [next((w for a, b, w in weighed if a <= start < b), 1.0) for start, _ in spans]


# a closing greeting and the sender's name ("mvh Johan", "Vennlig hilsen Kari Nordmann", "Best regards, Tom"): the
# name is no word of the question, and unknown to the documents it would count as a topic they lack
SIGN_OFF = re.compile(r"(?:^|(?<=[\s,.!?]))(?:mvh|med vänlig(?:a)? hälsning(?:ar)?|vänliga hälsningar|hälsningar|"
                      r"(?:vennlig |beste )?hilsen|(?:best |kind |warm )?regards|best wishes|cheers|thanks|tack|takk)"
                      r"\b[\s,.!/-]*(?:\w+[\s,.!]*){0,3}$", re.IGNORECASE)


def sentences(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Of each word (by its offsets), the number of the sentence it stands in."""
    ends = [m.end() for m in SENTENCE.finditer(text)]
    found, at = [], 0
    for start, _ in spans:
        while at < len(ends) - 1 and start >= ends[at]:
            at += 1
        found.append(at)
    return found


def questions(text: str) -> set[int]:
    """The numbers (as `sentences` counts) of the sentences that end in a question mark."""
    return {n for n, m in enumerate(SENTENCE.finditer(text)) if "?" in m.group()}


JOINING = {"och", "men", "eller", "og", "and", "but", "or", "så"}


def openings(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """Of each word (by its offsets), whether it opens a sentence or a clause: the first word, a word after
    punctuation, or after a greeting or a joining word ("hej, när ...", "och var ...")."""
    found, previous = [], None
    for start, end in spans:
        gap = text[previous[1]:start] if previous else ""
        word_before = text[previous[0]:previous[1]].lower() if previous else ""
        found.append(previous is None or any(mark in gap for mark in ".?!,;:\n") or word_before in GREETING
                     or word_before in JOINING)
        previous = (start, end)
    return found


def without_signature(text: str) -> str:
    """The text without a closing greeting and the name after it."""
    found = SIGN_OFF.search(text)
    return text[:found.start()] if found and found.start() > 0 else text


def _words(text: str) -> list[str]:
    return re.findall(r"\w+(?:'\w+)?", text.lower())


def _asks(part: str, lang: str) -> bool:
    """Whether this part of a sentence asks or says what the customer wants."""
    if "?" in part:
        return True
    found = _words(part)
    if any(_customer_wants(found, n, lang) for n, word in enumerate(found) if word in WANTING[lang]):
        return True
    for segment in PART.findall(part):
        opening = [w for w in _words(segment) if w not in GREETING][:1]
        if opening and opening[0] in QUESTION[lang]:
            return True
    return False


# whose wish: the customer's ("jag vill", "vill vi", "we'd like", "behöver en kopia" with no one named), or a third
# party's ("kunden vill ha SDS", "revisorn vill ha en fil"), which is the story around the question
WISHERS = {"sv": {"jag", "vi", "ja"}, "nb": {"jeg", "vi", "eg"}, "en": {"i", "we", "i'd", "we'd", "im", "i'm"}}
OPENERS = GREETING | {"och", "men", "så", "og", "and", "but", "so", "nu", "nå", "now", "bara", "bare", "just"}
HELP = {"hjälp", "hjalp", "hjelp", "help"}   # a noun as often as a verb ("behöver hjälp"): a wish whoever says it
# a word between an opener and the wish that leaves it the customer's: "we make docks and would like to ..."
SOFTENERS = {"would", "really", "also", "gärna", "garna", "också", "ocksa", "gjerne", "også", "ogsa"}


def _customer_wants(found: list[str], at: int, lang: str) -> bool:
    """Whether the wanting word at `at` (of a part's lower-case words) is the customer's wish, not someone else's."""
    start = at - 1 if at > 0 and found[at - 1] in SOFTENERS else at
    if start == 0 or found[at] in HELP or found[start - 1] in OPENERS:
        return True
    return not WISHERS[lang].isdisjoint(found[max(0, at - 2):at + 2])


_ADDING = {lang: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
           for lang, phrases in ADDING.items()}


NOT = {"sv": {"inte", "ej", "icke"}, "nb": {"ikke", "ikkje"}, "en": {"not", "never"}}
# who wants: "datorn vill inte starta" is a product that will not start, "vi vill inte ändra" a customer's wish
PERSONS = {"sv": {"jag", "vi"}, "nb": {"jeg", "vi"}, "en": {"i", "we"}}
WITHIN = 3            # the words after "vi vill inte" that are not wanted: "ändra ordern utan"


def unwanted(raw: list[str], lang: str) -> list[bool]:
    """Of each (lower-case) word, whether it follows a customer's negated want ("vi vill inte", "jeg vil ikke",
    "we do not want to"), up to WITHIN words or the next person: what the customer does not want is no part of
    the question, and is often a neighbouring entry's topic."""
    marked = [False] * len(raw)
    for n, word in enumerate(raw):
        if word not in WANTING[lang]:
            continue
        before, after = n > 0 and raw[n - 1] in NOT[lang], n + 1 < len(raw) and raw[n + 1] in NOT[lang]
        opening = n - 1 if before else n
        if not (before or after) or PERSONS[lang].isdisjoint(raw[max(0, opening - 2):opening]):
            continue
        first = n + 2 if after else n + 1
        for m in range(first, min(len(raw), first + WITHIN)):
            if raw[m] in PERSONS[lang]:
                break
            marked[m] = True
    return marked


def _adding_at(text: str, lang: str) -> int:
    """Where a second matter starts in this text (the offset of "förresten", "also"), or 0."""
    return next((m.start() for m in _ADDING[lang].finditer(text.lower()) if m.start() > 0), 0)
