"""The FAQ catalogue: load content/faq.yaml into frozen dataclasses, failing loudly with FILE:LINE on bad content."""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

import click

from .. import content
from ..content import LinedList, LinedMap
from ..markets import LANGUAGES

# Values the caller resolves from the visitor's market at render time; nothing else may appear in braces.
PLACEHOLDERS = frozenset({"phone", "support_email", "cancellations_email", "opening_hours", "cutoff", "bid_cutoff"})
REQUEST_TYPES = ("cancellation", "damage", "stuck-order", "other")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
TOP_KEYS = ("categories", "entries")
ENTRY_KEYS = ("slug", "category", "related", "contact", "request", *LANGUAGES)
TEXT_KEYS = ("question", "answer", "keywords")


class ContentError(click.ClickException):
    """The FAQ file is unreadable or invalid; `problems` holds one "FILE:LINE: problem" per finding.

    A ClickException, so that every `flask ...` command (`flask run`, `flask faq check`) refuses to start
    with just the list of problems instead of a traceback; elsewhere it is an ordinary exception.
    """

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    question: str
    answer: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    slug: str
    category: str
    texts: dict[str, Text]
    related: tuple[str, ...] = ()
    contact: bool = False
    request: str | None = None

    def text(self, lang: str) -> Text:
        """The entry in one language (every entry has all LANGUAGES)."""
        return self.texts[lang]


@dataclass(frozen=True)
class Catalog:
    categories: dict[str, dict[str, str]]
    entries: dict[str, Entry]

    def in_category(self, key: str) -> list[Entry]:
        """Entries of one category, in file order."""
        return [entry for entry in self.entries.values() if entry.category == key]

    def category_name(self, key: str, lang: str) -> str:
        """A category's display name in one language."""
        return self.categories[key][lang]


@dataclass(frozen=True)
class Block:
    kind: str                 # "p" (lines form one paragraph) or "ul" (one list item per line)
    lines: tuple[str, ...]


def fill(text: str, values: dict) -> str:
    """Substitute {placeholders} from values; a paragraph or list item needing a missing or None value is left out."""
    kept = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [(line, _fill_line(line, values)) for line in paragraph.splitlines()]
        # A fact the market lacks (Norway's e-mail addresses) drops its whole sentence, never leaves a gap.
        if any(filled is None and not line.lstrip().startswith("- ") for line, filled in lines):
            continue
        if any(filled is not None for _, filled in lines):
            kept.append("\n".join(filled for _, filled in lines if filled is not None))
    return "\n\n".join(kept)


def _fill_line(line: str, values: dict) -> str | None:
    out = []
    for literal, field, _, _ in string.Formatter().parse(line):  # load() has checked every text parses
        out.append(literal)
        if field is not None:
            if values.get(field) is None:
                return None
            out.append(str(values[field]))
    return "".join(out)


def blocks(answer: str) -> list[Block]:
    """Split an answer into paragraphs and bullet lists (a blank line between paragraphs, "- " starts an item)."""
    result: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", answer.strip()):
        kind, lines = "p", []
        for raw in chunk.splitlines():
            raw = raw.strip()
            line_kind, line = ("ul", raw[2:].strip()) if raw.startswith("- ") else ("p", raw)
            if line_kind != kind and lines:
                result.append(Block(kind, tuple(lines)))
                lines = []
            kind = line_kind
            lines.append(line)
        if lines:
            result.append(Block(kind, tuple(lines)))
    return result


class _Report:
    """Collects problems as "FILE:LINE: problem"."""

    def __init__(self, path: str):
        self.path, self.problems = path, []

    def add(self, line: int | None, problem: str) -> None:
        self.problems.append(f"{self.path}:{line}: {problem}" if line else f"{self.path}: {problem}")


def load(path: str | Path) -> Catalog:
    """Read, validate and return the catalogue; raise ContentError listing every problem found."""
    report = _Report(str(path))
    data = _parse(Path(path), report)
    catalog = None if report.problems else _check(data, report)
    if report.problems:
        raise ContentError(report.problems)
    return catalog


