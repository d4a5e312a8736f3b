"""Helpers for tests on real mail: the corpora, and every ticket's pages fetched by an agent and its customer."""
import os
from pathlib import Path

from sqlalchemy import select

from support.agent import accounts
from support.extensions import db
from support.tickets import links
from support.tickets.models import Ticket

CORPUS = Path(__file__).resolve().parent.parent / "data" / "mail-corpus"
PASSWORD = "correct horse battery"


def real_world_corpus() -> list[Path]:
    """The test mail of other e-mail projects (tests/data/mail-corpus/<project>/, licence and source beside)."""
    return sorted(CORPUS.rglob("*.eml"))


def cpython_corpus() -> list[Path]:
    import test.test_email
    return sorted((Path(os.path.dirname(test.test_email.__file__)) / "data").glob("msg_*.txt"))


def page_failures(client) -> list[str]:
    """Every ticket's agent page and customer status page that does not answer 200, as 'REF page: status'."""
    agent = accounts.create_agent("granskare@example.test", "Granskare", PASSWORD, role="admin")
    assert client.post("/agent/login", data={"email": agent.email, "password": PASSWORD}).status_code == 302
    failures = []
    for ticket in db.session.scalars(select(Ticket)):
        pages = {"agent": f"/agent/tickets/{ticket.reference}",
                 "status": f"/{ticket.language}/ticket/{ticket.reference}?key={links.status_key(ticket)}"}
        for name, url in pages.items():
            status = client.get(url).status_code
            if status != 200:
                failures.append(f"{ticket.reference} {name}: {status}")
    return failures
