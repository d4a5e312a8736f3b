"""Customer request pages: contact, one form per kind, the receipt, the status page and its files."""
from datetime import UTC, datetime, timedelta

import click
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import RequestEntityTooLarge, ServiceUnavailable

from ..extensions import limiter
from ..i18n import current_market
from ..markets import LANGUAGES
from . import answers, form_pages, links, operations, photos, presenting, readback, sweep
from .forms import FORMS, KINDS, MessageForm, SolvedForm
from .. import clock, web

bp = Blueprint("tickets", __name__)


def _submission_limit() -> str:
    return current_app.config["REQUEST_RATE_LIMIT"]


def _now() -> datetime:
    return clock.now()


@bp.url_value_preprocessor
def check_language(endpoint, values):
    if values and "lang" in values and values["lang"] not in LANGUAGES:
        abort(404)


@bp.route("/<lang>/contact/")
def contact(lang):
    return render_template("tickets/contact.html", kinds=KINDS)


@bp.route("/<lang>/contact/<kind>", methods=["GET", "POST"])
@limiter.limit(_submission_limit, methods=["POST"])
def request_form(lang, kind):
    form_class = FORMS.get(kind) or abort(404)
    if request.method == "GET":          # as first shown: rendered once, the token and badges filled in
        market = current_market()
        cutoffs = _cutoffs(kind, market)
        return form_pages.blank(kind, lambda: form_class(market=market, language=lang), variant=tuple(cutoffs),
                                **_form_context(cutoffs))
    form = form_class(market=current_market(), language=lang)
    if form.validate_on_submit():
        try:
            with readback.kept():           # the receipt's link reads the new ticket without reloading it
                ticket = operations.open_ticket(form.draft(), form.uploads(), now=_now())
                receipt = url_for(".received", lang=lang, ref=ticket.reference, key=links.status_key(ticket))
        except photos.PhotoRejected as refused:
            form.photos.errors = [r.message for r in refused.rejections]
        else:
            return redirect(receipt)
    return _render_form(kind, form), 422


def _render_form(kind, form, too_large=False, busy=False):
    market = form.market.data if form.market.data in current_app.extensions["markets"] else current_market()
    return render_template("tickets/form.html", form=form, kind=kind, too_large=too_large, busy=busy,
                           **_form_context(_cutoffs(kind, market)))


def _cutoffs(kind: str, market: str) -> list[str]:
    return presenting.cutoff_notes(current_app.extensions["markets"][market], _now()) if kind == "cancellation" else []


