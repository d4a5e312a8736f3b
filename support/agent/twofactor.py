"""Two-factor sign-in: codes from an authenticator app (TOTP, RFC 6238, via pyotp), enrolment by QR code
(segno, as an inline SVG data: URI: the CSP allows data: images and nothing is fetched from elsewhere), and
single-use recovery codes.

Who must use it is configuration (TWO_FACTOR_REQUIRED: "admins", "everyone" or "off"); anyone may enrol.
A code is accepted for its own 30-second step and one step either side (clock drift), and only for a step
later than the last one accepted for that agent, so an overheard code cannot be used again.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..clock import as_utc
from . import throttle
from .models import Agent, RecoveryCode, SecondFactor

POLICIES = ("admins", "everyone", "off")
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"     # Crockford's base32: no i, l, o or u to misread
RECOVERY_LENGTH = 16                                        # 80 random bits
_MISREAD = str.maketrans({"i": "1", "l": "1", "o": "0"})


class CodeRefused(Exception):
    """A second-factor code that is not accepted: "invalid", "reused", or "wait" (`seconds` to wait)."""

    def __init__(self, reason: str, seconds: int = 0):
        super().__init__(reason)
        self.reason, self.seconds = reason, seconds


def required_for(agent: Agent) -> bool:
    """Whether this agent must have a second factor, by TWO_FACTOR_REQUIRED."""
    policy = current_app.config["TWO_FACTOR_REQUIRED"]
    return policy == "everyone" or (policy == "admins" and agent.is_admin)


def factor(agent: Agent) -> SecondFactor | None:
    return db.session.get(SecondFactor, agent.id)


def enrolled(agent: Agent) -> bool:
    """Whether the agent has a confirmed authenticator."""
    row = factor(agent)
    return row is not None and row.confirmed_at is not None


def must_enrol(agent: Agent) -> bool:
    return required_for(agent) and not enrolled(agent)


# --- enrolment ---

def start_enrolment(agent: Agent, *, now: datetime) -> SecondFactor:
    """The agent's unconfirmed secret, made now unless one is waiting (a reload shows the same QR code)."""
    row = factor(agent)
    if row is not None and row.confirmed_at is not None:
        raise ValueError(f"{agent.email} is already enrolled")
    if row is None:
        row = SecondFactor(agent_id=agent.id, secret=pyotp.random_base32(), created_at=now)
        db.session.add(row)
        db.session.commit()
    return row


def provisioning_uri(agent: Agent, row: SecondFactor) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(row.secret).provisioning_uri(name=agent.email,
                                                   issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data: URI, for an <img> (no script, no request elsewhere)."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=4)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(agent: Agent, code: str, *, now: datetime) -> list[str]:
    """Accept the first code from the app, confirm the secret, and return fresh recovery codes (shown once).
    One commit; raises CodeRefused("invalid")."""
    row = factor(agent)
    step = _matching_step(row.secret, code, now) if row is not None and row.confirmed_at is None else None
    if step is None:
        raise CodeRefused("invalid")
    row.confirmed_at, row.last_step = now, step
    return _replace_recovery_codes(agent)


def enrol(agent: Agent, *, now: datetime) -> tuple[str, list[str]]:
    """A new secret confirmed at once, without a code from an app: for the demo seed, which prints the key.
    Returns the key (grouped) and fresh recovery codes; replaces any earlier second factor."""
    reset(agent)
    row = SecondFactor(agent_id=agent.id, secret=pyotp.random_base32(), created_at=now, confirmed_at=now)
    db.session.add(row)
    return grouped(row.secret), _replace_recovery_codes(agent)


# --- the second step of signing in ---

def verify(agent: Agent, code: str, *, client: str | None, now: datetime) -> int | None:
    """The second step: an app code or a recovery code. Failures count with the password's (per client and
    address, support/agent/throttle.py). Returns None for an app code, else the recovery codes left.
    One commit; raises CodeRefused."""
    seconds = throttle.wait(client, agent.email, now=now)
    if seconds:
        raise CodeRefused("wait", seconds)
    try:
        left = _use_code(agent, code, now=now)
    except CodeRefused:
        throttle.record_failure(client, agent.email, now=now)
        db.session.commit()
        raise
    throttle.forget(client, agent.email)
    db.session.commit()
    return left


def _use_code(agent: Agent, code: str, *, now: datetime) -> int | None:
    row = factor(agent)
    if row is None or row.confirmed_at is None:
        raise CodeRefused("invalid")
    digits = re.sub(r"\s", "", code)
    if re.fullmatch(r"\d{6}", digits):
        _use_app_code(row, digits, now)
        return None
    recovery = db.session.scalar(select(RecoveryCode).where(RecoveryCode.agent_id == agent.id,
                                                            RecoveryCode.code_hash == _hash(code),
                                                            RecoveryCode.used_at.is_(None)))
    if recovery is None:
        raise CodeRefused("invalid")
    recovery.used_at = now
    return recovery_codes_left(agent)


def _use_app_code(row: SecondFactor, code: str, now: datetime) -> None:
    step = _matching_step(row.secret, code, now)
    if step is None:
        raise CodeRefused("invalid")
    if row.last_step is not None and step <= row.last_step:
        raise CodeRefused("reused")
    row.last_step = step


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time-step (around `now`) whose code this is, or None."""
    code = re.sub(r"\s", "", code or "")
    totp = pyotp.TOTP(secret)
    current = int(as_utc(now).timestamp()) // totp.interval
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


# --- recovery codes ---

def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").lower()).translate(_MISREAD)


def _hash(code: str) -> str:
    # 80 random bits need no slow hash: a fast one cannot be searched through either
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _replace_recovery_codes(agent: Agent) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.agent_id == agent.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(agent_id=agent.id, code_hash=_hash(c)) for c in codes)
    db.session.commit()
    return ["-".join(c[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4)) for c in codes]


def new_recovery_codes(agent: Agent, code: str, *, now: datetime) -> list[str]:
    """Replace the recovery codes, given a current app code; one commit; raises CodeRefused."""
    row = factor(agent)
    if row is None or row.confirmed_at is None:
        raise CodeRefused("invalid")
    _use_app_code(row, re.sub(r"\s", "", code or ""), now)
    return _replace_recovery_codes(agent)


def recovery_codes_left(agent: Agent) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.agent_id == agent.id, RecoveryCode.used_at.is_(None)))


def reset(agent: Agent) -> bool:
    """Remove the agent's second factor and recovery codes (a lost phone); False if there was none.
    The agent enrols again at the next sign-in when it is required. One commit."""
    had = factor(agent) is not None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.agent_id == agent.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.agent_id == agent.id))
    db.session.commit()
    return had
