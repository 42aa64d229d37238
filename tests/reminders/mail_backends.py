"""Mail backends for the reminder tests: a mail server that fails a given number of times."""

from __future__ import annotations

import smtplib
import threading

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone


class FlakyServer:
    """Shared state of the flaky backend: how many more attempts fail, when each came."""

    lock = threading.Lock()
    failures_left = 0
    attempts: list = []

    @classmethod
    def reset(cls, failures: int) -> None:
        cls.failures_left = failures
        cls.attempts = []


class FlakyBackend(LocmemBackend):
    """Like locmem, but the first ``FlakyServer.failures_left`` sends raise as a dropped SMTP
    connection would."""

    def send_messages(self, messages):
        with FlakyServer.lock:
            FlakyServer.attempts.append(timezone.now())
            if FlakyServer.failures_left > 0:
                FlakyServer.failures_left -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
