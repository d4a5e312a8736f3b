"""Photo flood: while a few clients post the damage form with ten photos just under the per-photo pixel limit,
how long does the FAQ home take? (Issue 19: such requests once kept both web workers busy for half a minute.)

    .venv/bin/python bench/photo_flood.py [--clients 4] [--seconds 15]

gunicorn with 2 workers on loopback; each flood request carries ten 7999x7999 PNGs (64 megapixels each in the
header, a few kB on the wire). Prints the FAQ home's latency p50/p95/max during the flood against the same
route with no flood, and what the flood requests were answered.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse
import collections
import io
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta

from PIL import Image

from bench._harness import CSRF, app_env, bench, create_schema, gunicorn, multipart, percentile, request  # noqa: E402


def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (7999, 7999)).save(out, "PNG")
    return out.getvalue()


def flood_once(port: int, png: bytes) -> int:
    status, headers, body = request(port, "GET", "/sv/contact/damage")
    cookie = "; ".join(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie")
    delivered = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    fields = {"csrf_token": CSRF.search(body.decode())[1], "website": "", "order_numbers": "7001234567",
              "delivered_at": delivered, "description": "Trasigt.", "company": "Kund AB", "name": "Anna Kund",
              "email": "anna@kund.example", "market": "se", "language": "sv"}
    data, ctype = multipart(fields, [("photos", f"{n}.png", "image/png", png) for n in range(10)])
    return request(port, "POST", "/sv/contact/damage", body=data, headers={"Content-Type": ctype, "Cookie": cookie})[0]


def home_latencies(port: int, seconds: float) -> list[float]:
    out, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        request(port, "GET", "/sv/")
        out.append(time.monotonic() - started)
        time.sleep(0.05)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=15)
    args = ap.parse_args()
    png = huge_png()
    with tempfile.TemporaryDirectory() as tmp:
        env = app_env(f"sqlite:///{tmp}/flood.db", tmp, RATELIMIT_ENABLED="false")
        create_schema(env)
        with gunicorn(env, workers=2) as port:
            quiet = home_latencies(port, 3)
            answers, stop = collections.Counter(), time.monotonic() + args.seconds

            def flood():
                while time.monotonic() < stop:
                    answers[flood_once(port, png)] += 1
            threads = [threading.Thread(target=flood) for _ in range(args.clients)]
            for t in threads:
                t.start()
            busy = home_latencies(port, args.seconds)
            for t in threads:
                t.join()
    for label, values in (("quiet", quiet), ("flood", busy)):
        print(f"FAQ home {label}: p50 {percentile(values, 50) * 1000:.0f} ms, p95 {percentile(values, 95) * 1000:.0f} "
              f"ms, max {max(values) * 1000:.0f} ms ({len(values)} requests)")
    print(f"flood requests answered: {dict(answers)}")
    bench("photo_flood.faq_home_p95", percentile(busy, 95) * 1000, "ms", baseline=percentile(quiet, 95) * 1000)
    bench("photo_flood.faq_home_max", max(busy) * 1000, "ms", target=1000)


if __name__ == "__main__":
    main()
