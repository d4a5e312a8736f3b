"""Every message of CPython's own e-mail test corpus is ingested without a crash: created, ignored or rejected.

The corpus ships with the interpreter's `test` package (test/test_email/data/msg_*.txt). Without it this test
fails rather than skips: a silently skipped robustness test would prove nothing.
"""
import os
from pathlib import Path

from support.mail.ingest import ingest


def corpus() -> list[Path]:
    import test.test_email
    folder = Path(os.path.dirname(test.test_email.__file__)) / "data"
    return sorted(folder.glob("msg_*.txt"))


def test_cpython_email_corpus_never_crashes(app):
    files = corpus()
    assert len(files) >= 40, "CPython's test_email corpus is missing from this Python installation"
    outcomes = {}
    for path in files:
        out = ingest(path.read_bytes(), mailbox="help-se@example.com")
        assert out.action in ("created", "appended", "ignored", "rejected"), path.name
        assert out.action in ("created", "appended") or out.reason, f"{path.name}: {out.action} without a reason"
        outcomes[path.name] = out.action
    again = [ingest(p.read_bytes(), mailbox="help-se@example.com").action for p in files]
    assert "created" in outcomes.values()
    assert not {"created", "appended"} & set(again), "a second delivery must not create or append"
