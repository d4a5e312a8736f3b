"""The ticket page and the actions on it; every action is one operation, a stale form is answered with 409."""
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from ..tickets import operations, photos
from ..clock import utcnow
from . import accounts, canned, presence, queues, suggestions, thread
from .forms import _choices, AssignForm, ChangeForm, MergeForm, NoteForm, ReplyForm
from .blueprint import bp


def _ticket(ref: str):
    try:
        return queues.get_ticket(ref, current_user)
    except queues.NotFound:
        abort(404)


def _forms(ticket, **given):
    """The page's forms; those not given are filled from the ticket (and its current version)."""
    v = ticket.version
    forms = {"reply": ReplyForm(formdata=None, version=v), "note": NoteForm(formdata=None, version=v),
             "change": ChangeForm(formdata=None, obj=ticket), "assign": AssignForm(formdata=None, version=v,
                                                                                 assignee=ticket.assignee_id or 0),
             "merge": MergeForm(formdata=None, version=v)}
    forms.update(given)
    forms["change"].queue.choices = _choices("queue", operations.queues())
    forms["assign"].assignee.choices = [SelectChoice(0, _("Nobody"))] + [SelectChoice(a.id, a.name)
                                                                         for a in thread.colleagues(ticket)]
    body = canned.for_ticket(ticket)
    if request.method == "GET" and request.args.get("canned"):
        forms["reply"].body.data = next((text for c, text in body if c.key == request.args["canned"]), None)
    suggested = suggestions.for_ticket(ticket) if ticket.merged_into_id is None else []
    chosen = next((s for s in suggested if s.slug == request.args.get("insert")), None)
    if request.method == "GET" and chosen:          # Insert without JS: the page again with the answer in the reply
        forms["reply"].body.data, forms["reply"].suggestions.data = chosen.text, chosen.slug
    return forms, body, suggested


def _page(ticket, status=200, colleagues=None, **given):
    forms, replies, suggested = _forms(ticket, **given)
    return render_template("agent/ticket.html", ticket=ticket, forms=forms, canned=replies, colleagues=colleagues,
                           suggestions=suggested, view=thread.build(ticket, now=utcnow()), queues=operations.queues(),
                           now=utcnow()), status


@bp.route("/tickets/<ref>")
@login_required
def ticket(ref):
    ticket = _ticket(ref)
    return _page(ticket, colleagues=presence.seen(ticket, current_user, "viewing", now=utcnow()))


@bp.route("/tickets/<ref>/presence", methods=["POST"])
@login_required
def ticket_presence(ref):
    """The page's script: "still here" (and whether typing); answers who else is on the ticket."""
    ticket = _ticket(ref)
    return {"notice": presence.seen(ticket, current_user, request.form.get("state", ""), now=utcnow())}


def _act(ref, form, run, done: str):
    """Validate, run one operation, then back to the ticket; a conflict keeps the agent's text on the page."""
    ticket = _ticket(ref)
    if not form.validate_on_submit():
        flash(_("The form was incomplete: nothing was saved."), "error")
        return _page(ticket, 400, **{form.key: form})
    try:
        run(ticket, form)
    except operations.Conflict:
        flash(_("%(ref)s was changed by someone else while you were working on it, so your change was not saved. "
                "The page now shows the current state; your text is kept below. Check it and save again.",
                ref=ticket.reference), "error")
        form.version.data = ticket.version
        return _page(ticket, 409, **{form.key: form})
    except operations.OperationError as exc:
        flash(str(exc), "error")
        return _page(ticket, 400, **{form.key: form})
    flash(done)
    return redirect(url_for(".ticket", ref=ticket.reference))


def _keyed(form, key):
    form.key = key
    return form


@bp.route("/tickets/<ref>/reply", methods=["POST"])
@login_required
def reply(ref):
    return _act(ref, _keyed(ReplyForm(), "reply"), lambda t, f: operations.reply(
        t, current_user, f.body.data, version=f.version.data, now=utcnow(), status=f.status.data,
        uploads=[photos.Upload.from_storage(s) for s in (f.files.data or []) if getattr(s, "filename", None)],
        suggestions=(f.suggestions.data or "").split()),
        _("Reply queued for sending."))


@bp.route("/tickets/<ref>/note", methods=["POST"])
@login_required
def note(ref):
    return _act(ref, _keyed(NoteForm(), "note"), lambda t, f: operations.add_note(
        t, current_user, f.body.data, version=f.version.data, now=utcnow()), _("Note added."))


@bp.route("/tickets/<ref>/change", methods=["POST"])
@login_required
def change(ref):
    form = _keyed(ChangeForm(), "change")
    form.queue.choices = _choices("queue", operations.queues())
    fields = ("status", "priority", "queue", "category")
    return _act(ref, form, lambda t, f: operations.change(
        t, current_user, {k: getattr(f, k).data for k in fields}, version=f.version.data, now=utcnow()),
        _("Ticket updated."))


@bp.route("/tickets/<ref>/assign", methods=["POST"])
@login_required
def assign(ref):
    form = _keyed(AssignForm(), "assign")
    form.assignee.validate_choice = False          # the operation checks the colleague (active, market)
    if request.form.get("self"):
        form.assignee.data = current_user.id
    def run(t, f):
        assignee = accounts.get(f.assignee.data) if f.assignee.data else None
        if f.assignee.data and assignee is None:
            raise operations.OperationError(_("No such agent."))
        operations.assign(t, current_user, assignee, version=f.version.data, now=utcnow())
    return _act(ref, form, run, _("Assignment saved."))


@bp.route("/tickets/<ref>/merge", methods=["POST"])
@login_required
def merge(ref):
    def run(t, f):
        try:
            target = queues.get_ticket(f.target.data, current_user)
        except queues.NotFound:
            raise operations.OperationError(_("No ticket %(ref)s in your markets.", ref=f.target.data)) from None
        operations.merge(t, target, current_user, version=f.version.data, now=utcnow())
    return _act(ref, _keyed(MergeForm(), "merge"), run, _("Merged."))


@bp.route("/tickets/<ref>/mail/<int:mail_id>.txt")
@login_required
def raw_mail(ref, mail_id):
    raw = thread.raw_mail(_ticket(ref), mail_id)
    if raw is None:
        abort(404)
    # text/plain and an attachment: the original is never rendered as HTML in our origin
    return Response(raw, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="{ref}-mail-{mail_id}.eml.txt"'})


@bp.route("/tickets/<ref>/files/<int:file_id>")
@login_required
def attachment(ref, file_id):
    found = thread.attachment(_ticket(ref), file_id)
    if found is None:
        abort(404)
    return photos.file_response(found, thumb=bool(request.args.get("thumb")),
                                upload_dir=current_app.config["UPLOAD_DIR"])
