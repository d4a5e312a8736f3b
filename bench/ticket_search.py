"""Benchmark: the agent's full-text ticket search over N tickets with ~3 messages each, SQLite FTS5 and PostgreSQL.

    .venv/bin/python bench/ticket_search.py                         # both engines, 1,000,000 tickets
    options: --tickets N, --runs N (default 40), --engine sqlite|postgresql|both, --url URL (a PostgreSQL to EMPTY),
             --keep (with --url: reuse it when filled), --sqlite-file PATH (SQLite only, kept, reused when filled)

The text is generated here from word lists in Swedish, Norwegian and English (sentence templates, product
nouns and a long Zipf tail of compound words, serial numbers): no evaluation data. Tickets, messages and the
index are bulk-written (executemany / COPY, then the engine's own index build: text_index.rebuild on
PostgreSQL, the same Python stemming as every refresh on SQLite). Timed: the rendered search page
(/agent/search via the test client, signed in; exact matches, ranked hits and snippets) for common and rare
words (and the Zipf middle), serial numbers, phrases, several words, an exclusion and words that match nothing, as an admin and as an
agent of one market; p50/p95 per kind (target p95 < 100 ms), each kind cycling through several queries.

On a shared machine, run it (and the PostgreSQL cluster) in a niced autogroup of its own, as bench/queue_view.py
explains: `nice` alone does not lift it above other sessions. Fill once (--keep, --sqlite-file), then time.
"""
from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask import current_app  # noqa: E402

from bench._harness import bench, postgres_cluster  # noqa: E402
from bench.queue_view import COLUMNS, _rows, _time  # noqa: E402
from support import create_app  # noqa: E402
from support.agent import accounts  # noqa: E402
from support.extensions import db  # noqa: E402
from support.tickets import text_index  # noqa: E402
from support.tickets.models import Ticket  # noqa: E402

