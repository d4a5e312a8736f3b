"""Browser tests: Debian's Chromium driven by Playwright against a real server on loopback.

Each journey module gets its own site from `make_site(**config)` (an app on a file SQLite database plus a server),
usually with a frozen clock (FROZEN_NOW) so "after the cut-off" or "at lunch" and the screenshots do not depend on
when the suite runs. Screenshots go to test-artifacts/screenshots/ (override with E2E_SCREENSHOTS); axe-core comes
from the npm registry (installed by `make test-setup` into .cache/axe) and is injected into each page under test.
"""
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from support import create_app
from support.extensions import db

from .helpers import run_axe

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", ROOT / "test-artifacts" / "screenshots"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-gpu"]
STEADY_NOW = "2026-03-11T10:00:00+01:00"      # a Wednesday morning: open, before the cut-offs
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as an inline script; the app's CSP rightly forbids those, so the test context bypasses it
    return {**browser_context_args, "bypass_csp": True, "locale": "sv-SE"}


@dataclass
class Site:
    """One app and the real HTTP server in front of it."""
    app: Flask
    url: str


@pytest.fixture(scope="session")
def make_site(tmp_path_factory):
    """Build an app on its own file-based SQLite database (the server thread needs a shared one) and serve it.

    Config goes to create_app, so settings read at init (MAIL_*) and FROZEN_NOW (a journey at 12:30 or after
    the cut-off) apply; PUBLIC_URL is the server's own address unless given.
    """
    started = []

    def _make(**config) -> Site:
        tmp = tmp_path_factory.mktemp("e2e")
        app = create_app({"TESTING": True, "SECRET_KEY": "e2e", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/e2e.db",
                          "UPLOAD_DIR": f"{tmp}/uploads", "RATELIMIT_ENABLED": False, "MAIL_SUPPRESS_SEND": True,
                          **config})
        with app.app_context():
            db.create_all()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        if not app.config.get("PUBLIC_URL"):
            app.config["PUBLIC_URL"] = url
        started.append((server, app))
        return Site(app, url)

    yield _make
    for server, app in started:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_site(make_site):
    """The shared site for journeys that need no particular time or mail server (frozen: steady screenshots)."""
    return make_site(FROZEN_NOW=STEADY_NOW)


@pytest.fixture(scope="session")
def live_app(live_site):
    return live_site.app


@pytest.fixture(scope="session")
def live_server(live_site):
    return live_site.url


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


@pytest.fixture
def shoot(viewport, page):
    """Save a full-page screenshot named after the journey step and viewport."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _shoot(name: str, part=None) -> Path:
        """The whole page, or only `part` (a locator) when the point is one element; the page must reflow."""
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(-3).map(el => el.outerHTML.slice(0, 100))""")
            raise AssertionError(f"{name}: the page scrolls sideways by {overflow}px at {viewport} width "
                                 f"(WCAG 1.4.10); sticking out: {wide}")
        path = SCREENSHOTS / f"{name}-{viewport}.png"
        if part is not None:
            part.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=True)
        return path
    return _shoot


@pytest.fixture
def axe(page):
    """Run axe-core on the current page; fail on serious or critical violations."""
    return lambda context="": run_axe(page, context)
