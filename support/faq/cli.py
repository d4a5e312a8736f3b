"""`flask faq check`: validate the FAQ content file and report every problem with its file and line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import ScriptInfo

from support.faq.catalog import ContentError, load
from support.markets import LANGUAGES


@click.command("check")
@click.option("--path", type=click.Path(dir_okay=False), default=None,
              help="FAQ file to check (default: the app's FAQ_PATH).")
def check(path: str | None) -> None:
    """Validate the FAQ content; exit 1 and list the problems on stderr when it is invalid."""
    if path is None:
        # `flask` pushes an app context; a bare runner (or add_command on a plain group) may not: load the app then.
        app = current_app._get_current_object() if current_app else click.get_current_context().ensure_object(
            ScriptInfo).load_app()
        path = app.config["FAQ_PATH"]
    try:
        catalog = load(path)
    except ContentError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"OK: {len(catalog.entries)} entries in {len(LANGUAGES)} languages")