CHUNK = 20_000
WORDS = {
    "sv": dict(
        things=["skärmen", "dockningsstationen", "laddaren", "tangentbordet", "musen", "kabeln", "routern",
                "skrivaren", "datorn", "headsetet", "servern", "switchen", "projektorn", "surfplattan",
                "telefonen", "batteriet", "hårddisken", "webbkameran", "högtalaren", "nätagget"],
        boxes=["kartongen", "pallen", "paketet", "förpackningen", "lådan", "emballaget"],
        bad=["trasig", "trasiga", "krossad", "sprucken", "repig", "bucklig", "fuktskadad", "skadad", "söndrig"],
        pre=["bild", "ladd", "nät", "rygg", "kontors", "lager", "hand", "vägg", "golv", "ström", "ljud", "minnes",
             "skydds", "rese", "bords", "fjärr", "bil", "usb", "mikrofon", "konferens", "server", "kyl", "data",
             "fiber", "antenn"],
        suf=["skärmen", "kabeln", "adaptern", "hållaren", "enheten", "väskan", "stationen", "fästet", "modulen",
             "kortet", "lampan", "pennan", "dockan", "sladden", "boxen", "panelen"],
        customer=["Hej! {T} kom {B} när vi öppnade {X}.", "Vi beställde {n} st men {t} var {B} vid leveransen.",
                  "Ordernummer {o} har inte kommit fram än, när kommer leveransen?",
                  "Kan ni skicka en ny {c} så snart som möjligt?", "{T} fungerar inte efter uppackningen.",
                  "Jag vill makulera ordern {o}, vi behöver inte {c} längre.",
                  "Bifogar bilder på {t} och {x}.", "{X} var {B} och {t} saknades helt.",
                  "Serienummer {s} på {t}.", "Fakturan stämmer inte med ordern, vi fick {n} {c}.",
                  "Med vänliga hälsningar {name}", "Tack för snabbt svar!"],
        reply=["Hej {name}, tack för ditt meddelande.", "Vi har skickat en ersättning för {t} i dag.",
               "Kan du skicka en bild på {t} och {x}?", "Din order {o} är nu makulerad.",
               "Returfraktsedeln kommer via e-post inom kort.", "Vi har bokat upphämtning av {x}."]),
    "nb": dict(
        things=["skjermen", "dokkingstasjonen", "laderen", "tastaturet", "musa", "kabelen", "ruteren",
                "skriveren", "datamaskinen", "hodesettet", "serveren", "svitsjen", "projektoren", "nettbrettet",
                "telefonen", "batteriet", "harddisken", "webkameraet", "høyttaleren", "strømadapteren"],
        boxes=["esken", "pallen", "pakken", "emballasjen", "kassen"],
        bad=["knust", "ødelagt", "sprukket", "ripete", "bulkete", "fuktskadet", "skadet", "i stykker"],
        pre=["bilde", "lade", "nett", "rygg", "kontor", "lager", "hånd", "vegg", "gulv", "strøm", "lyd", "minne",
             "beskyttelses", "reise", "bord", "fjern", "bil", "usb", "mikrofon", "konferanse", "server", "kjøle",
             "data", "fiber", "antenne"],
        suf=["skjermen", "kabelen", "adapteren", "holderen", "enheten", "vesken", "stasjonen", "festet", "modulen",
             "kortet", "lampen", "pennen", "dokken", "ledningen", "boksen", "panelet"],
        customer=["Hei! {T} var {B} da vi åpnet {X}.", "Vi bestilte {n} stk, men {t} var {B} ved levering.",
                  "Ordrenummer {o} har ikke kommet ennå, når kommer leveransen?",
                  "Kan dere sende en ny {c} så snart som mulig?", "{T} virker ikke etter utpakking.",
                  "Jeg vil kansellere ordre {o}, vi trenger ikke {c} lenger.",
                  "Legger ved bilder av {t} og {x}.", "{X} var {B} og {t} manglet helt.",
                  "Serienummer {s} på {t}.", "Fakturaen stemmer ikke med ordren, vi fikk {n} {c}.",
                  "Med vennlig hilsen {name}", "Takk for raskt svar!"],
        reply=["Hei {name}, takk for meldingen.", "Vi har sendt en erstatning for {t} i dag.",
               "Kan du sende et bilde av {t} og {x}?", "Ordren {o} er nå kansellert.",
               "Returetiketten kommer på e-post snart.", "Vi har bestilt henting av {x}."]),
    "en": dict(
        things=["the screen", "the docking station", "the charger", "the keyboard", "the mouse", "the cable",
                "the router", "the printer", "the laptop", "the headset", "the server", "the switch",
                "the projector", "the tablet", "the phone", "the battery"],
        boxes=["the box", "the pallet", "the parcel", "the packaging"],
        bad=["broken", "cracked", "scratched", "dented", "water damaged", "damaged", "smashed"],
        pre=["monitor", "charging", "network", "backpack", "office", "warehouse", "wall", "floor", "power",
             "audio", "memory", "travel", "desk", "remote", "car", "usb", "microphone", "conference"],
        suf=["stand", "cable", "adapter", "holder", "unit", "bag", "dock", "mount", "module", "card", "lamp", "pen"],
        customer=["Hello, {t} arrived {B} when we opened {x}.", "We ordered {n} units but {t} was {B} on delivery.",
                  "Order number {o} has not arrived yet, when will it be delivered?",
                  "Could you send a new {c} as soon as possible?", "{T} does not work after unpacking.",
                  "Please cancel order {o}, we no longer need the {c}.", "Attaching photos of {t} and {x}.",
                  "Serial number {s} on {t}.", "The invoice does not match the order, we got {n} {c}.",
                  "Kind regards, {name}", "Thanks for the quick reply!"],
        reply=["Hi {name}, thank you for your message.", "We have sent a replacement for {t} today.",
               "Could you send a photo of {t} and {x}?", "Order {o} is now cancelled.",
               "The return label will come by e-mail shortly.", "We have booked a pickup of {x}."]),
}
NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Ingrid", "Ola", "Kari", "Per", "Sofia", "Nils"]
NO_HITS = ["xylofonstämning", "zebrarandig", "kvantdatorn", "flamingofjäder", "tubaensemble", "sjørøverskatt",
           "papegøyefjær", "marmeladeburk", "saxofonkvartett", "kanelbullebak"]


