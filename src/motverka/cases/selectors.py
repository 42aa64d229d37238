"""Reads of cases for lists, search and the case page — always through the access layer."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import chain
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value, prefetch_related_objects
from django.utils.functional import cached_property

from motverka.cases.access import cases_in_units, log_case_hits, visible_unit_ids
from motverka.cases.models import Case, CaseEvent, CaseIndicator, CaseTargetGroup, JournalEntry
from motverka.cases.search import Folded, fold
from motverka.config.database import client_side_binding
from motverka.people.identity import InvalidIdentityNumber, parse_identity_number
from motverka.people.models import Person
from motverka.workflow.models import CaseMeasure
from motverka.workflow.policy import CaseStatus, Measure, MeasureState

T = TypeVar("T")

#: Lists count their hits up to this many; beyond it they say "fler än 1 000 ärenden".
LIST_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator that never counts every row: it counts at most ``cap`` rows past the
    start of the requested page, plus one, in a LIMITed subquery. ``capped`` tells that
    there are more than ``count`` rows (the count is then a lower bound)."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self._limit = cap + 1

    def get_page(self, number: Any) -> Page:
        try:
            wanted = max(1, int(number))
        except (TypeError, ValueError):
            wanted = 1
        self._limit = max(self.cap, (wanted - 1) * self.per_page + self.cap) + 1
        return super().get_page(number)

    @cached_property
    def _ids(self) -> list[int] | None:
        """For a page within the first ``cap`` rows: the ids of up to ``cap`` + 1 rows in
        the list's order, in one query that both counts and picks the page, so a search
        matches its words once, not once for the count and again for the page."""
        rows = self.object_list
        if not isinstance(rows, QuerySet) or self._limit != self.cap + 1:
            return None
        return list(rows.values_list("pk", flat=True)[: self._limit])

    @cached_property
    def count(self) -> int:
        if self._ids is not None:
            return len(self._ids)
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return rows[: self._limit].count()
        return min(len(rows), self._limit)

    def page(self, number: Any) -> Page:
        ids = self._ids
        if ids is None:
            return super().page(number)
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        chosen = ids[start : start + self.per_page]
        # Read again with the list's own filters: only what is still visible is shown.
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        found = {row.pk: row for row in rows.filter(pk__in=chosen)} if chosen else {}
        return Page([found[pk] for pk in chosen if pk in found], number, self)

    @property
    def capped(self) -> bool:
        """More rows than ``cap``: the list says "fler än <cap>" and no last page."""
        return self.count > self.cap

    @property
    def cap_display(self) -> str:
        """The cap with Swedish digit grouping: ``1 000`` (a no-break space)."""
        return format_grouped(self.cap)


def format_grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


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


def _text_filter(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """A text with a digit is (part of) a reference; any other text is a name, and every
    word of it must match the first or the last name. Both are case-insensitive for
    Swedish letters too, and served by trigram indexes on PostgreSQL (decision 0018)."""
    if any(char.isdigit() for char in text):
        return queryset.alias(folded_reference=Folded("reference")).filter(
            folded_reference__contains=fold(text)
        )
    queryset = queryset.alias(
        folded_first_name=Folded("person__first_name"),
        folded_last_name=Folded("person__last_name"),
    )
    for word in text.split():
        folded = fold(word)
        queryset = queryset.filter(
            Q(folded_first_name__contains=folded) | Q(folded_last_name__contains=folded)
        )
    return queryset


def _filtered(user: Any, filters: CaseFilters) -> QuerySet[Case]:
    # The user's unit ids are read once and written into the query as literals: the
    # planner then walks the (unit, received_on, id) index instead of a subquery's result.
    queryset = cases_in_units(visible_unit_ids(user))
    text = filters.text.strip()
    if text:
        queryset = _text_filter(queryset, text)
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
        queryset = queryset.filter(
            Exists(CaseTargetGroup.objects.filter(case=OuterRef("pk"), code=filters.target_group))
        )
    if filters.assigned_to == "me":
        queryset = queryset.filter(assigned_to=user)
    elif filters.assigned_to == "none":
        queryset = queryset.filter(assigned_to__isnull=True)
    elif re.fullmatch(r"[0-9]+", filters.assigned_to):
        user_id = int(filters.assigned_to)
        # An id beyond the database's integer range matches no one (and must not raise).
        queryset = queryset.filter(assigned_to_id=user_id) if user_id < 2**63 else queryset.none()
    # Every join above is to one row (person, municipality) and the target group and the
    # waiting state are EXISTS: no case can come twice, so no DISTINCT (which would defeat
    # the index).
    return _awaiting_filtered(queryset, filters.awaiting)


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


def _listed(user: Any, filters: CaseFilters) -> QuerySet[Case]:
    """The cases of a list in its order, with what a row shows."""
    return (
        _filtered(user, filters)
        .select_related("person", "sending_municipality", "assigned_to", "unit")
        .order_by("-received_on", "-id")
    )


_TARGET_GROUP_CODES = "_motverka_target_group_codes"


def _read_target_group_codes(cases: list[Case]) -> None:
    """Each case's target group codes, for all of them in one query of plain values (the
    ORM's prefetch, with a model instance per row, took about 3.7 ms of CPU for a page)."""
    codes: dict[int, list[str]] = {case.pk: [] for case in cases}
    if codes:
        rows = CaseTargetGroup.objects.filter(case_id__in=list(codes)).order_by("id")
        for case_id, code in rows.values_list("case_id", "code"):
            codes[case_id].append(code)
    for case in cases:
        setattr(case, _TARGET_GROUP_CODES, codes[case.pk])


