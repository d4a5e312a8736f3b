"""What a mail is about, by its content: category (sv, nb, en stems), language, order numbers. Pure functions.

The mailbox's queue is only a prior: it strengthens weak evidence for its own category and decides when the text
names an order but says nothing more, so a damage report sent to the cancellations address stays damage.
"""
from __future__ import annotations

import re

W = 3      # a phrase that on its own says what the mail is about
w = 1      # a hint that needs company

# (pattern, weight); patterns are matched on lower-cased text at word starts
RULES: dict[str, list[tuple[str, int]]] = {
    "cancellation": [
        # sv
        (r"avbok", W), (r"avbeställ", W), (r"annuller", W), (r"makuler", W),
        (r"häv(a|er) (köpet|ordern|beställningen)", W),
        (r"ångra (min |vår |hela )?(order|beställning|köp)", W),
        (r"stoppa (hela )?(ordern|order|beställningen|leveransen|den|det)\b", W),
        (r"dra (tillbaka|in) (den|ordern|vår order|beställningen)", W),
        (r"(beställ|lagt?|lade)\w* (den )?av misstag", W), (r"dubbelbeställ", W), (r"felbeställ", W),
        (r"(behöver|vill) (inte|ej) (längre )?ha (den|dem|ordern|varorna|produkterna|grejerna)", W),
        (r"stryk(a|er)? (hela )?(ordern|beställningen|raden|den)\b", W), (r"radera (hela )?(ordern|beställningen)", W),
        (r"back(a|ar) ur", W), (r"återkall", W), (r"bortse från (\w+ )?(ordern|order|beställning\w*)", W),
        (r"skicka (inte|ej) (ordern|beställningen|varorna|den|dem)\b", W),
        (r"(ordern|beställningen|raden) (kan|ska|skall|får|måste) (tas bort|strykas|raderas|makuleras|annulleras)", W),
        (r"(behöver|vill ha) (inte|ej) (längre )?(\w+ )?(varorna|produkterna|ordern|beställningen|grejerna)", W),
        (r"(inte|ej) längre behov av", W), (r"avsluta (ordern|beställningen)", W),
        (r"(ordern|beställningen|köpet|den|det) (är|blir) (inte|ej) (längre )?aktuell", W),
        (r"avbryt", W), (r"(ska|skall|får) (inte|ej) (levereras|skickas|skeppas)", W), (r"skippa (den|ordern)", W),
        (r"(ska|skall) bort\b", W), (r"skrota (den|ordern)", W),
        (r"hålla inne (den|ordern|order|leveransen)", W), (r"låta bli att skicka", W),
        (r"ångrat (oss|mig)", W), (r"droppa (hela )?(ordern|beställningen)", W),
        (r"(behöver|vill ha) (inte|ej) (de här|dessa|den här|denna) \w+ längre", W),
        (r"(lagt|lagd|lade|la|beställt) .{0,30}(två|2) gånger", W),
        # part of an order: a line taken away, fewer of an item
        (r"(ta|plocka) bort (hela )?(den|ordern|order\b|beställningen|rad|raden|artikeln|produkten|en rad|\d+ st)", W),
        (r"minska (antalet|ner)", W), (r"(behöver|vill|vill ha) (bara|endast|enbart) (ha )?\d+", W),
        # nb
        (r"kansell", W), (r"avbestill", W), (r"annuller", W), (r"trekk(e|er) (tilbake )?(ordren|bestillingen)", W),
        (r"stopp(e|er)? (hele )?(ordren|ordre|bestillingen|leveransen)\b", W),
        (r"angre (på )?(kjøpet|bestillingen|ordren)", W),
        (r"slett(e|er)? (ordren|bestillingen)", W), (r"(bestilt|bestilte|lagt inn) (.{0,20})?ved en feil", W),
        (r"dobbeltbestill", W), (r"feilbestill", W), (r"heve (kjøpet|ordren|bestillingen)", W),
        (r"stryk(e|er)? (hele )?(ordren|bestillingen|linjen|den)\b", W), (r"tilbakekall", W),
        (r"se bort fra (\w+ )?(ordren|ordre|bestilling\w*)", W), (r"ombestemt", w),
        (r"trenger ikke (\w+ )?(varene|produktene|ordren|bestillingen|utstyret)", W),
        (r"(ordren|bestillingen|kjøpet|den|det) (er|blir) ikke (lenger )?aktuell", W),
        (r"avslutte (ordren|bestillingen)", W),
        (r"(ordren|bestillingen|linjen) (kan|skal|må) (slettes|strykes|fjernes|kanselleres|annulleres|avbestilles)", W),
        (r"fjern(e|er)? (linje|linjen|raden|varelinjen|\d+ stk)", W), (r"redusere antallet", W),
        (r"ikke send\b", W), (r"skal ikke (sendes|leveres)", W), (r"slett(e|er)? (denne|den)\b", W),
        (r"vil ikke ha (den|dem|ordren|varene|utstyret)", W), (r"angret (oss|meg)", W),
        (r"dropp(e|er)? (hele )?(ordren|ordre|bestillingen)", W), (r"fortr(u|y)d", W),
        (r"(lagt inn|lagt|bestilt) .{0,30}(to|2) ganger", W), (r"trenger bare (én|en|ett|\d+)\b", w),
        (r"(trenger|vil ha) (bare|kun) \d+", W),
        # en
        (r"cancel", W), (r"withdraw (the |our |my )?(order|po|purchase)", W), (r"call off", W),
        (r"(ordered|placed|submitted) (.{0,20})?(by mistake|in error|twice)", W), (r"duplicate order", W),
        (r"(do not|don't) (ship|deliver|process)", W), (r"no longer (need|want|require)", w),
        (r"stop (the |our |this )?(order|shipment|delivery)", W),
        (r"remove (the )?(line|item|row)", W), (r"reduce the (quantity|qty)", W), (r"only need \d+", W),
        (r"(don't|do not) send", W), (r"hold off", W), (r"drop (the|our|this) (order|po)", W),
        (r"scrap (that|the|this|our) order", W), (r"back out of", W), (r"stop processing", W),
        (r"(is|are) no longer (needed|required)", W), (r"pull (the|our|this|that) (order|po)\b", W),
        (r"(void|delete|abort|disregard|ignore) (the|this|that|our|my) (order|po|purchase)\b(?! confirm)", W),
        (r"(don't|do not) need (the|this|that|these|those|our) (order|items|goods|products|po)\b", W),
        (r"(placed|ordered) .{0,30}twice", W),
    ],
    "damage": [
        # sv
        (r"skad", W), (r"trasig", W), (r"sönder", W), (r"krossad", W), (r"intryck", W), (r"buckl", W),
        (r"spräck", W), (r"knäck", W), (r"repig", W), (r"repor\b", w), (r"fuktskad", W), (r"vattenskad", W),
        (r"blöt", w), (r"genomblöt", W), (r"vatten i", W), (r"förstörd", W), (r"spr(ick|uck)", W),
        (r"mosad", W), (r"skramlar", w), (r"lossnat", w), (r"avbrut", W), (r"plastbitar", w), (r"tillplattad", W),
        (r"defekt", w), (r"fungerar inte", w), (r"bild(er(na)?)?\b", w), (r"foto", w),
        (r"(transport|frakt|leverans|hanterings|truck)skad", W), (r"(glaset|skärmen|rutan|displayen) har gått\b", W),
        (r"under (transporten|frakten)", w), (r"gaffeltruck", w),
        # the packaging whole: a unit that does not work is dead on arrival rather than damaged in transport
        (r"(kartongen|lådan|förpackningen|paketet|emballaget) (var|är|såg) (\w+ )?(hel|oskadd|oskadad|intakt|fin)", -w),
        # nb
        (r"skadd", W), (r"ødelagt", W), (r"knust", W), (r"i stykker", W), (r"bulk(et|ete)", W), (r"sprekk", W),
        (r"revnet", W), (r"knekt", W), (r"riper", w), (r"(helt|er|var|ble|blitt) våte?\b", w), (r"bilde(ne)?\b", w),
        (r"brukket", W), (r"bulk i", W), (r"trykket inn", W), (r"vann (i|under|inni)", W), (r"fuktig", w),
        (r"avvik på fraktbrevet", W), (r"gjennombløt", W), (r"bløt", w),
        (r"(transport|frakt)skade", W), (r"sprukk", W), (r"smadr", W), (r"plastbit", w), (r"henger løs", w),
        (r"under (transporten|frakten)", w),
        (r"(esken|pakken|emballasjen) (var|er|så) (\w+ )?(hel|uskadd|uskadet|intakt|fin)", -w),
        # en
        (r"damage", W), (r"broken", W), (r"crushed", W), (r"dented", W), (r"cracked", W), (r"smashed", W),
        (r"shattered", W), (r"scratch", w), (r"torn\b", w), (r"wet\b", w), (r"defective", w), (r"photo", w),
        (r"picture", w), (r"soggy", W), (r"water (in|inside)", W), (r"fell apart", W), (r"in pieces", W),
        (r"bent\b", w), (r"leaking", w),
        (r"(box|package|packaging|carton) (was|is|looked) (\w+ )?(fine|intact|undamaged|ok|perfect)", -w),
    ],
    "stuck-order": [
        # sv
        (r"står (fortfarande |fortf |still|kvar)", W), (r"ligger (fortfarande |fortf |still|kvar)", W),
        (r"(har )?(stått|legat) (i|på|kvar|still)", W), (r"fastnat", W),
        (r"(inte|ej) (\w+ )?(kommit|levererats|skickats|anlänt|expedierats|plockats|packats)", W),
        (r"(inte|ej) (fått|mottagit|erhållit) (.{0,20})?(leverans|order|varor|paket)", W),
        (r"var är (min|vår|mitt|vårt) (order|leverans|beställning|paket)", W), (r"försen", W), (r"dröj", w),
        (r"ingen (leverans|uppdatering|rörelse)", W), (r"när (kommer|levereras|skickas)", w), (r"väntar", w),
        (r"(inget|ingenting) (har )?(kommit|hänt|levererats|skickats|dykt upp)", W),
        (r"var är (leveransen|ordern|paketet|beställningen|varorna|sändningen|resten)", W),
        (r"(inte|ej) fått (något|den|det|paketet|varorna|resten)", W), (r"tagit vägen", W),
        (r"(har )?väntat på (ordern|order|leveransen|beställningen|varorna)", W),
        (r"leveransdatum\w* (.{0,30} )?(flyttas|skjuts|ändras)", W), (r"(fick|bara|endast|only|kun) \d+ av \d+", W),
        (r"(delleverans|dellevering|partial (delivery|shipment))", w),
        (r"(?<!skickar till )(?<!mejlar till )(?<!skriver till )fel adress", W),   # not the sender's own
        (r"står (den|det) (fortfarande|kvar|still)", W),
        (r"stått som (\S+ ){1,3}(sedan|sen)\b", W), (r"aldrig (har )?(kommit|lämnat|lämnats|skickats|levererats)", W),
        (r"(inte|ej) (\w+ )?(levererad|levererade|skickad|skickade|expedierad|mottagen|mottagna|dykt upp)", W),
        (r"utebli", W), (r"har (haft )?status (\S+ ){1,3}(sedan|sen)\b", W),
        (r"(leveranstiden|leveransdatumet) (har )?(passerat|gått ut)", W),
        (r"var (ordern|leveransen|paketet|beställningen|varorna|sändningen|godset) (är|finns|befinner)", W),
        (r"uppdatering (om|på|kring|gällande) (\w+ )?(order\w*|beställning\w*|leverans\w*|paket\w*)", W),
        (r"hur (ser det ut|går det) med (\w+ )?(order\w*|beställning\w*|leverans\w*)", W),
        (r"(borde|skulle) (ha )?(kommit|levererats|varit här|fått (den|dem|varorna|leveransen))", W),
        (r"(paketet|leveransen|försändelsen|sändningen|godset) (har )?(försvunnit|kommit bort)", W),
        # a status compound ("orderstatus") is a hint; asking an order's status says it
        (r"\w+status", w), (r"status (på|för) ((min|vår|mitt|vårt) )?(ordern|order|beställning\w*|leverans\w*)", W),
        (r"leveransdatum", w), (r"restnoter", w), (r"spårning", w),
        (r"(spårningen|kollinumret) (visar|säger) (ingenting|inget|ingen)", W),
        # nb
        (r"står (fortsatt |fremdeles |stille|fast)", W), (r"ligger (fortsatt |fremdeles |stille|fast)", W),
        (r"(har )?stått (stille|i|på)", W), (r"sitter fast", W),
        # "men ikke sendt den ennå" is what the customer has not done
        (r"ikke (\w+ )?(kommet|blitt levert|blitt sendt|levert|sendt(?! (den|det|dem|inn|ordren|bestillingen))|ankommet|"
         r"plukket|pakket)", W),
        (r"ikke (mottatt|fått) (.{0,20})?(levering|ordre|varer|pakke)", W), (r"forsink", W),
        (r"hvor (er|blir) (ordren|bestillingen|pakken|leveransen|varene)", W), (r"ingen (oppdatering|bevegelse)", W),
        (r"ingenting (har )?(kommet|skjedd|blitt sendt|dukket opp)", W), (r"stått som (\S+ ){1,3}siden\b", W),
        (r"står (den|det) (fortsatt|fremdeles|stille)", W), (r"(har )?ventet på (ordre|ordren|bestillingen|varene)", W),
        (r"feil (adresse|sted)", W), (r"hvor (den|det|pakken|sendingen) ble av", W), (r"hvor blir det av", W),
        (r"ikke fått (noe|den|det|pakken)", W),
        (r"aldri (har )?(kommet|blitt sendt|blitt levert|ankommet)", W),
        (r"ikke (\w+ )?dukket opp", W), (r"(ingenting|ikke noe) skjer", W),
        (r"har (hatt )?status (\S+ ){1,3}siden\b", W),
        (r"(leveringstiden|leveringsdatoen|leveransedatoen) (er|har) (passert|gått ut)", W),
        (r"hvor (ordren|ordre|bestillingen|pakken|leveransen|leveringen|varene|sendingen) (er|befinner|ble av)", W),
        (r"oppdatering (om|på|angående) (\w+ )?(ordre\w*|bestilling\w*|leveranse\w*|levering\w*|pakke\w*)", W),
        (r"hvordan (ligger det an|går det) med (\w+ )?(ordre\w*|bestilling\w*|leveranse\w*|levering\w*)", W),
        (r"skulle (ha )?(kommet|vært levert|vært her|blitt levert)", W),
        (r"(pakken|sendingen|leveransen|forsendelsen) (er|har) (forsvunnet|kommet bort|borte)", W),
        (r"status (på|for) ((min|vår|mitt) )?(ordren|ordre|bestilling\w*|leveranse\w*|levering\w*)", W),
        (r"når kommer", w), (r"venter", w), (r"leveringsdato", w), (r"restordre", w), (r"sporing", w),
        (r"sporingen (viser|sier) (ingenting|ingen|ikke)", W), (r"sporingen har ikke", W),
        # en
        # the negation is required: "if you have received this in error" closes many a disclaimer
        (r"stuck", W), (r"(hasn't|haven't|has not|have not|has still not|have still not|still hasn't|still haven't) "
                        r"(yet )?(been )?(shipped|arrived|delivered|dispatched|received)", W),
        (r"never (arrived|shipped|left|came|been shipped|been delivered|got it|received)", W),
        (r"(still|been) showing as", W), (r"returned to sender", W), (r"wrong address", W), (r"holding it up", W),
        (r"chase (it|this|the order) up", W),
        (r"(not|n't) (\w+ )?(yet )?(been )?(shipped|arrived|delivered|dispatched|received)", W),
        (r"where is (my|our|the) (order|delivery|shipment|package)", W),
        (r"delay", W), (r"still (waiting|pending|processing|in status)", W), (r"no (update|movement)", W),
        (r"status", w), (r"status (of|on|for) ((my|our|the|this) )?(order|po|purchase|delivery|shipment)", W),
        (r"tracking (shows|says) (nothing|no)\b", W), (r"tracking", w), (r"backorder", w), (r"eta\b", w),
        (r"(has|have) (had )?(the )?status (\S+ ){1,3}(since|for)\b", W),
        (r"when will (my|our|the|this|that) (order|delivery|shipment|package|parcel|goods|items|po)", W),
        (r"(eta|delivery dates?|dates?)( on( \S+){1,3})? (keeps|kept) (moving|changing|slipping|being pushed)", W),
        (r"(lines|items|rows)( on \S+( \S+)?)? (are|is) still open", W),
        (r"(update|news) (on|about|regarding) (\w+ )?(order|delivery|shipment|package|parcel|po)\b", W),
        (r"(order|delivery|shipment|package|parcel|po) (is|was|are|has been) (still )?(late|overdue)", W),
        (r"(supposed|due|expected) to (arrive|be delivered|ship|have arrived)", W),
        (r"(parcel|package|shipment|delivery) (is|has gone|went) missing", W),
    ],
}
# a word of another matter takes a category's evidence away, unless the text also names what the category is
# about: "avbeställa nyhetsbrevet" is no order cancelled, a unit broken after months of use is a warranty claim
OTHER_MATTER = {
    "cancellation": (r"nyhetsbrev|utskick|prenumer|newsletter|mailing ?list|abonnement|"
                     r"möte|mötet|møte|møtet|meeting|besök|besøk|visit|webinar|utbildning|opplæring|training",
                     r"(order|ordern|ordrar|ordre|ordren|beställning\w*|bestilling\w*|po|purchase)\b"),
    "damage": (r"garanti|warranty|reklamation|reklamasjon|reklamer|\w*försäkring|\w*forsikring|insurance|"
               r"efter (ett|två|tre|\d+|några) (år|månader)|etter (ett|to|tre|\d+|noen) (år|måneder)|"
               r"after (a|one|two|three|\d+|a few) (years?|months)|slutat fungera|sluttet å (virke|fungere)|"
               r"stopped working|(vår|vårt|våra|våre|min|mitt|our|my) (gamla|gamle|gammel|gammelt|old)|"
               r"länk|lenke|link\b|programvar|mjukvar|software|licens|lisens|licen[cs]e|pdf|uppdater|oppdater|update|"
               r"kreditupplysning|kreditgräns|kredittgrense|kredittsjekk|credit (limit|check)|"
               # a complaint about the service may recall a damage of its own
               r"synpunkt|klagomål|klage|complaint|bemött|bemötande|otrevlig|unfriendly|rude\b|"
               r"förra (månaden|månadens|veckan|veckans)|forrige (måned|uke)|last (month|week)",
               r"transport\b|transporten|frakt\b|frakten|leverans|levering|levererad|levert|delivery|delivered|kartong|"
               r"paket|pakke|eske|box|package|carton|pall|ankom|arrived|mottog|mottatt|kom fram|kom i dag|came"),
    # the status of a return or repair is no order's
    # nor is a licence's or a subscription's (delivered by a key or in the customer's tenant)
    "stuck-order": (r"reklamation|reklamasjon|rma\b|returärende|retursak|reparation|reparasjon|repair|"
                    r"licens|lisens|licen[cs]e|tenant|subscription|abonnemang|abonnement|prenumeration",
                    r"order\w*|ordre\w*|beställning\w*|bestilling\w*|leverans\w*|levering\w*|shipment|delivery"),
}
# customers type without Nordic keys ("star fortfarande", "ikke mottatt noe", "forsenad"): the rules and the text
# are both matched without å/ä/ö/ø
FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae", "é": "e"})
OTHER_MATTER_RX = {cat: (re.compile(r"(?<!\w)(" + other.translate(FOLD) + ")"),
                         re.compile(r"(?<!\w)(" + own.translate(FOLD) + ")"))
                   for cat, (other, own) in OTHER_MATTER.items()}
