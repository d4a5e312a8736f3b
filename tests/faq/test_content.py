"""The real content/faq.yaml: the contract of slugs and categories, and the rules its texts must keep."""
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from support.faq.catalog import blocks, fill, load
from support.faq.cli import check
from support.markets import DEFAULT_MARKETS, LANGUAGES

FAQ = Path(__file__).resolve().parents[2] / "content" / "faq.yaml"

CATEGORIES = ["orders", "delivery", "account", "invoices", "returns", "chemical-tax", "contact", "terms", "about"]

# The stable slugs (used in URLs and by the search evaluation), in page order, with their categories.
TOPICS = [
    ("change-order", "orders"), ("view-orders", "orders"), ("outstanding-orders", "orders"),
    ("cancel-order", "orders"), ("order-cutoff-time", "orders"), ("out-of-stock-eta", "orders"),
    ("import-order-spreadsheet", "orders"),
    ("delivery-contact", "delivery"), ("order-stuck-status", "delivery"), ("transport-damage", "delivery"),
    ("order-not-shipped", "delivery"), ("track-order", "delivery"), ("shipping-cost", "delivery"),
    ("change-email", "account"), ("add-user", "account"), ("forgot-password", "account"),
    ("find-products", "account"),
    ("find-invoices", "invoices"),
    ("complaints-warranty", "returns"), ("register-return", "returns"), ("doa", "returns"),
    ("chemical-tax", "chemical-tax"), ("chemical-tax-stockist", "chemical-tax"),
    ("privacy-statement", "contact"), ("contact-support", "contact"),
    ("general-terms", "terms"), ("special-terms", "terms"), ("ecommerce-terms", "terms"), ("export-rules", "terms"),
    ("stako-terms", "terms"), ("bid-stako-price-lists", "terms"), ("opg-special-price-terms", "terms"),
    ("adobe-terms", "terms"),
    ("about-ingram-micro-sweden", "about"), ("about-ingram-micro-norway", "about"), ("social-media", "about"),
]

# Requests that cannot wait must lead to their contact form.
REQUESTS = {"cancel-order": "cancellation", "transport-damage": "damage", "order-stuck-status": "stuck-order"}

EMAIL = re.compile(r"\S+@\S+")
PHONE = re.compile(r"\+?\d[\d ]{5,}\d")
CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\b")   # opening hours and cut-off times come from the market
SUPPORT_WORDS = {"sv": "kundtjänst", "nb": "kundeservice", "en": "Customer Support"}


@pytest.fixture(scope="module")
def catalog():
    return load(FAQ)


def texts(catalog):
    return [(entry, lang, entry.text(lang)) for entry in catalog.entries.values() for lang in LANGUAGES]


def market_values(code: str) -> dict:
    market = DEFAULT_MARKETS[code]
    return {"phone": market.phone, "support_email": market.support_email,
            "cancellations_email": market.cancellations_email, "opening_hours": "08:30–17:00",
            "cutoff": market.order_cutoff.strftime("%H:%M"), "bid_cutoff": market.bid_order_cutoff.strftime("%H:%M")}


def test_slugs_and_categories_are_the_contract(catalog):
    assert [(e.slug, e.category) for e in catalog.entries.values()] == TOPICS
    assert list(catalog.categories) == CATEGORIES


def test_every_entry_and_category_has_every_language(catalog):
    for entry in catalog.entries.values():
        assert tuple(entry.texts) == LANGUAGES, entry.slug
        assert all(entry.text(lang).keywords for lang in LANGUAGES), f"{entry.slug}: keywords help search"
    for key in CATEGORIES:
        assert all(catalog.category_name(key, lang) for lang in LANGUAGES)


def test_no_contact_details_written_out(catalog):
    for entry, lang, text in texts(catalog):
        for pattern in (EMAIL, PHONE, CLOCK):
            found = pattern.search(text.question + "\n" + text.answer)
            assert found is None, f"{entry.slug} {lang}: {found and found[0]!r}: use contact: true or a placeholder"


@pytest.mark.parametrize("lang, market", [("sv", "se"), ("nb", "no"), ("en", "se"), ("en", "no")])
def test_answers_fill_completely_for_their_market(catalog, lang, market):
    # Norway's e-mail addresses are unknown (None): nb must not depend on them, or fill() would drop text. English
    # serves both markets, so its one paragraph with the Swedish cancellations address is dropped for Norway.
    values = market_values(market)
    for entry in catalog.entries.values():
        answer = entry.text(lang).answer
        if lang == "en" and market == "no":
            answer = "\n\n".join(p for p in answer.split("\n\n") if "{cancellations_email}" not in p)
        filled = blocks(fill(answer, values))
        assert [len(b.lines) for b in filled] == [len(b.lines) for b in blocks(answer)], f"{entry.slug} {lang}"
        assert not any("{" in line for b in filled for line in b.lines), f"{entry.slug} {lang}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_cancellation_address_is_given_where_known_and_left_out_where_unknown(catalog, lang):
    answer = catalog.entries["cancel-order"].text(lang).answer
    assert "cancellations@ingrammicro.se" in fill(answer, market_values("se"))
    assert fill(answer, market_values("no")) == answer.split("\n\n")[0]


def test_requests_lead_to_their_forms(catalog):
    for slug, request in REQUESTS.items():
        assert catalog.entries[slug].request == request
        assert catalog.entries[slug].contact


def test_answers_that_send_to_support_show_the_contact_block(catalog):
    for entry, lang, text in texts(catalog):
        if SUPPORT_WORDS[lang] in text.answer:
            assert entry.contact, f"{entry.slug} {lang} sends the reader to support without contact details"


def test_chemical_tax_is_explained_as_swedish_outside_sweden(catalog):
    for slug in ("chemical-tax", "chemical-tax-stockist"):
        for lang, country in (("nb", "Sverige"), ("en", "Sweden")):
            answer = catalog.entries[slug].text(lang).answer
            assert "Skatteverket" in answer and country in answer, (slug, lang)
    assert "utenfor Sverige faktureres netto" in catalog.entries["chemical-tax"].text("nb").answer


def test_encoding_is_repaired():
    text = FAQ.read_text(encoding="utf-8")
    assert "Ă" not in text
    assert text.count("Borås") >= 3   # the Swedish logistics site, in every language


def test_check_command_accepts_the_real_content():
    result = CliRunner().invoke(check, ["--path", str(FAQ)])
    assert (result.exit_code, result.stdout) == (0, "OK: 36 entries in 3 languages\n")
