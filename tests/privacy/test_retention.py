"""Retention: with the clock moved past the periods, `flask data purge` removes exactly the files and rows its
dry run reported; each run leaves an audit row with counts; the worker's job runs at most once a day."""
import json
from datetime import timedelta

from sqlalchemy import func, select

from support.extensions import db
from support.faq.models import FaqVote
from support.mail.models import InboundMail
from support.outbox.models import OutboxMail
from support.privacy import retention
from support.privacy.models import PrivacyLog
from support.tickets import operations
from support.tickets.models import Attachment, Event, Message, Ticket

from ..tickets.conftest import MONDAY_10
from .conftest import ANNA, PER, listing

DELETED = {"messages": Message, "attachments": Attachment, "inbound_mail": InboundMail, "outbox_mail": OutboxMail,
           "faq_votes": FaqVote}


def _ids():
    return {name: set(db.session.scalars(select(model.id))) for name, model in DELETED.items()}


def _purge(runner, app, at, *, dry_run):
    app.config["FROZEN_NOW"] = at.isoformat()
    result = runner.invoke(args=["data", "purge", "--json", *(["--dry-run"] if dry_run else [])])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_purge_removes_exactly_what_the_dry_run_reported(app, desk, runner):
    from support.agent.models import Agent
    agent = db.session.scalars(select(Agent)).one()
    operations.change(desk.anna_web, agent, {"status": "resolved"}, version=desk.anna_web.version,
                      now=MONDAY_10 + timedelta(hours=1))
    resolved = db.session.get(Ticket, desk.anna_web.id).resolved_at
    latest = max(resolved, db.session.scalar(select(func.max(InboundMail.received_at))))
    policy = app.config["RETENTION"]["se"]

    # past the file and unlinked-mail periods, not the identity one
    at = latest + timedelta(days=policy["files_days"] + 1)
    files_before, ids_before = listing(desk.upload_dir), _ids()
    planned = _purge(runner, app, at, dry_run=True)
    assert listing(desk.upload_dir) == files_before and _ids() == ids_before       # the dry run changed nothing
    her_web_files = {n for a in desk.anna_web.attachments for n in (a.stored_name, a.thumb_name) if n}
    assert set(planned["files"]) == her_web_files and planned["tickets"] == []
    assert len(planned["inbound_mail"]) == 1                                        # her held out-of-office

    assert _purge(runner, app, at, dry_run=False) == planned
    db.session.expire_all()
    gone_files = set(files_before) - set(listing(desk.upload_dir))
    assert {f for f in gone_files if "." in f} == set(planned["files"])             # folders aside: exactly those
    ids_after = _ids()
    for name in DELETED:
        assert ids_before[name] - ids_after[name] == set(planned[name]), name
    anna = db.session.get(Ticket, desk.anna_web.id)
    assert anna.customer_email == ANNA and anna.messages                           # identity kept for now

    # past the identity period: the closed ticket is anonymised, the open ones are untouched
    later = latest + timedelta(days=policy["identity_days"] + 1)
    ids_before = _ids()
    planned = _purge(runner, app, later, dry_run=True)
    assert planned["tickets"] == [desk.anna_web.id] and planned["files"] == []
    assert _purge(runner, app, later, dry_run=False) == planned
    db.session.expire_all()
    ids_after = _ids()
    for name in DELETED:
        assert ids_before[name] - ids_after[name] == set(planned[name]), name
    anna = db.session.get(Ticket, desk.anna_web.id)
    assert anna.customer_email.endswith("@erased.invalid") and anna.customer_name is None and not anna.messages
    assert anna.resolved_at == resolved and anna.first_response_at is not None    # the figures keep their input
    assert all(e.data == {} for e in db.session.scalars(select(Event).where(Event.ticket_id == anna.id)))
    assert db.session.get(Ticket, desk.per_web.id).customer_email == PER
    assert db.session.get(Ticket, desk.anna_mail.id).customer_email == ANNA        # still open

    logs = db.session.scalars(select(PrivacyLog).where(PrivacyLog.action == "purge")).all()
    assert len(logs) == 2 and all(log.actor == "cli" for log in logs)
    assert logs[1].counts["tickets"] == 1 and ANNA not in json.dumps(logs[1].ids)
    assert _purge(runner, app, later, dry_run=True) == {k: [] for k in planned}     # nothing left to do


def test_every_run_leaves_a_record_and_the_worker_runs_daily(app, desk):
    start = db.session.scalar(select(func.max(InboundMail.received_at)))
    app.config["FROZEN_NOW"] = start.isoformat() + "+00:00"
    retention.daily_purge()
    retention.daily_purge()                      # the same day: not again
    assert db.session.scalar(select(func.count()).select_from(PrivacyLog)) == 1
    app.config["FROZEN_NOW"] = (start + timedelta(days=1, minutes=1)).isoformat() + "+00:00"
    retention.daily_purge()
    logs = db.session.scalars(select(PrivacyLog).order_by(PrivacyLog.id)).all()
    assert [log.actor for log in logs] == ["worker", "worker"] and logs[0].counts["tickets"] == 0
    assert retention.daily_purge in app.extensions["worker_jobs"]
