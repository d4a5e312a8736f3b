"""What several journeys do: move by keyboard alone, check the focus ring, make photos, read a site's database."""
import io
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

MAX_TABS = 60          # more than any page here needs to reach its last field
AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def run_axe(page: Page, context: str = "") -> None:
    """Inject axe-core into the page (its context must bypass the CSP) and fail on serious or critical violations."""
    page.add_script_tag(content=_axe_source())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe on {context or page.url}:\n" + "\n".join(bad)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has focus (fails if it is not reachable by keyboard)."""
    target = page.locator(selector)
    expect(target).to_have_count(1)
    for _ in range(MAX_TABS):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {MAX_TABS} presses of Tab")


def assert_focus_visible(page: Page) -> None:
    """The focused element matches :focus-visible and draws a visible outline."""
    style = page.evaluate("""() => {
        const el = document.activeElement, s = getComputedStyle(el);
        return {visible: el.matches(':focus-visible'), style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
    }""")
    assert style["visible"], "the focused element does not match :focus-visible"
    assert style["style"] != "none" and style["width"] >= 2, f"no visible focus outline: {style}"


def type_into(page: Page, selector: str, text: str) -> None:
    """Reach a field by Tab and type into it, as a keyboard-only user does."""
    tab_to(page, selector)
    page.keyboard.type(text)


def damage_photo(label: str, color: str) -> bytes:
    """A JPEG that looks like a photo of a dented box (big enough to make a thumbnail)."""
    image = Image.new("RGB", (800, 600), "#d9c7a3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 120, 650, 480), fill=color, outline="#5b4421", width=8)
    draw.polygon([(520, 120), (650, 120), (650, 260)], fill="#d9c7a3")          # the crushed corner
    draw.text((180, 140), label, fill="#000")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@contextmanager
def in_app(site):
    """An app context of a live site, to read or prepare its database as a service would."""
    with site.app.app_context():
        yield