# "fakturan har inte kommit", "vi har inte fått något svar", "the confirmation never arrived": what has not come
# is no order's goods (matched folded, as the rules are)
_NOT_GOODS = (r"(faktura\w*|invoice\w*|kreditnota\w*|kreditfaktura\w*|credit note|svar\w*|reply|answer|"
              r"\w*bekraftelse\w*|\w*bekreftelse\w*|\w*confirmation|\w*mejl\w*|\w*mail\w*|e-post\w*|"
              r"offert\w*|tilbud\w*|quote|losenord\w*|passord\w*|password|lank\w*|lenke\w*|link)")
NOT_GOODS = re.compile(r"(?<!\w)" + _NOT_GOODS + r"( (har|hat|er|ar|is|has|have|was)\b)?"
                       r"( (fortfarande|fortsatt|fremdeles|still|annu|enna|yet))? ?$")
NOT_GOODS_AFTER = re.compile(r" ((nagot|nagon|nagra|noe|noen|any|a|an|the|your|ert|er|era|deres|dere|ditt|din) )?"
                             + _NOT_GOODS + r"(?!\w)")
# "vill inte avboka", "ikke kansellere den", "not damaged": the evidence is denied; "kan ni inte avboka?" asks
NEGATIONS = r"inte|ej|ikke|not|never|aldrig|aldri|don't|do not"
NEGATION = re.compile(rf"(?:(?<!\w)(\w+) )?(?<!\w)(?:{NEGATIONS})(?: \w+)? $")
# "inga synliga skador", "utan skador", "no damage": a damage denied by "no" too (where "ingen leverans" is evidence)
NO_DAMAGE = re.compile(rf"(?:(?<!\w)(\w+) )?(?<!\w)(?:{NEGATIONS}|inga|ingen|inget|no|utan|uten|without)(?: \w+)? $")
ASKING = {"ni", "du", "dere", "you"}
_META = frozenset("\\.^$*+?{}[]|()")


