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


_FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const s = getComputedStyle(el);
    return {key: el.dataset.kbd || null, what: el.outerHTML.slice(0, 120), visible: el.matches(':focus-visible'),
            style: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""

# every control of every form that a keyboard user must reach (a radio group is one stop), each tagged data-kbd
_TAG_CONTROLS = """() => {
    const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const keys = new Set();
    document.querySelectorAll('form input, form select, form textarea, form button').forEach((el, i) => {
        if (el.type === 'hidden' || el.disabled || el.tabIndex < 0 || !shown(el)) return;
        const key = el.type === 'radio' ? 'radio:' + [...document.forms].indexOf(el.form) + ':' + el.name : 'control:' + i;
        if (el.type === 'radio') { document.querySelectorAll('input[type=radio]').forEach(r => {
            if (r.name === el.name && r.form === el.form) r.dataset.kbd = key; }); }
        else el.dataset.kbd = key;
        keys.add(key);
    });
    return [...keys];
}"""


def walk_tab_order(page: Page, context: str = "", limit: int = 300) -> int:
    """Press Tab through the whole page from the top: every element that takes focus draws a focus ring,
    and every control of every form on it is reached. Returns the number of stops."""
    expected = set(page.evaluate(_TAG_CONTROLS))
    start = page.evaluate(_FOCUS_STATE)                     # an autofocus field: reached without a Tab
    reached = {start["key"]} if start and start["key"] else set()
    first, stops, gaps = None, 0, 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUS_STATE)
        if state is None:                                   # past the last stop; the next Tab starts at the top
            gaps += 1
            if gaps == 2 or first is None and start is None:
                break
            continue
        if state["what"] == first:
            break                                           # wrapped round to the first stop
        first = first or state["what"]
        stops += 1
        # the drawn outline decides (a date field's focus sits in a part inside it, ringed by :focus-within)
        assert state["style"] != "none" and state["width"] >= 2, \
            f"{context or page.url}: no visible focus on {state['what']}: {state}"
        if state["key"]:
            reached.add(state["key"])
    else:
        raise AssertionError(f"{context or page.url}: more than {limit} stops of Tab")
    page.evaluate("() => document.activeElement && document.activeElement.blur()")   # the page as it was found
    missing = expected - reached
    assert not missing, f"{context or page.url}: form controls not reached by Tab: " + ", ".join(
        page.evaluate("keys => keys.map(k => document.querySelector(`[data-kbd='${k}']`).outerHTML.slice(0, 120))",
                      sorted(missing)))
    return stops
