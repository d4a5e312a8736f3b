"""The agent's notifications: the list (newest first, unread marked), marking them read, and preferences."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import clock
from ..agent import accounts
from ..agent.models import NOTIFY_KINDS
from . import mailing, store

bp = Blueprint("notifications", __name__, url_prefix="/agent/notifications")


@bp.route("/")
@login_required
def index():
    notes = store.latest(current_user)
    return render_template("notifications/list.html", notes=[(n, mailing.line(n)) for n in notes],
                           kinds=NOTIFY_KINDS, queues=current_app.config["QUEUES"])


@bp.route("/<int:note_id>")
@login_required
def open_note(note_id):
    """Follow a notification to its ticket; opening it is reading it, so it no longer counts as unread."""
    note = store.open_one(current_user, note_id, clock.now()) or abort(404)
    return redirect(url_for("agent.ticket", ref=note.ticket.reference))


@bp.route("/read", methods=["POST"])
@login_required
def read():
    ids = [int(i) for i in request.form.getlist("id") if i.isdigit()] or None
    store.mark_read(current_user, clock.now(), ids)
    return redirect(url_for(".index"))


@bp.route("/preferences", methods=["POST"])
@login_required
def preferences():
    try:
        accounts.set_preferences(current_user, queues=request.form.getlist("queue"),
                                 notify=request.form.getlist("notify"), off_hours=bool(request.form.get("off_hours")))
    except accounts.AccountError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Your notification settings are saved."))
    return redirect(url_for(".index"))