def _alternatives(pattern: str) -> list[str]:
    """The pattern split at its top-level |."""
    parts, depth, start = [], 0, 0
    for n, ch in enumerate(pattern):
        depth += (ch == "(") - (ch == ")")
        if ch == "|" and depth == 0:
            parts.append(pattern[start:n])
            start = n + 1
    return [*parts, pattern[start:]]


def _literal_starts(pattern: str) -> tuple[str, ...]:
    """Texts one of which every match of the pattern begins with; ("",) when a match may begin anywhere. A group
    of alternatives at the start gives each one's ("(ordern|beställningen) kan" -> "ordern", "beställningen")."""
    parts = _alternatives(pattern)
    if len(parts) > 1:
        starts = [start for part in parts for start in _literal_starts(part)]
        return ("",) if "" in starts else tuple(dict.fromkeys(starts))
    if pattern.startswith("(") and not pattern.startswith("(?"):
        depth = 0
        for end, ch in enumerate(pattern):
            depth += (ch == "(") - (ch == ")")
            if depth == 0:
                break
        return ("",) if pattern[end + 1:end + 2] in ("?", "*", "{") else _literal_starts(pattern[1:end])
    return (_literal_start(pattern),)


def _literal_start(pattern: str) -> str:
    """The text every match of the pattern begins with ("" when it starts with a group or has a top-level |)."""
    if len(_alternatives(pattern)) > 1:
        return ""
    start = ""
    for ch in pattern:
        if ch in _META:
            return start[:-1] if ch in "?*{" else start     # "lagt?": the t is optional
        start += ch
    return start