class Texts:
    """Messages from the templates; the compounds follow a Zipf law, so the tail's words are rare."""

    def __init__(self, seed: int = 11):
        self.rnd = random.Random(seed)
        self.compounds = {lang: [p + s for p in w["pre"] for s in w["suf"]] for lang, w in WORDS.items()}
        for lang, items in self.compounds.items():
            random.Random(lang).shuffle(items)
        self.weights = {lang: list(itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(items))))
                        for lang, items in self.compounds.items()}

    def compound(self, lang: str) -> str:
        return self.rnd.choices(self.compounds[lang], cum_weights=self.weights[lang])[0]

    def fill(self, template: str, lang: str, order: str) -> str:
        w, rnd = WORDS[lang], self.rnd
        t, x = rnd.choice(w["things"]), rnd.choice(w["boxes"])
        return template.format(T=t[0].upper() + t[1:], t=t, X=x[0].upper() + x[1:], x=x, B=rnd.choice(w["bad"]),
                               c=self.compound(lang), n=rnd.randrange(2, 40), o=order, name=rnd.choice(NAMES),
                               s="SN" + "".join(rnd.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=8)))

    def message(self, kind: str, lang: str, order: str) -> str:
        w = WORDS[lang]
        count = self.rnd.randrange(3, 7) if kind == "customer" else self.rnd.randrange(2, 4)
        return " ".join(self.fill(self.rnd.choice(w[kind]), lang, order) for _ in range(count))

    def thread(self, lang: str, order: str) -> list[tuple[str, str]]:
        """~3 messages: the request, a reply, and mostly a second customer message or an internal note."""
        lang = "en" if self.rnd.random() < 0.1 else lang          # some customers write in English
        out = [("customer", self.message("customer", lang, order)), ("reply", self.message("reply", lang, order))]
        extra = self.rnd.random()
        if extra < 0.7:
            out.append(("customer", self.message("customer", lang, order)))
        elif extra < 0.9:
            out.append(("note", self.message("reply", lang, order)))
        return out


