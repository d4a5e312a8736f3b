"""A desk with two customers: Anna Lind (a web damage report with photos, a mailed-in ticket with an attachment,
an agent's reply, a held mail) and Per Berg (a web ticket with a photo), built through the real intake paths."""
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from support.agent import accounts
from support.extensions import db
from support.mail.ingest import ingest
from support.tickets import operations
from support.tickets.models import Ticket
from support.tickets.operations import Draft
from support.tickets.photos import Upload

from ..mail.conftest import build
from ..tickets import images
from ..tickets.conftest import MONDAY_10

ANNA, ANNA_NAME = "anna.lind@kund.se", "Anna Lind"
PER, PER_NAME = "per.berg@exempel.se", "Per Berg"
MAILBOXES = {"help-se@example.com": {"market": "se", "queue": "general"}}


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAILBOXES": MAILBOXES}


@dataclass
class Desk:
    anna_web: Ticket
    anna_mail: Ticket
    per_web: Ticket
    upload_dir: Path


def _web_damage(email, name, photos, now):
    draft = Draft(market="se", language="sv", channel="web", category="damage", subject=f"Skadad skärm, {name}",
                  body=f"Skärmen var sprucken.\nHälsningar {name}", customer_email=email, customer_name=name,
                  company=f"{name.split()[1]} AB", phone="070-123 45 67", customer_number="C-1001",
                  order_numbers="4400125", delivered_at=now - timedelta(hours=2))
    uploads = [Upload(n, images.photo("JPEG", color=c)) for n, c in photos]
    return operations.open_ticket(draft, uploads, now=now)


@pytest.fixture
def desk(app, tmp_path):
    now = MONDAY_10
    anna_web = _web_damage(ANNA, ANNA_NAME, [("anna-skarm.jpg", "red"), ("anna-kartong.jpg", "blue")], now)
    per_web = _web_damage(PER, PER_NAME, [("per.jpg", "yellow")], now)
    raw = build(sender=f"{ANNA_NAME} <{ANNA}>", subject="Faktura saknas",
                body=f"Hej, fakturan för order 4400999 saknas.\n\nMvh {ANNA_NAME}\n070-123 45 67",
                attachments=[("anna-faktura.jpg", images.photo("JPEG", color="white"), "image/jpeg")])
    outcome = ingest(raw, now=now)
    assert outcome.action == "created", outcome
    anna_mail = db.session.scalar(select(Ticket).where(Ticket.reference == outcome.ticket))
    # an out-of-office from her address: held (ignored), linked to no ticket
    auto = build(sender=f"{ANNA_NAME} <{ANNA}>", subject="Frånvaro", body=f"{ANNA_NAME} är ledig.",
                 headers={"Auto-Submitted": "auto-replied"})
    assert ingest(auto, now=now).action == "ignored"
    agent = accounts.create_agent("agent@example.test", "Agent Ek", "correct horse battery", role="admin")
    operations.reply(anna_web, agent, f"Hej {ANNA_NAME}! Vi ersätter skärmen.", version=anna_web.version, now=now)
    return Desk(anna_web, anna_mail, per_web, Path(app.config["UPLOAD_DIR"]))


def dump() -> str:
    """Every row of every table, every column, as text (bytes decoded leniently, JSON as stored), lowercased."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            for value in row:
                if isinstance(value, bytes):
                    value = value.decode("utf-8", "replace") + value.decode("latin-1")
                parts.append(str(value))
    return "\n".join(parts).lower()


def listing(upload_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*")) if upload_dir.exists() else []
