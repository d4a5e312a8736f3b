"""Held mail in the workspace: the list (with its count in the navigation), a safe preview, the raw .eml, and
the three actions: make a ticket, dismiss, never hold this sender's mail again."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..clock import now
from ..mail import held, ingest, parse
from .blueprint import bp


def _row(mail_id: int):
    return held.get(current_user, mail_id) if mail_id < 2**62 else None


@bp.route("/held")
@login_required
def held_list():
    before = request.args.get("before", type=int)
    return render_template("agent/held.html", rows=held.held_mail(current_user, before=before), market_of=held.market_of)


@bp.route("/held/<int:mail_id>")
@login_required
def held_mail(mail_id):
    row = _row(mail_id) or abort(404)
    try:
        mail = parse.parse(row.raw)
    except parse.MalformedMail:
        mail = None                       # shown by its stored fields and the raw download only
    return render_template("agent/held_mail.html", row=row, mail=mail, market=held.market_of(row))


@bp.route("/held/<int:mail_id>.eml")
@login_required
def held_raw(mail_id):
    row = _row(mail_id) or abort(404)
    # an attachment of type text/plain: the original is never rendered as HTML in our origin
    return Response(row.raw, mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="held-mail-{row.id}.eml"'})


@bp.route("/held/<int:mail_id>/<action>", methods=["POST"])
@login_required
def held_action(mail_id, action):
    row = _row(mail_id) or abort(404)
    try:
        if action == "release":
            outcome = ingest.release(row, current_user, now=now())
            flash(_("The mail is on ticket %(ref)s now.", ref=outcome.ticket))
            return redirect(url_for(".ticket", ref=outcome.ticket))
        if action == "dismiss":
            held.dismiss(row, current_user, now=now())
            flash(_("Dismissed."))
        elif action == "allow":
            address = held.allow_sender(row, current_user)
            flash(_("Mail from %(address)s is no longer held for its headers.", address=address))
        else:
            abort(404)
    except held.ReviewRefused as exc:
        flash(_("That cannot be done: %(reason)s.", reason=str(exc)), "error")
        return redirect(url_for(".held_mail", mail_id=mail_id))
    return redirect(url_for(".held_list"))
