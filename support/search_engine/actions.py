"""Which of two opposite actions a text names (add or remove, import or export): pure, no whoosh.

"Hvordan sletter jeg en bruker?" shares every word but its verb with "Hvordan legger jeg til en ny bruker?", and
"hur exporterar jag orderhistoriken" all but one with "Kan jag importera en order": an entry that answers the
opposite of what is asked matches the question well and does not answer it. The verbs are few and a small table
per language knows them; an entry that names both sides ("lägga till artikel", "ta bort artikel") answers either.

The same matching finds what a question asks for that no entry answers (content/unanswered.yaml: becoming a
customer matches entries on its other words, "återförsäljare" in the export rules' question).
"""
from __future__ import annotations

from .textmatch import fold

OPPOSITE = {"add": "remove", "remove": "add", "import": "export", "export": "import"}
PARTICLE_REACH = 3      # a particle stands this many words after its verb at most: "lägger jag till", "ta den bort"
# per language and side, the forms that name it: a verb, or a verb and the particle that must follow it
# ("lägga till", not "lägga en order"); written folded (å/ä/ö/ø as a/o), as the words are compared
ACTIONS = {
    "sv": {"add": ["lagga till", "lagger till", "lagg till", "la till", "lade till", "lagt till", "lagga upp",
                   "lagger upp", "lagt upp", "la upp", "lade upp", "skapa", "skapar", "skapade", "skapat",
                   "addera", "adderar"],
           "remove": ["ta bort", "tar bort", "tog bort", "tagit bort", "plocka bort", "plockar bort", "tabort",
                      "radera", "raderar", "raderade", "raderat", "avaktivera", "avaktiverar", "inaktivera",
                      "inaktiverar", "stanga av", "stanger av", "sparra", "sparrar"],
           "import": ["importera", "importerar", "importerade", "importerat", "import", "ladda upp", "laddar upp",
                      "laddade upp"],
           "export": ["exportera", "exporterar", "exporterade", "exporterat", "export", "ladda ner", "laddar ner",
                      "laddade ner", "ladda ned", "laddar ned"]},
    "nb": {"add": ["legge til", "legger til", "legg til", "la til", "lagt til", "opprette", "oppretter",
                   "opprettet", "opprett"],
           "remove": ["slette", "sletter", "slettet", "slett", "fjerne", "fjerner", "fjernet", "fjern", "ta bort",
                      "tar bort", "tok bort", "deaktivere", "deaktiverer", "sperre", "sperrer"],
           "import": ["importere", "importerer", "importerte", "importert", "import", "laste opp", "laster opp",
                      "last opp", "lastet opp"],
           "export": ["eksportere", "eksporterer", "eksporterte", "eksportert", "eksport", "laste ned",
                      "laster ned", "last ned", "lastet ned"]},
    "en": {"add": ["add", "adds", "adding", "added", "create", "creating", "created", "invite", "inviting"],
           "remove": ["remove", "removing", "removed", "delete", "deleting", "deleted", "deactivate",
                      "deactivating", "disable", "disabling", "revoke", "revoking"],
           "import": ["import", "importing", "imported", "upload", "uploading", "uploaded"],
           "export": ["export", "exporting", "exported", "download", "downloading", "downloaded"]},
}
ASKING_REACH = 4        # what a verb asks for stands this many words after it at most: "bli en ny kund"
_FORMS = {lang: {side: [tuple(form.split()) for form in forms] for side, forms in table.items()}
          for lang, table in ACTIONS.items()}


def sides(raw: list[str], lang: str) -> frozenset[str]:
    """The actions (ACTIONS' sides) that these lower-case words name."""
    folded = [fold(word) for word in raw]
    return frozenset(side for side, forms in _FORMS[lang].items()
                     if any(_names(folded, form) for form in forms))


def asks_for(raw: list[str], forms: tuple[tuple[str, ...], ...]) -> bool:
    """Whether these lower-case words name one of `forms` (folded words: a verb and what it asks for, which
    stands at most ASKING_REACH words after it): the matters of content/unanswered.yaml."""
    folded = [fold(word) for word in raw]
    return any(_names(folded, form, ASKING_REACH) for form in forms)


def _names(folded: list[str], form: tuple[str, ...], reach: int = PARTICLE_REACH) -> bool:
    """Whether the words have the form's verb, followed within `reach` words by its particle if it has one."""
    verb, particle = form[0], form[1:]
    return any(word == verb and (not particle or particle[0] in folded[n + 1:n + 1 + reach])
               for n, word in enumerate(folded))


def opposite(asked: frozenset[str], entry: frozenset[str]) -> bool:
    """Whether the query asks for one action only and the entry names only its opposite."""
    return any(OPPOSITE[side] in entry and side not in entry and OPPOSITE[side] not in asked for side in asked)
