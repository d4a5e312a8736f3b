"""Logs: one JSON object (or key=value line, or a line for people) per record, tagged with the id of its request.

LOG_FORMAT "auto" writes lines for people when stderr is a terminal or the app runs in debug (`make run`), JSON
otherwise (gunicorn under systemd or in a container). Each request is logged once, by us: the development
server's own access line ("127.0.0.1 - - [date] "GET / HTTP/1.1" 200 -") is dropped while LOG_REQUESTS is on,
since it repeated ours without the request id.

The request id is taken from an incoming X-Request-ID (set by the reverse proxy, so its log and ours join up)
when it looks like an id, else generated; it is echoed in the response. Query strings are never logged: a
customer's status link carries its key there.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}")
HANDLER_NAME = "support-structured"
log = logging.getLogger("support.request")


def request_id() -> str | None:
    """The id of the current request, or None outside one."""
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def _fields(record: logging.LogRecord) -> dict:
    """Timestamp, level, logger, message, request id and any `extra={"fields": {...}}` of one record."""
    data = {"ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "msg": record.getMessage()}
    if getattr(record, "request_id", None):
        data["request_id"] = record.request_id
    data.update(getattr(record, "fields", None) or {})
    return data


class JsonFormatter(logging.Formatter):
    """One JSON object per line; a traceback goes into "exc" rather than across lines."""

    def format(self, record: logging.LogRecord) -> str:
        data = _fields(record)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    """`key=value` pairs on one line; values with spaces or quotes are JSON-quoted."""

    def format(self, record: logging.LogRecord) -> str:
        data = _fields(record)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return " ".join(f"{key}={_quoted(value)}" for key, value in data.items())


class ConsoleFormatter(logging.Formatter):
    """`09:40:12 INFO  GET /sv/faq 200 3.1 ms  req=1a2b3c4d` for a terminal: the time, level and message first,
    the other fields after, a traceback on the lines below."""

    SHOWN = {"ts", "level", "logger", "msg", "request_id", "method", "path", "status"}   # already in the line

    def format(self, record: logging.LogRecord) -> str:
        data = _fields(record)
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        source = "" if record.name in ("support.request", "root") else f"{record.name}: "
        extra = dict(data)
        if "ms" in extra:
            extra["ms"] = f"{extra['ms']} ms"
        parts = [f"{when} {record.levelname:<7} {source}{data['msg']}"]
        parts += [f"{v}" if k in ("ms", "remote") else f"{k}={_quoted(v)}" for k, v in extra.items()
                  if k not in self.SHOWN]
        if data.get("request_id"):
            parts.append(f"req={str(data['request_id'])[:8]}")
        line = "  ".join(parts)
        return line + "\n" + self.formatException(record.exc_info) if record.exc_info else line


class DevServerAccessFilter(logging.Filter):
    """Drop werkzeug's access line (its log_request formats '"%s" %s %s'); keep its start-up and error lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.endswith('"%s" %s %s'))


FORMATTERS = {"json": JsonFormatter, "text": KeyValueFormatter, "console": ConsoleFormatter}


def resolve_format(fmt: str, *, debug: bool, stream=None) -> str:
    """"auto": "console" for a terminal or a debug run, else "json"; any other value as it is."""
    if fmt != "auto":
        return fmt
    stream = sys.stderr if stream is None else stream
    is_tty = getattr(stream, "isatty", lambda: False)()
    return "console" if debug or is_tty else "json"


def _quoted(value) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (not text or re.search(r'[\s"=]', text)) else text


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (gunicorn and pytest swap it), not the one at start-up."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def install_handler(fmt: str, level: str) -> logging.Handler:
    """Replace our handler on the root logger (once per process, however many apps are built)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(FORMATTERS.get(fmt, JsonFormatter)())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # a logging.config call run in-process earlier (fileConfig's default disable_existing_loggers=True) silences
    # loggers that already exist, ours among them: the request lines would vanish without a trace
    log.disabled = False
    return handler


def quiet_dev_server(our_request_lines: bool) -> None:
    """While we log requests, the development server's access lines go (once per process, however many apps)."""
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.disabled = False        # as for ours (install_handler): an in-process logging.config may have silenced it
    for old in [f for f in werkzeug.filters if isinstance(f, DevServerAccessFilter)]:
        werkzeug.removeFilter(old)
    # werkzeug gives its logger a handler of its own when it logs before the app is built (the reloader's
    # start-up lines); with ours on the root every later line would print twice
    for own in [h for h in werkzeug.handlers if type(h).__name__ == "_ColorStreamHandler"]:
        werkzeug.removeHandler(own)
    if our_request_lines:
        werkzeug.addFilter(DevServerAccessFilter())


def _start_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if VALID_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response):
    if "request_id" not in g:          # a URL preprocessor aborted before the before_request hooks ran
        _start_request()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    if current_app.config["LOG_REQUESTS"]:
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        log.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
            "method": request.method, "path": request.path, "status": response.status_code,
            "ms": round(elapsed, 1), "remote": request.remote_addr}})
    return response


def init_app(app: Flask) -> None:
    """Request ids on every request; the structured handler unless testing (pytest captures logs itself)."""
    if not app.testing:
        install_handler(resolve_format(app.config["LOG_FORMAT"], debug=app.debug), app.config["LOG_LEVEL"])
        app.logger.removeHandler(default_handler)      # the root handler formats Flask's records too
        quiet_dev_server(app.config["LOG_REQUESTS"])
    app.before_request(_start_request)
    app.after_request(_finish_request)
