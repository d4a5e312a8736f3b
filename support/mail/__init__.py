"""E-mail in: mailboxes to tickets (parse, loop guard, threading), fetched over IMAP or piped in."""
from flask import Flask

from . import models  # noqa: F401  (register the tables)


def init_app(app: Flask) -> None:
    """Register `flask mail ...`, and fetching the mailboxes as a job of `flask worker`."""
    from . import fetch
    from .cli import mail_cli
    app.cli.add_command(mail_cli)
    app.extensions.setdefault("worker_jobs", []).append(fetch.fetch_all)
