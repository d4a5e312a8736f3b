"""Production mode: the secret-key guard, cookie flags, database engine settings, ProxyFix, request ids, logs."""
import gc
import json

import pytest
from sqlalchemy import text

from support import create_app
from support.extensions import db
from support.markets import LANGUAGES
from support.production import UnsafeConfiguration, engine_options

from .conftest import running

REAL_KEY = "9f1c2e8a7b6d5c4e3f2a1b0c9d8e7f6a"


@pytest.fixture
def production_config(app_config):
    """What a deployment runs with: not TESTING, a real key, the app's own defaults for everything else."""
    return {**app_config, "TESTING": False, "SECRET_KEY": REAL_KEY}


@pytest.mark.parametrize("key, reason", [
    (None, "no key at all"),
    ("", "an empty SUPPORT_SECRET_KEY"),
    ("   ", "only blanks"),
    ("dev", "the Flask tutorial's key"),
    ("Change-Me", "a template placeholder, in any case"),
])
def test_refuses_to_start_without_a_real_secret_key(production_config, key, reason):
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app({**production_config, "SECRET_KEY": key})


@pytest.mark.parametrize("overrides, reason", [
    ({"TESTING": True}, "tests bring their own key"),
    ({"DEBUG": True}, "a developer's debug run"),
])
def test_a_missing_key_is_tolerated_only_in_debug_or_tests(production_config, overrides, reason):
    assert create_app({**production_config, "SECRET_KEY": None, **overrides}) is not None, reason


def test_environment_key_lets_production_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SUPPORT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("SUPPORT_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/p.db")
    assert create_app().config["SECRET_KEY"] == REAL_KEY


