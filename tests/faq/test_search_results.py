"""The search results page as a visitor reads it: market facts filled in, a short list, the "did you mean" link."""
import html as htmllib
import re
import string

from support.faq.catalog import PLACEHOLDERS
from support.markets import LANGUAGES

TAG = re.compile(r"<[^>]+>")


def _text(page: str) -> str:
    """The page's visible text: tags (the snippets' <mark> too) dropped, entities decoded, spaces normalised."""
    return " ".join(htmllib.unescape(TAG.sub("", page)).split())


def _shown(page: str) -> list[str]:
    """The answer and the listed results of a results page (not the query, which the page repeats)."""
    return [_text(part) for part in re.findall(r'<section class="search-answer".*?</section>'
                                               r'|<ol class="search-results">.*?</ol>', page, re.S)]


def _gaps(answer: str) -> list[str]:
    """How each line with a market fact would read with the fact missing: "kl. , för BID-ordrar kl. , om"."""
    gaps = []
    for line in answer.splitlines():
        parsed = list(string.Formatter().parse(line.lstrip("- ")))
        if any(field in PLACEHOLDERS for _, field, _, _ in parsed):
            gaps.append(" ".join("".join(literal for literal, *_ in parsed).split()))
    return gaps


def _queries(entry, lang):
    """The entry's question, and each line with a market fact as typed words: its snippet shows that line."""
    text = entry.text(lang)
    lines = [re.sub(r"\{\w+\}", " ", line).strip("- ") for line in text.answer.splitlines() if "{" in line]
    return [text.question, *lines]


def test_no_results_page_shows_an_unfilled_market_fact(app, client):
    catalog, markets = app.extensions["faq"], app.extensions["markets"]
    checked = 0
    for entry in catalog.entries.values():
        for lang in LANGUAGES:
            gaps = {gap for other in LANGUAGES for gap in _gaps(entry.text(other).answer)}
            for market in markets:
                for query in _queries(entry, lang):
                    args = {"q": query, "market": market}
                    page = client.get(f"/{lang}/search", query_string=args).get_data(as_text=True)
                    api = client.get("/api/faq/search", query_string={**args, "lang": lang}).get_json()
                    for shown in (*_shown(page), *(_text(r["snippet"]) for r in api["results"])):
                        assert not re.search(r"\{\w+\}", shown), (entry.slug, lang, market, query)
                        for gap in gaps:
                            assert gap not in shown, (entry.slug, lang, market, query, gap)
                    checked += 1
    assert checked > 2 * len(catalog.entries) * len(LANGUAGES)


def test_a_snippet_shows_the_markets_own_times(app, client):
    markets = app.extensions["markets"]
    for market in markets.values():
        page = client.get("/sv/search", query_string={"q": "ordern lades efter sista ordertid BID-ordrar",
                                                     "market": market.code}).get_data(as_text=True)
        text = _text(page)
        assert f"kl. {market.order_cutoff:%H.%M}, för BID-ordrar kl. {market.bid_order_cutoff:%H.%M}" in text


def test_with_a_confident_answer_only_close_results_are_listed(client):
    page = client.get("/sv/search", query_string={"q": "jag har glömt mitt lösenord"}).get_data(as_text=True)
    assert 'class="search-answer"' in page and "/sv/faq/forgot-password" in page
    listed = re.findall(r'<ol class="search-results">(.*?)</ol>', page, re.S)
    assert len(re.findall(r"<li>", listed[0] if listed else "")) <= 3
    assert "/sv/faq/forgot-password" not in (listed[0] if listed else "")     # the answer is not listed again


def test_without_an_answer_the_few_plausible_results_are_listed(client):
    body = client.get("/api/faq/search", query_string={"q": "villkor", "lang": "sv", "limit": 10}).get_json()
    assert body["answer"] is None and len(body["results"]) > 5       # the API still ranks everything it finds
    page = client.get("/sv/search", query_string={"q": "villkor"}).get_data(as_text=True)
    items = re.findall(r'<ol class="search-results">(.*?)</ol>', page, re.S)
    assert items and 1 <= len(re.findall(r"<li>", items[0])) <= 5
    count = len(re.findall(r"<li>", items[0]))
    assert (f"{count} träffar" if count > 1 else "1 träff") in _text(page)


def test_did_you_mean_links_to_the_corrected_search(client):
    page = client.get("/sv/search", query_string={"q": "glömt lösenrod"}).get_data(as_text=True)
    link = re.search(r'class="search-suggestion">.*?<a href="([^"]+)">([^<]+)</a>', page, re.S)
    assert link, "the page offers a correction"
    href, suggestion = htmllib.unescape(link.group(1)), link.group(2)
    assert suggestion == "glömt lösenord" and href.startswith("/sv/search?q=")
    followed = client.get(href).get_data(as_text=True)
    assert 'class="search-answer"' in followed and "/sv/faq/forgot-password" in followed
    assert 'class="search-suggestion"' not in followed
