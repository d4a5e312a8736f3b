"""The outbox: mail queued in the caller's transaction, sent later by the worker with retries.

It knows nothing of tickets: a caller hands it a thread key (a ticket reference, say) to sign into the
Message-ID, and the id of the row the mail belongs to. Imports run into it, never out of it to tickets or mail.
"""
from . import models  # noqa: F401  (register the table)
from .models import OutboxMail
from .queue import enqueue, sent_ids_in, signed_key

__all__ = ["OutboxMail", "enqueue", "sent_ids_in", "signed_key"]


def init_app(app) -> None:
    """Register `flask worker`; other areas add their periodic jobs to app.extensions["worker_jobs"]."""
    from .cli import worker_command
    app.extensions.setdefault("worker_jobs", [])
    app.cli.add_command(worker_command)
