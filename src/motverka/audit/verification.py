"""Checking the stored hash chain, and anchoring its head outside the database.

``verify_chain`` reads the log in sequence order in batches (keyset pagination, so memory
stays flat) and recomputes every hash. ``anchor_head`` appends the current head to an
anchor file (JSON lines, never rewritten), the application log and optionally e-mail;
``verify_chain`` compares the chain with every earlier anchor, which is what finds rows
cut off from the end — a shortened chain is otherwise still a valid chain.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from motverka.audit.chain import (
    GENESIS,
    Anchor,
    Break,
    ChainedContent,
    ChainedSubject,
    ChainWalk,
    StoredRow,
    utc_iso,
)
from motverka.audit.models import AuditEvent, AuditEventSubject

logger = logging.getLogger("motverka.audit")

EVENT_FIELDS = (
    "id",
    "sequence",
    "hash",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "channel",
    "address",
    "detail",
    "chain_version",
    "reference_salt",
    "reference_digest",
    "pseudonym",
)
SUBJECT_FIELDS = (
    "event_id",
    "object_type",
    "object_id",
    "case_id",
    "person_id",
    "reference_salt",
    "reference_digest",
    "pseudonym",
)


def stored_rows(batch_size: int = 2000) -> Iterator[StoredRow]:
    """Every row in sequence order, with its subjects, one batch in memory at a time."""
    after: int | None = None
    while True:
        events = AuditEvent.objects.order_by("sequence")
        if after is not None:
            events = events.filter(sequence__gt=after)
        batch = list(events.values(*EVENT_FIELDS)[:batch_size])
        if not batch:
            return
        subjects: dict[int, list[ChainedSubject]] = defaultdict(list)
        for event_id, *fields in (
            AuditEventSubject.objects.filter(event_id__in=[row["id"] for row in batch])
            .values_list(*SUBJECT_FIELDS)
            .iterator()
        ):
            subjects[event_id].append(ChainedSubject(*fields))
        for row in batch:
            event_id, stored_hash = row.pop("id"), row.pop("hash")
            yield StoredRow(
                id=event_id,
                hash=stored_hash,
                content=ChainedContent(**row, subjects=tuple(subjects.get(event_id, ()))),
            )
        after = batch[-1]["sequence"]


@dataclass(frozen=True)
class Verification:
    rows: int
    head_sequence: int
    anchors: int
    broken: Break | None
    pseudonymised: int = 0
    sealed: int = 0

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify_chain(*, anchors: Iterable[Anchor] = (), batch_size: int = 2000) -> Verification:
    anchors = list(anchors)
    walk = ChainWalk(anchors=anchors)
    rows = 0
    for row in stored_rows(batch_size):
        rows += 1
        if not walk.check(row):
            break
    broken = walk.finish()
    return Verification(
        rows=rows,
        head_sequence=walk.head_sequence,
        anchors=len(anchors),
        broken=broken,
        pseudonymised=walk.pseudonymised,
        sealed=walk.sealed,
    )


def grouped(digest: str) -> str:
    return " ".join(digest[start : start + 8] for start in range(0, len(digest), 8))


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """The anchors written so far; a missing file means none yet."""
    path = path or anchor_path()
    if not path.exists():
        return []
    anchors = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                data = json.loads(line)
                anchors.append(
                    Anchor(
                        sequence=int(data["sequence"]),
                        id=data.get("id"),
                        hash=data["hash"],
                        at=data.get("anchored_at", ""),
                    )
                )
    return anchors


def anchor_head(*, path: Path | None = None, recipients: Iterable[str] = ()) -> dict[str, object]:
    """Writes the chain's head (sequence, id, hash, the row's time and now) to the anchor
    file, the application log and the recipients; returns what was written."""
    head = AuditEvent.objects.order_by("-sequence").values("sequence", "id", "hash", "at").first()
    record: dict[str, object] = {
        "sequence": head["sequence"] if head else 0,
        "id": head["id"] if head else None,
        "hash": head["hash"] if head else GENESIS,
        "row_at": utc_iso(head["at"]) if head else None,
        "anchored_at": utc_iso(timezone.now()),
    }
    line = json.dumps(record, sort_keys=True, separators=(",", ":"))
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as anchors:
        anchors.write(line + "\n")
        anchors.flush()
        os.fsync(anchors.fileno())
    # In groups of eight: a run of 10 or 12 digits in the hex would otherwise be taken for
    # an identity number and redacted by the log filter.
    logger.info(
        "Loggens ankare: löpnummer %s, id %s, kontrollsumma %s, ankrat %s",
        record["sequence"],
        record["id"],
        grouped(str(record["hash"])),
        record["anchored_at"],
    )
    recipients = [address for address in recipients if address]
    if recipients:
        send_mail(
            subject=f"Motverka: loggens ankare, löpnummer {record['sequence']}",
            message=(
                "Spara detta meddelande. Det är loggens huvud vid tidpunkten nedan; "
                "`motverka audit verify` jämför kedjan mot det.\n\n" + line + "\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )
    return record
