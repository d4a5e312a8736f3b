"""A ticket's files on their way in: checked before anything is written, stored, recorded, removed again if the
commit fails. The photo checks themselves are photos.py's."""
from __future__ import annotations

from collections.abc import Sequence
from contextlib import contextmanager, nullcontext

from flask import current_app, has_request_context
from flask_babel import force_locale

from ..clock import to_naive_utc
from ..extensions import db
from . import documents, photos
from .models import Attachment, Message, Ticket


def prepare(uploads: Sequence[photos.Upload], *, channel: str, required: bool, language: str) -> list[photos.Prepared]:
    """Check every file (raises photos.PhotoRejected, with messages in the customer's language): web uploads must
    be photos or PDFs, mail keeps every attachment (a readable photo re-encoded, anything else as a plain file)."""
    config = current_app.config
    # on the web the visitor reads the page's language; a mail is answered in the customer's
    with nullcontext() if has_request_context() else force_locale(language):
        if channel == "email":
            return [photos.prepare_any(u, max_bytes=config["PHOTO_MAX_BYTES"], max_pixels=config["PHOTO_MAX_PIXELS"])
                    for u in uploads]
        return documents.check_uploads(uploads, required=required, limit=config["PHOTO_MAX_COUNT"],
                                       max_bytes=config["PHOTO_MAX_BYTES"], max_pixels=config["PHOTO_MAX_PIXELS"],
                                       max_total_pixels=config["PHOTO_MAX_TOTAL_PIXELS"],
                                       pdf_max_bytes=config["PDF_MAX_BYTES"], pdf_max_pages=config["PDF_MAX_PAGES"])


@contextmanager
def stored(ticket: Ticket, message: Message, prepared: Sequence[photos.Prepared], zone):
    """Write the files and record them on the message; if the block (the commit) fails, roll back and delete them."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    written: list[photos.Stored] = []
    try:
        for item in prepared:
            written.append(photos.store(item, ticket.reference, upload_dir))
            ticket.attachments.append(_attachment(written[-1], message, zone))
        yield
    except BaseException:
        db.session.rollback()
        photos.remove(written, upload_dir)
        raise


def _attachment(stored: photos.Stored, message: Message, zone) -> Attachment:
    p = stored.prepared
    taken = p.taken_at
    if taken is not None:               # a camera clock without offset is taken to be the market's local time
        taken = to_naive_utc(taken if taken.tzinfo else taken.replace(tzinfo=zone))
    return Attachment(message=message, original_name=p.original_name, stored_name=stored.stored_name,
                      thumb_name=stored.thumb_name, mime_type=p.mime_type, size=p.size, sha256=p.sha256,
                      width=p.width, height=p.height, taken_at=taken)
