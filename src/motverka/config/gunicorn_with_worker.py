"""Gunicorn settings for `make run`: the master starts one task worker (`motverka
db_worker`) beside the web workers and stops it when it stops itself, so one command runs
the whole application on a laptop or a test host. Production runs workers as their own
services instead (docs/operations.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

_worker: subprocess.Popen | None = None


def on_starting(server: Any) -> None:
    global _worker
    motverka = Path(sys.executable).with_name("motverka")
    command = [str(motverka), "db_worker", "--no-reload"]
    _worker = subprocess.Popen(command, env=os.environ.copy())  # noqa: S603 - our own program
    server.log.info("Started the task worker (pid %s)", _worker.pid)


def on_exit(server: Any) -> None:
    if _worker is None or _worker.poll() is not None:
        return
    _worker.terminate()
    try:
        _worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _worker.kill()
    server.log.info("Stopped the task worker")
