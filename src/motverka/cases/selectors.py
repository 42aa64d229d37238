"""Reads of cases for lists, search and the case page — always through the access layer."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects

from motverka.cases.access import cases_visible_to, log_case_hits
from motverka.cases.models import Case, CaseEvent, JournalEntry
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.models import Person
from motverka.workflow.models import CaseMeasure
from motverka.workflow.policy import CaseStatus, Measure, MeasureState

T = TypeVar("T")


@dataclass(frozen=True)
class CaseFilters:
    text: str = ""  # reference or name
    identity_number: str = ""  # only ever from a POST body
    status: str = ""
    sending_municipality: str = ""  # kommunkod
    target_group: str = ""
    assigned_to: str = ""  # user id, "me" or "none"
    open_only: bool = False
    awaiting: str = ""  # see AWAITING: the case waits for an answer from outside


def _filtered(user: Any, filters: CaseFilters) -> QuerySet[Case]:
    queryset = cases_visible_to(user)
    text = filters.text.strip()
    if text:
        query = Q(reference__icontains=text)
        for word in text.split():
            query |= Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
        queryset = queryset.filter(query)
    if filters.identity_number.strip():
        try:
            canonical = parse_identity_number(filters.identity_number).canonical
        except InvalidIdentityNumber:
            return queryset.none()
        queryset = queryset.filter(person__personal_identity_number=canonical)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.open_only:
        queryset = queryset.exclude(status=CaseStatus.CLOSED)
    if filters.sending_municipality:
        # A protected person's sending municipality is never a search result (docs/privacy.md):
        # filtering by it must not single out their case either.
        queryset = queryset.filter(
            sending_municipality__code=filters.sending_municipality,
            person__protected_identity=False,
        )
    if filters.target_group:
        queryset = queryset.filter(target_groups__code=filters.target_group)
    if filters.assigned_to == "me":
        queryset = queryset.filter(assigned_to=user)
    elif filters.assigned_to == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif re.fullmatch(r"[0-9]+", filters.assigned_to):
        user_id = int(filters.assigned_to)
        # An id beyond the database's integer range matches no one (and must not raise).
        queryset = queryset.filter(assigned_to_id=user_id) if user_id < 2**63 else queryset.none()
    return _awaiting_filtered(queryset, filters.awaiting).distinct()


#: What an open case can be waiting for (the list filter "Väntar på"): the measure and its
#: state that say so. Used by the manager's start page to link to the cases behind a count.
AWAITING: dict[str, tuple[str, str]] = {
    "overflyttning": (Measure.RETURN_OF_RESPONSIBILITY, MeasureState.REQUEST_SENT),
    "ivo": (Measure.RETURN_OF_RESPONSIBILITY, MeasureState.IVO_APPLIED),
}


def awaiting_filter(awaiting: str) -> Q:
    """Open cases waiting for ``awaiting`` (a key of :data:`AWAITING`); every case for ""."""
    if awaiting not in AWAITING:
        return Q()
    measure, state = AWAITING[awaiting]
    waiting = CaseMeasure.objects.filter(case=OuterRef("pk"), measure=measure, state=state)
    return Q(Exists(waiting)) & ~Q(status=CaseStatus.CLOSED)


def _awaiting_filtered(queryset: QuerySet[Case], awaiting: str) -> QuerySet[Case]:
    return queryset.filter(awaiting_filter(awaiting)) if awaiting else queryset


def case_list(
    *, user: Any, filters: CaseFilters, page_number: int | str = 1, page_size: int = 25
) -> Page:
    """One page of the cases the user may see; each hit on the page is logged as a read."""
    queryset = (
        _filtered(user, filters)
        .select_related("person", "sending_municipality", "assigned_to", "unit")
        .prefetch_related("target_groups")
        .order_by("-received_on", "-id")
    )
    page = Paginator(queryset, page_size).get_page(page_number)
    log_case_hits(user=user, cases=page.object_list, detail="lista/sökning")
    return page


def without_protected_persons(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` less those of a person with protected identity — in the case's own person
    row or in any unit's row of the same identity number — for aggregates that break down
    by sending municipality (figures, landlord statistics). They cross units, so one unit's
    protection holds for every unit's cases there, without telling any unit about it."""
    protected_elsewhere = Person.objects.filter(
        personal_identity_number=OuterRef("person__personal_identity_number"),
        protected_identity=True,
    )
    return cases.filter(person__protected_identity=False).exclude(Exists(protected_elsewhere))


@dataclass(frozen=True)
class TimelineItem:
    at: datetime
    kind: str  # "journal" or "event"
    journal_entry: JournalEntry | None = None
    event: CaseEvent | None = None


def case_timeline(*, case: Case) -> list[TimelineItem]:
    """Journal entries and system events, newest first. Caller has already got the case
    through the access layer (and so logged the read)."""
    entries = case.journal_entries.select_related("author", "signed_by", "corrects").all()
    events = case.events.select_related("actor").all()
    items = chain(
        (
            TimelineItem(at=entry.created_at, kind="journal", journal_entry=entry)
            for entry in entries
        ),
        (TimelineItem(at=event.at, kind="event", event=event) for event in events),
    )
    return sorted(items, key=lambda item: item.at, reverse=True)


# --- Reads shared by the panels of one case page ---------------------------------------------

# The case page's sections are rendered by several apps, each reading what it shows. Reads
# that more than one of them need (consents, the workflow summary, the household) are done
# once per request: the page attaches a cache to the case instance it fetched, and the
# selectors that honour it (see :func:`page_read`) fill it on first use. Without a cache —
# in services, the API, commands — every call reads afresh.
_PAGE_READS = "_motverka_page_reads"


def enable_page_reads(case: Case) -> None:
    """Start the per-request cache of ``case`` (already fetched through the access layer)
    and read its household and interventions once (every section's header needs them)."""
    if getattr(case, _PAGE_READS, None) is not None:
        return
    setattr(case, _PAGE_READS, {})
    prefetch_related_objects([case], "household", "interventions")


def page_read(case: Case, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, once per page for ``case`` when the page enabled the cache."""
    cache: dict[str, Any] | None = getattr(case, _PAGE_READS, None)
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[no-any-return]
