"""A bare Flask app: the baseline that bench/memory.py compares a support worker with."""
from flask import Flask

app = Flask(__name__)


@app.route("/healthz")
@app.route("/api/ping")
def ping():
    return {"status": "ok"}
