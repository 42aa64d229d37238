"""The hash chain over the audit log: the canonical content of a row and its hash.

Plain Python, no database. Each row's hash is SHA-256 over the UTF-8 bytes of a JSON
document (keys sorted, no whitespace, non-ASCII kept as is) holding every field of the row
except its database id and its own hash, the sorted subjects of a list or search row, and
the previous row's hash. The first row's previous hash is ``GENESIS``. Changing any field,
removing, inserting or reordering a row therefore changes a hash that ``verify`` recomputes.

The format is versioned (``"v"``); a new field on ``AuditEvent`` must be added here, with a
new version, so old rows keep verifying under the version they were written with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ChainedSubject:
    """One case, person or other record shown by a list or search row."""

    object_type: str
    object_id: str
    case_id: int | None
    person_id: int | None

    def canonical(self) -> list[object]:
        return [self.object_type, self.object_id, self.case_id, self.person_id]


@dataclass(frozen=True)
class ChainedContent:
    """Everything a row says, in the types the database returns."""

    sequence: int
    at: datetime
    actor_id: int | None
    action: str
    object_type: str
    object_id: str
    case_id: int | None
    person_id: int | None
    channel: str
    address: str
    detail: str
    subjects: tuple[ChainedSubject, ...] = ()


def utc_iso(moment: datetime) -> str:
    """The time as UTC ISO 8601 with microseconds: ``2026-12-01T09:46:45.123456+00:00``."""
    if moment.tzinfo is None:
        raise ValueError("audit times are timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical_bytes(content: ChainedContent, previous_hash: str) -> bytes:
    subjects = sorted(
        (subject.canonical() for subject in content.subjects),
        key=lambda item: json.dumps(item, separators=(",", ":")),
    )
    document = {
        "v": FORMAT_VERSION,
        "sequence": content.sequence,
        "at": utc_iso(content.at),
        "actor": content.actor_id,
        "action": content.action,
        "object_type": content.object_type,
        "object_id": content.object_id,
        "case": content.case_id,
        "person": content.person_id,
        "channel": content.channel,
        "address": content.address,
        "detail": content.detail,
        "subjects": subjects,
        "previous": previous_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def row_hash(content: ChainedContent, previous_hash: str) -> str:
    return hashlib.sha256(canonical_bytes(content, previous_hash)).hexdigest()


@dataclass(frozen=True)
class StoredRow:
    """A row as read back for verification."""

    id: int
    hash: str
    content: ChainedContent


@dataclass(frozen=True)
class Anchor:
    """A head of the chain written down outside the database at some time."""

    sequence: int
    id: int | None
    hash: str
    at: str = ""


@dataclass(frozen=True)
class Break:
    """The first place where the stored chain is not what its rows say."""

    sequence: int
    id: int | None
    reason: str


@dataclass
class ChainWalk:
    """Checks rows one at a time, in sequence order; keeps only the previous hash, so
    memory stays flat however long the chain is."""

    anchors: Iterable[Anchor] = ()
    previous_hash: str = GENESIS
    expected_sequence: int = 1
    last_id: int | None = None
    broken: Break | None = None

    def __post_init__(self) -> None:
        self._anchors = {anchor.sequence: anchor for anchor in self.anchors}

    def check(self, row: StoredRow) -> bool:
        """False (and ``broken`` set) at the first row that does not fit."""
        sequence = row.content.sequence
        if sequence != self.expected_sequence:
            if sequence > self.expected_sequence:
                reason = f"löpnummer {self.expected_sequence}–{sequence - 1} saknas"
            else:
                reason = f"löpnummer {sequence} förekommer igen"
            self.broken = Break(sequence, row.id, reason)
            return False
        if row.hash != row_hash(row.content, self.previous_hash):
            self.broken = Break(sequence, row.id, "kontrollsumman stämmer inte med radens innehåll")
            return False
        anchor = self._anchors.get(sequence)
        if anchor is not None and (anchor.hash != row.hash or anchor.id not in (None, row.id)):
            self.broken = Break(sequence, row.id, f"raden skiljer sig från ankaret {anchor.at}")
            return False
        self.previous_hash = row.hash
        self.expected_sequence += 1
        self.last_id = row.id
        return True

    def finish(self) -> Break | None:
        """After the last row: an anchor past the end means the tail was cut off."""
        if self.broken is not None:
            return self.broken
        head = self.expected_sequence - 1
        later = [anchor for anchor in self._anchors.values() if anchor.sequence > head]
        if later:
            anchor = min(later, key=lambda item: item.sequence)
            self.broken = Break(
                head + 1,
                None,
                f"kedjan slutar vid löpnummer {head} men ankaret {anchor.at} "
                f"har löpnummer {anchor.sequence}: rader i slutet har tagits bort",
            )
        return self.broken

    @property
    def head_sequence(self) -> int:
        return self.expected_sequence - 1
