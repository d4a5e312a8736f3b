"""The FAQ answer an acknowledgement may carry, and its signed "this solved it" link (issue 18, item 3).

A general question or a stuck-order question that the FAQ answers with confidence, in the customer's own
language, gets that answer in the acknowledgement: the entry's question, the first paragraph of its answer with
the market's facts filled in, a link to the entry, and a link that closes the request when the answer was enough.
Cancellations and damage reports never get one: a person must handle them within their deadlines, and an answer
in the mail could read as if that had happened. The confidence is the search's own (`find(...).answer`), the same
that shows *the* answer on the results page, so a wrong answer here is as rare as there.

The link carries a token signed with SECRET_KEY (itsdangerous) over the ticket's reference and the entry, so it
cannot be made for another ticket or another entry. It works for ACK_ANSWER_LINK_DAYS after the offer, counted
from the offer's audit event and the caller's `now` (not the token's own clock, so tests and the clock agree).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadData, URLSafeSerializer

from ..clock import as_utc
from ..faq import lookup
from ..faq.catalog import Block, blocks, fill
from ..faq.presenting import market_values
from ..markets import market_for_language
from .links import ticket_by_reference, url_in_mail
from .models import Ticket

# the categories an answer may be offered for; cancellations and damage reports are never among them
ANSWERED = ("other", "stuck-order")
SALT = "tickets.answers.solved"
# a sign-off line: the name, company and phone number under it are no part of the question (and words the FAQ
# lacks, like a name, rightly make the search less sure)
SIGN_OFF = re.compile(r"^\s*(mvh|m\.v\.h|med vänlig(a)? hälsning(ar)?|vänlig(a)? hälsning(ar)?|bästa hälsningar|"
                      r"hälsningar|med vennlig hilsen|vennlig hilsen|beste hilsen|hilsen|best regards|kind regards|"
                      r"regards|best wishes|cheers|br)\b", re.IGNORECASE)
SIGN_OFF_CHARS = 40          # a longer line that starts so is a sentence of the question ("hilsen fra ... ?")
# a signature without a sign-off: after a blank line, a few short lines of names, titles, companies and numbers
# ("Patrik Lind / Lind Konsult AB / 070-123 45 67"), words the FAQ lacks that make the search less sure
SIGNATURE_LINES, SIGNATURE_WORDS = 5, 6


@dataclass(frozen=True)
class Offer:
    """The answer one acknowledgement carries."""
    slug: str
    question: str               # the entry's question, in the customer's language
    blocks: tuple[Block, ...]   # its first paragraph (and the list that paragraph opens), market facts filled in
    entry_url: str
    solved_url: str


@dataclass(frozen=True)
class Claim:
    """What a valid "this solved it" token says."""
    reference: str
    slug: str


class BadToken(Exception):
    """A token that is forged, changed, cut short or made for another ticket."""


class ExpiredToken(BadToken):
    """A genuine token older than ACK_ANSWER_LINK_DAYS."""


def question_text(subject: str | None, body: str | None) -> str:
    """What the FAQ is asked: the subject and the customer's words, up to their sign-off."""
    lines = []
    for line in (body or "").splitlines():
        if SIGN_OFF.match(line) and len(line.strip()) <= SIGN_OFF_CHARS:
            break
        lines.append(line)
    text = _without_signature("\n".join(lines).strip())
    subject = (subject or "").strip()
    # a stuck-order form without a description repeats its subject as the body
    return text if not subject or subject == text else f"{subject}\n{text}"


def _without_signature(text: str) -> str:
    """The text without a last paragraph that reads as a signature block."""
    head, blank, last = text.rpartition("\n\n")
    lines = [line.strip() for line in last.splitlines() if line.strip()]
    if blank and head.strip() and 0 < len(lines) <= SIGNATURE_LINES and all(map(_signature_line, lines)):
        return head.strip()
    return text


def _signature_line(line: str) -> bool:
    """A name, a title and company, a phone number or an address: a few words, most capitalised or numbers."""
    words = line.replace(",", " ").split()
    named = sum(w[0].isupper() or w[0].isdigit() or w[0] == "+" or "@" in w for w in words)
    return "?" not in line and len(words) <= SIGNATURE_WORDS and named * 2 > len(words)


@dataclass(frozen=True)
class Answer:
    """The FAQ entry that answers a ticket's question, before the ticket has its reference (which the links need)."""
    slug: str
    question: str
    blocks: tuple[Block, ...]


