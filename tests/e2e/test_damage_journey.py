"""A Swedish customer reports transport damage with two photos and follows the request from the acknowledgement."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from support.extensions import db
from support.outbox import OutboxMail
from support.tickets.models import Ticket

from .helpers import damage_photo, in_app

NOW = "2026-03-11T10:05:00+01:00"            # a Wednesday morning; the goods arrived two hours ago
DELIVERED = "2026-03-11T08:05"


@pytest.fixture(scope="module")
def site(make_site):
    return make_site(FROZEN_NOW=NOW)


def test_damage_report_with_photos_then_status_page(page, site, viewport, shoot, axe):
    page.goto(f"{site.url}/sv/contact/damage")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmäl transportskada")
    axe("damage form (sv)")
    page.get_by_label("Ordernummer").fill("4711-0815")
    page.get_by_label("När tog du emot leveransen?").fill(DELIVERED)
    page.get_by_label("Vad är skadat?").fill(
        "Två bildskärmar: kartongen intryckt i ena hörnet, en skärm har sprucken panel.")
    page.locator("input[type=file]").set_input_files([
        {"name": "kartong.jpg", "mimeType": "image/jpeg", "buffer": damage_photo("kartong", "#b08850")},
        {"name": "skarm.jpg", "mimeType": "image/jpeg", "buffer": damage_photo("skarm", "#333a44")}])
    page.get_by_label("Företag").fill("Exempel Data AB")
    page.get_by_label("Ditt namn").fill("Åsa Öberg")
    page.get_by_label("E-post").fill(f"asa.{viewport}@exempel.se")
    expect(page.locator("input[type=file]")).to_have_js_property("files.length", 2)
    axe("damage form filled (sv)")
    shoot("damage-form-sv")

    page.get_by_role("button", name="Skicka ärendet").click()
    expect(page).to_have_url(re.compile(r"/sv/ticket/SE-\d+/received\?key="))
    reference = re.search(r"/ticket/(SE-\d+)/", page.url).group(1)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tack")
    expect(page.locator("main")).to_contain_text(reference)
    axe("receipt (sv)")
    shoot("damage-receipt-sv")

    with in_app(site):
        ticket = db.session.scalar(select(Ticket).filter_by(reference=reference))
        routed = (ticket.category, ticket.queue, ticket.priority, ticket.damage_late)
        assert routed == ("damage", "damage", "urgent", False)       # inside the 24-hour window
        assert len(ticket.attachments) == 2
        ack = db.session.scalar(select(OutboxMail).filter_by(ticket_id=ticket.id, kind="acknowledgement"))
        body = ack.body_text
    assert f"[{reference}]" in ack.subject
    link = re.search(re.escape(site.url) + r"/sv/ticket/" + reference + r"\?key=\w+", body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator(".thumbs img")).to_have_count(2)
    for image in page.locator(".thumbs img").all():       # the thumbnails really load
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0
    axe("status page (sv)")
    shoot("damage-status-sv")
