"""More than one process: two app instances and two task workers on one database, and a web
worker killed with SIGKILL in the middle of a stream of writes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

from motverka.api.services import api_token_create
from motverka.audit.models import AuditEvent
from motverka.cases.models import Case, CaseEvent
from motverka.letters.models import LetterDocument
from motverka.workflow.models import Reminder
from tests.api.test_cases import CASES, intake_body
from tests.factories import PASSWORD, make_case
from tests.letters.helpers import finalised
from tests.processes import MOTVERKA, gunicorn, http, subprocess_env, worker
from tests.reminders.helpers import TODAY, open_deadlines

pytestmark = pytest.mark.django_db(transaction=True)

FIRST, SECOND = 8107, 8117


def _cookies(headers: Message, jar: dict[str, str]) -> None:
    for value in headers.get_all("Set-Cookie") or []:
        for morsel in SimpleCookie(value).values():
            jar[morsel.key] = morsel.value


def _header(jar: dict[str, str]) -> str:
    return "; ".join(f"{key}={value}" for key, value in jar.items())


def _log_in(port: int, username: str) -> dict[str, str]:
    jar: dict[str, str] = {}
    status, headers, body = http("GET", f"http://127.0.0.1:{port}/logga-in/")
    assert status == 200
    _cookies(headers, jar)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = f"csrfmiddlewaretoken={token}&username={username}&password={PASSWORD}"
    status, headers, _body = http(
        "POST",
        f"http://127.0.0.1:{port}/logga-in/",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": _header(jar),
            "Referer": f"http://127.0.0.1:{port}/logga-in/",
        },
    )
    assert status == 302, _body[:300]
    _cookies(headers, jar)
    assert "sessionid" in jar
    return jar


def _mail_message_ids(directory: Path) -> Counter:
    ids: Counter = Counter()
    for path in directory.glob("*"):
        ids.update(re.findall(r"^Message-ID: (<reminder-\d+@[^>]+>)", path.read_text(), re.M))
    return ids


def test_two_instances_and_two_workers_share_sessions_reminders_and_locks(world, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    mail = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    deadline_ids = open_deadlines(20)  # 100 reminders
    _row, token = api_token_create(acting_user=None, user=world.worker_a, name="två")
    # What is shared here is the session store; the second factor that would follow the
    # password is proven in tests/accounts and tests/e2e, so both instances run without it.
    single_factor = {"MOTVERKA_MFA": "off"}
    with (
        gunicorn(FIRST, **single_factor),
        gunicorn(SECOND, **single_factor),
        worker(**mail),
        worker(**mail),
    ):
        # A session created by the first instance is valid on the second, and a logout on
        # the second ends it on the first.
        jar = _log_in(FIRST, world.worker_a.username)
        status, _headers, body = http(
            "GET", f"http://127.0.0.1:{SECOND}/arenden/", headers={"Cookie": _header(jar)}
        )
        assert status == 200 and b"/logga-ut/" in body
        logout = http(
            "POST",
            f"http://127.0.0.1:{SECOND}/logga-ut/",
            body=f"csrfmiddlewaretoken={jar['csrftoken']}".encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": _header(jar),
                "X-CSRFToken": jar["csrftoken"],
                "Referer": f"http://127.0.0.1:{SECOND}/",
            },
        )
        assert logout[0] in (200, 302)
        status, headers, _body = http(
            "GET", f"http://127.0.0.1:{FIRST}/arenden/", headers={"Cookie": _header(jar)}
        )
        assert status == 302 and "/logga-in/" in headers["Location"]

        # The reference counter's row lock holds across instances: parallel registrations
        # on both get unique, gap-free references.
        def register(index: int) -> int:
            port = FIRST if index % 2 else SECOND
            return http(
                "POST",
                f"http://127.0.0.1:{port}{CASES}",
                body=json.dumps(intake_body()).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )[0]

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(register, range(12)))
        assert statuses == [201] * 12
        numbers = sorted(
            int(reference.rsplit("/", 1)[1])
            for reference in Case.objects.filter(reference__regex=r"^SN \d{4}/\d{4}$").values_list(
                "reference", flat=True
            )
        )
        assert numbers == list(range(1, 13))

        # Two sweeps at once, two workers delivering: every reminder exactly once.
        sweeps = [
            subprocess.Popen(  # noqa: S603 - our own program
                [MOTVERKA, "deadlines", "--today", TODAY.isoformat(), "--batch-size", "7"],
                env=subprocess_env(**mail),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        for sweep in sweeps:
            _out, err = sweep.communicate(timeout=120)
            assert sweep.returncode == 0, err
        give_up_at = time.monotonic() + 60
        while (
            Reminder.objects.filter(sent_at__isnull=True).exists() and time.monotonic() < give_up_at
        ):
            time.sleep(0.2)
    assert Reminder.objects.count() == len(deadline_ids)
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    ids = _mail_message_ids(mail_dir)
    assert len(ids) == len(deadline_ids)
    assert max(ids.values()) == 1
    print(  # noqa: T201
        f"two instances, two workers: {sum(ids.values())} mails for {len(deadline_ids)} "
        "reminders, duplicates 0"
    )


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def test_a_web_worker_killed_during_writes_loses_nothing_it_confirmed(world):
    case = make_case(world.worker_a)
    finalised(world.worker_a, case, "objection_letter")
    _row, token = api_token_create(acting_user=None, user=world.worker_a, name="kill")
    confirmed: list[int] = []
    outcomes: Counter = Counter()
    lock = threading.Lock()
    with gunicorn(FIRST, workers=2) as server:

        def register(_index: int) -> None:
            try:
                status, headers, _body = http(
                    "POST",
                    f"http://127.0.0.1:{FIRST}{CASES}",
                    body=json.dumps(intake_body()).encode(),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
            except OSError:  # the connection died with the worker
                with lock:
                    outcomes["connection lost"] += 1
                return
            with lock:
                outcomes[status] += 1
                if status == 201:
                    confirmed.append(int(headers["Location"].rstrip("/").rsplit("/", 1)[1]))

        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(register, index) for index in range(40)]
            give_up_at = time.monotonic() + 60
            while sum(outcomes.values()) < 8 and time.monotonic() < give_up_at:
                time.sleep(0.01)
            victims = _children(server.pid)
            assert victims, "no gunicorn worker to kill"
            os.kill(victims[0], signal.SIGKILL)
            for future in futures:
                future.result()
        attempts = sum(outcomes.values())
    failures = attempts - outcomes[201]
    cases = list(Case.objects.all())
    lost = [pk for pk in confirmed if not any(case.pk == pk for case in cases)]
    # Invariants: every case has its audit row and its timeline event, the references are
    # gap-free, every finalised letter's bytes match their hash.
    for each in cases:
        assert AuditEvent.objects.filter(object_type="case", object_id=str(each.pk)).exists()
        assert CaseEvent.objects.filter(case=each).exists()
    numbers = sorted(int(each.reference.rsplit("/", 1)[1]) for each in cases)
    assert numbers == list(range(1, len(cases) + 1))
    for document in LetterDocument.objects.all():
        assert hashlib.sha256(bytes(document.pdf)).hexdigest() == document.sha256
    assert lost == []
    assert set(outcomes) <= {201, 502, "connection lost"}, outcomes
    print(  # noqa: T201 - the figures of the fault test
        f"SIGKILL of a web worker ({connection.vendor}): {attempts} attempts, "
        f"{failures} failures ({dict(outcomes)}), {len(confirmed)} confirmed, "
        f"{len(cases) - 1} stored (a write whose answer was lost may have committed), "
        f"data lost: {len(lost)}"
    )
