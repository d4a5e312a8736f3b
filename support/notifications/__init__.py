"""Notifications to agents: what matters to them, in the app (an unread count) and by mail (one digest).

Above the agent workspace in the import layers: it reads agents (who works which queue and market, and what
they want to hear), tickets and their events, and queues mail in the outbox. Ticket operations never call it:
it listens to the audit events they record (triggers.py), and the worker runs its two jobs (mailing.py, the
gathered mail; breaches.py, the service-level warnings and escalations).
"""
from flask import Flask
from flask_login import current_user

from . import models  # noqa: F401  (register the tables)
from . import breaches, mailing, store, triggers
from .views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    app.extensions["notifications"] = True
    triggers.listen()
    app.extensions.setdefault("worker_jobs", []).extend([breaches.check, mailing.mail_due])
    app.register_blueprint(bp)

    @app.context_processor
    def unread():
        def unread_notifications() -> int:
            return store.unread_count(current_user) if current_user.is_authenticated else 0
        return {"unread_notifications": unread_notifications}
