"""The audit events of a ticket as sentences for the ticket page, in the agent's language, with the actor's name.

tickets/operations.py record_event() writes an action and a small dict; this module is its one reader for people.
An action it does not know yet (another area may add one) still reads as a sentence, never as key=value codes.
Call inside a request (the sentences are translated at call time).
"""
from __future__ import annotations

from typing import Callable

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from ..faq import lookup
from ..markets import LANGUAGES
from ..tickets.models import Event
from .labels import label

FIELDS = ("status", "priority", "queue", "category")
HIDDEN = {"messages", "attachments"}          # id lists: of no use to a reader


class Names:
    """Agents' display names by id and by e-mail (assignments record e-mails), for one ticket page."""

    def __init__(self, agents=()):
        self.by_id = {a.id: a.name for a in agents}
        self.by_email = {a.email.lower(): a.name for a in agents}

    def actor(self, event: Event) -> str:
        """"Anna Agent", "the customer", "the system"; an address (a mail's sender) as it is."""
        if event.agent_id is not None and event.agent_id in self.by_id:
            return self.by_id[event.agent_id]
        if event.actor == "customer":
            return _("the customer")
        if event.actor == "system":
            return _("the system")
        return self.by_email.get((event.actor or "").lower(), event.actor or _("the system"))

    def agent(self, email: str | None) -> str | None:
        return self.by_email.get(email.lower(), email) if email else None


def sentence(event: Event, names: Names) -> str:
    """One event as a sentence ("Status changed from New to Open by Anna Agent.")."""
    data, actor = event.data or {}, names.actor(event)
    if event.action in FIELDS:
        return _field_sentence(event.action, data, actor)
    build = _SENTENCES.get(event.action)
    return build(data, actor, names) if build else _generic(event.action, data, actor)


def _field_sentence(field: str, data: dict, actor: str) -> str:
    old, new = label(field, data.get("from") or "–"), label(field, data.get("to") or "–")
    texts = {"status": _("Status changed from %(old)s to %(new)s by %(actor)s.", old=old, new=new, actor=actor),
             "priority": _("Priority changed from %(old)s to %(new)s by %(actor)s.", old=old, new=new, actor=actor),
             "queue": _("Moved from queue %(old)s to %(new)s by %(actor)s.", old=old, new=new, actor=actor),
             "category": _("Category changed from %(old)s to %(new)s by %(actor)s.", old=old, new=new,
                           actor=actor)}
    return texts[field]


def _created(data: dict, actor: str, names: Names) -> str:
    channel = {"web": _("the web form"), "email": _("e-mail")}.get(data.get("channel"), data.get("channel") or "–")
    text = _("Opened by %(actor)s via %(channel)s: %(category)s, queue %(queue)s, priority %(priority)s.",
             actor=actor, channel=channel, category=label("category", data.get("category") or "–"),
             queue=label("queue", data.get("queue") or "–"), priority=label("priority", data.get("priority") or "–"))
    if data.get("late"):
        text += " " + _("It was reported later than 24 hours after delivery.")
    return text


def _ack_skipped(data: dict, actor: str, names: Names) -> str:
    reason = data.get("reason") or ""
    prefix = "no sender address configured for market "
    if reason.startswith(prefix):
        return _("No acknowledgement was sent: no sender address is configured for market %(market)s.",
                 market=reason[len(prefix):].upper())
    return _("No acknowledgement was sent (%(reason)s).", reason=reason or "–")


def _message(data: dict, actor: str, names: Names) -> str:
    files = int(data.get("files") or 0)
    if files:
        return ngettext("New message from %(actor)s, with %(num)d file.",
                        "New message from %(actor)s, with %(num)d files.", files, actor=actor)
    return _("New message from %(actor)s.", actor=actor)


def _reopened(data: dict, actor: str, names: Names) -> str:
    return _("Reopened by a message from %(actor)s (it was %(old)s).", actor=actor,
             old=label("status", data.get("from") or "–"))


def _mail_copy(data: dict, actor: str, names: Names) -> str:
    return _("The same e-mail from %(actor)s also arrived at %(mailbox)s; it was recorded here, not as a new "
             "ticket.", actor=actor, mailbox=data.get("mailbox") or "–")


