"""The catalogue loader: valid content becomes dataclasses; each kind of bad content is named with file and line."""
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from support.faq.catalog import Block, ContentError, blocks, fill, load
from support.faq.cli import check

# Line numbers matter: the cases below point at them.
VALID = """\
categories:
  orders: {sv: Beställningar, nb: Bestillinger, en: Orders}
  delivery: {sv: Leverans, nb: Levering, en: Delivery}
entries:
  - slug: change-order
    category: orders
    related: [track-order]
    contact: true
    request: cancellation
    sv:
      question: Hur ändrar jag min order?
      answer: Ändra den i varukorgen före kl. {cutoff}.
    nb:
      question: Hvordan endrer jeg ordren?
      answer: Endre den i handlekurven.
      keywords: [endre, korrigere]
    en:
      question: How do I change my order?
      answer: Change it in the cart.
  - slug: track-order
    category: delivery
    sv: {question: "Hur spårar jag?", answer: Gå till Order.}
    nb: {question: "Hvordan sporer jeg?", answer: Gå til Order.}
    en: {question: "How do I track?", answer: Go to Order.}
"""

# (reason, text to replace, replacement, line of the problem, words the message must contain)
BAD = [
    ("duplicate slug", "- slug: track-order", "- slug: change-order", 20,
     "duplicate slug 'change-order' (first on line 5)"),
    ("missing nb answer", "      answer: Endre den i handlekurven.\n", "", 13, "entry 'change-order', nb: missing 'answer'"),
    ("a tab indents a key", "    category: orders", "\tcategory: orders", 6, "tab"),
    ("unknown category", "category: delivery", "category: shipping", 21, "unknown category 'shipping'"),
    ("empty text", "answer: Change it in the cart.", 'answer: "  "', 19, "entry 'change-order', en: 'answer' is empty"),
    ("unknown placeholder", "{cutoff}", "{cut_off}", 12, "unknown placeholder {cut_off}"),
    ("placeholder with a format spec", "{cutoff}", "{cutoff:>5}", 12, "unknown placeholder {cutoff:>5}"),
    ("unbalanced brace", "{cutoff}", "{cutoff", 12, "unbalanced braces"),
    ("related to a missing slug", "related: [track-order]", "related: [track-order, returns]", 7,
     "related slug 'returns' does not exist"),
    ("related to itself", "related: [track-order]", "related: [change-order]", 7, "lists the entry itself"),
    ("bad YAML syntax", "question: Hur ändrar jag min order?", "question: Hur: ändrar", 11, "invalid YAML"),
    ("unclosed flow list", "related: [track-order]", "related: [track-order", 8, "invalid YAML"),
    ("missing language", '    en: {question: "How do I track?", answer: Go to Order.}\n', "", 20,
     "entry 'track-order': missing language 'en'"),
    ("unknown request type", "request: cancellation", "request: refund", 9, "unknown request type 'refund'"),
    ("unknown key in an entry", "    contact: true\n", "    contact: true\n    colour: red\n", 9, "unknown key 'colour'"),
    ("unknown key in a text", "      keywords: [endre, korrigere]", "      keyword: [endre]", 16, "unknown key 'keyword'"),
    ("contact is not a boolean", "contact: true", "contact: yes please", 8, "'contact' must be true or false"),
    ("slug not in slug form", "- slug: track-order", "- slug: Track_Order", 20, "'slug' must be lower-case"),
    ("empty keyword", "keywords: [endre, korrigere]", 'keywords: [endre, ""]', 16, "'keywords' must be a list"),
    ("duplicate key", "    nb:\n      question: Hvordan", "    sv:\n      question: Hvordan", 13, "duplicate key 'sv'"),
    ("category name missing a language", "en: Delivery}", "}", 3, "category 'delivery': missing or empty name in 'en'"),
    ("category without entries", "  delivery: {sv", "  returns: {sv: Returer, nb: Returer, en: Returns}\n  delivery: {sv",
     3, "category 'returns' has no entries"),
    ("a control character", "Go to Order.", "Go to\x07 Order.", 24, "invalid YAML: character U+0007 is not allowed"),
    ("a list as a key", "    contact: true\n", "    contact: true\n    ? [a]\n    : b\n", 9, "a mapping key must be a plain value"),
    ("category is a list", "category: delivery", "category: [delivery]", 21, "unknown category ['delivery']"),
    ("entries is not a list", VALID[VALID.index("entries:"):], "entries: none\n", 4, "'entries' must be a non-empty list"),
]


