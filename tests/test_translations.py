"""Every UI string has a Swedish and a Norwegian translation: none empty, none fuzzy, the placeholders intact.

English needs none: its msgids are the text. A new or changed msgid left untranslated would show English in the
middle of a Swedish or Norwegian page, and pybabel compile skips fuzzy entries silently, so this fails instead.
"""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parents[1] / "support" / "translations"
CATALOGUES = sorted(path for lang in ("sv", "nb") for path in (TRANSLATIONS / lang / "LC_MESSAGES").glob("*.po"))


def _read(path):
    with path.open("rb") as f:
        return read_po(f, locale=path.parents[1].name)


def test_every_domain_has_both_languages():
    domains = {lang: {p.stem for p in (TRANSLATIONS / lang / "LC_MESSAGES").glob("*.po")} for lang in ("sv", "nb")}
    assert domains["sv"] == domains["nb"] and domains["sv"], domains


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parents[1].name}/{p.stem}")
def test_catalogue_is_complete(path):
    catalog = _read(path)
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue                                    # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"{path}: untranslated: {untranslated}"
    assert not fuzzy, f"{path}: fuzzy (compile leaves these out): {fuzzy}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parents[1].name}/{p.stem}")
def test_placeholders_match_the_msgid(path):
    # Babel's checkers: the python-format placeholders of each msgstr are those of its msgid.
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _read(path).check()]
    assert not problems, f"{path}: {problems}"


def test_the_checks_catch_an_untranslated_and_a_fuzzy_string(tmp_path):
    po = tmp_path / "sv" / "LC_MESSAGES" / "x.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                  'msgid "Send"\nmsgstr ""\n\n#, fuzzy\nmsgid "Sent"\nmsgstr "Skickat"\n', encoding="utf-8")
    with pytest.raises(AssertionError, match="untranslated: \\['Send'\\]"):
        test_catalogue_is_complete(po)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr ""\n\n#', 'msgstr "Skicka"\n\n#'), encoding="utf-8")
    with pytest.raises(AssertionError, match="fuzzy .*'Sent'"):
        test_catalogue_is_complete(po)
