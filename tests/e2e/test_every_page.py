"""Every page that renders HTML, in Swedish and Norwegian, at phone and desk size: axe-core finds no serious or
critical violation, Tab reaches every form control with a visible focus ring, nothing scrolls sideways, and a
screenshot of each goes to test-artifacts/screenshots/page-<name>-<lang>-<viewport>.png.

One browser context per (language, viewport) walks the whole list (a journey per page would cost a browser start
each). `test_every_html_route_is_visited` keeps the list honest: each GET route of the app's url_map is either
visited here or named in NOT_HTML with what it answers instead. The enrolled agent's two-factor page and the
recovery codes (shown once, after enrolment) are scanned in test_two_factor_journey.py.
"""
import functools
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from support import clock
from support.agent import accounts, twofactor
from support.extensions import db, limiter
from support.mail.ingest import ingest
from support.mail.models import InboundMail
from support.tickets import answers, links, operations, photos
from tests.mail.conftest import build
from tests.tickets.images import pdf

from .conftest import STEADY_NOW
from .helpers import damage_photo, in_app, run_axe, walk_tab_order

PASSWORD = "e2e every page lantern"
ADMIN, CODED = "eva.admin@e2e.example", "ola.kode@e2e.example"
LOCALES = {"sv": "sv-SE", "nb": "nb-NO"}
MARKET = {"sv": "se", "nb": "no"}
MAILBOXES = {"help-se@e2e.example": {"market": "se", "queue": "general"},
             "help-no@e2e.example": {"market": "no", "queue": "general"}}
KINDS = ("cancellation", "damage", "stuck-order", "other")
FORGOT_SUBJECT = {"sv": "Lösenord", "nb": "Passord"}
FORGOT = {"sv": "Hej, jag har glömt mitt lösenord till webbshoppen. Hur loggar jag in nu?",
          "nb": "Hei, jeg har glemt passordet til nettbutikken. Hvordan logger jeg inn nå?"}
# customers paste long unbroken lines (links, order lists): each page must wrap them, never scroll sideways
LONG_LINE = "Hej, fraktsedeln finns här: https://exempel.test/fraktsedlar/2026/03/11/4711-0001-transportskada-kartong.pdf"
LIMIT_BYTES = 64 * 1024          # the errors site's request cap: a 413 needs only a little more than this


@dataclass
class Visit:
    """One page: where it is, the status it answers, and how to reach it when a plain GET does not (a form
    sent, a limit passed)."""
    name: str
    path: str = ""
    status: int = 200
    arrive: object = None               # callable(page, url) instead of page.goto(url)
    endpoints: tuple = field(default_factory=tuple)   # url_map endpoints this visit accounts for


def _seed_tickets(admin) -> dict:
    """Per market: one request of each kind through the real intake; the damage one has a photo, an agent's reply
    with a PDF, a note and a status change, so the ticket page and the status page show every kind of entry."""
    now, refs = clock.now(), {}
    for lang, market in MARKET.items():
        for kind in KINDS:
            draft = operations.Draft(market=market, language=lang, channel="web", category=kind,
                                     subject=f"{kind} 4711{len(refs):03d}", body=LONG_LINE,
                                     customer_email=f"kund.{market}@exempel.test", customer_name="Åsa Kund",
                                     company="Exempel Data AB", order_numbers=f"4711{len(refs):03d}",
                                     delivered_at=now - timedelta(hours=2) if kind == "damage" else None)
            uploads = [photos.Upload("skada.jpg", damage_photo("skada", "#8a6a3a"), "image/jpeg")] \
                if kind == "damage" else []
            ticket = operations.open_ticket(draft, uploads, now=now)
            refs[(lang, kind)] = (ticket.reference, links.status_key(ticket))
        ticket = links.ticket_by_reference(refs[(lang, "damage")][0])
        operations.reply(ticket, admin, "Hej Åsa! Fraktsedeln ligger bifogad.", version=ticket.version, now=now,
                         uploads=[photos.Upload("fraktsedel.pdf", pdf(), "application/pdf")])
        operations.add_note(ticket, admin, "Ringde transportören.", version=ticket.version, now=now)
        duplicate = operations.open_ticket(operations.Draft(
            market=market, language=lang, channel="web", category="other", subject="Samma fråga igen",
            body="Hej igen.", customer_email=f"kund.{market}@exempel.test", company="Exempel Data AB"), now=now)
        target = links.ticket_by_reference(refs[(lang, "other")][0])
        refs[(lang, "merged")] = (duplicate.reference, links.status_key(duplicate))
        operations.merge(duplicate, target, admin, version=duplicate.version, now=now)
        # a question the FAQ answers: its acknowledgement carries the answer and the "this solved it" link
        asked = operations.open_ticket(operations.Draft(
            market=market, language=lang, channel="web", category="other", subject=FORGOT_SUBJECT[lang],
            body=FORGOT[lang], customer_email=f"glomde.{market}@exempel.test"), now=now)
        assert [e.data["entry"] for e in asked.events if e.action == "answer_offered"] == ["forgot-password"]
        refs[(lang, "solved")] = (asked.reference, answers.solved_token(asked, "forgot-password"))
    return refs


