"""Documents on the web forms: PDF files (delivery notes, invoices, the carrier's damage report) next to photos.

A PDF is judged by parsing it (pypdf), not by its name or its first bytes alone: a script or a web page named
.pdf, an encrypted PDF (agents could not open it) and one too large or too long are refused, each with a message
that names the file. It is stored as received and only ever served as a download, sandboxed (photos.file_response).
"""
from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import ngettext
from pypdf import PdfReader

from . import photos
from .photos import PhotoRejected, Prepared, Upload

PDF_MAGIC = b"%PDF-"
logging.getLogger("pypdf").setLevel(logging.ERROR)   # its warnings about sloppy files are not ours to log


def is_pdf_candidate(upload: Upload) -> bool:
    """Sent as a PDF (by name, type or first bytes): then it is checked as one, and refused if it is not."""
    return (upload.name.lower().endswith(".pdf") or upload.content_type == "application/pdf"
            or upload.data[:1024].lstrip().startswith(PDF_MAGIC))


def check_pdf(upload: Upload, *, max_bytes: int, max_pages: int) -> Prepared:
    """One PDF checked by parsing it; raises PhotoRejected with a message naming the file and why."""
    name = photos.display_name(upload)
    if len(upload.data) > max_bytes:
        raise PhotoRejected(name, _("%(name)s is too large (%(size)s MB); a PDF may be at most %(limit)s MB.",
                                    name=name, size=photos._megabytes(len(upload.data)),
                                    limit=photos._megabytes(max_bytes)))
    if not upload.data.startswith(PDF_MAGIC):
        raise PhotoRejected(name, _("%(name)s is not a PDF file.", name=name))
    try:
        reader = PdfReader(io.BytesIO(upload.data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on a broken or forged file
        raise PhotoRejected(name, _("%(name)s is not a PDF file, or it is damaged.", name=name)) from None
    if encrypted:
        raise PhotoRejected(name, _("%(name)s is password-protected. Please send it without a password.", name=name))
    if not 1 <= pages <= max_pages:
        raise PhotoRejected(name, ngettext("%(name)s has too many pages; a PDF may have at most %(num)d page.",
                                           "%(name)s has too many pages; a PDF may have at most %(num)d pages.",
                                           max_pages, name=name) if pages else
                            _("%(name)s has no pages.", name=name))
    return Prepared(name, upload.data, "pdf", "application/pdf", hashlib.sha256(upload.data).hexdigest(),
                    len(upload.data))


def check_uploads(uploads: Sequence[Upload], *, required: bool, limit: int, max_bytes: int, max_pixels: int,
                  max_total_pixels: int, pdf_max_bytes: int, pdf_max_pages: int) -> list[Prepared]:
    """The web forms' check: photos as photos.check_photos does, PDFs as above; every refusal reported together."""
    uploads = [u for u in uploads if u.name or u.data]
    pdfs = [u for u in uploads if is_pdf_candidate(u)]
    others = [u for u in uploads if not is_pdf_candidate(u)]
    if len(uploads) > limit:            # photos.check_photos counts only the photos it is given
        raise PhotoRejected("", ngettext("You can send at most %(num)d file at a time.",
                                         "You can send at most %(num)d files at a time.", limit))
    refused: list[PhotoRejected] = []
    checked: dict[int, Prepared] = {}
    try:
        for upload, item in zip(others, photos.check_photos(others, required=required and not pdfs, limit=limit,
                                                            max_bytes=max_bytes, max_pixels=max_pixels,
                                                            max_total_pixels=max_total_pixels)):
            checked[id(upload)] = item
    except PhotoRejected as exc:
        refused.extend(exc.rejections)
    for upload in pdfs:
        try:
            checked[id(upload)] = check_pdf(upload, max_bytes=pdf_max_bytes, max_pages=pdf_max_pages)
        except PhotoRejected as exc:
            refused.append(exc)
    if refused:
        raise PhotoRejected(refused[0].filename, refused[0].message, refused)
    return [checked[id(u)] for u in uploads]