# (regex, weight, literal starts): a pattern none of whose literal starts is in the text cannot match it, and a
# substring test is a fraction of a regex search; most of the 270 searches per mail end there
COMPILED = {cat: [(re.compile(r"(?<!\w)" + pat.translate(FOLD)), weight, _literal_starts(pat.translate(FOLD)))
                  for pat, weight in rules]
            for cat, rules in RULES.items()}
STARTS = {cat: frozenset(start for *_, starts in rules for start in starts) for cat, rules in COMPILED.items()}
QUEUE_PRIOR = {"cancellations": "cancellation", "damage": "damage", "order-status": "stuck-order"}
PRECEDENCE = ("damage", "cancellation", "stuck-order")   # on a tie: damage is time-critical (24 h to report)
THRESHOLD = 2


def scores(subject: str, body: str) -> dict[str, float]:
    """Evidence per category; the subject counts double because it states the matter. White space is one space:
    a phrase the sender's mail program wrapped onto two lines ("har stått\nstill") is still the phrase."""
    subject, body = (" ".join((text or "").lower().translate(FOLD).split()) for text in (subject, body))
    out, whole = {}, f"{subject} {body}"
    for cat, rules in COMPILED.items():
        goods, negation = cat == "stuck-order", NO_DAMAGE if cat == "damage" else NEGATION
        in_body, in_subject = ({"", *(start for start in STARTS[cat] if start in text)} for text in (body, subject))
        found = sum(weight for rx, weight, starts in rules
                    if not in_body.isdisjoint(starts) and _says(rx, body, negation, goods))
        found += sum(weight * 2 for rx, weight, starts in rules
                     if not in_subject.isdisjoint(starts) and _says(rx, subject, negation, goods))
        other, own = OTHER_MATTER_RX.get(cat, (None, None))
        if found and other and other.search(whole) and not own.search(whole):
            found = 0
        out[cat] = found
    return out


