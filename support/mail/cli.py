"""Command line: `flask mail ingest|fetch|send` and `flask worker` (polls mailboxes, sends the outbox)."""
from __future__ import annotations

import json
import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import fetch as fetching
from . import sender, worker
from .ingest import Outcome, ingest

log = logging.getLogger(__name__)
mail_cli = AppGroup("mail", help="E-mail intake and the outbox.")
EX_TEMPFAIL = 75           # sendmail's "try again later": a mail server piping into us keeps the message


@mail_cli.command("ingest")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per message.")
@click.option("--mailbox", help="The intake address (default: Delivered-To / X-Original-To / To).")
@click.argument("files", nargs=-1, required=True)
def ingest_command(as_json: bool, mailbox: str | None, files: tuple[str, ...]) -> None:
    """Take RFC 5322 messages from FILEs (`-` for standard input), in order."""
    failed = False
    for name in files:
        outcome = _ingest_file(name, mailbox)
        failed |= outcome.reason is not None and outcome.reason.startswith("internal error")
        if as_json:
            click.echo(json.dumps(outcome.report(name), ensure_ascii=False))
        else:
            click.echo(describe(name, outcome))
    if failed:
        sys.exit(EX_TEMPFAIL)


def _ingest_file(name: str, mailbox: str | None) -> Outcome:
    try:
        if name == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        return Outcome("rejected", f"cannot read {name}: {exc.strerror or exc}")
    try:
        return ingest(raw, mailbox=mailbox)
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others; the raw input stays put
        db.session.rollback()
        log.error("ingesting %s failed: %s: %s", name, type(exc).__name__, exc)
        return Outcome("rejected", f"internal error, try again: {type(exc).__name__}")


def describe(name: str, outcome: Outcome) -> str:
    """One human-readable line per message."""
    where = f" {outcome.ticket}" if outcome.ticket else ""
    what = f" ({outcome.category}, queue {outcome.queue})" if outcome.category else ""
    why = f": {outcome.reason}" if outcome.reason else ""
    return f"{name}: {outcome.action}{where}{what}{why}"


@mail_cli.command("fetch")
@click.option("--limit", type=int, help="At most this many messages per mailbox.")
def fetch_command(limit: int | None) -> None:
    """Fetch unseen mail from the configured IMAP mailboxes."""
    accounts = fetching.accounts()
    if not accounts:
        click.echo("no IMAP mailboxes configured (IMAP_ACCOUNTS, or \"imap\" in MAILBOXES)")
        return
    for account in accounts:
        for outcome in fetching.fetch_account(account, limit=limit):
            click.echo(describe(account.mailbox, outcome))


@mail_cli.command("send")
@click.option("--limit", type=int, default=100, show_default=True)
def send_command(limit: int) -> None:
    """Send the due mail of the outbox once."""
    sender.connect_timeout()
    report = sender.send_due(limit=limit)
    click.echo(f"sent {report.sent}, deferred {report.deferred}, failed {report.failed}")
    if not report.sent and (report.deferred or report.failed):
        # mail was due and none of it went out (SMTP down, every row refused): a cron job or monitor must notice
        sys.exit(EX_TEMPFAIL)


@click.command("worker")
@click.option("--once", is_flag=True, help="One round, then exit.")
@click.option("--interval", type=float, default=None, help="Seconds between rounds (default WORKER_INTERVAL).")
def worker_command(once: bool, interval: float | None) -> None:
    """Poll the mailboxes and send the outbox, forever."""
    try:
        lock = worker.single_worker_lock()
    except worker.WorkerRunning as exc:
        raise click.ClickException(str(exc)) from None
    with lock:
        sender.connect_timeout()
        worker.run(once=once, interval=interval or current_app.config.get("WORKER_INTERVAL", 30))
