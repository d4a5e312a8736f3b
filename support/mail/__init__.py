"""E-mail in and out: intake of inbound mail, the durable outbox and its sender."""
from flask import Flask

from . import models  # noqa: F401  (register the tables)


def init_app(app: Flask) -> None:
    """Register `flask mail ...` and `flask worker`."""
    from .cli import mail_cli, worker_command
    app.cli.add_command(mail_cli)
    app.cli.add_command(worker_command)
