"""Real-world mail in one batch through `flask mail ingest --json`: no temporary failure, nothing lost, no ticket
from a machine, nothing twice, and every ticket made shows on the agent's page and the customer's status page.

The corpora are other e-mail projects' own test mail (tests/data/mail-corpus/, with their licences and sources)
and CPython's (test/test_email/data). Without CPython's this test fails rather than skips.
"""
import hashlib
import json

from sqlalchemy import select

from support.extensions import db
from support.mail import parse
from support.mail.models import InboundMail
from support.tickets.models import Ticket

from .real_world import cpython_corpus, page_failures, real_world_corpus

# the automated mail among them (delivery reports, auto-replies, junk and list mail), read by hand from each file
AUTOMATED = {
    "mikel-mail/multipart_report_emails/multi_address_bounce1.eml": "bounce",
    "mikel-mail/multipart_report_emails/multi_address_bounce2.eml": "bounce",
    "mikel-mail/multipart_report_emails/multipart_report_multiple_status.eml": "bounce",
    "mikel-mail/multipart_report_emails/report_422.eml": "bounce",
    "mikel-mail/multipart_report_emails/report_530.eml": "bounce",
    "mikel-mail/mime_emails/raw_email_with_mimepart_without_content_type.eml": "bounce (Auto-Submitted)",
    "mikel-mail/error_emails/bad_date_header.eml": "Precedence: junk",
    "nodemailer-mailparser/delivery-status.eml": "bounce",
    "php-mime-mail-parser/failure.eml": "bounce", "php-mime-mail-parser/m0009.eml": "noreply@ payment notice",
    "php-mime-mail-parser/m0015.eml": "list mail (List-Unsubscribe)",
    "enmime/mail-multipart-wo-boundary.eml": "bounce (Mailer-Daemon)",
    "mimekit/bounce.eml": "bounce", "mimekit/feedback-report.eml": "abuse feedback report (ARF)",
    "mimekit/disposition-notification.eml": "read receipt", "mimekit/delivery-status-no-blank-line.eml": "bounce",
    "msg_05.txt": "bounce", "msg_16.txt": "bounce", "msg_25.txt": "bounce", "msg_43.txt": "bounce",
    "msg_32.txt": "Precedence: bulk", "msg_33.txt": "Precedence: bulk",
}


def ingest_batch(runner, files) -> tuple[int, list[dict]]:
    result = runner.invoke(args=["mail", "ingest", "--json", "--mailbox", "help-se@example.com",
                                 *map(str, files)])
    return result.exit_code, [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def name_of(path) -> str:
    return path.name if path.name.startswith("msg_") else str(path.relative_to(path.parents[-1])).split(
        "mail-corpus/", 1)[-1]


def test_real_world_mail_in_one_batch(app, runner, client):
    ours, cpython = real_world_corpus(), cpython_corpus()
    assert len(ours) >= 100 and len(cpython) >= 40, "a corpus is missing"
    files = ours + cpython
    status, outcomes = ingest_batch(runner, files)
    assert status == 0 and len(outcomes) == len(files)
    assert not [o for o in outcomes if o["action"] not in ("created", "appended", "ignored", "rejected")]
    assert not [o for o in outcomes if o["action"] != "created" and not o["reason"]], "an outcome without a reason"

    # each message's raw bytes are stored, or it is a repeat (other line endings or relay headers) of one that is
    rows = db.session.scalars(select(InboundMail)).all()
    raws, digests = {row.sha256: row.raw for row in rows}, {row.content_sha256 for row in rows}
    lost = [name_of(p) for p, o in zip(files, outcomes)
            if raws.get(hashlib.sha256(p.read_bytes()).hexdigest()) != p.read_bytes()
            and not (o["reason"] == "already received" and parse.parse(p.read_bytes()).content_sha256 in digests)]
    assert not lost, f"raw bytes not stored: {lost}"

    by_name = {name_of(p): o for p, o in zip(files, outcomes)}
    assert set(AUTOMATED) <= set(by_name)
    made = {n: o["ticket"] for n, o in by_name.items() if n in AUTOMATED and o["action"] in ("created", "appended")}
    assert not made, f"automated mail made or joined a ticket: {made}"

    created = sum(o["action"] == "created" for o in outcomes)
    assert created >= 0.7 * len(files) and db.session.query(Ticket).count() == created

    status, again = ingest_batch(runner, files)
    assert status == 0 and not [o for o in again if o["action"] in ("created", "appended")], "a second delivery"
    assert db.session.query(Ticket).count() == created

    assert page_failures(client) == []