def _parse(path: Path, report: _Report) -> object:
    """Read and parse the file; syntax errors (a tab, a bad indent) and duplicate keys become problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.add(None, f"cannot read the file: {exc}")
        return None
    data, problems = content.parse(text)
    for line, problem in problems:
        report.add(line, problem)
    return data


def _check(data: object, report: _Report) -> Catalog | None:
    """Check the whole document and build the catalogue (None when the shape is too broken to go on)."""
    if not isinstance(data, LinedMap):
        report.add(1, "the file must be a mapping with the keys 'categories' and 'entries'")
        return None
    _unknown_keys(data, TOP_KEYS, "", report)
    categories = _check_categories(data, report)
    raw = data.get("entries")
    if not isinstance(raw, LinedList) or not raw:
        report.add(data.line_of("entries"), "'entries' must be a non-empty list of entries")
        return None
    entries: dict[str, Entry] = {}
    first_lines: dict[str, int] = {}   # of every slug, valid entry or not, so that one mistake is reported once
    for index, item in enumerate(raw):
        entry = _check_entry(item, raw.line_at(index), categories, report)
        slug = item.get("slug") if isinstance(item, LinedMap) else None
        if not isinstance(slug, str):
            continue
        if slug in first_lines:
            report.add(item.line_of("slug"), f"duplicate slug {slug!r} (first on line {first_lines[slug]})")
            continue
        first_lines[slug] = item.line_of("slug")
        if entry is not None:
            entries[slug] = entry
    _check_related(raw, set(first_lines), report)
    used = {str(item.get("category")) for item in raw if isinstance(item, LinedMap)}   # invalid entries count too
    for key in categories:
        if key not in used:
            report.add(data["categories"].line_of(key), f"category {key!r} has no entries")
    return Catalog(categories, entries)


def _check_categories(data: LinedMap, report: _Report) -> dict[str, dict[str, str]]:
    """Category keys in order, each with a name in every language."""
    raw = data.get("categories")
    if not isinstance(raw, LinedMap) or not raw:
        report.add(data.line_of("categories"), "'categories' must be a mapping of key -> names per language")
        return {}
    categories = {}
    for key, names in raw.items():
        where, line = f"category {key!r}", raw.line_of(key)
        if not isinstance(key, str) or not SLUG.match(key):
            report.add(line, f"{where}: a key must be lower-case words joined by '-'")
        if not isinstance(names, LinedMap):
            report.add(line, f"{where}: expected names per language ({', '.join(LANGUAGES)})")
            continue
        _unknown_keys(names, LANGUAGES, where, report)
        for lang in LANGUAGES:
            if not _nonblank(names.get(lang)):
                report.add(names.line_of(lang), f"{where}: missing or empty name in {lang!r}")
        categories[key] = {lang: str(names.get(lang, "")).strip() for lang in LANGUAGES}
    return categories


def _check_entry(raw: object, line: int, categories: dict, report: _Report) -> Entry | None:
    """One entry: its slug, category, options and a text in every language."""
    if not isinstance(raw, LinedMap):
        report.add(line, "an entry must be a mapping with slug, category and the languages")
        return None
    slug = raw.get("slug")
    where = f"entry {slug!r}" if isinstance(slug, str) else "entry"
    if not isinstance(slug, str) or not SLUG.match(slug):
        report.add(raw.line_of("slug"), f"{where}: 'slug' must be lower-case words joined by '-', got {slug!r}")
    _unknown_keys(raw, ENTRY_KEYS, where, report)
    category = raw.get("category")
    if not isinstance(category, str) or category not in categories:
        known = ", ".join(categories)
        report.add(raw.line_of("category"), f"{where}: unknown category {category!r} (known: {known})")
    contact, request = raw.get("contact", False), raw.get("request")
    if not isinstance(contact, bool):
        report.add(raw.line_of("contact"), f"{where}: 'contact' must be true or false")
    if request is not None and request not in REQUEST_TYPES:
        report.add(raw.line_of("request"),
                   f"{where}: unknown request type {request!r} (allowed: {', '.join(REQUEST_TYPES)})")
    texts = {}
    for lang in LANGUAGES:
        if lang not in raw:
            report.add(raw.line, f"{where}: missing language {lang!r}")
        else:
            texts[lang] = _check_text(raw[lang], raw.line_of(lang), f"{where}, {lang}", report)
    related = raw.get("related", [])
    if not isinstance(related, list) or not all(isinstance(s, str) for s in related):
        report.add(raw.line_of("related"), f"{where}: 'related' must be a list of slugs")
        related = ()
    if not isinstance(slug, str) or None in texts.values() or len(texts) < len(LANGUAGES):
        return None
    return Entry(slug, category, texts, tuple(related), contact is True, request)


def _check_text(raw: object, line: int, where: str, report: _Report) -> Text | None:
    """One language of an entry: a question, an answer with known placeholders only, optional keywords."""
    if not isinstance(raw, LinedMap):
        report.add(line, f"{where}: expected question, answer and optional keywords")
        return None
    _unknown_keys(raw, TEXT_KEYS, where, report)
    ok = True
    for key in ("question", "answer"):
        value, key_line = raw.get(key), raw.line_of(key)
        if key not in raw:
            report.add(line, f"{where}: missing {key!r}")
            ok = False
        elif not _nonblank(value):
            report.add(key_line, f"{where}: {key!r} is empty")
            ok = False
        else:
            ok = _check_placeholders(value, key_line, f"{where}, {key}", report) and ok
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(_nonblank(k) for k in keywords):
        report.add(raw.line_of("keywords"), f"{where}: 'keywords' must be a list of non-empty words")
        ok = False
    if not ok:
        return None
    return Text(raw["question"].strip(), raw["answer"].strip(), tuple(k.strip() for k in keywords))


def _check_placeholders(text: str, line: int, where: str, report: _Report) -> bool:
    """Only the PLACEHOLDERS may appear in braces, without format specs."""
    try:
        fields = [f + (f"!{c}" if c else "") + (f":{s}" if s else "")
                  for _, f, s, c in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        report.add(line, f"{where}: unbalanced braces ({exc}); write {{{{ or }}}} for a literal brace")
        return False
    unknown = [f for f in fields if f not in PLACEHOLDERS]
    for field in unknown:
        report.add(line, f"{where}: unknown placeholder {{{field}}} (allowed: {', '.join(sorted(PLACEHOLDERS))})")
    return not unknown


def _check_related(raw: LinedList, known: set[str], report: _Report) -> None:
    """Every related slug names another entry of the file."""
    for item in raw:
        slug = item.get("slug") if isinstance(item, LinedMap) else None
        related = item.get("related") if isinstance(item, LinedMap) else None
        if not isinstance(related, LinedList):
            continue
        for index, other in enumerate(related):
            if other == slug:
                report.add(related.line_at(index), f"entry {slug!r}: 'related' lists the entry itself")
            elif isinstance(other, str) and other not in known:
                report.add(related.line_at(index), f"entry {slug!r}: related slug {other!r} does not exist")


def _unknown_keys(raw: LinedMap, allowed: tuple, where: str, report: _Report) -> None:
    for key in raw:
        if key not in allowed:
            prefix = f"{where}: " if where else ""
            report.add(raw.line_of(key), f"{prefix}unknown key {key!r} (allowed: {', '.join(allowed)})")


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
