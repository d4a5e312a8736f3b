"""Follow the two data paths through the package: which of support's files a request crosses, in what order.

    .venv/bin/python scripts/trace_paths.py

Traces (sys.setprofile) an incoming e-mail from `ingest` to the stored ticket and its acknowledgement, and a
web damage report from its view to the commit, and prints for each: the files crossed (in first-entry order),
and how often the path *returns* to a file it had left, i.e. a call into a file that is already on the call
stack under another file (A -> B -> A: a back-call, the mark of a knot). Files are told apart as steps (on the
call stack when the data is stored: a session add/flush/commit, a write statement, a stored file) and the files
only consulted on the way (the clock, the calendar, a pure rule, the text of a mail); calls into a consulted
file from two places (A -> clock, A -> B -> clock) are not returns.
docs/architecture.md describes both paths.
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


WRITES = {"add", "add_all", "flush", "commit"}


def _writes(frame) -> bool:
    """A call that stores the data: the session's add/flush/commit, a write statement, a stored file."""
    code = frame.f_code
    if code.co_filename.endswith(os.path.join("sqlalchemy", "orm", "session.py")):
        if code.co_name in WRITES:
            return True
        statement = frame.f_locals.get("statement") if code.co_name == "execute" else None
        return getattr(statement, "is_dml", False)
    return code.co_name == "store" and code.co_filename.endswith("photos.py")


class Path_:
    def __init__(self):
        self.files: list[str] = []
        self.returns: list[tuple[str, str]] = []
        self.stack: list[str] = []
        self.onward: set[str] = set()     # files on the call stack when the data is written: the steps

    def profile(self, frame, event, arg):
        if event not in ("call", "return"):
            return
        name = frame.f_code.co_filename
        if not name.startswith(PACKAGE) or "migrations" in name:
            if event == "call" and _writes(frame):
                self.onward.update(self.stack)
            return
        rel = name[len(str(ROOT)) + 1:]
        if event == "call":
            if self.stack and self.stack[-1] != rel and rel in self.stack:
                self.returns.append((self.stack[-1], rel))
            if rel not in self.files:
                self.files.append(rel)
            self.stack.append(rel)
            if _writes(frame):
                self.onward.update(self.stack)
        elif self.stack:
            self.stack.pop()

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
    steps = [f for f in path.files if f in path.onward]
    leaves = [f for f in path.files if f not in path.onward]
    print(f"{title}: {len(steps)} files carry the data to storage (steps), {len(leaves)} are consulted, "
          f"{len(path.returns)} returns to a file it had left")
    for n, name in enumerate(steps, 1):
        print(f"  {n:2d}. {name}")
    print("  consulted: " + ", ".join(name.removeprefix("support/") for name in leaves))
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
