"""Display names of statuses, priorities, categories and views, translated once per request (a queue page
shows hundreds; one gettext call per cell was the slowest part of rendering it)."""
from flask import g
from flask_babel import lazy_gettext as _l

NAMES = {
    "status": {"new": _l("New"), "open": _l("Open"), "pending": _l("Waiting for customer"),
               "resolved": _l("Resolved"), "closed": _l("Closed")},
    "priority": {"urgent": _l("Urgent"), "high": _l("High"), "normal": _l("Normal"), "low": _l("Low")},
    "category": {"cancellation": _l("Cancellation"), "damage": _l("Damage"), "stuck-order": _l("Stuck order"),
                 "other": _l("Other")},
    # the queues of the default routing rules; a queue added by configuration shows its key
    "queue": {"cancellations": _l("Cancellations"), "damage": _l("Transport damage"),
              "order-status": _l("Order status"), "general": _l("General")},
    "view": {"all": _l("All open"), "mine": _l("Mine"), "unassigned": _l("Unassigned"), "overdue": _l("Overdue"),
             "due_soon": _l("Due soon"), "waiting": _l("Waiting for customer")},
    "target": {"first": _l("First response"), "next": _l("Next response"), "resolution": _l("Resolution")},
}


def label(kind: str, value: str) -> str:
    """The display name of a value in the request's language (the value itself when unknown)."""
    table = g.get("agent_labels")
    if table is None:
        table = g.agent_labels = {k: {v: str(name) for v, name in names.items()} for k, names in NAMES.items()}
    return table.get(kind, {}).get(value, value)
