"""Shared bench plumbing: the BENCH line, free ports, a throwaway PostgreSQL cluster, gunicorn, plain HTTP.

The BENCH convention (read by bench/run_all.py): a script prints one line per figure,
    BENCH {"name": "faq_page.rps", "value": 812.5, "unit": "req/s", "baseline": 2110.0, "ratio": 0.385}
(`baseline` and `ratio` optional; ratio = value / baseline, measured in the same run so that it survives a noisy
machine). `BENCH name=faq_page.rps value=812.5 unit=req/s baseline=2110 ratio=0.385` is accepted as well.
"""
from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RECEIVED = re.compile(r"/ticket/((?:SE|NO)-\d{6})/received")
MULTIPART = b'enctype="multipart/form-data"'


def bench(name: str, value: float, unit: str = "", baseline: float | None = None, **extra) -> None:
    """Print one figure in the BENCH convention (flushed, so run_all sees it even if the script dies later)."""
    line = {"name": name, "value": round(value, 3), "unit": unit, **extra}
    if baseline:
        line.update(baseline=round(baseline, 3), ratio=round(value / baseline, 4))
    print("BENCH " + json.dumps(line, ensure_ascii=False), flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def postgres_cluster():
    """A throwaway PostgreSQL cluster on loopback (scripts/pg-server.sh); yields its SQLAlchemy URL."""
    folder, port = tempfile.mkdtemp(prefix="bench-pg-"), free_port()
    os.chmod(folder, 0o755)
    subprocess.run(["sh", str(ROOT / "scripts" / "pg-server.sh"), "start", folder, str(port)], check=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(["sh", str(ROOT / "scripts" / "pg-server.sh"), "stop", folder], check=False)


def app_env(database_uri: str, folder: str | os.PathLike, **settings) -> dict:
    """Environment for a production-mode app: a random key, the given database, uploads in `folder`."""
    env = {**os.environ, "SUPPORT_SECRET_KEY": secrets.token_hex(32), "SUPPORT_SQLALCHEMY_DATABASE_URI": database_uri,
           "SUPPORT_UPLOAD_DIR": str(Path(folder) / "uploads"), "SUPPORT_LOG_LEVEL": "WARNING",
           "SUPPORT_LOG_REQUESTS": "false", "SUPPORT_SESSION_COOKIE_SECURE": "false"}
    env.update({f"SUPPORT_{key}": value if isinstance(value, str) else json.dumps(value)
                for key, value in settings.items()})
    return env


def create_schema(env: dict) -> None:
    """db.create_all() in a fresh process with `env` (the migrations are the coordinator's; this is a bench)."""
    code = ("from support import create_app; from support.extensions import db; app = create_app();\n"
            "with app.app_context(): db.create_all()")
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


SERVERS: dict[int, int] = {}          # port -> gunicorn master pid, for the servers running now


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int = 2, threads: int = 1, log: str | os.PathLike = os.devnull,
             app: str = "support:create_app()", preload: bool = True):
    """Serve `app` with gunicorn on a free loopback port; yields the port.

    `--preload` as the README's production command has it: the app is built once in the master and the workers
    share it copy-on-write.
    """
    port = free_port()
    args = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--backlog", "2048",
            "--timeout", "300", "--graceful-timeout", "30"]
    if preload:
        args.append("--preload")
    if threads > 1:
        args += ["-k", "gthread", "--threads", str(threads)]
    with open(log, "ab") as out:
        proc = subprocess.Popen([*args, app], env=env, cwd=ROOT, stdout=out, stderr=out)
    SERVERS[port] = proc.pid
    try:
        wait_http(port, "/healthz", proc)
        yield port
    finally:
        SERVERS.pop(port, None)
        proc.terminate()
        proc.wait(60)


