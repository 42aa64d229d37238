"""Small-count suppression for published figures (pure)."""

from __future__ import annotations

from dataclasses import dataclass

#: Counts below this are shown as "färre än 5" so that no one can be identified.
SUPPRESSION_THRESHOLD = 5


@dataclass(frozen=True)
class Figure:
    label: str
    count: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.count < SUPPRESSION_THRESHOLD

    @property
    def shown(self) -> str:
        return f"<{SUPPRESSION_THRESHOLD}" if self.suppressed else str(self.count)