def _form_context(cutoffs: list[str]) -> dict:
    return {"cutoffs": cutoffs, "max_mb": current_app.config["PHOTO_MAX_BYTES"] // (1024 * 1024)}


@bp.route("/<lang>/ticket/<ref>/received")
def received(lang, ref):
    ticket = links.ticket_for_customer(ref, request.args.get("key")) or abort(404)
    market = current_app.extensions["markets"][ticket.market]
    return render_template("tickets/received.html", ticket=ticket, key=request.args["key"],
                           steps=presenting.next_steps(ticket, market, _now()))


@bp.route("/<lang>/ticket/<ref>", methods=["GET", "POST"])
@limiter.limit(_submission_limit, methods=["POST"])
def status(lang, ref):
    key = request.args.get("key")
    ticket = links.ticket_for_customer(ref, key) or abort(404)
    if ticket.merged_into_id:            # its thread lives on another request now, which this link does not open
        return render_template("tickets/merged.html", ticket=ticket), 409 if request.method == "POST" else 200
    form = MessageForm()
    if form.validate_on_submit():
        try:
            operations.add_customer_message(ticket, form.body.data or "", form.uploads(), now=_now(),
                                        sender=ticket.customer_email)
        except photos.PhotoRejected as refused:
            form.photos.errors = [r.message for r in refused.rejections]
        else:
            return redirect(url_for(".status", lang=lang, ref=ref, key=key, sent=1, _anchor="thread"))
    code = 422 if form.errors or form.photos.errors else 200
    return render_template("tickets/status.html", ticket=ticket, key=key, form=form), code


@bp.route("/<lang>/ticket/<ref>/solved", methods=["GET", "POST"])
@limiter.limit(_submission_limit, methods=["POST"])
def solved(lang, ref):
    """The acknowledgement's "this solved it" link: GET asks (mail scanners open links), POST closes."""
    token = request.args.get("token")
    try:
        ticket, slug = answers.claimed_ticket(ref, token, _now())
    except answers.ExpiredToken:
        return render_template("tickets/solved.html", state="expired"), 410
    except answers.BadToken:
        return render_template("tickets/solved.html", state="invalid"), 404
    if ticket.status in ("resolved", "closed"):
        return render_template("tickets/solved.html", ticket=ticket, state="done" if request.args.get("done")
                               else "closed")
    form = SolvedForm()
    if form.validate_on_submit():
        try:
            operations.resolve_by_answer(ticket, slug, now=_now())
        except operations.Conflict:         # an agent changed it meanwhile: the page shows how it stands now
            pass
        return redirect(url_for(".solved", lang=lang, ref=ref, token=token, done=1))
    return render_template("tickets/solved.html", ticket=ticket, state="ask", form=form,
                           question=answers.entry_question(slug, lang), entry_url=answers.entry_url(ticket, slug, lang))


@bp.route("/ticket/<ref>/files/<int:attachment_id>")
def attachment(ref, attachment_id):
    ticket = links.ticket_by_reference(ref) or abort(404)
    if not (links.key_matches(ticket, request.args.get("key")) or links.agent_may_see(current_user, ticket)):
        abort(404)
    item = links.attachment_of(ticket, attachment_id) or abort(404)
    return photos.file_response(item, thumb=request.args.get("thumb") == "1",
                                upload_dir=current_app.config["UPLOAD_DIR"])


@bp.route("/api/tickets/deflected", methods=["POST"])
@limiter.limit(_submission_limit)
def deflected():
    from ..faq import feedback
    data = request.get_json(silent=True)
    if not isinstance(data, dict):          # a list, number or string is valid JSON but not our object
        data = {}
    lang, slug, query = data.get("lang"), data.get("slug"), str(data.get("query") or "")[:200]
    if lang not in LANGUAGES or not isinstance(slug, str) or slug not in current_app.extensions["faq"].entries:
        return {"error": "unknown lang or slug"}, 400
    feedback.record_signal("deflected", query, lang, slug)
    return "", 204


@bp.errorhandler(OperationalError)
def database_busy(exc):
    """The database is locked past its busy timeout (or briefly away): the form again as typed, with "please try
    again", and 503, instead of a bare 500 that loses what the customer wrote. Photos cannot be kept: a browser
    never lets a page fill in a file input, so the notice asks for them again."""
    web.forget_failed_transaction(exc)
    view_args = request.view_args or {}
    kind = view_args.get("kind")
    if request.endpoint == "tickets.request_form" and kind in FORMS:
        form = FORMS[kind](market=current_market(), language=view_args.get("lang"))   # filled from request.form
        return _render_form(kind, form, busy=True), 503
    if request.endpoint == "tickets.status":
        try:
            ticket = links.ticket_for_customer(view_args.get("ref"), request.args.get("key"))
        except OperationalError as again:
            web.forget_failed_transaction(again)
            ticket = None
        if ticket is not None:
            return render_template("tickets/status.html", ticket=ticket, key=request.args.get("key"),
                                   form=MessageForm(), busy=True), 503
    return render_template("error.html", error=ServiceUnavailable()), 503


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    """An oversized upload re-renders its form with a message, in the visitor's language (never a bare 413)."""
    kind = (request.view_args or {}).get("kind")
    if request.endpoint == "tickets.request_form" and kind in FORMS:
        form = FORMS[kind](formdata=None, market=current_market(), language=(request.view_args or {}).get("lang"))
        return _render_form(kind, form, too_large=True), 413
    return render_template("error.html", error=exc), 413


@bp.cli.command("sweep-files")
@click.option("--dry-run", is_flag=True, help="Only list the orphan files.")
@click.option("--min-age-minutes", type=int, default=60, show_default=True,
              help="Leave files younger than this (a request may still be writing them).")
def sweep_files_command(dry_run: bool, min_age_minutes: int) -> None:
    """Delete upload files that no attachment records (left by a crash between writing a file and the commit)."""
    # the file system's clock, not clock.now(): a frozen test clock must not make fresh files look old
    swept = sweep.sweep(current_app.config["UPLOAD_DIR"], now=datetime.now(UTC),
                        min_age=timedelta(minutes=min_age_minutes), dry_run=dry_run)
    for name in swept.removed:
        click.echo(name)
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{verb} {len(swept.removed)} orphan files ({swept.size} bytes)")