def _says(rx: re.Pattern, text: str, negation: re.Pattern = NEGATION, goods: bool = False) -> bool:
    """Whether the text says what the rule matches and does not deny it (`negation`); with `goods`, nor says it
    of a thing that is no order's goods, named just before or after it (NOT_GOODS)."""
    for match in rx.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        denied = negation.search(before)
        other_thing = goods and (NOT_GOODS.search(before) or NOT_GOODS_AFTER.match(text, match.end()))
        if (not denied or denied.group(1) in ASKING) and not other_thing:
            return True
    return False


def classify(subject: str, body: str, queue: str | None = None) -> str:
    """cancellation | damage | stuck-order | other: content first, the mailbox's queue as the prior."""
    found = scores(subject, body)
    prior = QUEUE_PRIOR.get(queue or "")
    if prior and found[prior] > 0:
        found[prior] += w
    best = max(PRECEDENCE, key=lambda cat: (found[cat], -PRECEDENCE.index(cat)))
    if found[best] >= THRESHOLD:
        return best
    if prior and order_numbers(f"{subject}\n{body}"):
        return prior
    return "other"


ORDER_FORMAT = re.compile(r"(?<![\w-])\d{2}-\d{5,6}-\d{2}(?![\w-])")
ORDER_AFTER_WORD = re.compile(
    r"(?<!\w)(?:order|ordre|ordern|ordren|ordernummer|ordrenummer|ordernr|ordrenr|order number|order no|"
    r"beställning(?:snummer)?|bestilling(?:snummer)?|po|p\.o\.|purchase order|inköpsorder|innkjøpsordre)"
    r"\s*(?:nr\.?|no\.?|number|nummer|#)?\s*[:#]?\s*([A-Z]{0,4}\d[\d-]{3,18}\d)(?![\w-])", re.IGNORECASE)


