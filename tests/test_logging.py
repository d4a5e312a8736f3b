"""Log lines: for people on a terminal, JSON elsewhere; each request once, also behind the development server."""
import io
import logging
import threading
import urllib.request

import pytest
from werkzeug.serving import make_server

from support import logging_setup

from .conftest import running
from .test_production import REAL_KEY


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("fmt, debug, stream, expected, why", [
    ("auto", False, _Terminal(), "console", "make run: a terminal"),
    ("auto", True, io.StringIO(), "console", "a debug run, even piped"),
    ("auto", False, io.StringIO(), "json", "production: gunicorn's stderr is a pipe or a journal"),
    ("json", True, _Terminal(), "json", "an explicit choice wins"),
    ("text", False, io.StringIO(), "text", "key=value on request"),
])
def test_format_follows_the_terminal(fmt, debug, stream, expected, why):
    assert logging_setup.resolve_format(fmt, debug=debug, stream=stream) == expected, why


def test_console_line_reads_as_a_sentence():
    record = logging.LogRecord("support.request", logging.INFO, __file__, 1, "%s %s %s", ("GET", "/sv/faq", 200), None)
    record.request_id = "1a2b3c4d5e6f"
    record.fields = {"method": "GET", "path": "/sv/faq", "status": 200, "ms": 3.1, "remote": "127.0.0.1"}
    line = logging_setup.ConsoleFormatter().format(record)
    assert line.endswith(" INFO    GET /sv/faq 200  3.1 ms  127.0.0.1  req=1a2b3c4d") and "\n" not in line


@pytest.fixture
def server_app(app_config):
    """A production-like app (our handler installed) behind werkzeug's own server, as `flask run` serves it."""
    for app in running({**app_config, "TESTING": False, "SECRET_KEY": REAL_KEY, "LOG_FORMAT": "console"}):
        server = make_server("127.0.0.1", 0, app)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join()
    logging_setup.quiet_dev_server(False)


def test_each_request_is_logged_once_behind_the_development_server(server_app, capsys):
    with urllib.request.urlopen(f"{server_app}/healthz?key=customer-secret") as response:
        assert response.status == 200
    lines = [line for line in capsys.readouterr().err.splitlines() if "/healthz" in line]
    assert len(lines) == 1, lines          # werkzeug's '127.0.0.1 - - [...] "GET /healthz HTTP/1.1" 200 -' is gone
    assert "GET /healthz 200" in lines[0] and "customer-secret" not in lines[0]


def test_the_development_server_keeps_its_other_lines(server_app, capsys):
    logging.getLogger("werkzeug").info(" * Running on %s", server_app)
    assert f"Running on {server_app}" in capsys.readouterr().err


def test_request_lines_survive_a_logging_config_run_earlier(server_app, capsys):
    logging.getLogger("support.request").disabled = True      # what fileConfig(disable_existing_loggers=True) does
    for app in running({"TESTING": False, "SECRET_KEY": REAL_KEY, "LOG_FORMAT": "console",
                        "SQLALCHEMY_DATABASE_URI": "sqlite://"}):
        app.test_client().get("/healthz")
    assert "GET /healthz 200" in capsys.readouterr().err
