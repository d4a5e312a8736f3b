"""CSV downloads: the queue view the agent is looking at, and (admins) the overview's figures."""
from flask import Response, request
from flask_login import current_user, login_required

from ..clock import utcnow
from ..tickets import operations
from . import export, overview, queues
from .blueprint import admin_required, bp


def _download(text: str, name: str) -> Response:
    response = Response(text, mimetype="text/csv")        # Flask adds charset=utf-8
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"        # customers' names and addresses: not for caches
    return response


@bp.route("/export.csv")
@login_required
def export_queue():
    filters = queues.Filters.parse(request.args, operations.queues())
    name = "-".join(["tickets", *filters.args().values(), utcnow().strftime("%Y%m%d-%H%M")]) + ".csv"
    return _download(export.queue_csv(filters, current_user, now=utcnow()), name)


@bp.route("/overview.csv")
@admin_required
def export_overview():
    return _download(export.overview_csv(overview.build(now=utcnow())),
                     f"overview-{utcnow().strftime('%Y%m%d')}.csv")
