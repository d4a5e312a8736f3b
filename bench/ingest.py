"""Benchmark: ingest 1,000 generated messages (plain, multipart with a photo, HTML-only, ISO-8859-1).

    .venv/bin/python bench/ingest.py [--count 1000] [--database-uri URL]

Runs in a temporary instance (SQLite file unless --database-uri), and prints messages per second.
"""
import argparse
import collections
import io
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import make_msgid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from PIL import Image  # noqa: E402

from bench._harness import bench  # noqa: E402
from support import create_app  # noqa: E402
from support.extensions import db  # noqa: E402
from support.mail.ingest import ingest  # noqa: E402

MAILBOXES = {"support-se@bench.example": {"market": "se", "queue": "general"},
             "support-no@bench.example": {"market": "no", "queue": "general"}}


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1024, 768), (180, 120, 60)).save(out, "JPEG", quality=85)
    return out.getvalue()


def message(n: int, kind: str, jpeg: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Kund {n} <kund{n}@foretag{n % 97}.se>"
    msg["To"] = "support-no@bench.example" if kind == "html" else "support-se@bench.example"
    msg["Message-ID"] = make_msgid(domain=f"foretag{n % 97}.se")
    if kind == "plain":
        msg["Subject"] = f"Avboka order 70-{10000 + n}-11"
        msg.set_content(f"Hej,\n\nKan ni avboka order 70-{10000 + n}-11? Vi beställde av misstag.\n\nMvh\nKund {n}\n")
    elif kind == "photo":
        msg["Subject"] = f"Transportskada order 70-{20000 + n}-11"
        msg.set_content("Hej,\n\nKartongen var intryckt och skärmen är sprucken. Se bild.\n\n/Kund\n")
        msg.add_attachment(jpeg, maintype="image", subtype="jpeg", filename=f"skada-{n}.jpg")
    elif kind == "html":
        msg["Subject"] = "Bestillingen har stått stille"
        msg.set_content(f"<html><body><p>Hei,</p><p>Ordre 70-{30000 + n}-11 har stått stille i en uke.</p>"
                        f"<img src='https://tracker.example/p.gif'><script>x()</script></body></html>",
                        subtype="html")
    else:
        msg["Subject"] = "Fråga om fakturan"
        msg.set_content("Hej,\n\nVår faktura är fel, kan ni skicka en ny? Tack på förhand.\n", charset="iso-8859-1",
                        cte="quoted-printable")
    return bytes(msg)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--database-uri")
    args = ap.parse_args()
    jpeg = photo()
    kinds = ("plain", "photo", "html", "latin1")
    raws = [(kinds[n % 4], message(n, kinds[n % 4], jpeg)) for n in range(args.count)]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SECRET_KEY": "bench", "MAILBOXES": MAILBOXES, "UPLOAD_DIR": os.path.join(tmp, "up"),
                          "SQLALCHEMY_DATABASE_URI": args.database_uri or f"sqlite:///{tmp}/bench.db",
                          "MAIL_ACK_LIMIT": 10})
        with app.app_context():
            db.create_all()
            actions = collections.Counter()
            started = time.perf_counter()
            for kind, raw in raws:
                actions[ingest(raw).action] += 1
            elapsed = time.perf_counter() - started
            db.drop_all() if args.database_uri else None
    print(f"messages={args.count} kinds={'/'.join(kinds)} seconds={elapsed:.2f} "
          f"messages_per_second={args.count / elapsed:.1f} actions={dict(actions)}")
    bench("ingest.messages_per_second", args.count / elapsed, "msg/s")


if __name__ == "__main__":
    main()
