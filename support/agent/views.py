"""Agent pages: sign-in, sign-out, password change, the queue views with bulk actions, ticket search."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..clock import utcnow
from ..ids import parse_id
from ..web import safe_next
from ..tickets import operations
from . import accounts, queues, sessions, ticket_search, twofactor
from . import twofactor_views
from .blueprint import bp, login_limit
from .forms import BulkForm, LoginForm, PasswordForm

def _refusal(exc: accounts.SignInRefused) -> str:
    """The same answer for an unknown address and a wrong password; waiting is asked of any typed address."""
    if exc.reason == "wait":
        return _("Too many failed attempts. Try again in %(time)s.",
                 time=format_timedelta(timedelta(seconds=exc.seconds), threshold=2))
    if exc.reason == "inactive":                  # told only after the right password
        return _("This account is deactivated. Ask an administrator.")
    return _("Wrong e-mail address or password.")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            agent = accounts.sign_in(form.email.data, form.password.data, client=get_remote_address(), now=utcnow())
        except accounts.SignInRefused as exc:
            form.password.errors.append(_refusal(exc))
        else:
            next_url = safe_next(request.args.get("next"), url_for(".index"))
            session.clear()                       # a fresh session at sign-in: no fixation
            if twofactor.enrolled(agent) or twofactor.required_for(agent):
                return redirect(twofactor_views.begin(agent, next_url, now=utcnow()))
            login_user(agent)
            return redirect(next_url)
    return render_template("agent/login.html", form=form)


def weak_password_message(exc: accounts.WeakPassword) -> str:
    return {"short": _("The password must have at least %(n)d characters.", n=accounts.MIN_PASSWORD),
            "long": _("The password is too long."),
            "personal": _("The password must not contain your e-mail address or name."),
            }.get(exc.reason, _("This password is too common or too easy to guess. A few unusual words "
                                "together are easy to remember and hard to guess."))


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.sign_out(current_user)         # a copy of this cookie (or any other session) is refused too
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
        except accounts.WeakPassword as exc:
            form.new.errors.append(weak_password_message(exc))
        except accounts.AccountError:
            form.current.errors.append(_("The current password is not right."))
        else:
            login_user(current_user._get_current_object())   # the change ended every session; keep this one
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
    items = [item for item in map(_bulk_item, request.form.getlist("ticket")) if item is not None]
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


def _bulk_item(raw: str) -> tuple[int, int] | None:
    """A checked row of the bulk form, "id:version"; anything else (a mangled or huge number) is skipped."""
    ticket_id, _, version = raw.partition(":")
    parsed = parse_id(ticket_id), parse_id(version)
    return None if None in parsed else parsed


@bp.route("/search")
@login_required
def search():
    q = request.args.get("q", "")
    filters = ticket_search.SearchFilters.parse(request.args, operations.queues())
    results = ticket_search.search(q, current_user, filters, cursor=request.args.get("after"))
    return render_template("agent/search.html", q=q, results=results, filters=filters, queues=operations.queues(),
                           agents=accounts.list_agents())

