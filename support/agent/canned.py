"""Canned replies (content/canned_replies.yaml): sv/nb/en variants with {name} and {reference} filled in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app

from .. import content
from ..markets import LANGUAGES

PLACEHOLDER = re.compile(r"\{(\w+)\}")
ALLOWED = {"name", "reference"}


class CannedError(ValueError):
    """The canned-replies file is invalid; the message names the entry."""


@dataclass(frozen=True)
class Canned:
    key: str
    titles: dict[str, str]
    texts: dict[str, str]

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]


@lru_cache(maxsize=4)
def load(path: str | Path) -> tuple[Canned, ...]:
    """Read and check the file: every entry has a key, titles and a text in every language."""
    data = content.read(path) or []
    replies = []
    for index, raw in enumerate(data):
        key = raw.get("key") if isinstance(raw, dict) else None
        if not key or not all(isinstance(raw.get(lang), str) and raw[lang].strip() for lang in LANGUAGES):
            raise CannedError(f"{content.where(path, data, index)}: entry {index + 1} ({key}): needs a key and a "
                              f"text in {', '.join(LANGUAGES)}")
        unknown = {p for lang in LANGUAGES for p in PLACEHOLDER.findall(raw[lang])} - ALLOWED
        if unknown:
            raise CannedError(f"{content.where(path, data, index)}: entry {key}: unknown placeholders "
                              f"{sorted(unknown)}")
        texts = {lang: raw[lang].strip() for lang in LANGUAGES}
        replies.append(Canned(key, dict(raw.get("title") or {"en": key}), texts))
    return tuple(replies)


def fill(canned: Canned, lang: str, *, name: str | None, reference: str) -> str:
    """The reply in `lang` for one customer; without a name the greeting goes without it ("Hej!")."""
    text = canned.texts.get(lang) or canned.texts["en"]
    if not name:
        text = re.sub(r"[ \t]*\{name\}", "", text)
    return text.replace("{name}", name or "").replace("{reference}", reference)


def for_ticket(ticket) -> list[tuple[Canned, str]]:
    """Every canned reply (CANNED_REPLIES_PATH) filled in for this ticket, in its language."""
    return [(c, fill(c, ticket.language, name=ticket.customer_name, reference=ticket.reference))
            for c in load(str(current_app.config["CANNED_REPLIES_PATH"]))]