def answer_for(ticket: Ticket, text: str) -> Answer | None:
    """The FAQ answer for this ticket's question, or None: not a category we answer, no confident answer in the
    customer's language, an entry never offered (ACK_ANSWER_EXCLUDED), an answer by a looser rule than
    ACK_ANSWER_RULES, or nothing left once facts are filled.
    Needs the ticket's category, language and market only, not its reference."""
    if ticket.category not in ANSWERED or not text.strip():
        return None
    found = lookup.find(text, ticket.language)
    if not found.answer or not found.hits or found.hits[0].lang != ticket.language:
        return None             # an answer found in another language is not one the customer can read
    if found.answer in current_app.config["ACK_ANSWER_EXCLUDED"]:
        return None
    if found.answered_by not in current_app.config["ACK_ANSWER_RULES"]:
        return None             # a looser answer does on the results page, beside the list, not mailed alone
    entry = lookup.current_catalog().entries.get(found.answer)
    if entry is None:
        return None
    first = first_paragraph(filled(ticket, entry.text(ticket.language).answer))
    if not first or any("{" in line for block in first for line in block.lines):
        return None             # fill() drops what it cannot fill; a brace left is content we must not mail
    return Answer(entry.slug, entry.text(ticket.language).question, first)


def offer(ticket: Ticket, answer: Answer) -> Offer:
    """The answer with its links, for a ticket that has its reference: the entry's page and "this solved it"."""
    solved_url = url_in_mail("tickets.solved", {"lang": ticket.language, "ref": ticket.reference,
                                                "token": solved_token(ticket, answer.slug)})
    return Offer(answer.slug, answer.question, answer.blocks, entry_url(ticket, answer.slug), solved_url)


def filled(ticket: Ticket, answer: str) -> str:
    """An answer's text with the ticket's market's facts, written as the ticket's language writes them ("kl.
    14.00"); fill() leaves out a sentence whose fact the market lacks, never a gap."""
    market = current_app.extensions["markets"][ticket.market]
    with force_locale(ticket.language):         # the opening hours among the facts are words
        return fill(answer, market_values(market))


def entry_values(ticket: Ticket, slug: str, lang: str | None = None) -> dict:
    """The URL values of the entry's page showing the facts of the ticket's market (the language implies the
    other market for an English-speaking customer of Norway, say)."""
    lang = lang or ticket.language
    query = {} if market_for_language(lang) == ticket.market else {"market": ticket.market}
    return {"lang": lang, "slug": slug, **query}


def entry_url(ticket: Ticket, slug: str, lang: str | None = None) -> str:
    """The entry's page, absolute, for a mail."""
    return url_in_mail("faq.entry", entry_values(ticket, slug, lang))


def first_paragraph(answer: str) -> tuple[Block, ...]:
    """The answer's first paragraph; with the list after it when it opens one ("... for example:")."""
    parts = blocks(answer)
    if not parts:
        return ()
    if len(parts) > 1 and parts[0].kind == "p" and parts[0].lines[-1].rstrip().endswith(":"):
        return tuple(parts[:2])
    return (parts[0],)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def solved_token(ticket: Ticket, slug: str) -> str:
    """The signed token of the "this solved it" link of one ticket and entry."""
    return _serializer().dumps({"ref": ticket.reference, "entry": slug})


def read_token(token: str | None, reference: str) -> Claim:
    """The claim of a token for the ticket `reference`; raises BadToken."""
    try:
        data = _serializer().loads(token or "")
    except BadData as exc:          # a bad signature, or (signed by us) a payload that does not decode
        raise BadToken() from exc
    if not isinstance(data, dict) or data.get("ref") != reference or not isinstance(data.get("entry"), str):
        raise BadToken()        # signed by us, but for another ticket's link
    return Claim(reference, data["entry"])


def claimed_ticket(reference: str, token: str | None, now: datetime) -> tuple[Ticket, str]:
    """The ticket and entry of a "this solved it" link; BadToken also when that entry was never offered to it,
    ExpiredToken when it was offered more than ACK_ANSWER_LINK_DAYS ago."""
    claim = read_token(token, reference)
    ticket = ticket_by_reference(reference)
    offers = [e for e in (ticket.events if ticket else ()) if e.action == "answer_offered"
              and (e.data or {}).get("entry") == claim.slug]
    if not offers:
        raise BadToken()
    if as_utc(now) - as_utc(offers[-1].created_at) > timedelta(days=current_app.config["ACK_ANSWER_LINK_DAYS"]):
        raise ExpiredToken()
    return ticket, claim.slug


def entry_question(slug: str, lang: str) -> str:
    """An entry's question in one language (the slug if the entry has since been removed from the FAQ)."""
    entry = lookup.current_catalog().entries.get(slug)
    return entry.text(lang).question if entry else slug
