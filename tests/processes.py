"""Start Motverka's own programs (gunicorn, workers, commands) in subprocesses against the
test database, for tests of what happens between processes: crashes, two instances."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent
MOTVERKA = str(BIN / "motverka")
GUNICORN = str(BIN / "gunicorn")


def database_url() -> str:
    """The URL of the database this test process uses (the test database)."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a subprocess: the test database, the same secret key (sessions
    signed here are valid there)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        SECRET_KEY=settings.SECRET_KEY,
        CONN_MAX_AGE="0",
        DJANGO_SETTINGS_MODULE="motverka.config.settings",
    )
    env.update(extra)
    return env


def wait_for_http(url: str, *, timeout: float = 60.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return  # it answers (a 503 from /healthz is an answer)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def gunicorn(port: int, *, workers: int = 1, **env: str) -> Iterator[subprocess.Popen]:
    """A gunicorn serving Motverka on 127.0.0.1:``port`` against the test database."""
    process = subprocess.Popen(  # noqa: S603 - our own program
        [
            GUNICORN,
            "motverka.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--graceful-timeout",
            "2",
        ],
        env=subprocess_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", process=process)
        yield process
    finally:
        stop(process)


@contextmanager
def worker(**env: str) -> Iterator[subprocess.Popen]:
    """A task worker (``motverka db_worker``) against the test database."""
    process = subprocess.Popen(  # noqa: S603 - our own program
        [MOTVERKA, "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        env=subprocess_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stderr:
        process.stderr.close()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a redirect is an answer to look at, not to follow


_opener = urllib.request.build_opener(_NoRedirects)


def http(
    method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """One HTTP request, redirects not followed; returns status, headers and body whatever
    the status."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
