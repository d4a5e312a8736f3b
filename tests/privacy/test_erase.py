"""Erasure on request: `flask data erase --email` leaves nothing of the person in the database or the upload
store, keeps other customers' tickets whole, and a second run has nothing to do."""
import json

from sqlalchemy import func, select

from support.extensions import db
from support.privacy.models import PrivacyLog
from support.tickets.models import Attachment, Message, Ticket

from .conftest import ANNA, ANNA_NAME, PER, PER_NAME, dump, listing


def test_erase_leaves_nothing_of_her_and_keeps_the_others(app, desk, runner):
    her_files = [n for a in desk.anna_web.attachments + desk.anna_mail.attachments for n in (a.stored_name, a.thumb_name) if n]
    per_files = [n for a in desk.per_web.attachments for n in (a.stored_name, a.thumb_name) if n]
    per_messages = [m.body_text for m in desk.per_web.messages]
    before = dump()
    assert ANNA in before and ANNA_NAME.lower() in before       # the dump does see her (the test can fail)
    assert all((desk.upload_dir / n).is_file() for n in her_files)

    dry = runner.invoke(args=["data", "erase", "--email", ANNA.upper(), "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    planned = json.loads(dry.output)
    assert dump() == before                                     # a dry run changes nothing
    assert sorted(planned["files"]) == sorted(her_files)

    done = runner.invoke(args=["data", "erase", "--email", ANNA, "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == planned                   # removed exactly what the dry run said

    db.session.expire_all()
    after = dump()
    assert ANNA not in after and ANNA_NAME.lower() not in after
    assert "anna" not in after and "lind" not in after          # nor her first name, surname or company
    store = listing(desk.upload_dir)
    assert not any(n in store for n in her_files)
    assert not any("anna" in n for n in store)
    assert all((desk.upload_dir / n).is_file() for n in per_files)
    per = db.session.get(Ticket, desk.per_web.id)
    assert (per.customer_email, per.customer_name) == (PER, PER_NAME)
    assert [m.body_text for m in per.messages] == per_messages and len(per.attachments) == 1
    # her tickets stay, anonymised, for the counts: market, category, status and times
    kept = db.session.get(Ticket, desk.anna_web.id)
    assert kept.category == "damage" and kept.created_at and kept.first_response_at
    assert kept.customer_email.endswith("@erased.invalid") and not kept.messages and not kept.attachments

    log = db.session.scalars(select(PrivacyLog).where(PrivacyLog.action == "erase")).one()
    assert log.counts["files"] == len(her_files) and log.counts["tickets"] == 2 and log.actor == "cli"

    again = runner.invoke(args=["data", "erase", "--email", ANNA])
    assert again.exit_code == 0 and again.output.strip() == "nothing to do"
    assert db.session.scalar(select(func.count()).select_from(PrivacyLog)) == 1


def test_dry_run_lists_every_table(app, desk, runner):
    result = runner.invoke(args=["data", "erase", "--email", ANNA, "--dry-run"])
    assert result.exit_code == 0
    for table in ("tickets:", "messages:", "attachments:", "files:", "inbound_mail:", "outbox_mail:", "events:"):
        assert table in result.output
    assert db.session.scalar(select(func.count()).select_from(Message)) == 4
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 4


def test_not_an_address_is_refused(app, runner):
    result = runner.invoke(args=["data", "erase", "--email", "anna"])
    assert result.exit_code != 0 and "not an e-mail address" in result.output


def test_votes_go_with_the_browsers_visitor_id(app, desk, runner):
    from support.faq import feedback
    from support.faq.models import FaqVote
    feedback.record_vote("cancel-order", "sv", "a" * 32, helpful=True)
    feedback.record_vote("cancel-order", "sv", "b" * 32, helpful=False)
    result = runner.invoke(args=["data", "erase", "--email", ANNA, "--visitor", "a" * 32])
    assert result.exit_code == 0 and "faq_votes: 1" in result.output
    assert db.session.scalars(select(FaqVote.visitor)).all() == ["b" * 32]
