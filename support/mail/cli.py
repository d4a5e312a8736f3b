"""Command line: `flask mail ingest|fetch|send`."""
from __future__ import annotations

import json
import logging
import sys

import click
from flask.cli import AppGroup

from . import fetch as fetching
from ..outbox import sender
from .failures import TemporaryFailure, ingest_or_keep
from .ingest import Outcome

log = logging.getLogger(__name__)
mail_cli = AppGroup("mail", help="E-mail intake and the outbox.")
EX_TEMPFAIL = 75           # sendmail's "try again later": a mail server piping into us keeps the message
TRY_AGAIN = "temporary failure, try again"     # the reason's prefix when the exit status is EX_TEMPFAIL


@mail_cli.command("ingest")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per message.")
@click.option("--mailbox", help="The intake address (default: Delivered-To / X-Original-To / To).")
@click.argument("files", nargs=-1, required=True)
def ingest_command(as_json: bool, mailbox: str | None, files: tuple[str, ...]) -> None:
    """Take RFC 5322 messages from FILEs (`-` for standard input), in order."""
    failed = False
    for name in files:
        outcome = _ingest_file(name, mailbox)
        failed |= outcome.reason is not None and outcome.reason.startswith(TRY_AGAIN)
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
        return ingest_or_keep(raw, mailbox=mailbox)
    except TemporaryFailure as exc:   # the database or disk is away: the mail server keeps the message and retries
        log.error("ingesting %s failed, to be retried: %s", name, exc)
        return Outcome("rejected", f"{TRY_AGAIN}: {exc}")


def describe(name: str, outcome: Outcome) -> str:
    """One human-readable line per message."""
    where = f" {outcome.ticket}" if outcome.ticket else ""
    what = f" ({outcome.category}, queue {outcome.queue})" if outcome.category else ""
    why = f": {outcome.reason}" if outcome.reason else ""
    return f"{name}: {outcome.action}{where}{what}{why}"


@mail_cli.command("fetch")
@click.option("--limit", type=int, help="At most this many messages per mailbox (and process).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes fetching at once, each a share of every mailbox's messages (PostgreSQL, or a "
                   "SQLite file: one writer at a time there, so more processes gain nothing).")
def fetch_command(limit: int | None, workers: int) -> None:
    """Fetch unseen mail from the configured IMAP mailboxes."""
    accounts = fetching.accounts()
    if not accounts:
        click.echo("no IMAP mailboxes configured (IMAP_ACCOUNTS, or \"imap\" in MAILBOXES)")
        return
    if workers > 1:
        try:
            pairs = fetching.fetch_in_processes(workers, limit=limit)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        for mailbox, outcome in pairs:
            click.echo(describe(mailbox, outcome))
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