def _fill(n: int) -> float:
    """Schema, then n tickets with their messages and index, in chunks; returns seconds taken."""
    start = time.perf_counter()
    db.drop_all()
    db.create_all()
    postgres = db.engine.dialect.name == "postgresql"
    indexes = list(Ticket.__table__.indexes)
    with db.engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
        if postgres:
            text_index.drop(conn)
            text_index.create(conn, with_index=False)
    texts, tickets = Texts(), _rows(n)
    raw = db.engine.raw_connection()
    max_chars = current_app.config["TICKET_SEARCH_MAX_CHARS"]
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    try:
        cur = raw.cursor()
        for first in range(1, n + 1, CHUNK):
            chunk = list(itertools.islice(tickets, CHUNK))
            messages, fts = [], []
            for ticket_id, row in enumerate(chunk, first):
                thread = texts.thread(row[3], row[13])
                messages += [(ticket_id, kind, row[10] if kind == "customer" else None, body, row[15])
                             for kind, body in thread]
                if not postgres:
                    facts = (row[0], row[11], row[12], row[10], row[13])
                    fts.append((ticket_id, *text_index.sqlite_row(row[2], row[3], row[9], [b for _k, b in thread], facts,
                                                                  max_chars)))
            if postgres:
                with cur.copy(f"COPY ticket ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
                with cur.copy("COPY message (ticket_id, kind, sender, body_text, created_at) FROM STDIN") as copy:
                    for row in messages:
                        copy.write_row(row)
            else:
                cur.executemany(f"INSERT INTO ticket ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                                ((*r[:15], *(d.strftime(stamp) if d else None for d in r[15:20]), r[20]) for r in chunk))
                cur.executemany("INSERT INTO message (ticket_id, kind, sender, body_text, created_at) "
                                "VALUES (?, ?, ?, ?, ?)", ((*m[:4], m[4].strftime(stamp)) for m in messages))
                cur.executemany(f"INSERT INTO {text_index.FTS_TABLE} (rowid, subject, body, facts) VALUES (?, ?, ?, ?)",
                                fts)
            raw.commit()
    finally:
        raw.close()
    print(f"  rows written in {time.perf_counter() - start:.1f} s", flush=True)
    with db.engine.begin() as conn:
        for index in indexes:
            index.create(conn)
    if postgres:
        _pg_index(n, max_chars)
    with db.engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
        if not postgres:              # one b-tree per segment, as a long-running FTS5 table ends up after merges
            conn.execute(sa.text(f"INSERT INTO {text_index.FTS_TABLE} ({text_index.FTS_TABLE}) VALUES ('optimize')"))
    return time.perf_counter() - start


def _pg_index(n: int, max_chars: int) -> None:
    """The documents by text_index's own statement, in two id ranges at once (two cores), then the GIN index."""
    start = time.perf_counter()

    app = current_app._get_current_object()

    def part(low: int, high: int) -> None:
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text_index._pg_upsert(sa.text(f"t.id BETWEEN {low} AND {high}")), {"max": max_chars})
    halves = [threading.Thread(target=part, args=(1, n // 2)), threading.Thread(target=part, args=(n // 2 + 1, n))]
    for t in halves:
        t.start()
    for t in halves:
        t.join()
    print(f"  tsvectors in {time.perf_counter() - start:.1f} s", flush=True)
    with db.engine.begin() as conn:
        conn.execute(sa.text("SET maintenance_work_mem = '1GB'"))
        text_index.create_pg_index(conn)
        text_index.create_market_indexes(conn)
    print(f"  GIN index in {time.perf_counter() - start:.1f} s (with the tsvectors)", flush=True)


def _queries() -> dict[str, list[str]]:
    texts = Texts()
    sv, nb = texts.compounds["sv"], texts.compounds["nb"]
    serials = re.findall(r"SN[A-Z0-9]{8}", " ".join(texts.message("customer", "sv", "1") for _ in range(400)))
    return {"common word": ["leveransen", "trasig", "skärmen", "ordern", "knust", "damaged", "kartongen"],
            "medium word": sv[60:66] + nb[60:66],
            "rare word": sv[-10:] + nb[-10:],
            "serial number": serials[:10],
            "phrase": ['"kom trasig"', '"var knust"', '"arrived broken"', '"skicka en ny"', f'"ny {sv[-1]}"'],
            "several words": ["trasig skärmen", "knust esken", "ordern makulerad", f"{sv[-2]} trasig"],
            "exclusion": ["trasig -skärmen", "knust -esken", "leveransen -kartongen"],
            "no hit": NO_HITS}


def _measure(app, runs: int, engine: str, size: int) -> None:
    db.session.execute(db.delete(accounts.Agent))
    db.session.commit()
    admin = accounts.create_agent("bench-admin@example.test", "Bench Admin", "lantern meadow 42", role="admin")
    agent = accounts.create_agent("bench-se@example.test", "Bench SE", "lantern meadow 42", markets="se")
    print(f"{'case':58} {'p50 ms':>8} {'p95 ms':>8}")
    for who in (admin, agent):
        client = app.test_client()
        client.post("/agent/login", data={"email": who.email, "password": "lantern meadow 42"})
        for kind, queries in _queries().items():
            cycle = itertools.cycle(queries)
            for q in queries:
                assert client.get("/agent/search", query_string={"q": q}).status_code == 200, q
            p50, p95 = _time(lambda: client.get("/agent/search", query_string={"q": next(cycle)}), runs)
            label = f"{engine} {size:,}: {who.email.split('@')[0]}: {kind}"
            print(f"{label:58} {p50:8.1f} {p95:8.1f}{'' if p95 < 100 else '  OVER TARGET'}", flush=True)
            bench(f"ticket_search.{engine}.{who.email.split('@')[0]}.{kind.replace(' ', '_')}.p95", p95, "ms",
                  target=100, tickets=size)


def _run(url: str, engine: str, tickets: int, runs: int, keep: bool = False) -> None:
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "TESTING": True, "SERVER_NAME": None,
                      "TWO_FACTOR_REQUIRED": "off"})          # the bench admin signs in with the password alone
    with app.app_context():
        have = 0
        if keep:
            db.create_all()
            have = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
            db.session.rollback()          # the count's transaction would block the fill's DROP TABLE
        if have < tickets:
            seconds = _fill(tickets)
            print(f"filled {tickets:,} tickets ({engine}) in {seconds:.1f} s", flush=True)
            bench(f"ticket_search.{engine}.fill", seconds, "s", tickets=tickets)
        _measure(app, runs, engine, tickets)
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--url", help="a PostgreSQL URL to use (EMPTIED); default: a throwaway cluster")
    parser.add_argument("--keep", action="store_true", help="with --url: reuse it if it already holds the tickets")
    parser.add_argument("--sqlite-file", help="keep the SQLite database in this file, and reuse it if it is filled")
    args = parser.parse_args()
    if args.sqlite_file:
        _run("sqlite:///" + os.path.abspath(args.sqlite_file), "sqlite", args.tickets, args.runs, keep=True)
    elif args.engine in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="bench-search-")
        try:
            _run("sqlite:///" + os.path.join(folder, "bench.db"), "sqlite", args.tickets, args.runs)
        finally:
            for name in os.listdir(folder):
                os.remove(os.path.join(folder, name))
            os.rmdir(folder)
    if args.engine in ("postgresql", "both") and not args.sqlite_file:
        if args.url:
            _run(args.url, "postgresql", args.tickets, args.runs, keep=args.keep)
        else:
            with postgres_cluster() as url:
                _run(url, "postgresql", args.tickets, args.runs)


if __name__ == "__main__":
    main()
