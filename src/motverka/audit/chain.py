"""The hash chain over the audit log: the canonical content of a row and its hash.

Plain Python, no database. Each row's hash is SHA-256 over the UTF-8 bytes of a JSON
document (keys sorted, no whitespace, non-ASCII kept as is) holding every field of the row
except its database id and its own hash, the sorted subjects of a list or search row, and
the previous row's hash. The first row's previous hash is ``GENESIS``. Changing any field,
removing, inserting or reordering a row therefore changes a hash that ``verify`` recomputes.

The format is versioned (``"v"``, stored per row as ``chain_version``); a new field on
``AuditEvent`` must be added here, with a new version, so old rows keep verifying under the
version they were written with.

Version 2 (decision 0021) keeps the personal references of a row — ``object_id``,
``case_id``, ``person_id`` and ``detail``, and each subject's ``object_id``, ``case_id``
and ``person_id`` — out of the hashed document. They enter it only through a
``reference_digest``: SHA-256 over a random per-row salt and the references, both stored
in the row. Verification recomputes the digest while the clear values and the salt are
there. Disposal replaces the clear values with a pseudonym and erases the salt; the digest
and the hash stay as they were, so the chain still verifies, and without the salt the
digest cannot be matched against guessed ids. A version-1 row cannot be pseudonymised
that way: its hash covers the clear values. Disposal seals it instead (the content check
is skipped for it, its hash stays bound by the next row's hash and by the anchors).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64
FORMAT_VERSION = 2
#: The formats ``verify`` understands.
FORMAT_VERSIONS = (1, 2)


def new_salt() -> str:
    return secrets.token_hex(16)


def reference_digest(salt: str, references: list[object]) -> str:
    """SHA-256 over the salt and the personal references of a row or subject."""
    document = json.dumps([salt, references], separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainedSubject:
    """One case, person or other record shown by a list or search row."""

    object_type: str
    object_id: str
    case_id: int | None
    person_id: int | None
    reference_salt: str = ""
    reference_digest: str = ""
    pseudonym: str = ""

    def canonical(self) -> list[object]:
        return [self.object_type, self.object_id, self.case_id, self.person_id]

    def references(self) -> list[object]:
        return [self.object_id, self.case_id, self.person_id]

    def canonical_v2(self) -> list[object]:
        return [self.object_type, self.reference_digest]

    def references_intact(self) -> bool:
        """The clear references still match the digest (a pseudonymised subject has no
        salt left and nothing to compare)."""
        if not self.reference_salt:
            return bool(self.pseudonym)
        return reference_digest(self.reference_salt, self.references()) == self.reference_digest


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
    chain_version: int = FORMAT_VERSION
    reference_salt: str = ""
    reference_digest: str = ""
    pseudonym: str = ""

    def references(self) -> list[object]:
        return [self.object_id, self.case_id, self.person_id, self.detail]

    @property
    def pseudonymised(self) -> bool:
        return bool(self.pseudonym)

    def references_intact(self) -> bool:
        if self.chain_version < 2:
            return True
        if not self.reference_salt:
            intact_row = bool(self.pseudonym)
        else:
            intact_row = (
                reference_digest(self.reference_salt, self.references()) == self.reference_digest
            )
        return intact_row and all(subject.references_intact() for subject in self.subjects)


def utc_iso(moment: datetime) -> str:
    """The time as UTC ISO 8601 with microseconds: ``2026-12-01T09:46:45.123456+00:00``."""
    if moment.tzinfo is None:
        raise ValueError("audit times are timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _dumps(document: dict[str, object]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _canonical_v2(content: ChainedContent, previous_hash: str) -> bytes:
    subjects = sorted(
        (subject.canonical_v2() for subject in content.subjects),
        key=lambda item: json.dumps(item, separators=(",", ":")),
    )
    return _dumps(
        {
            "v": 2,
            "sequence": content.sequence,
            "at": utc_iso(content.at),
            "actor": content.actor_id,
            "action": content.action,
            "object_type": content.object_type,
            "channel": content.channel,
            "address": content.address,
            "references": content.reference_digest,
            "subjects": subjects,
            "previous": previous_hash,
        }
    )


def canonical_bytes(content: ChainedContent, previous_hash: str) -> bytes:
    if content.chain_version == 2:
        return _canonical_v2(content, previous_hash)
    if content.chain_version != 1:
        raise ValueError(f"unknown chain format {content.chain_version}")
    subjects = sorted(
        (subject.canonical() for subject in content.subjects),
        key=lambda item: json.dumps(item, separators=(",", ":")),
    )
    document = {
        "v": 1,
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
    return _dumps(document)


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
    #: Rows whose personal references were replaced by a pseudonym at disposal.
    pseudonymised: int = 0
    #: Of those, version-1 rows: sealed, their content no longer checkable.
    sealed: int = 0

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
        content = row.content
        sealed = content.chain_version == 1 and content.pseudonymised
        if not sealed and row.hash != row_hash(content, self.previous_hash):
            self.broken = Break(sequence, row.id, "kontrollsumman stämmer inte med radens innehåll")
            return False
        if not content.references_intact():
            self.broken = Break(
                sequence, row.id, "personreferenserna stämmer inte med radens sammandrag"
            )
            return False
        if content.pseudonymised or any(subject.pseudonym for subject in content.subjects):
            self.pseudonymised += 1
            self.sealed += int(sealed)
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
