"""Follow the two data paths through the package: which of support's files a request crosses, in what order.

    .venv/bin/python scripts/trace_paths.py

Traces (sys.setprofile) an incoming e-mail from `ingest` to the stored ticket and its acknowledgement, and a
web damage report from its view to the commit, and prints for each: the files crossed (in first-entry order),
and how often the path *returns* to a file it had left, i.e. a call into a file that is already on the call
stack under another file (A -> B -> A: a back-call, the mark of a knot). Calls into a leaf helper from two
places (A -> clock, A -> B -> clock) are not returns. docs/architecture.md describes both paths.
"""
import io
import os
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PACKAGE = str(ROOT / "support") + os.sep

from PIL import Image  # noqa: E402

from support import create_app  # noqa: E402
from support.extensions import db  # noqa: E402


class Path_:
    def __init__(self):
        self.files: list[str] = []
        self.returns: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.seq: list[str] = []
        self.reentries = 0

    def _top(self):
        if self.stack and (not self.seq or self.seq[-1] != self.stack[-1]):
            self.seq.append(self.stack[-1])

    def profile(self, frame, event, arg):
        if event not in ("call", "return"):
            return
        name = frame.f_code.co_filename
        if not name.startswith(PACKAGE) or "migrations" in name:
            return
        rel = name[len(str(ROOT)) + 1:]
        if event == "call":
            if self.stack and self.stack[-1] != rel and rel in self.files:
                self.reentries += 1
            if self.stack and self.stack[-1] != rel and rel in self.stack:
                self.returns.append((self.stack[-1], rel))
            if rel not in self.files:
                self.files.append(rel)
            self.stack.append(rel)
        elif self.stack:
            self.stack.pop()
        self._top()

    def run(self, call):
        sys.setprofile(self.profile)
        try:
            return call()
        finally:
            sys.setprofile(None)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def _delivered() -> str:
    from datetime import datetime, timedelta
    return (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


def _mail() -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "Åsa Öberg <asa@foretag.se>", "support-se@trace.example"
    msg["Subject"], msg["Message-ID"] = "Transportskada order 70-12345-11", "<trace-1@foretag.se>"
    msg.set_content("Hej,\n\nKartongen var intryckt och skärmen är sprucken. Se bild.\n")
    msg.add_attachment(_jpeg(), maintype="image", subtype="jpeg", filename="skada.jpg")
    return bytes(msg)


def report(title: str, path: Path_) -> None:
    seq = path.seq
    back = sum(1 for i, f in enumerate(seq) if f in seq[:i])
    calls_back = 0
    print(f"{title}: {len(path.files)} files, {len(path.returns)} returns to a file it had left; transitions back {back}; re-entries {path.reentries}")
    for n, name in enumerate(path.files, 1):
        print(f"  {n:2d}. {name}")
    for came_from, back_to in path.returns:
        print(f"  return: {came_from} -> {back_to}")


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="trace-")
    app = create_app({"TESTING": True, "SECRET_KEY": "trace", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "UPLOAD_DIR": tmp,
                      "MAILBOXES": {"support-se@trace.example": {"market": "se", "queue": "general"}}})
    with app.app_context():
        db.create_all()
        from support.mail.ingest import ingest
        ingest(_mail().replace(b"trace-1", b"warm-up"))          # first-call imports and caches out of the way
        mail = Path_()
        mail.run(lambda: ingest(_mail()))
        report("e-mail in (mail.ingest.ingest)", mail)

        view = app.view_functions["tickets.request_form"]
        form = {"company": "Företaget AB", "name": "Åsa Öberg", "email": "asa@foretag.se", "market": "se",
                "language": "sv", "order_numbers": "70-12345-11", "delivered_at": _delivered(),
                "description": "Kartongen var intryckt, skärmen är sprucken."}
        web = Path_()

        def post(path):
            data = {**form, "photos": (io.BytesIO(_jpeg()), "skada.jpg", "image/jpeg")}
            with app.test_request_context("/sv/contact/damage", method="POST", data=data):
                app.preprocess_request()
                return path.run(lambda: view(lang="sv", kind="damage")) if path else view(lang="sv", kind="damage")
        post(None)
        response = post(web)
        status = getattr(response, "status_code", response[1] if isinstance(response, tuple) else 200)
        report(f"web damage report (tickets.views.request_form, HTTP {status})", web)


if __name__ == "__main__":
    main()
