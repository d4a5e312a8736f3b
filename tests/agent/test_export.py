"""CSV exports: a queue view (all pages, same filters, the agent's markets) and the overview's figures, for Excel."""
import csv
import io

import pytest

from support.agent import export
from support.clock import utcnow

from .conftest import sign_in

SV = {"Accept-Language": "sv"}


def _table(response, delimiter=";"):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode()), "the BOM tells Excel the file is UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize("value, cell, why", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", "a formula"),
    ("+46 8 123", "'+46 8 123", "a plus sign starts a formula too"),
    ("-2+3", "'-2+3", "so does a minus"),
    ("@SUM(A1)", "'@SUM(A1)", "and an at sign"),
    ("\tcmd", "'\tcmd", "a tab (OWASP)"),
    ("Åsa Øberg", "Åsa Øberg", "plain text unchanged"),
    ("a=b", "a=b", "an equals sign inside is harmless"),
    (-3, -3, "a number is a number"),
    (None, "", "nothing is an empty cell"),
])
def test_safe_cell(value, cell, why):
    assert export.safe(value) == cell, why


def test_queue_export_has_every_page_the_filters_and_only_the_agents_markets(client, make_agent, make_ticket,
                                                                              monkeypatch):
    monkeypatch.setattr(export, "PAGE_SIZE", 2)                # five tickets: three round trips
    refs = [make_ticket(customer_name="Åsa Ödegård", company="Kött & Fisk AB").reference for _ in range(4)]
    refs.append(make_ticket(company="=HYPERLINK(\"http://evil.example\",\"klick\")").reference)
    make_ticket(category="other", queue="general")             # filtered out by category
    make_ticket(market="no", customer_name="Bjørn Ærø")        # another market
    sign_in(client, make_agent(markets="se"))
    rows = _table(client.get("/agent/export.csv?category=damage", headers=SV))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Referens", "Svar senast", "Ämne", "Företag", "Kund"]
    assert [r[0] for r in body] == refs, "the page's order (due first), every page, only damage, only SE"
    assert body[0][3:5] == ["Kött & Fisk AB", "Åsa Ödegård"] and body[0][8] == "Skada"
    assert body[-1][3] == "'=HYPERLINK(\"http://evil.example\",\"klick\")"
    assert not any("Bjørn" in cell for row in body for cell in row)


def test_queue_export_in_english_uses_commas(client, make_agent, make_ticket):
    make_ticket(subject="Trasig skärm, order 12")
    sign_in(client, make_agent())
    rows = _table(client.get("/agent/export.csv", headers={"Accept-Language": "en"}), delimiter=",")
    assert rows[0][:3] == ["Reference", "Due", "Subject"] and rows[1][2] == "Trasig skärm, order 12"


def test_queue_page_links_to_the_export_with_its_filters(client, make_agent, make_ticket):
    make_ticket()
    sign_in(client, make_agent())
    page = client.get("/agent/?queue=damage&market=se", headers=SV).get_data(as_text=True)
    assert 'href="/agent/export.csv?queue=damage&amp;market=se"' in page
    assert "Exportera till kalkylblad" in page


def test_overview_export_is_for_admins(client, make_agent, make_ticket):
    make_ticket(market="no", created_at=utcnow())             # inside the overview's 14 days
    agent = make_agent()
    sign_in(client, agent)
    assert client.get("/agent/overview.csv").status_code == 403
    client.post("/agent/logout")
    sign_in(client, make_agent(role="admin"))
    assert "/agent/overview.csv" in client.get("/agent/overview", headers=SV).get_data(as_text=True)
    rows = _table(client.get("/agent/overview.csv", headers={"Accept-Language": "nb"}))
    assert rows[0] == ["Dato", "Innkomne saker", "Løste saker"] and len(rows[1]) == 3
    assert ["Marked", "Kø", "Innkomne", "Fortsatt åpne"] in rows
    assert ["NO", "Transportskader", "1", "1"] in rows
    assert any(r[:1] == ["Median for første svar (minutter)"] for r in rows)
