"""PDFs on the web forms: a real PDF is accepted on the damage form and the status page and served as a
sandboxed download; a script or a web page named .pdf, an encrypted PDF and a 30 MB PDF are refused, each with a
message naming the file, while the rest of the form is kept."""
import pytest
from sqlalchemy import select

from support.extensions import db
from support.tickets import documents, links
from support.tickets.models import Ticket
from support.tickets.photos import PhotoRejected, Upload

from . import images
from .images import pdf
from .conftest import form_fields, multipart, with_photos


def _post(client, data, lang="en"):
    return client.post(f"/{lang}/contact/damage", **multipart(data))


def test_a_pdf_is_accepted_next_to_a_photo(app, client, jpeg):
    response = _post(client, with_photos(form_fields("damage"), ("skada.jpg", jpeg), ("foljesedel.pdf", pdf(2))))
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    ticket = db.session.scalars(select(Ticket)).one()
    stored = {a.original_name: a for a in ticket.attachments}
    assert stored["foljesedel.pdf"].mime_type == "application/pdf" and stored["foljesedel.pdf"].thumb_name is None
    served = client.get(f"/ticket/{ticket.reference}/files/{stored['foljesedel.pdf'].id}"
                        f"?key={links.status_key(ticket)}")
    assert served.status_code == 200 and served.data.startswith(b"%PDF-")
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()


@pytest.mark.parametrize("name, data, words", [
    ("faktura.pdf", images.PHP, "is not a PDF file"),                                 # a script named .pdf
    ("faktura.pdf", b"<!doctype html><html><script>alert(1)</script></html>", "is not a PDF file"),
    ("trasig.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF", "damaged"),               # the header alone is not enough
    ("hemlig.pdf", pdf(password="hemligt"), "password-protected"),
    ("stor.pdf", pdf(padding=30 * 1024 * 1024), "too large (30 MB)"),
])
def test_refused_pdfs_name_the_file_and_keep_the_form(app, client, jpeg, name, data, words):
    fields = form_fields("damage", description="Hörnet på skärmen är krossat")
    response = _post(client, with_photos(fields, ("skada.jpg", jpeg), (name, data)))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert name in page and words in page
    assert "Hörnet på skärmen är krossat" in page and 'value="Kund AB"' in page and 'value="4400125"' in page
    assert db.session.scalars(select(Ticket)).all() == []


def test_a_pdf_on_the_status_page(app, client):
    client.post("/sv/contact/other", **multipart(form_fields("other")))
    ticket = db.session.scalars(select(Ticket)).one()
    url = f"/sv/ticket/{ticket.reference}?key={links.status_key(ticket)}"
    response = client.post(url, **multipart({"body": "Här är fakturan.", "photos": [("faktura.pdf", pdf())]}))
    assert response.status_code == 302
    db.session.refresh(ticket)
    assert [a.mime_type for a in ticket.attachments] == ["application/pdf"]
    refused = client.post(url, **multipart({"body": "Igen", "photos": [("x.pdf", pdf(password="a"))]}))
    assert refused.status_code == 422 and "x.pdf är lösenordsskyddad" in refused.get_data(as_text=True)


def test_page_limit_and_swedish_messages(app):
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        with pytest.raises(PhotoRejected) as refused:
            documents.check_pdf(Upload("lang.pdf", pdf(3)), max_bytes=10**6, max_pages=2)
    assert "lang.pdf" in refused.value.message and "2" in refused.value.message


def test_a_damage_report_needs_a_photo_or_a_document(app, client):
    response = _post(client, form_fields("damage"))
    assert response.status_code == 422 and "at least one photo" in response.get_data(as_text=True)
    only_pdf = _post(client, with_photos(form_fields("damage"), ("rapport.pdf", pdf())))
    assert only_pdf.status_code == 302