@pytest.fixture(scope="module")
def site(make_site):
    site = make_site(FROZEN_NOW=STEADY_NOW, TWO_FACTOR_REQUIRED="off", MAILBOXES=MAILBOXES,
                     MARKET_OVERRIDES={"no": {"support_email": "support-no@e2e.example"}}, NOTIFY_GATHER_SECONDS=0)
    with in_app(site):
        admin = accounts.create_agent(ADMIN, "Eva Admin", PASSWORD, role="admin", markets="se,no")
        coded = accounts.create_agent(CODED, "Ola Kode", PASSWORD, markets="se,no")
        twofactor.enrol(coded, now=clock.utcnow())
        db.session.commit()
        site.refs = _seed_tickets(admin)
        held = ingest(build(sender="Kund <kund@foretag.se>", to="help-se@e2e.example", subject="Frånvaro: Order 4711",
                            body="Jag är på semester till måndag. " + LONG_LINE, headers={"Auto-Submitted": "auto-replied"}),
                      now=clock.now())
        assert held.action == "ignored", held
        site.held_id = db.session.scalar(select(InboundMail.id).where(InboundMail.subject == "Frånvaro: Order 4711"))
    return site


@pytest.fixture(scope="module")
def errors_site(make_site):
    """A site that makes the error pages for real: a route that fails (500), a limit of one sign-in an hour
    (429), and a small request cap (413). PROPAGATE_EXCEPTIONS off: TESTING would otherwise re-raise the fault.

    Flask-Limiter keeps one `enabled` flag for every app it serves, set by the app built last: this site turns
    limits on for the sites of this module (their limits are far above what the sweep sends) and the flag is
    put back afterwards, so the modules that follow run as they would alone.
    """
    was_enabled = limiter.enabled
    site = make_site(FROZEN_NOW=STEADY_NOW, PROPAGATE_EXCEPTIONS=False, RATELIMIT_ENABLED=True,
                     LOGIN_RATE_LIMIT="1 per hour", MAX_CONTENT_LENGTH=LIMIT_BYTES)

    def fault(lang):
        raise RuntimeError("a planted fault: the 500 page")
    site.app.add_url_rule("/<lang>/e2e-fault", "e2e_fault", fault)
    yield site
    limiter.enabled = was_enabled


@pytest.fixture(params=sorted(LOCALES))
def lang(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, lang):
    return {**browser_context_args, "locale": LOCALES[lang]}


def _post_too_much(page: Page, url: str) -> None:
    """A form post larger than the request cap, sent by the browser itself (no page of ours offers one)."""
    with page.expect_navigation():
        page.evaluate("""([url, size]) => {
            const form = Object.assign(document.createElement('form'), {method: 'post', action: url,
                                                                        enctype: 'multipart/form-data'});
            const text = Object.assign(document.createElement('textarea'), {name: 'body', value: 'x'.repeat(size)});
            form.append(text); document.body.append(form); form.submit(); }""", [url, LIMIT_BYTES * 2])


