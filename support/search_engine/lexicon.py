"""The search's language content per language (content/*.yaml): synonym groups, irregular inflections and the
matters customers ask about that no entry answers."""
from __future__ import annotations

from pathlib import Path

from .. import content
from .index import LANGS
from .textmatch import fold


def _read(path: str | Path | None) -> dict | None:
    """A content file's data; None when there is no such file."""
    return content.read(path) or {} if path and Path(path).exists() else None


def load_synonyms(path: str | Path | None) -> dict[str, list[list[str]]]:
    """Synonym groups per language from a YAML file `{lang: [[word, word, ...], ...]}`; {} when there is none."""
    data = _read(path)
    if data is None:
        return {}
    return {lang: [[str(m).lower() for m in group] for group in data.get(lang) or []] for lang in LANGS}


def load_inflections(path: str | Path | None) -> dict[str, dict[str, str]]:
    """Per language, irregular form -> base form, from a YAML file `{lang: {base: [form, ...]}}` (folded forms too)."""
    data = _read(path)
    if data is None:
        return {}
    lemmas: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        table = lemmas[lang] = {}
        pairs = [(str(form).lower(), str(base).lower()) for base, forms in (data.get(lang) or {}).items()
                 for form in forms]
        table.update(pairs)
        for form, base in pairs:     # typed without å/ä/ö/ø; a real word with that spelling keeps its own meaning
            table.setdefault(fold(form), base)
    return lemmas


def load_unanswered(path: str | Path | None) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Per language, the forms that ask for a matter no entry answers, as folded words, from a YAML file
    `{lang: {matter: [form, ...]}}`; {} when there is none."""
    data = _read(path)
    if data is None:
        return {}
    return {lang: tuple(tuple(fold(word) for word in str(form).lower().split())
                        for forms in (data.get(lang) or {}).values() for form in forms or ())
            for lang in LANGS}