def target_group_codes(case: Case) -> list[str]:
    """The case's target group codes in the order they were recorded: as a list read them
    (:func:`case_list` with ``target_groups``), or read now."""
    codes: list[str] | None = getattr(case, _TARGET_GROUP_CODES, None)
    if codes is None:
        codes = list(case.target_groups.order_by("id").values_list("code", flat=True))
    return codes


def _planned_for_values(filters: CaseFilters) -> AbstractContextManager[None]:
    """A list narrowed by a search text, a value filter or a case worker is planned for its
    values each time (client-side binding, never a prepared statement): how many rows a
    word, a status or a person's caseload matches differs too much for one plan to suit
    them all (decision 0027). A unit manager with a handful of cases of their own read
    "Mina ärenden" in 18 ms with the plan prepared for a case worker who holds most of
    the unit's, against 2 ms planned for their own id. The plain list and "open" keep the
    plans their connection has prepared."""
    narrowed = replace(filters, open_only=False) != CaseFilters()
    return client_side_binding(connection) if narrowed else nullcontext()


def case_list(
    *,
    user: Any,
    filters: CaseFilters,
    page_number: int | str = 1,
    page_size: int = 25,
    target_groups: bool = False,
) -> Page:
    """One page of the cases the user may see; each hit on the page is logged as a read.
    The total is counted only up to :data:`LIST_COUNT_CAP` (see :class:`CappedPaginator`).
    ``target_groups``: read each case's target groups too (the API's rows show them)."""
    queryset = _listed(user, filters)
    with _planned_for_values(filters):
        page = CappedPaginator(queryset, page_size, cap=LIST_COUNT_CAP).get_page(page_number)
        page.object_list = list(page.object_list)
        if target_groups:
            _read_target_group_codes(page.object_list)
        log_case_hits(user=user, cases=page.object_list, detail="lista/sökning")
    return page


def case_rows(*, user: Any, filters: CaseFilters, limit: int) -> tuple[list[Case], bool]:
    """The first ``limit`` cases of :func:`case_list`'s order, without any count (for the
    start page), and whether there are more; each case returned is logged as a read (the
    one read to learn that there are more is not shown, and not logged)."""
    with _planned_for_values(filters):
        rows = list(_listed(user, filters)[: limit + 1])
    shown = rows[:limit]
    log_case_hits(user=user, cases=shown, detail="lista/sökning")
    return shown, len(rows) > limit


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


def case_codes(case: Case) -> tuple[list[str], list[str]]:
    """The labels of the case's target groups and of its indicators, in the order they were
    recorded: one query (a UNION of the two tables) for the overview."""
    from motverka.cases.vocabulary import Indicator, TargetGroup

    groups = (
        CaseTargetGroup.objects.filter(case=case)
        .annotate(kind=Value("target_group"))
        .values_list("kind", "code", "id")
    )
    indicators = (
        CaseIndicator.objects.filter(case=case)
        .annotate(kind=Value("indicator"))
        .values_list("kind", "code", "id")
    )
    target_labels: list[str] = []
    indicator_labels: list[str] = []
    for kind, code, _pk in sorted(groups.union(indicators, all=True), key=lambda row: row[2]):
        if kind == "target_group":
            target_labels.append(
                str(TargetGroup(code).label) if code in TargetGroup.values else code
            )
        else:
            indicator_labels.append(
                str(Indicator(code).label) if code in Indicator.values else code
            )
    return target_labels, indicator_labels
