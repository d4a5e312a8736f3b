"""The password rule for agent accounts: long enough, not about the agent, and hard to guess by zxcvbn's estimate.

zxcvbn (Dropbox's estimator) models how cracking tools guess: it matches the password against ranked lists of
the 30,000 most common passwords from public breaches, English words, names and surnames, keyboard patterns,
dates, repeats and sequences, and estimates the guesses needed. That is the offline "common or breached"
check: nothing is sent anywhere. Its lists are English-centred, so the Nordic words people build passwords
from (lösenord, passord, sommar, ...) are passed in as extra words (PASSWORD_EXTRA_WORDS), like the agent's own
address and name. Score 3 ("safely unguessable: moderate protection from an offline attack", about 10^8
guesses or more) is zxcvbn's own recommendation for a minimum.
"""
from __future__ import annotations

import re
import secrets
import threading

import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 200
# zxcvbn refuses input over 72 characters (its matching is quadratic); a longer password is judged by its start,
# which alone must already pass
_ESTIMATE_CHARS = 72
# zxcvbn keeps the extra words in a module-level dictionary while it runs: one estimate at a time per process
_estimating = threading.Lock()


class WeakPassword(ValueError):
    """The password breaks the rule; `reason` is "short", "long", "personal" or "guessable"."""

    MESSAGES = {"short": f"the password must have at least {MIN_LENGTH} characters",
                "long": f"the password must have at most {MAX_LENGTH} characters",
                "personal": "the password must not contain your e-mail address or name",
                "guessable": "the password is too common or too easy to guess"}

    def __init__(self, reason: str):
        super().__init__(self.MESSAGES[reason])
        self.reason = reason


def _personal_words(email: str, name: str) -> tuple[list[str], list[str]]:
    """What a password must not contain (the address, its local part, the longer words of the address and the
    name) and every such word, short ones too, as hints for zxcvbn; all lower-case."""
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    words = [*re.split(r"[._+-]", local), *domain.split("."), name.strip().lower(),
             *re.split(r"[\s.-]+", name.lower())]
    # short words ("se", "Ola") would refuse too many good passwords: zxcvbn still counts them
    refused = [email, *([local] if len(local) >= 3 else []), *(w for w in words if len(w) >= 4)]
    return [w for w in dict.fromkeys(refused) if w], [w for w in dict.fromkeys([email, local, *words]) if w]


def check(password: str, *, email: str, name: str = "", min_score: int = 3, extra_words=()) -> None:
    """Raise WeakPassword unless `password` passes the rule for the agent with this address and name."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("short")
    if len(password) > MAX_LENGTH:
        raise WeakPassword("long")
    refused, hints = _personal_words(email, name)
    if any(w in password.lower() for w in refused):
        raise WeakPassword("personal")
    with _estimating:
        score = zxcvbn.zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=[*hints, *extra_words])["score"]
    if score < min_score:
        raise WeakPassword("guessable")


def generate(check_against: dict | None = None) -> str:
    """A random password to print once (16 URL-safe characters, about 96 bits), drawn again in the
    vanishingly rare case that it happens to break the rule (`check_against`: the keyword arguments of check)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check(password, **(check_against or {"email": ""}))
        except WeakPassword:
            continue
        return password
