"""Demo data for the embedded run: the demo admin (fresh password printed at every start) and, once, a few
tickets per market and category (one with a photo) so the queues are not empty."""
import io
from datetime import UTC, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from .agent import accounts, twofactor
from .extensions import db
from .tickets import operations, photos
from .tickets.models import Ticket

DEMO_EMAIL = "demo@example.com"
DEMO_REQUESTS = {   # (market, category): (language, subject, body)
    ("se", "cancellation"): ("sv", "Makulera order 4711001", "Hej, vi vill makulera order 4711001. Den är felbeställd."),
    ("se", "damage"): ("sv", "Skadad leverans", "Kartongen var intryckt och skärmen är sprucken. Bild bifogad."),
    ("se", "stuck-order"): ("sv", "Ordern står still", "Order 4711003 har stått som 'Behandlas' i fem dagar."),
    ("se", "other"): ("en", "Question about invoice copy", "Could you send a copy of last month's invoice?"),
    ("no", "cancellation"): ("nb", "Kansellere ordre 5511001", "Hei, vi ønsker å kansellere ordre 5511001."),
    ("no", "damage"): ("nb", "Skadet levering", "Pakken kom med knust hjørne, produktet er skadet."),
    ("no", "stuck-order"): ("nb", "Ordre står fast", "Ordre 5511003 har ikke blitt sendt ennå."),
    ("no", "other"): ("nb", "Spørsmål om konto", "Hvordan legger vi til en ny bruker på kontoen vår?"),
}


def _demo_photo() -> photos.Upload:
    """A small generated JPEG standing in for a customer's photo of a damaged box."""
    image = Image.new("RGB", (640, 480), (196, 164, 120))
    draw = ImageDraw.Draw(image)
    draw.polygon([(420, 60), (600, 200), (520, 260)], fill=(90, 70, 50))
    draw.text((24, 24), "demo photo", fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return photos.Upload("skada.jpg", buffer.getvalue(), "image/jpeg")


def _demo_tickets() -> None:
    now = datetime.now(UTC)                  # operations compute due times from an aware instant
    for n, ((market, category), (language, subject, body)) in enumerate(DEMO_REQUESTS.items()):
        draft = operations.Draft(market=market, language=language, channel="web", category=category, subject=subject,
                             body=body, customer_email=f"kund{n}@example.{market}", customer_name="Demo Kund",
                             company=f"Demo Reseller {market.upper()} AB", order_numbers=f"47110{n:02d}")
        uploads = ()
        if category == "damage":
            draft.delivered_at = now - timedelta(hours=3)
            uploads = (_demo_photo(),)
        operations.open_ticket(draft, uploads, now=now)


def seed(password: str) -> tuple[str, str, tuple[str, list[str]] | None]:
    """Create the demo admin (or reset its password), add the demo tickets once, return the login to print:
    address, password and, when admins must use a second factor, a fresh authenticator key and recovery codes."""
    agent = accounts.by_email(DEMO_EMAIL)
    if agent is None:
        agent = accounts.create_agent(DEMO_EMAIL, "Demo Agent", password, role="admin")
    else:
        accounts.set_password(agent, password)
    second = twofactor.enrol(agent, now=datetime.now(UTC).replace(tzinfo=None)) if twofactor.required_for(agent) else None
    if not db.session.scalar(select(func.count()).select_from(Ticket)):
        _demo_tickets()
    return DEMO_EMAIL, password, second
