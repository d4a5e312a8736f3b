"""Browser tests: Debian's Chromium driven by Playwright against a real server on loopback.

Screenshots go to test-artifacts/screenshots/ (override with E2E_SCREENSHOTS); axe-core comes from the npm
registry (installed by `make test-setup` into .cache/axe) and is injected into each page under test.
"""
import os
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from support import create_app
from support.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "test-artifacts" / "screenshots"))
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-gpu"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as an inline script; the app's CSP rightly forbids those, so the test context bypasses it
    return {**browser_context_args, "bypass_csp": True, "locale": "sv-SE"}


@pytest.fixture(scope="session")
def live_app():
    """The app on a file-based SQLite database (the server thread needs a shared one)."""
    tmp = tempfile.mkdtemp(prefix="e2e-")
    app = create_app({"TESTING": True, "SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/e2e.db",
                      "UPLOAD_DIR": f"{tmp}/uploads", "RATELIMIT_ENABLED": False, "MAIL_SUPPRESS_SEND": True})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def shoot(viewport, page):
    """Save a full-page screenshot named after the journey step and viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(name: str) -> Path:
        path = SCREENSHOTS / f"{name}-{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path
    return _shoot


@pytest.fixture
def axe(page):
    """Run axe-core on the current page; fail on serious or critical violations."""
    source = AXE.read_text(encoding="utf-8")

    def _check(context: str = "") -> None:
        page.add_script_tag(content=source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"axe on {context or page.url}:\n" + "\n".join(bad)
    return _check