def wait_http(port: int, path: str, proc: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Wait until GET `path` answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            if get(port, path)[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no answer on port {port}{path} within {timeout} s")


def get(port: int, path: str, headers: dict | None = None, timeout: float = 300):
    """One GET on a fresh connection: (status, headers, body)."""
    return request(port, "GET", path, headers=headers, timeout=timeout)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 300):
    """One HTTP request on a fresh connection: (status, response headers as a list of pairs, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def multipart(fields: dict[str, str], files: list[tuple[str, str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type; files are (field, filename, type, data)."""
    boundary = "----bench" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, ctype, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def interleaved(measure, paths: dict[str, str], rounds: int) -> dict[str, float]:
    """The median of `rounds` measurements per path, taken in turns (a, b, c, a, b, c, ...), so that a change in
    the machine's load (other processes) falls on every path alike and the ratios between them hold."""
    samples: dict[str, list[float]] = {name: [] for name in paths}
    for _round in range(rounds):
        for name, path in paths.items():
            samples[name].append(measure(path))
    return {name: sorted(values)[len(values) // 2] for name, values in samples.items()}


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def make_photo(kb: int) -> bytes:
    """A JPEG of about `kb` kilobytes (noise compresses badly, so the size is easy to reach)."""
    from PIL import Image
    side = 64
    while True:
        image = Image.effect_noise((side, side), 64).convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        if out.tell() >= kb * 1024 or side > 8000:
            return out.getvalue()
        side = int(side * 1.15)


def submit_request(port: int, lang: str, kind: str, fields: dict[str, str],
                   files: list[tuple[str, str, str, bytes]] = ()) -> tuple[str | None, str]:
    """GET a request form, POST it with its CSRF token and cookie: (ticket reference, "") or (None, what went wrong)."""
    status, headers, body = request(port, "GET", f"/{lang}/contact/{kind}")
    token = CSRF.search(body.decode())
    if status != 200 or not token:
        return None, f"GET form: {status}"
    cookie = "; ".join(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie")
    fields = {"csrf_token": token[1], "website": "", **fields}
    if MULTIPART in body:               # as a browser does: the form's enctype says how to send it
        data, ctype = multipart(fields, list(files))
    elif files:
        return None, "GET form: no file upload on this form"
    else:
        data, ctype = urlencode(fields).encode(), "application/x-www-form-urlencoded"
    status, headers, _ = request(port, "POST", f"/{lang}/contact/{kind}", body=data,
                                 headers={"Content-Type": ctype, "Cookie": cookie})
    found = RECEIVED.search(dict((k.lower(), v) for k, v in headers).get("location", ""))
    return (found[1], "") if status == 302 and found else (None, f"POST: {status}")


def _customer(market: str, lang: str, email: str) -> dict[str, str]:
    return {"company": "Kund AB", "name": "Anna Kund", "email": email, "phone": "", "customer_number": "",
            "market": market, "language": lang}


def submit_damage(port: int, market: str, lang: str, email: str, photo: bytes) -> tuple[str | None, str]:
    """A damage report with one photo (the form asks for 1 to 10)."""
    delivered = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    fields = {"order_numbers": "7001234567", "delivered_at": delivered,
              "description": "Kartongen var intryckt och skärmen sprucken.", **_customer(market, lang, email)}
    return submit_request(port, lang, "damage", fields, [("photos", "skada.jpg", "image/jpeg", photo)])


def submit_question(port: int, market: str, lang: str, email: str) -> tuple[str | None, str]:
    """A request without a photo ("other": a question about an order)."""
    fields = {"subject": "Fråga om leveransen", "order_numbers": "7001234567",
              "description": "Hej! När kan vi räkna med leveransen av vår order?", **_customer(market, lang, email)}
    return submit_request(port, lang, "other", fields)


def worker_pids(port: int) -> list[int]:
    """The gunicorn worker processes (children of the master) serving `port`."""
    master, pids = SERVERS[port], []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
    return sorted(pids)


def workers_cpu_seconds(port: int) -> float:
    """CPU time (user + system) the gunicorn workers serving `port` have used so far: a server's cost per request
    from it holds on a loaded machine, where requests per second follow the load."""
    ticks = 0
    for pid in worker_pids(port):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_kb(pid: int) -> dict[str, int]:
    """Rss, Pss and private (USS) memory of a process in kB, from /proc/<pid>/smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "uss": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)}
