"""Agent pages: sign-in, sign-out, password change, the queue views with bulk actions, ticket search."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..clock import utcnow
from ..web import safe_next
from ..tickets import operations
from . import accounts, queues, ticket_search
from .blueprint import bp
from .forms import BulkForm, LoginForm, PasswordForm

def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _refusal(exc: accounts.SignInRefused) -> str:
    if exc.reason == "locked":
        return _("Too many failed attempts: this account is locked until %(time)s.",
                 time=format_datetime(exc.until, "short"))
    if exc.reason == "inactive":
        return _("This account is deactivated. Ask an administrator.")
    return _("Wrong e-mail address or password.")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            agent = accounts.sign_in(form.email.data, form.password.data, now=utcnow())
        except accounts.SignInRefused as exc:
            form.password.errors.append(_refusal(exc))
        else:
            session.clear()                       # a fresh session at sign-in: no fixation
            login_user(agent)
            return redirect(safe_next(request.args.get("next"), url_for(".index")))
    return render_template("agent/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."))
    return redirect(url_for(".login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.new.data)
        except accounts.AccountError:
            form.current.errors.append(_("The current password is not right."))
        else:
            flash(_("Your password is changed."))
            return redirect(url_for(".index"))
    return render_template("agent/password.html", form=form)


@bp.route("/")
@login_required
def index():
    filters = queues.Filters.parse(request.args, operations.queues())
    page = queues.queue_page(filters, current_user, now=utcnow(), cursor=request.args.get("after"))
    return render_template("agent/queue.html", page=page, filters=filters, counts=queues.counts(current_user),
                           queues=operations.queues(), bulk=BulkForm(), now=utcnow())


@bp.route("/bulk", methods=["POST"])
@login_required
def bulk():
    form = BulkForm()
    items = [tuple(int(x) for x in raw.split(":", 1)) for raw in request.form.getlist("ticket")
             if raw.count(":") == 1 and raw.replace(":", "").isdigit()]
    if form.validate_on_submit() and items:
        try:
            result = operations.bulk(items, current_user, action=form.action.data, value=form.value.data,
                                     now=utcnow())
        except operations.OperationError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Changed: %(n)d. Skipped (changed by someone else meanwhile): %(skipped)s", n=len(result.changed),
                    skipped=", ".join(result.skipped) or "–"), "error" if result.skipped else "info")
    return redirect(safe_next(request.form.get("back"), url_for(".index")))


@bp.route("/search")
@login_required
def search():
    q = request.args.get("q", "")
    filters = ticket_search.SearchFilters.parse(request.args, operations.queues())
    results = ticket_search.search(q, current_user, filters, cursor=request.args.get("after"))
    return render_template("agent/search.html", q=q, results=results, filters=filters, queues=operations.queues(),
                           agents=accounts.list_agents())

