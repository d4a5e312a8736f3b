"""Our intake addresses: which market and queue each feeds (SUPPORT_MAILBOXES plus the markets' own addresses)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from email.utils import parseaddr


@dataclass(frozen=True)
class Mailbox:
    address: str
    market: str
    queue: str


def configured() -> dict[str, Mailbox]:
    """Every intake address, lower-case: the markets' support and cancellations addresses, then MAILBOXES."""
    boxes: dict[str, Mailbox] = {}
    for code, market in current_app.extensions["markets"].items():
        for address, queue in ((market.support_email, "general"), (market.cancellations_email, "cancellations")):
            if address:
                boxes[address.lower()] = Mailbox(address.lower(), code, queue)
    for address, spec in (current_app.config["MAILBOXES"] or {}).items():
        boxes[address.lower()] = Mailbox(address.lower(), spec["market"], spec.get("queue") or "general")
    return boxes


def own_addresses() -> set[str]:
    """Addresses that are us: a message from one of them is our own mail coming back."""
    own = set(configured())
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    if isinstance(sender, (tuple, list)):
        sender = sender[-1]
    if sender:
        own.add(parseaddr(sender)[1].lower())
    return own


def pick(recipients: list[str], explicit: str | None) -> Mailbox | None:
    """The mailbox a message arrived at: the one given, else the first configured of Delivered-To, To, Cc."""
    boxes = configured()
    if explicit:
        return boxes.get(explicit.strip().lower())
    return next((boxes[r] for r in recipients if r in boxes), None)
