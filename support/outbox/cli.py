"""`flask worker`: the periodic jobs (each area registers its own, e.g. fetching mail) and the outbox, forever."""
from __future__ import annotations

import click
from flask import current_app

from . import sender, worker


@click.command("worker")
@click.option("--once", is_flag=True, help="One round, then exit.")
@click.option("--interval", type=float, default=None, help="Seconds between rounds (default WORKER_INTERVAL).")
def worker_command(once: bool, interval: float | None) -> None:
    """Run the registered jobs and send the outbox, round after round."""
    try:
        lock = worker.single_worker_lock()
    except worker.WorkerRunning as exc:
        raise click.ClickException(str(exc)) from None
    jobs = [*current_app.extensions["worker_jobs"], worker.send_outbox]
    with lock:
        sender.connect_timeout()
        worker.run(jobs, once=once, interval=interval or current_app.config["WORKER_INTERVAL"])
