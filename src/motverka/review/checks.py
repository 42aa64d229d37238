"""The systematic checks of a log review (loggranskning), as pure rules.

A unit manager reviews who has read the unit's personal data. Each check is a rule over
access facts — one fact per (log row, case/person it touched) — and returns the facts
that deserve a second look. Nothing here reads the database or knows "now": the selectors
build the facts, the rules only judge them, so every rule is tested exhaustively.

The checks are those Swedish municipalities run monthly: reads of protected persons, reads
of cases the reader is not assigned to, reads after a case was closed, reads outside office
hours, many persons in a short time; beside them a reproducible random sample.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motverka.workflow.calendar import is_working_day

#: Log actions that disclose personal data to the actor (what a review looks at).
READ_ACTIONS: Final = frozenset({"read", "search", "download", "export"})


@dataclass(frozen=True)
class AccessFact:
    """One read of one case or person, as a review sees it. ``at`` is local time."""

    event_id: int
    at: datetime
    actor_id: int | None
    action: str
    case_id: int | None
    person_id: int | None
    person_protected: bool = False
    case_assigned_to_id: int | None = None
    case_closed_on: date | None = None


@dataclass(frozen=True)
class ReviewSettings:
    office_start_hour: int = 7
    office_end_hour: int = 18
    burst_persons: int = 20
    burst_minutes: int = 10
    sample_size: int = 10


@dataclass(frozen=True)
class Check:
    code: str
    label: str | Promise
    rule: Callable[[Sequence[AccessFact], ReviewSettings], list[AccessFact]]


def _reads(facts: Iterable[AccessFact]) -> list[AccessFact]:
    return [fact for fact in facts if fact.action in READ_ACTIONS and fact.actor_id is not None]


def protected_reads(facts: Sequence[AccessFact], config: ReviewSettings) -> list[AccessFact]:
    return [fact for fact in _reads(facts) if fact.person_protected]


def unassigned_reads(facts: Sequence[AccessFact], config: ReviewSettings) -> list[AccessFact]:
    return [
        fact
        for fact in _reads(facts)
        if fact.case_id is not None and fact.case_assigned_to_id != fact.actor_id
    ]


def reads_after_closing(facts: Sequence[AccessFact], config: ReviewSettings) -> list[AccessFact]:
    return [
        fact
        for fact in _reads(facts)
        if fact.case_closed_on is not None and fact.at.date() > fact.case_closed_on
    ]


def is_office_time(moment: datetime, config: ReviewSettings) -> bool:
    """Working days (lag 1930:173's calendar: no weekends, holidays or the three eves)
    between the configured hours; the end hour itself is outside."""
    return (
        is_working_day(moment.date())
        and config.office_start_hour <= moment.hour < config.office_end_hour
    )


def reads_outside_office_hours(
    facts: Sequence[AccessFact], config: ReviewSettings
) -> list[AccessFact]:
    return [fact for fact in _reads(facts) if not is_office_time(fact.at, config)]


def many_persons_in_short_time(
    facts: Sequence[AccessFact], config: ReviewSettings
) -> list[AccessFact]:
    """Reads by an actor who, within any window of ``burst_minutes``, touched more than
    ``burst_persons`` distinct persons; every read inside such a window is returned."""
    window = timedelta(minutes=config.burst_minutes)
    by_actor: dict[int, list[tuple[AccessFact, int]]] = {}
    for fact in _reads(facts):
        if fact.person_id is not None and fact.actor_id is not None:
            by_actor.setdefault(fact.actor_id, []).append((fact, fact.person_id))
    flagged: dict[tuple[int, int | None, int | None], AccessFact] = {}
    for actor_facts in by_actor.values():
        actor_facts.sort(key=lambda item: (item[0].at, item[0].event_id))
        start = 0
        counts: dict[int, int] = {}
        for end, (fact, person_id) in enumerate(actor_facts):
            counts[person_id] = counts.get(person_id, 0) + 1
            while fact.at - actor_facts[start][0].at > window:
                leaving = actor_facts[start][1]
                counts[leaving] -= 1
                if counts[leaving] == 0:
                    del counts[leaving]
                start += 1
            if len(counts) > config.burst_persons:
                for inside, _person in actor_facts[start : end + 1]:
                    flagged[(inside.event_id, inside.case_id, inside.person_id)] = inside
    return sorted(flagged.values(), key=lambda fact: (fact.at, fact.event_id))


CHECKS: Final[tuple[Check, ...]] = (
    Check("protected", _("Läsningar av personer med skyddade personuppgifter"), protected_reads),
    Check(
        "unassigned", _("Läsningar av ärenden där läsaren inte är handläggare"), unassigned_reads
    ),
    Check("after_closing", _("Läsningar efter att ärendet avslutats"), reads_after_closing),
    Check("off_hours", _("Läsningar utanför kontorstid"), reads_outside_office_hours),
    Check("burst", _("Många personer på kort tid"), many_persons_in_short_time),
)
CHECK_CODES: Final = tuple(check.code for check in CHECKS)


def run_checks(
    facts: Sequence[AccessFact], config: ReviewSettings, codes: Iterable[str] = CHECK_CODES
) -> dict[str, list[AccessFact]]:
    """The findings of each requested check, keyed by code, in the order of CHECKS."""
    wanted = set(codes)
    unknown = wanted - set(CHECK_CODES)
    if unknown:
        raise ValueError(f"unknown checks: {sorted(unknown)}")
    return {check.code: check.rule(facts, config) for check in CHECKS if check.code in wanted}


def random_sample(facts: Sequence[AccessFact], *, size: int, seed: int) -> list[AccessFact]:
    """A reproducible sample of reads: the same facts and seed give the same sample, so a
    recorded review can be re-run and checked."""
    reads = sorted(_reads(facts), key=lambda fact: (fact.event_id, fact.case_id or 0))
    if len(reads) <= size:
        return reads
    chosen = random.Random(seed).sample(range(len(reads)), size)  # noqa: S311 - not secret
    return [reads[index] for index in sorted(chosen)]
