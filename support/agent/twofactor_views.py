"""Two-factor pages on the agent blueprint: the code step after the password, enrolment, recovery codes.

After the right password an agent with a second factor (or who must enrol one) is only half signed in: the
session holds SECOND_STEP (who, which step, where to go next, until when), Flask-Login's user is not set, and
every other agent page leads back to that step. login_user runs only once the step is passed.
"""
from datetime import datetime, timedelta

from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user

from ..extensions import db, limiter
from ..clock import utcnow
from . import twofactor
from .forms import CodeForm, RecoveryCodeForm
from .models import Agent
from .blueprint import bp, login_limit

SECOND_STEP = "agent_second_step"
# the pages a half-signed-in agent may open; each step page checks the step itself
OPEN_DURING_STEP = {"agent.login", "agent.logout", "agent.second_factor", "agent.recovery_code",
                    "agent.two_factor"}


def begin(agent: Agent, next_url: str, *, now: datetime) -> str:
    """Start the half-signed-in state after the password (the session was just cleared); the step's URL."""
    kind = "code" if twofactor.enrolled(agent) else "enrol"
    until = now + timedelta(minutes=current_app.config["TWO_FACTOR_STEP_MINUTES"])
    session[SECOND_STEP] = {"agent": agent.id, "kind": kind, "next": next_url, "until": until.isoformat()}
    return url_for(".second_factor" if kind == "code" else ".two_factor")


def _pending(kind: str) -> Agent | None:
    """The agent half signed in for this step, if the step has not run out."""
    state = session.get(SECOND_STEP)
    if not state or state.get("kind") != kind or datetime.fromisoformat(state["until"]) < utcnow():
        return None
    agent = db.session.get(Agent, state["agent"])
    return agent if agent is not None and agent.active else None


def _finish(agent: Agent) -> str:
    """The step is passed: a fresh session, signed in; where to go next."""
    next_url = session.get(SECOND_STEP, {}).get("next") or url_for(".index")
    session.clear()
    login_user(agent)
    return next_url


def _private(html: str):
    """Pages showing a secret or recovery codes are never stored by the browser or a proxy."""
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_request
def _second_step_first():
    """Half signed in: every agent page leads to the step still to pass."""
    if current_user.is_authenticated or request.endpoint in OPEN_DURING_STEP:
        return None
    for kind, endpoint in (("code", ".second_factor"), ("enrol", ".two_factor")):
        if _pending(kind) is not None:
            return redirect(url_for(endpoint))
    return None


def _refusal(exc: twofactor.CodeRefused) -> str:
    if exc.reason == "wait":
        return _("Too many failed attempts. Try again in %(time)s.",
                 time=format_timedelta(timedelta(seconds=exc.seconds), threshold=2))
    if exc.reason == "reused":
        return _("That code has already been used. Wait for the next one in the app.")
    return _("That code is not right. Check it and try again.")


def _code_step(form, template: str):
    agent = _pending("code")
    if agent is None:
        flash(_("The sign-in took too long. Start again."), "error")
        return redirect(url_for(".login"))
    if form.validate_on_submit():
        try:
            left = twofactor.verify(agent, form.code.data, client=get_remote_address(), now=utcnow())
        except twofactor.CodeRefused as exc:
            form.code.errors.append(_refusal(exc))
        else:
            next_url = _finish(agent)            # first: it starts a fresh session, flashes go after
            if left is not None:
                flash(_("You used a recovery code. Recovery codes left: %(num)d.", num=left)
                      + (" " + _("Make new ones under Two-factor sign-in.") if left <= 3 else ""),
                      "error" if left <= 3 else "info")
            return redirect(next_url)
    return render_template(template, form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def second_factor():
    return _code_step(CodeForm(), "agent/second_factor.html")


@bp.route("/login/recovery", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def recovery_code():
    return _code_step(RecoveryCodeForm(), "agent/recovery_code.html")


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def two_factor():
    """Enrolment (signed in, or half signed in because it is required), or the status once enrolled."""
    agent = current_user if current_user.is_authenticated else _pending("enrol")
    if agent is None:
        return redirect(url_for(".login", next=request.path))
    if twofactor.enrolled(agent):
        return render_template("agent/two_factor.html", left=twofactor.recovery_codes_left(agent), form=CodeForm(),
                               required=twofactor.required_for(agent))
    row, form = twofactor.start_enrolment(agent, now=utcnow()), CodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(agent, form.code.data, now=utcnow())
        except twofactor.CodeRefused as exc:
            form.code.errors.append(_refusal(exc))
        else:
            next_url = url_for(".index") if current_user.is_authenticated else _finish(agent)
            return _private(render_template("agent/recovery_codes.html", codes=codes, next_url=next_url,
                                            enrolled=True))
    uri = twofactor.provisioning_uri(agent, row)
    return _private(render_template("agent/two_factor_enrol.html", form=form, qr=twofactor.qr_data_uri(uri),
                                    secret=twofactor.grouped(row.secret), required=twofactor.required_for(agent)))


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
@limiter.limit(login_limit)
def new_recovery_codes():
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = twofactor.new_recovery_codes(current_user, form.code.data, now=utcnow())
        except twofactor.CodeRefused as exc:
            flash(_refusal(exc), "error")
        else:
            return _private(render_template("agent/recovery_codes.html", codes=codes, next_url=url_for(".index"),
                                            enrolled=False))
    return redirect(url_for(".two_factor"))