@pytest.fixture
def write(tmp_path):
    def _write(text: str, name: str = "faq.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return _write


def test_valid_content_becomes_dataclasses(write):
    catalog = load(write(VALID))
    entry = catalog.entries["change-order"]
    assert (entry.category, entry.related, entry.contact, entry.request) == (
        "orders", ("track-order",), True, "cancellation")
    assert entry.text("nb").keywords == ("endre", "korrigere")
    assert entry.text("sv").answer == "Ändra den i varukorgen före kl. {cutoff}."
    assert catalog.entries["track-order"].contact is False
    assert catalog.entries["track-order"].request is None
    assert [e.slug for e in catalog.in_category("delivery")] == ["track-order"]
    assert catalog.category_name("delivery", "nb") == "Levering"


@pytest.mark.parametrize("reason, old, new, line, words", BAD, ids=[row[0] for row in BAD])
def test_bad_content_is_named_with_file_and_line(write, reason, old, new, line, words):
    assert old in VALID, reason
    path = write(VALID.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load(path)
    expected = f"{path}:{line}: "
    assert any(p.startswith(expected) and words in p for p in caught.value.problems), caught.value.problems


def test_every_problem_is_reported_at_once(write):
    text = VALID.replace("category: delivery", "category: shipping").replace("{cutoff}", "{phone_number}")
    with pytest.raises(ContentError) as caught:
        load(write(text))
    message = str(caught.value)
    assert ":21: entry 'track-order': unknown category 'shipping'" in message
    assert ":12: entry 'change-order', sv, answer: unknown placeholder {phone_number}" in message


@pytest.mark.parametrize("reason, old, new", [
    ("an entry without a language still counts for its category", "    en: {question: \"How", "    xx: {question: \"How"),
    ("an invalid first entry still counts for duplicates", "      answer: Change it in the cart.\n", ""),
])
def test_one_mistake_is_one_problem(write, reason, old, new):
    with pytest.raises(ContentError) as caught:
        load(write(VALID.replace(old, new, 1)))
    assert len(caught.value.problems) == (2 if "xx" in new else 1), caught.value.problems  # xx: unknown + missing


@settings(max_examples=150, deadline=None)
@given(line=st.integers(0, VALID.count("\n") - 1), junk=st.sampled_from(["", "- ", ": x", "[", "{a: }", "\t", "!!set {a}",
                                                                          "? [a]\n  : b", "&a", "*a", "~", "{", "}"]))
def test_broken_content_only_ever_raises_content_error(tmp_path_factory, line, junk):
    lines = VALID.splitlines(keepends=True)
    lines[line] = lines[line][: len(lines[line]) // 2] + junk + "\n"
    path = tmp_path_factory.mktemp("fuzz") / "faq.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        load(path)
    except ContentError as exc:
        assert all(p.startswith(f"{path}:") for p in exc.problems)


def test_unreadable_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="cannot read the file"):
        load(tmp_path / "missing.yaml")


@pytest.mark.parametrize("text, values, expected", [
    ("Ring {phone} före {cutoff}.", {"phone": "+46 1", "cutoff": "14:00"}, "Ring +46 1 före 14:00."),
    ("Inga platshållare.", {}, "Inga platshållare."),
    ("Ring oss.\n\nMejla {support_email}.", {"support_email": None}, "Ring oss."),   # an unknown fact drops its paragraph
    ("Orsaker:\n- efter {cutoff}\n- slut i lager", {}, "Orsaker:\n- slut i lager"),   # ... or its list item
    ("Före {cutoff}\nsamma dag.\n\nSlut.", {}, "Slut."),                              # a paragraph goes whole
])
def test_fill(text, values, expected):
    assert fill(text, values) == expected


def test_blocks_split_paragraphs_and_lists():
    answer = "Intro line one\nline two\n\nReasons:\n- first\n- second\n\nLast."
    assert blocks(answer) == [
        Block("p", ("Intro line one", "line two")),
        Block("p", ("Reasons:",)),
        Block("ul", ("first", "second")),
        Block("p", ("Last.",)),
    ]


def test_check_command_reports_problems_on_stderr(write):
    path = write(VALID.replace("{cutoff}", "{cut_off}"))
    result = CliRunner().invoke(check, ["--path", str(path)])
    assert result.exit_code == 1
    assert f"{path}:12: " in result.stderr and "{cut_off}" in result.stderr
    assert "OK" not in result.stdout


def test_check_command_accepts_valid_content(write):
    result = CliRunner().invoke(check, ["--path", str(write(VALID))])
    assert (result.exit_code, result.stdout) == (0, "OK: 2 entries in 3 languages\n")
