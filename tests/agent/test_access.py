"""Who may see what: anonymous visitors go to sign-in, agents see their markets only, admin pages are for admins."""
import pytest

from .conftest import sign_in


@pytest.mark.parametrize("method, url", [
    ("get", "/agent/"),                              # queue view
    ("get", "/agent/?view=mine"),
    ("get", "/agent/search?q=SE-000001"),
    ("get", "/agent/tickets/SE-000001"),             # ticket page
    ("post", "/agent/tickets/SE-000001/reply"),      # an action
    ("post", "/agent/bulk"),
    ("get", "/agent/tickets/SE-000001/mail/1.txt"),  # raw original
    ("get", "/agent/tickets/SE-000001/files/1"),     # photo
    ("get", "/agent/overview"),                      # admin pages check sign-in first
    ("get", "/agent/agents"),
    ("get", "/agent/password"),
    ("get", "/agent/notifications/1"),               # opening a notification
])
def test_anonymous_visitors_are_sent_to_sign_in(client, make_ticket, method, url):
    make_ticket()
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/agent/login?next=")


@pytest.mark.parametrize("markets, role, ticket_market, status", [
    ("se", "agent", "se", 200),       # own market
    ("se", "agent", "no", 404),       # another market's ticket: not even its existence is shown
    ("no", "agent", "se", 404),
    ("se,no", "agent", "no", 200),    # an agent of both markets
    ("se", "admin", "no", 200),       # admins see every market
])
def test_ticket_page_by_market(client, make_agent, make_ticket, markets, role, ticket_market, status):
    agent = make_agent(role=role, markets=markets)
    ticket = make_ticket(market=ticket_market)
    sign_in(client, agent)
    assert client.get(f"/agent/tickets/{ticket.reference}").status_code == status


def test_other_market_is_not_listed_searched_or_changed(client, make_agent, make_ticket):
    agent = make_agent(markets="se")
    ours, theirs = make_ticket(market="se"), make_ticket(market="no", subject="Norsk skade")
    sign_in(client, agent)
    link = f"/agent/tickets/{theirs.reference}"
    queue = client.get("/agent/").get_data(as_text=True)
    assert f"/agent/tickets/{ours.reference}" in queue and link not in queue
    for q in (theirs.reference, theirs.customer_email, "Kund AB"):       # "Kund AB": both tickets' company
        assert link not in client.get("/agent/search", query_string={"q": q}).get_data(as_text=True)
    assert f"/agent/tickets/{ours.reference}" in client.get("/agent/search?q=Kund+AB").get_data(as_text=True)
    response = client.post(f"/agent/tickets/{theirs.reference}/note", data={"body": "x", "version": theirs.version})
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/agent/overview", "/agent/agents"])
def test_admin_pages_refuse_agents(client, make_agent, url):
    sign_in(client, make_agent(role="agent"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/agent/overview", "/agent/agents"])
def test_admin_pages_render_for_admins(client, make_agent, make_ticket, url):
    make_ticket()
    sign_in(client, make_agent(role="admin"))
    assert client.get(url).status_code == 200