def order_numbers(text: str) -> list[str]:
    """Order numbers named in the text (our NN-NNNNN-NN format, or a number after 'order', 'PO', ...)."""
    found: list[str] = []
    for match in [*ORDER_FORMAT.finditer(text or ""), *ORDER_AFTER_WORD.finditer(text or "")]:
        value = match.group(match.lastindex or 0)
        if value not in found and sum(ch.isdigit() for ch in value) >= 5:
            found.append(value)
    return found


STOPWORDS = {
    "sv": {"och", "är", "jag", "inte", "det", "att", "för", "på", "med", "har", "kan", "ni", "hej", "tack", "vänliga",
           "hälsningar", "mvh", "som", "av", "till", "ett", "vår", "vårt", "min", "mitt", "beställning", "leverans",
           "skulle", "vill", "eller", "från", "också", "någon", "något", "inga", "ingen", "när", "hur", "varför",
           "fick", "kommer", "sedan", "nu", "än", "bara", "måste", "även", "detta", "denna", "ordern", "idag"},
    "nb": {"og", "er", "jeg", "ikke", "det", "å", "for", "på", "med", "har", "kan", "dere", "hei", "takk", "vennlig",
           "hilsen", "mvh", "som", "av", "til", "et", "vår", "vårt", "min", "mitt", "bestilling", "levering", "skulle",
           "vil", "eller", "fra", "også", "noen", "noe", "ingen", "når", "hvordan", "hvorfor", "fikk", "kommer",
           "siden", "nå", "enn", "bare", "må", "dette", "denne", "ordren", "i dag", "hva", "ble", "blitt", "meg"},
    "en": {"and", "is", "not", "the", "to", "for", "on", "with", "have", "can", "you", "hi", "hello", "thanks",
           "thank", "regards", "best", "of", "a", "an", "our", "my", "order", "delivery", "would", "please", "we",
           "it", "this", "that", "was", "are", "be", "from", "has", "been", "yet", "still", "kind", "dear"},
}


def language(text: str) -> str | None:
    """sv | nb | en by common words and letters; None when the text gives too little to tell."""
    low = (text or "").lower()
    words = re.findall(r"[a-zåäöæøéü]+", low)
    counts = {lang: sum(word in stop for word in words) for lang, stop in STOPWORDS.items()}
    counts["sv"] += 2 * (low.count("ä") + low.count("ö"))
    counts["nb"] += 2 * (low.count("æ") + low.count("ø"))
    best = max(counts, key=counts.get)
    ranked = sorted(counts.values(), reverse=True)
    if ranked[0] < 2 or ranked[0] == ranked[1]:
        return None
    return best