def _limited(page: Page, url: str) -> None:
    for _attempt in range(2):           # the first sign-in of the hour may pass (as a refusal); the second never does
        page.goto(url)
        page.locator("#email").fill("nobody@e2e.example")
        page.locator("#password").fill("not the password")
        page.locator("#password").press("Enter")
        page.wait_for_load_state()


def _sent_empty(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("main form button[type=submit]").last.click()


def _previewed(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("main input[type=email]").fill("kund.se@exempel.test")
    page.locator("main button[value=preview]").click()


def _shortcut_help(page: Page, url: str) -> None:
    page.goto(url)
    page.keyboard.press("?")
    expect(page.locator("#shortcut-help")).to_be_visible()


def customer_pages(refs, lang) -> list[Visit]:
    status = lambda kind: "/{}/ticket/{}?key={}".format(lang, *refs[(lang, kind)])
    receipt = lambda kind: "/{}/ticket/{}/received?key={}".format(lang, *refs[(lang, kind)])
    return [
        Visit("faq-home", f"/{lang}/", endpoints=("faq.home",)),
        Visit("faq-category", f"/{lang}/categories/delivery", endpoints=("faq.category",)),
        Visit("faq-entry", f"/{lang}/faq/cancel-order", endpoints=("faq.entry",)),
        Visit("faq-search", f"/{lang}/search?q=faktura", endpoints=("faq.search",)),
        Visit("faq-search-nothing", f"/{lang}/search?q=qzxvw"),
        Visit("contact", f"/{lang}/contact/", endpoints=("tickets.contact",)),
        *[Visit(f"form-{kind}", f"/{lang}/contact/{kind}", endpoints=("tickets.request_form",)) for kind in KINDS],
        Visit("form-errors", f"/{lang}/contact/damage", 422, _sent_empty),
        *[Visit(f"receipt-{kind}", receipt(kind), endpoints=("tickets.received",)) for kind in KINDS],
        Visit("status", status("damage"), endpoints=("tickets.status",)),
        Visit("status-merged", status("merged")),
        Visit("solved", "/{}/ticket/{}/solved?token={}".format(lang, *refs[(lang, "solved")]),
              endpoints=("tickets.solved",)),
        Visit("solved-forged", "/{}/ticket/{}/solved?token=forged".format(lang, refs[(lang, "solved")][0]), 404),
    ]


def error_pages(lang) -> list[Visit]:
    return [
        Visit("error-404", f"/{lang}/no-such-page", 404),
        Visit("error-500", f"/{lang}/e2e-fault", 500),
        Visit("error-429", "/agent/login", 429, _limited),
        Visit("error-413", f"/{lang}/faq/cancel-order/vote", 413, _post_too_much),
        Visit("form-413", f"/{lang}/contact/damage", 413, _post_too_much),
    ]


def agent_pages(site, lang) -> list[Visit]:
    ref = site.refs[(lang, "damage")][0]
    return [
        Visit("agent-queues", "/agent/", endpoints=("agent.index",)),
        Visit("agent-shortcut-help", "/agent/", arrive=_shortcut_help),
        Visit("agent-queue-damage", "/agent/?queue=damage"),
        Visit("agent-mine", "/agent/?view=mine"),
        Visit("agent-search", "/agent/search?q=4711", endpoints=("agent.search",)),
        Visit("agent-ticket", f"/agent/tickets/{ref}", endpoints=("agent.ticket",)),
        Visit("agent-overview", "/agent/overview", endpoints=("agent.overview_page",)),
        Visit("agent-agents", "/agent/agents", endpoints=("agent.agents",)),
        Visit("agent-password", "/agent/password", endpoints=("agent.password",)),
        Visit("agent-held", "/agent/held", endpoints=("agent.held_list",)),
        Visit("agent-held-mail", f"/agent/held/{site.held_id}", endpoints=("agent.held_mail",)),
        Visit("agent-notifications", "/agent/notifications/", endpoints=("notifications.index",)),
        Visit("agent-privacy", "/agent/privacy", endpoints=("agent.privacy",)),
        Visit("agent-privacy-preview", "/agent/privacy", arrive=_previewed),
        Visit("agent-two-factor-enrol", "/agent/two-factor", endpoints=("agent.two_factor",)),
    ]


# GET routes that answer something other than an HTML page, or that only redirect
NOT_HTML = {
    "web.index": "a redirect to /<lang>/ by Accept-Language",
    "web.healthz": "JSON", "api.opening_hours": "JSON", "api.ping": "JSON", "faq.api_search": "JSON",
    "static": "CSS and JavaScript",
    "tickets.attachment": "a customer's file", "agent.attachment": "a ticket's file",
    "agent.raw_mail": "a mail's source as text/plain", "agent.held_raw": "held mail as an .eml download",
    "agent.export_queue": "CSV", "agent.export_overview": "CSV",
    "notifications.open_note": "a redirect to the notification's ticket (test_workspace_journeys.py)",
}
SIGN_IN_PAGES = ("agent.login", "agent.second_factor", "agent.recovery_code")


def check_page(page: Page, visit: Visit, url: str, lang: str, shoot, *, keyboard: bool, response=None) -> None:
    """Arrive, then: the status, the language, one main heading, axe, the whole tab order, the screenshot."""
    if visit.arrive:
        documents = []
        listen = lambda r: documents.append(r) if r.request.resource_type == "document" else None
        page.on("response", listen)
        visit.arrive(page, url)
        page.wait_for_load_state()
        page.remove_listener("response", listen)
        response = documents[-1]
    elif response is None:
        response = page.goto(url)
    where = f"{visit.name} ({lang})"
    assert response.status == visit.status, f"{where}: {response.status} from {response.url}"
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    run_axe(page, where)
    if keyboard:
        assert walk_tab_order(page, where) > 0, f"{where}: nothing takes focus"
    shoot(f"page-{visit.name}-{lang}")


# The tab order and the focus rings are the same in both languages (one set of templates), so the keyboard walk,
# the slowest check after axe, runs once per size: Swedish at desk size, Norwegian on the phone.
KEYBOARD_RUNS = {("sv", "desk"), ("nb", "phone")}


def test_every_page_is_accessible_by_keyboard_and_screen_reader(page, site, errors_site, lang, viewport, shoot):
    check = functools.partial(check_page, keyboard=(lang, viewport) in KEYBOARD_RUNS)
    assert limiter.enabled, "another site was built after errors_site: the 429 page would not come"
    for visit in customer_pages(site.refs, lang):
        check(page, visit, site.url + visit.path, lang, shoot)
    for visit in error_pages(lang):
        check(page, visit, errors_site.url + visit.path, lang, shoot)

    check(page, Visit("agent-login"), f"{site.url}/agent/login", lang, shoot)
    _password_step(page, site, CODED)
    expect(page).to_have_url(re.compile(r"/agent/login/code$"))
    check(page, Visit("agent-code"), page.url, lang, shoot, response=page.reload())
    check(page, Visit("agent-recovery-code"), f"{site.url}/agent/login/recovery", lang, shoot)
    page.locator("main form[action$='/agent/logout'] button").click()         # cancel and sign out
    expect(page).to_have_url(re.compile(r"/agent/login"))

    _password_step(page, site, ADMIN)
    expect(page).to_have_url(re.compile(r"/agent/$"))
    for visit in agent_pages(site, lang):
        check(page, visit, site.url + visit.path, lang, shoot)


def _password_step(page: Page, site, email: str) -> None:
    page.goto(f"{site.url}/agent/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#password").press("Enter")
    page.wait_for_load_state()


def test_every_html_route_is_visited(site):
    """A new page cannot slip past the sweep: every GET route is visited above or said not to be HTML."""
    visited = {e for lang in LOCALES for v in customer_pages(site.refs, lang) + agent_pages(site, lang)
               for e in v.endpoints}
    gets = {rule.endpoint for rule in site.app.url_map.iter_rules() if "GET" in rule.methods}
    missing = gets - visited - set(NOT_HTML) - set(SIGN_IN_PAGES) - {"e2e_fault"}
    assert not missing, f"GET routes neither visited nor explained: {sorted(missing)}"
