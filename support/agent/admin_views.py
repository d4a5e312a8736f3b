"""Admin pages: the overview with small charts, and managing agents."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..clock import utcnow
from . import accounts, overview, sla_overview
from .forms import AgentEditForm, AgentForm
from .models import Agent
from .blueprint import admin_required, bp


@bp.route("/overview")
@admin_required
def overview_page():
    weeks, targets = sla_overview.build(now=utcnow())
    return render_template("agent/overview.html", o=overview.build(now=utcnow()),
                           faq=current_app.extensions["faq"], sla_weeks=weeks, sla_rows=targets)


@bp.route("/agents", methods=["GET", "POST"])
@admin_required
def agents():
    form = AgentForm()
    if form.validate_on_submit():
        password = accounts.generate_password()
        try:
            agent = accounts.create_agent(form.email.data, form.name.data, password, role=form.role.data,
                                          markets=form.markets.data, languages=form.languages.data)
        except accounts.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            flash(_("Created %(email)s. Give them this one-time password: %(password)s",
                    email=agent.email, password=password))
            return redirect(url_for(".agents"))
    return render_template("agent/agents.html", form=form, agents=accounts.list_agents(),
                           edit=AgentEditForm(formdata=None))


@bp.route("/agents/<int:agent_id>", methods=["POST"])
@admin_required
def edit_agent(agent_id):
    agent = db.get_or_404(Agent, agent_id)
    form = AgentEditForm()
    if form.validate_on_submit():
        try:
            accounts.update_agent(agent, markets=form.markets.data, role=form.role.data, active=form.active.data)
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Saved %(email)s.", email=agent.email))
    return redirect(url_for(".agents"))