def _bounce(data: dict, actor: str, names: Names) -> str:
    return _("An automatic reply or delivery report about our e-mail arrived from %(sender)s (%(reason)s).",
             sender=data.get("from") or "–", reason=data.get("reason") or "–")


def _released(data: dict, actor: str, names: Names) -> str:
    return _("%(actor)s made this from held mail that had been held as %(reason)s.", actor=actor,
             reason=data.get("reason") or "–")


def _target(data: dict, actor: str, names: Names) -> str:
    target = label("target", data.get("target") or "–")
    return _("%(target)s: target met.", target=target) if data.get("met") else \
        _("%(target)s: target missed.", target=target)


def _escalated(data: dict, actor: str, names: Names) -> str:
    return _("%(target)s missed on an urgent ticket: escalated to %(lead)s.",
             target=label("target", data.get("target") or "–"), lead=names.agent(data.get("lead")) or "–")


def _replied(data: dict, actor: str, names: Names) -> str:
    return _("Reply sent to %(to)s by %(actor)s.", to=data.get("to") or "–", actor=actor)


def _note(data: dict, actor: str, names: Names) -> str:
    return _("Internal note added by %(actor)s.", actor=actor)


def _assigned(data: dict, actor: str, names: Names) -> str:
    old, new = names.agent(data.get("from")), names.agent(data.get("to"))
    if new and old:
        return _("Reassigned from %(old)s to %(new)s by %(actor)s.", old=old, new=new, actor=actor)
    if new:
        return _("Assigned to %(new)s by %(actor)s.", new=new, actor=actor)
    return _("Unassigned (it was %(old)s) by %(actor)s.", old=old or "–", actor=actor)


def _merged(data: dict, actor: str, names: Names) -> str:
    return _("Merged into %(ref)s by %(actor)s.", ref=data.get("into") or "–", actor=actor)


def _merged_from(data: dict, actor: str, names: Names) -> str:
    return _("%(ref)s was merged into this ticket by %(actor)s.", ref=data.get("source") or "–", actor=actor)


def _entry_title(slug: str | None) -> str:
    """An FAQ entry's question in the agent's language; its slug when the FAQ no longer has it."""
    entry = lookup.current_catalog().entries.get(slug or "")
    lang = str(get_locale() or "en")
    return entry.text(lang if lang in LANGUAGES else "en").question if entry else (slug or "–")


def _answer_offered(data: dict, actor: str, names: Names) -> str:
    return _("The acknowledgement carried the FAQ answer “%(entry)s”.", entry=_entry_title(data.get("entry")))


def _solved_by_answer(data: dict, actor: str, names: Names) -> str:
    return _("Resolved by %(actor)s: the FAQ answer “%(entry)s” in the acknowledgement solved it.", actor=actor,
             entry=_entry_title(data.get("entry")))


def _suggestion_used(data: dict, actor: str, names: Names) -> str:
    return _("%(actor)s used the suggested FAQ answer “%(title)s” in the reply.", actor=actor,
             title=_entry_title(data.get("entry")))


def _generic(action: str, data: dict, actor: str) -> str:
    """An action without its own sentence: its name in words, by whom, and its details as "key: value"."""
    words = action.replace("_", " ").replace("-", " ").strip().capitalize() or "–"
    details = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in data.items()      # id lists and nested data
                        if k not in HIDDEN and v not in (None, "") and not isinstance(v, (list, dict)))  # say nothing
    text = _("%(action)s, by %(actor)s.", action=words, actor=actor)
    return f"{text} ({details})" if details else text


_SENTENCES: dict[str, Callable[[dict, str, Names], str]] = {
    "created": _created, "acknowledgement-skipped": _ack_skipped, "message": _message, "reopened": _reopened,
    "mail-copy": _mail_copy, "bounce": _bounce, "replied": _replied, "note": _note, "assigned": _assigned,
    "merged": _merged, "merged_from": _merged_from, "mail-released": _released,
    "target": _target, "escalated": _escalated, "suggestion_used": _suggestion_used,
    "answer_offered": _answer_offered, "solved_by_answer": _solved_by_answer,
}
