"""FAQ answers suggested on the ticket page: the top entries for the ticket's text, in the ticket's language, with
the ticket's market facts filled in and the entry's link, ready to insert into the reply.

The search is support.search `find` (through faq.lookup, which reloads changed content); its clause handling
weighs the words that ask over the story around them, so a mailed-in paragraph works as a query. What was
inserted comes back with the reply as slugs; tickets/operations.py `reply` records them ("suggestion_used").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from flask import current_app, url_for

from ..faq import lookup
from ..tickets import answers, links

MOST = 3                 # suggestions shown: the agent reads them at a glance
PLAUSIBLE = 0.5          # below this share of the best hit's score a hit is noise, not an answer
PREVIEW_CHARS = 160
QUOTED = re.compile(r"^\s*>.*$|^\s*(?:--|__)\s*$[\s\S]*", re.MULTILINE)   # quoted lines; a signature to the end


@dataclass(frozen=True)
class Suggestion:
    slug: str
    title: str            # the entry's question in the ticket's language
    preview: str          # the start of the answer, for reading at a glance
    text: str             # what Insert puts into the reply: the filled answer and the link
    url: str
    confident: bool       # the search's one confident answer


def ticket_text(ticket) -> str:
    """What the customer asked: the subject and their messages, without quoted replies and signatures."""
    parts = [ticket.subject or ""]
    parts += [QUOTED.sub("", m.body_text or "") for m in ticket.messages if m.kind == "customer"]
    return " ".join(" ".join(parts).split())


def entry_url(ticket, slug: str) -> str:
    """The entry's absolute link for the customer: on the public host when configured (agents may work on
    another one)."""
    values = answers.entry_values(ticket, slug)
    if current_app.config["PUBLIC_URL"]:
        return links.on_public_host("faq.entry", values)
    return url_for("faq.entry", _external=True, **values)


def _preview(answer: str) -> str:
    flat = " ".join(answer.replace("\n- ", " · ").split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"


def for_ticket(ticket) -> list[Suggestion]:
    """The few entries that plausibly answer the ticket, best first (none for an empty text)."""
    text = ticket_text(ticket)
    if not text:
        return []
    catalog = lookup.current_catalog()
    found = lookup.find(text, ticket.language, limit=MOST)
    if not found.hits:
        return []
    best = found.hits[0].score
    hits = [h for h in found.hits if h.key in catalog.entries and h.score >= PLAUSIBLE * best][:MOST]
    out = []
    for hit in hits:
        entry_text = catalog.entries[hit.key].text(ticket.language)
        answer = answers.filled(ticket, entry_text.answer)     # the facts as the customer reads them
        url = entry_url(ticket, hit.key)
        out.append(Suggestion(hit.key, entry_text.question, _preview(answer), f"{answer}\n\n{url}", url,
                              hit.key == found.answer))
    return out

