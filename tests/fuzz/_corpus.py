"""The regression corpus: inputs that once broke (or nearly broke) a parser, replayed on every run.

A fuzz property that fails on an unexpected exception saves its input here first
(corpus/<kind>/found-<signature>.bin, one file per exception type and place, the shortest input Hypothesis's
shrinking reached), so the case survives Hypothesis's own database being wiped; rename it and commit it with the fix.
"""
import hashlib
import sys
import traceback
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def cases(kind: str) -> list[Path]:
    """Every stored input of one kind, sorted by name."""
    return sorted(p for p in (CORPUS / kind).iterdir()
                  if p.is_file() and p.suffix != ".md" and not p.name.startswith("."))


def keep(kind: str, data: bytes) -> Path:
    """Store `data` as a regression case of `kind` for the exception being handled (shortest input wins)."""
    exc_type, _exc, tb = sys.exc_info()
    where = traceback.extract_tb(tb)[-1] if tb else None
    place = f"{where.filename}:{where.lineno}" if where else ""
    signature = f"{getattr(exc_type, '__name__', '?')}:{place}"
    path = CORPUS / kind / f"found-{hashlib.sha256(signature.encode()).hexdigest()[:12]}.bin"
    if not path.exists() or len(data) < path.stat().st_size:
        path.write_bytes(data)
    return path