def test_a_production_app_starts_settled(monkeypatch, tmp_path):
    """Search indexes built and start-up objects frozen, so no request pays for either (see production.settle)."""
    monkeypatch.setenv("SUPPORT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("SUPPORT_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/p.db")
    gc.unfreeze()
    app = create_app()
    assert set(app.extensions["search"]._built) == set(LANGUAGES)
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()       # the test process goes on building apps; let them be collected


@pytest.mark.parametrize("overrides, secure, reason", [
    ({}, True, "production: cookies only over HTTPS"),
    ({"SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False}, False, "explicitly off for plain HTTP"),
    ({"TESTING": True}, False, "the test client speaks plain HTTP"),
])
def test_cookie_secure_flag(production_config, overrides, secure, reason):
    config = create_app({**production_config, **overrides}).config
    assert config["SESSION_COOKIE_SECURE"] is secure and config["REMEMBER_COOKIE_SECURE"] is secure, reason
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_carries_the_flags(production_config):
    for app in running({**production_config, "WTF_CSRF_ENABLED": True}):
        response = app.test_client().get("/en/contact/other", base_url="https://support.example.test")
        cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
        assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


def test_sqlite_file_database_uses_wal_foreign_keys_and_a_busy_timeout(app_config, tmp_path):
    for _app in running({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/wal.db",
                         "SQLITE_BUSY_TIMEOUT_MS": 12000}):
        pragma = {name: db.session.execute(text(f"PRAGMA {name}")).scalar()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")}
        assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 12000, "synchronous": 1}


@pytest.mark.parametrize("uri, configured, expected, reason", [
    ("postgresql+psycopg://u@h/db", {}, {"pool_pre_ping": True, "pool_recycle": 1800},
     "PostgreSQL: a dropped pooled connection is replaced, not a 500"),
    ("postgresql+psycopg://u@h/db", {"pool_pre_ping": False, "pool_size": 20},
     {"pool_pre_ping": False, "pool_recycle": 1800, "pool_size": 20}, "configured options win"),
    ("sqlite:///x.db", {}, {"connect_args": {"timeout": 30.0}}, "SQLite: the busy handler waits 30 s"),
    ("sqlite:///x.db", {"connect_args": {"timeout": 1}}, {"connect_args": {"timeout": 1}}, "configured wins"),
])
def test_engine_options_per_database(uri, configured, expected, reason):
    assert engine_options(uri, configured, 30000) == expected, reason


@pytest.mark.parametrize("proxy_fix, headers, secure, remote, reason", [
    ({}, {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}, False, "127.0.0.1",
     "off by default: a client cannot claim HTTPS or another address"),
    ({"x_for": 1, "x_proto": 1}, {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}, True,
     "203.0.113.9", "behind one proxy: its headers are trusted"),
    ({"x_for": 1, "x_proto": 1}, {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}, False, "203.0.113.9",
     "only the last hop (the proxy's own entry) counts, not what the client prepended"),
])
def test_proxy_fix_is_configurable(production_config, proxy_fix, headers, secure, remote, reason):
    for app in running({**production_config, "PROXY_FIX": proxy_fix}):
        seen = {}

        @app.route("/whoami")
        def whoami():
            from flask import request
            seen.update(secure=request.is_secure, remote=request.remote_addr)
            return "ok"

        response = app.test_client().get("/whoami", headers=headers)
        assert seen == {"secure": secure, "remote": remote}, reason
        assert ("Strict-Transport-Security" in response.headers) is secure, reason


def test_unknown_proxy_fix_key_is_an_error(production_config):
    with pytest.raises(UnsafeConfiguration, match="x_forwarded"):
        create_app({**production_config, "PROXY_FIX": {"x_forwarded": 1}})


@pytest.mark.parametrize("incoming, echoed, reason", [
    ("req-42.abc", True, "the proxy's id is kept, so its log and ours join up"),
    ("bad id with spaces", False, "not an id: replaced"),
    ("x" * 129, False, "too long: replaced"),
    ("<script>alert(1)</script>", False, "markup that a log viewer might render: replaced"),
])
def test_request_id_is_echoed_or_generated(client, incoming, echoed, reason):
    rid = client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
    assert (rid == incoming) is echoed, reason
    if not echoed:
        assert len(rid) == 32 and int(rid, 16) >= 0, reason


def test_generated_request_ids_differ(client):
    assert client.get("/healthz").headers["X-Request-ID"] != client.get("/healthz").headers["X-Request-ID"]


def test_request_id_also_on_pages_refused_before_the_view(client):
    assert client.get("/xx/contact/").headers.get("X-Request-ID")


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_request_log_line_is_structured_and_omits_the_query(production_config, capsys, log_format):
    for app in running({**production_config, "LOG_FORMAT": log_format}):
        app.test_client().get("/healthz?key=customer-secret", headers={"X-Request-ID": "rid-1"})
    lines = [line for line in capsys.readouterr().err.splitlines() if "rid-1" in line]
    assert len(lines) == 1 and "customer-secret" not in lines[0]
    if log_format == "json":
        record = json.loads(lines[0])
        assert record["request_id"] == "rid-1" and record["path"] == "/healthz" and record["status"] == 200
    else:
        assert "request_id=rid-1" in lines[0] and "path=/healthz" in lines[0] and "status=200" in lines[0]


def test_unhandled_error_is_logged_with_its_request_id_but_not_shown(production_config, capsys):
    for app in running({**production_config, "PROPAGATE_EXCEPTIONS": False}):
        @app.route("/boom")
        def boom():
            raise RuntimeError("secret detail")

        response = app.test_client().get("/boom", headers={"X-Request-ID": "boom-1"})
        assert response.status_code == 500 and "secret detail" not in response.get_data(as_text=True)
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines() if "boom-1" in line]
    assert any(r["level"] == "ERROR" and "secret detail" in r.get("exc", "") for r in records)


def test_concurrent_sqlite_writers_wait_instead_of_failing(app_config, tmp_path):
    """While one connection holds the write lock, eight writers queue behind it: none sees "database is locked"."""
    import threading
    for _app in running({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/busy.db",
                         "SQLITE_BUSY_TIMEOUT_MS": 10000}):
        engine = db.engine
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE scratch (n INTEGER)"))
        holder = engine.connect()
        holder.exec_driver_sql("BEGIN IMMEDIATE")            # takes the write lock and keeps it for a while
        errors = []

        def write(n):
            try:
                with engine.begin() as conn:
                    conn.execute(text("INSERT INTO scratch VALUES (:n)"), {"n": n})
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        writers = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for t in writers:
            t.start()
        threading.Event().wait(0.5)
        holder.exec_driver_sql("COMMIT")
        holder.close()
        for t in writers:
            t.join()
        with engine.connect() as conn:
            assert not errors and conn.execute(text("SELECT count(*) FROM scratch")).scalar() == 8


def test_a_production_app_builds_before_fork_what_requests_would(monkeypatch, tmp_path):
    """Under gunicorn --preload the master does this once, and the workers share it copy-on-write."""
    monkeypatch.setenv("SUPPORT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("SUPPORT_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/p.db")
    monkeypatch.setenv("SUPPORT_LOG_LEVEL", "WARNING")
    gc.unfreeze()
    app = create_app()
    gc.unfreeze()
    assert len(app.jinja_env.cache) >= len(app.jinja_env.list_templates(filter_func=lambda n: n.endswith(".html")))
    cached = app.extensions["babel"].instance.domain_instance.cache
    assert {locale for locale, _domain in cached} >= {"sv", "nb", "en"}
    assert app.extensions["faq_pages"].pages, "the warm-up pages were rendered into the page cache"
    with app.app_context():
        assert db.engine.pool.checkedin() == 0, "the warm-up's connections are closed, none is inherited"


def test_a_forked_worker_gets_its_own_connections_and_random_state(production_config, tmp_path):
    """A child of the gunicorn master must never use a connection of its parent, nor repeat its random numbers."""
    import os
    import random
    for app in running({**production_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/f.db"}):
        from support import production
        db.session.execute(text("SELECT 1"))
        db.session.remove()
        parent = db.engine.pool.checkedin()
        production._fresh_pools_after_fork(app)           # what settle does for a production app
        db.session.execute(text("SELECT 1"))
        db.session.remove()
        checked_out = db.engine.raw_connection()
        parent_connection = id(checked_out.dbapi_connection)
        checked_out.close()                                # back in the pool, where a child could find it
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:                                       # the child: report, then leave without cleanup
            try:
                pooled = db.engine.pool.checkedin()
                connection = db.engine.raw_connection()
                answer = connection.cursor().execute("SELECT 41 + 1").fetchone()[0]
                report = {"pooled": pooled, "same": id(connection.dbapi_connection) == parent_connection,
                          "answer": answer, "random": random.random()}
            except Exception as exc:                        # noqa: BLE001 - the parent asserts on it
                report = {"error": repr(exc)}
            os.write(write, json.dumps(report).encode())
            os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        child = json.loads(os.read(read, 4096))
        os.close(read)
        assert parent == 1
        assert child == {"pooled": 0, "same": False, "answer": 42, "random": child.get("random")}, child
        assert child["random"] != random.random(), "the child reseeded instead of repeating the parent's numbers"


def test_the_pre_fork_warm_up_opens_no_database_connection(monkeypatch, tmp_path):
    """An unreachable database must not hold up the start of the server (PREFORK_WARM_UP reads no table)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    monkeypatch.setenv("SUPPORT_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("SUPPORT_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/p.db")
    monkeypatch.setenv("SUPPORT_LOG_LEVEL", "WARNING")
    connects = []
    listener = lambda *_args: connects.append(1)          # noqa: E731
    event.listen(Engine, "connect", listener)
    try:
        gc.unfreeze()
        app = create_app()
        gc.unfreeze()
    finally:
        event.remove(Engine, "connect", listener)
    assert app.extensions["faq_pages"].pages and connects == []
