"""The admins' privacy page: a customer's data previewed, exported or erased on request (support/privacy)."""
import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from ..clock import utcnow
from ..privacy import erase as erasing, export as exporting
from .blueprint import admin_required, bp
from .forms import PrivacyForm

TABLES = {"tickets": _l("Tickets anonymised"), "messages": _l("Messages"), "attachments": _l("Files"),
          "files": _l("Files in the upload store (with thumbnails)"), "inbound_mail": _l("Raw mails"),
          "outbox_mail": _l("Mails in the outbox"), "events": _l("Events cleared"), "faq_votes": _l("FAQ votes")}


@bp.route("/privacy", methods=["GET", "POST"])
@admin_required
def privacy():
    form, preview = PrivacyForm(), None
    if form.validate_on_submit():
        action = request.form.get("action")
        try:
            if action == "export":
                content, _counts = exporting.build(form.email.data, actor=current_user.email)
                return send_file(io.BytesIO(content), mimetype="application/zip", as_attachment=True,
                                 download_name=f"export-{utcnow():%Y%m%d-%H%M%S}.zip")
            if action == "erase" and form.confirm.data:
                removal, _log = erasing.erase(form.email.data, actor=current_user.email)
                flash(_("Erased: %(what)s.", what=_summary(removal)) if not removal.empty
                      else _("Nothing stored of this address: nothing to erase."))
                return redirect(url_for(".privacy"))
            if action == "erase":
                form.confirm.errors.append(_("Tick the box to confirm the erasure."))
            preview = erasing.plan(form.email.data)
        except erasing.ErasureError:
            form.email.errors.append(_("That is not an e-mail address."))
    return render_template("agent/privacy.html", form=form, preview=preview, tables=TABLES)


def _summary(removal) -> str:
    return ", ".join(f"{TABLES[table]}: {n}" for table, n in removal.counts().items() if n)
