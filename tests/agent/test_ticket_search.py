"""The agent's search over every ticket's text: stemmed Swedish and Norwegian words, snippets, market access,
replies, notes and file names, phrases and exclusions, keyset pages, filters, and no error for any input.
Runs on SQLite FTS5 and (TEST_DATABASE=postgresql) on PostgreSQL text search alike."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from support.agent import ticket_search
from support.agent.ticket_search import SearchFilters
from support.extensions import db
from support.mail.ingest import ingest
from support.tickets import operations, text_index, text_query
from support.tickets.models import Message, Ticket

from ..mail.conftest import MAILBOXES, build, jpeg  # noqa: F401 (a fixture)
from .conftest import sign_in

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "MAILBOXES": MAILBOXES, "MAIL_ACK_LIMIT": 100}


def mailed(body, *, to="help-se@example.com", subject="Hej", sender=None, at=NOW, **kw) -> Ticket:
    out = ingest(build(to=to, subject=subject, body=body, sender=sender or f"kund{id(body)}@foretag.se", **kw),
                 now=at)
    assert out.action == "created", out
    return db.session.scalar(select(Ticket).filter_by(reference=out.ticket))


def search_page(client, q, **args):
    response = client.get("/agent/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def refs(q, agent, filters=SearchFilters(), **kw):
    return [t.reference for t in ticket_search.search(q, agent, filters, **kw).tickets]


def test_a_swedish_word_finds_its_inflected_form_in_a_mailed_body_only_in_its_market(app, client, make_agent):
    ticket = mailed("Hej! Skärmen och dockningsstationen kom trasiga.")
    mailed("Fakturan stämmer inte.")
    se, no = make_agent(markets="se"), make_agent(markets="no")
    sign_in(client, se)
    html = search_page(client, "dockningsstation")
    assert ticket.reference in html
    assert "<mark>dockningsstationen</mark>" in html and "Skärmen och" in html
    client.post("/agent/logout")
    sign_in(client, no)
    assert ticket.reference not in search_page(client, "dockningsstation")
    assert refs("dockningsstation", no) == []


def test_a_norwegian_word_finds_its_inflected_form(app, client, make_agent):
    ticket = mailed("Hei, dokkingstasjonen var knust da den kom.", to="help-no@example.com", subject="Spørsmål")
    no, se = make_agent(markets="no"), make_agent(markets="se")
    sign_in(client, no)
    html = search_page(client, "dokkingstasjon")
    assert ticket.reference in html and "<mark>dokkingstasjonen</mark>" in html
    assert refs("dokkingstasjon", se) == []


def test_an_old_ticket_is_found_by_a_word_in_a_reply_a_note_or_a_file_name(app, make_agent, jpeg):
    agent = make_agent(markets="se")
    old = mailed("Kartongen var skadad.", at=NOW - timedelta(days=400),
                 attachments=[("kvitto-lagret.jpg", jpeg, "image/jpeg")])
    for n in range(5):                        # newer tickets with other words (there is no recent-only window)
        mailed(f"Ny fråga nummer {n} om leveransen.")
    operations.reply(old, agent, "Vi skickar returetiketten i dag.", version=old.version, now=NOW)
    operations.add_note(old, agent, "Kunden ringde om stöldanmälan.", version=old.version, now=NOW)
    assert refs("returetiketter", agent) == [old.reference]       # the reply, in another inflection
    assert refs("stöldanmälan", agent) == [old.reference]           # the internal note
    assert refs("kvitto-lagret.jpg", agent) == [old.reference]      # the attachment's file name
    assert refs("leveransen", agent)[-1] != old.reference and len(refs("leveransen", agent)) == 5


def test_phrases_and_exclusions(app, make_agent):
    agent = make_agent()
    both = mailed("Skärmen kom trasig och kabeln saknades.")
    screen = mailed("Kabeln kom trasig, skärmen var hel.")
    assert set(refs("trasig skärmen", agent)) == {both.reference, screen.reference}
    assert refs('"skärmen kom trasig"', agent) == [both.reference]
    assert refs("trasig -hel", agent) == [both.reference]
    assert refs('trasig -"kabeln saknades"', agent) == [screen.reference]
    assert refs("-trasig", agent) == []                              # nothing to look for, not everything


def test_exact_matches_come_first_then_ranked_hits(app, make_agent):
    agent = make_agent()
    mentions = mailed("Gäller samma sak som kund@exempel.se skrev om.")
    own = mailed("Min order.", sender="kund@exempel.se")
    assert refs("kund@exempel.se", agent) == [own.reference, mentions.reference]
    subject = mailed("Se rubriken.", subject="Transportskada")
    body = mailed("Vi fick en transportskada på två skärmar i går.")
    assert refs("transportskada", agent) == [subject.reference, body.reference]   # the subject weighs more


def test_keyset_pages_cover_every_hit_once(app, make_agent):
    agent = make_agent()
    made = {mailed(f"Paketet {n} kom trasigt {'trasigt ' * (n % 3)}fram.").reference for n in range(7)}
    seen, cursor = [], None
    for _ in range(5):
        results = ticket_search.search("trasigt", agent, cursor=cursor, size=3)
        seen += [t.reference for t in results.tickets]
        if not (cursor := results.next_cursor):
            break
    assert sorted(seen) == sorted(made)


def test_filters_narrow_in_the_query(app, make_agent):
    agent, other = make_agent(), make_agent()
    early = mailed("Fakturan saknar momsen.", at=NOW - timedelta(days=30))
    late = mailed("Fakturan är fel.", to="cancel@example.se")
    norway = mailed("Fakturan er feil.", to="help-no@example.com")
    operations.assign(late, agent, agent, version=late.version, now=NOW)
    assert set(refs("fakturan", agent)) == {early.reference, late.reference, norway.reference}
    assert refs("fakturan", agent, SearchFilters(market="no")) == [norway.reference]
    assert refs("fakturan", agent, SearchFilters(queue="cancellations")) == [late.reference]
    assert refs("fakturan", agent, SearchFilters(assignee="me")) == [late.reference]
    assert refs("fakturan", other, SearchFilters(assignee=str(agent.id))) == [late.reference]
    assert late.reference not in refs("fakturan", agent, SearchFilters(assignee="none"))
    day = (NOW - timedelta(days=30)).date()
    assert refs("fakturan", agent, SearchFilters(since=day, until=day)) == [early.reference]
    assert refs("fakturan", agent, SearchFilters(status="closed")) == []
    args = {"market": "no", "since": "not a date", "assignee": "x"}
    assert SearchFilters.parse(args, ("general",)) == SearchFilters(market="no")


def test_a_merge_moves_the_words_to_the_target(app, make_agent):
    agent = make_agent()
    source = mailed("Routern blinkar rött.", sender="kund@foretag.se")        # one customer: a merge needs it
    target = mailed("Routern startar inte.", sender="kund@foretag.se", subject="Hej igen")
    operations.merge(source, target, agent, version=source.version, now=NOW)
    assert refs("blinkar", agent) == [target.reference]


def test_ticket_text_is_escaped_in_the_snippet(app, client, make_agent):
    mailed('<script>alert("x")</script> <b>dockan</b> & dockningsstationen')
    sign_in(client, make_agent())
    html = search_page(client, "dockningsstation")
    assert "&lt;/script&gt; &lt;b&gt;dockan&lt;/b&gt; &amp;" in html
    assert "</script> <b>" not in html and "<b>dockan" not in html
    assert "<mark>dockningsstationen</mark>" in html


@pytest.mark.parametrize("q", ['"', '""', '"unbalanced phrase', 'a"b"c', "-", "--", "*", "**", "a*", "NEAR(",
                               "NEAR(a b)", "a AND", "OR", "NOT x", "^", "col:x", "subject:trasig", "( ) ( (",
                               "'", "\\", "%", "_", "😀", "ø æ å", "Ünïcödé ß", "\u202e", "–",
                               "a" * 5000, "trasig " * 1000, '"' * 5000, "-" * 5000, "och", "og the och"])
def test_odd_input_gives_a_page(app, client, make_agent, q):
    mailed("Skärmen kom trasig.")
    sign_in(client, make_agent())
    search_page(client, q)
    search_page(client, q, after=q, since=q, until=q, market=q, queue=q, status=q, assignee=q)


@pytest.mark.parametrize("q", ["\x00", "x\x00y"])
def test_a_nul_in_the_query_is_a_clear_400(app, client, make_agent, q):
    """Every request with a NUL is refused before any view (support/web.py: PostgreSQL cannot store one)."""
    sign_in(client, make_agent())
    response = client.get("/agent/search", query_string={"q": q})
    assert response.status_code == 400 and "<html" in response.get_data(as_text=True)


def test_the_migration_build_indexes_tickets_written_before_it(app, make_agent):
    agent = make_agent()
    ticket = Ticket(reference="SE-000777", secret="s" * 32, market="se", language="sv", channel="web", category="damage",
                    queue="damage", subject="Gammalt ärende", customer_email="gammal@kund.se", created_at=NOW)
    ticket.messages.append(Message(kind="customer", body_text="Projektorlampan gick sönder.", created_at=NOW))
    db.session.add(ticket)
    db.session.commit()                       # written as before the index existed: not through the operations
    assert refs("projektorlampan", agent) == []
    text_index.rebuild(db.session.connection(), app.config["TICKET_SEARCH_MAX_CHARS"])
    db.session.commit()
    assert refs("projektorlampan", agent) == ["SE-000777"]


@pytest.mark.parametrize("rare, window", [(0, 2), (0, 50), (1, 50), (10**9, 2), (10**9, 50)])
def test_every_plan_for_common_words_finds_the_same(app, make_agent, rare, window):
    """PostgreSQL picks a plan by how common the words look (TICKET_SEARCH_RARE); SQLite has one. Forced here:
    the walk that fills the window, the walk that does not, the fallback past the GIN read's bound, and the
    GIN read, for a phrase first among the newest tickets, which fills the window or does not."""
    app.config.update(TICKET_SEARCH_RARE=rare, TICKET_SEARCH_WINDOW=window)
    agent, norway, admin = make_agent(markets="se"), make_agent(markets="no"), make_agent(role="admin")
    made = [mailed(f"Skärmen {n} kom trasig.").reference for n in range(3)]
    mailed("Skjermen var knust.", to="help-no@example.com")
    assert set(refs("trasig", agent)) == set(made[-window:])
    assert refs("knust", agent) == [] and len(refs("knust", norway)) == 1
    assert refs("trasig -skärmen", agent) == []
    assert set(refs('"kom trasig"', agent)) == set(refs('"kom trasig"', admin)) == set(made[-window:])
    assert refs('"kom knust"', agent) == [] and len(refs('"var knust"', admin)) == 1


def test_a_one_market_search_reads_that_markets_index(app):
    """PostgreSQL: the clause a one-market search adds is the condition of that market's partial GIN index,
    so the planner can use it (a clause written otherwise would silently read the index of every ticket).
    SQLite: the market is a word of the MATCH expression."""
    if db.engine.dialect.name != "postgresql":
        for code in text_index.MARKET_INDEXES:
            assert f'"{text_index.MARKET}{code}"' in text_index.fts5_expression(text_query.parse("trasig"), [code])
        return
    db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    for code, index in text_index.MARKET_INDEXES.items():
        clause = text_index._in_markets([code])[0]
        plan = "\n".join(db.session.execute(sa.text(
            f"EXPLAIN SELECT ticket_id FROM {text_index.PG_TABLE} "
            f"WHERE document @@ to_tsquery('simple', 'trasig') AND {clause}")).scalars())
        assert index in plan, plan


def indexed(ticket_id):
    """The index's stored document of one ticket, as text."""
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(sa.text(f"SELECT document::text FROM {text_index.PG_TABLE} WHERE ticket_id = :i"),
                                  {"i": ticket_id}).one()
    return db.session.execute(sa.text(f"SELECT subject, body, facts FROM {text_index.FTS_TABLE} WHERE rowid = :i"),
                              {"i": ticket_id}).one()


def test_a_new_tickets_document_is_the_one_the_tables_give(app, jpeg):
    """A ticket created in the transaction is indexed from the session's objects (SQLite), not read back: the
    document must be the one the migration's build reads from the tables, name, company and file names included."""
    ticket = mailed("Skärmarna kom trasiga, se bilderna.", subject="Skadade skärmar 70-123456-11",
                    sender="Anna Kund <anna.kund@foretag.se>", attachments=[("skada-ett.jpg", jpeg, "image/jpeg"),
                                                                 ("följesedel.pdf", b"%PDF-1.4 x", "application/pdf")])
    before = indexed(ticket.id)
    assert "skada" in " ".join(before) and "foretag" in " ".join(before)
    text_index.rebuild(db.session.connection(), app.config["TICKET_SEARCH_MAX_CHARS"])
    assert indexed(ticket.id) == before
