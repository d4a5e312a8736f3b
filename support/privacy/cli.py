"""`flask data erase|export|purge`: a person's data erased or exported on request, and retention applied."""
from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from .. import clock
from . import erase as erasing, export as exporting, retention
from .removal import Removal

data_cli = AppGroup("data", help="Customers' data: erasure and export on request, retention.")


def describe(removal: Removal, *, done: bool) -> str:
    """One line per table with something in it, or "nothing to do"."""
    if removal.empty:
        return "nothing to do"
    verb = "removed" if done else "would remove"
    lines = [f"{verb}:"]
    for table, ids in removal.ids().items():
        if ids:
            shown = ", ".join(str(i) for i in ids[:20]) + (" ..." if len(ids) > 20 else "")
            lines.append(f"  {table}: {len(ids)} ({shown})")
    return "\n".join(lines)


@data_cli.command("erase")
@click.option("--email", required=True, help="The customer's e-mail address.")
@click.option("--visitor", help="Also the FAQ votes of this browser (the value of its `visitor` cookie).")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the row ids and files as JSON.")
def erase_command(email: str, visitor: str | None, dry_run: bool, as_json: bool) -> None:
    """Erase everything stored of a customer's e-mail address (tickets are anonymised, kept for the figures)."""
    try:
        removal = (erasing.plan(email, visitor=visitor) if dry_run
                   else erasing.erase(email, actor="cli", visitor=visitor)[0])
    except erasing.ErasureError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(removal.ids()) if as_json else describe(removal, done=not dry_run))


@data_cli.command("export")
@click.option("--email", required=True, help="The customer's e-mail address.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="The ZIP to write.")
def export_command(email: str, out: str) -> None:
    """Write a ZIP of a customer's tickets, messages (JSON), files and raw mails."""
    try:
        content, counts = exporting.build(email, actor="cli")
    except erasing.ErasureError as exc:
        raise click.ClickException(str(exc)) from None
    with open(out, "wb") as handle:
        handle.write(content)
    click.echo(f"wrote {out}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@data_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Show what retention would remove now; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the row ids and files as JSON.")
def purge_command(dry_run: bool, as_json: bool) -> None:
    """Apply the retention periods (RETENTION) now: files, raw mail, identities, unlinked mail."""
    now = clock.now()
    removal = retention.plan(now) if dry_run else retention.purge(now, actor="cli")[0]
    click.echo(json.dumps(removal.ids()) if as_json else describe(removal, done=not dry_run))
