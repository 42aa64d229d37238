"""Keeps personal identity numbers out of application logs."""

from __future__ import annotations

import logging
import re

# 10 or 12 digits, optionally with a separator before the last four: 19900101-0017, 9001010017.
IDENTITY_NUMBER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
REDACTED = "[personnummer borttaget]"


def redact(text: str) -> str:
    return IDENTITY_NUMBER.sub(REDACTED, text)


class RedactIdentityNumbersFilter(logging.Filter):
    """Rewrites every record so that nothing shaped like an identity number is emitted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        # An exception's text (e.g. a 500's traceback) is formatted here, redacted, and
        # kept as the record's exc_text, which formatters print instead of formatting again.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
