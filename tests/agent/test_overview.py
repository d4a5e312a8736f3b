"""The admins' overview: what content editors read there (unanswered searches, answers voted not helpful)."""
from support.extensions import db
from support.faq.feedback import record_signal, record_vote

from .conftest import sign_in


def test_overview_lists_unanswered_searches_and_unhelpful_answers(app, client, make_agent, make_ticket):
    make_ticket()
    with app.app_context():
        for _ in range(2):
            record_signal("no_answer", "Kan jag betala med <b>Swish</b>?", "sv")
        record_vote("cancel-order", "nb", "visitor-1", helpful=False)
        record_vote("cancel-order", "nb", "visitor-2", helpful=False)
        record_vote("cancel-order", "en", "visitor-3", helpful=True)
        db.session.remove()
    sign_in(client, make_agent(role="admin"))
    html = client.get("/agent/overview").get_data(as_text=True)
    unanswered, unhelpful = html.split("Answers voted not helpful")
    assert "kan jag betala med &lt;b&gt;swish&lt;/b&gt;?</td><td>sv</td><td>2</td>" in unanswered
    entry = app.extensions["faq"].entries["cancel-order"].text("nb").question
    assert f'<a href="/nb/faq/cancel-order">{entry}</a></td><td>nb</td><td>2</td>' in unhelpful
    assert "<td>en</td>" not in unhelpful, "a helpful vote is no signal"


def test_overview_shows_the_mail_the_outbox_gave_up_on(app, client, make_agent, make_ticket):
    """A row failed after its last attempt is seen nowhere else: the admins must see it (issue 19, item 1)."""
    from support.outbox import OutboxMail
    ticket = make_ticket()
    db.session.add_all([
        OutboxMail(ticket_id=ticket.id, kind="reply", sender="s@example.test", recipient="gone@example.se",
                   subject="Ditt ärende", body_text="x", headers={}, message_id="<f1@example.test>",
                   status="failed", attempts=12, last_error="SMTPRecipientsRefused: 550 no such user"),
        OutboxMail(ticket_id=ticket.id, kind="reply", sender="s@example.test", recipient="fine@example.se",
                   subject="Skickat", body_text="x", headers={}, message_id="<f2@example.test>", status="sent")])
    db.session.commit()
    sign_in(client, make_agent(role="admin"))
    html = client.get("/agent/overview", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    undelivered = html.split("E-post som inte kunde skickas")[1]
    assert f'<a href="/agent/tickets/{ticket.reference}">{ticket.reference}</a>' in undelivered
    assert "gone@example.se" in undelivered and "550 no such user" in undelivered and "<td>12</td>" in undelivered
    assert "fine@example.se" not in undelivered
