"""The figures: counts only, never personal data, read from the summary rows.

One calendar year is one *publication*: every table for the year, its quarters and its
months, protected together by :func:`motverka.reporting.suppression.suppress`, so no hidden
value can be worked out from a margin, another table or another period of the same year.
A period asks the publication for its slice; a range of months adds grid pieces (see
:mod:`motverka.reporting.periods`). Cases of protected persons are left out of every figure
(protected in any unit's record), so no figure differs from another by them.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from motverka.cases.vocabulary import Indicator, TargetGroup
from motverka.housing.selectors import landlord_signals
from motverka.housing.vocabulary import HousingAssessment
from motverka.reference.models import County, Municipality
from motverka.reporting.models import CaseFigureRow, FigurePublication
from motverka.reporting.periods import (
    QUARTER_MONTHS,
    UNITS,
    YEAR,
    Period,
    month_unit,
    quarter_unit,
    year_period,
)
from motverka.reporting.suppression import SUPPRESSION_THRESHOLD, Line, suppress
from motverka.workflow.policy import CaseStatus, Outcome

Key = tuple[Any, ...]
ALL: Key = ("all",)

#: A sending municipality with fewer cases in the year is counted in one row, "Övriga
#: kommuner" (global recoding): a row of small counts would be hidden anyway, and hiding
#: it alone would force further cells to be hidden and make the protection costly.
OWN_ROW_MIN_CASES = 10
OTHER_MUNICIPALITIES = "other"

GRAIN_UNITS = {
    "month": UNITS,
    "quarter": UNITS[:5],
    "year": UNITS[:1],
}

_TRANSFER = [
    ("accepted", "Accepterade"),
    ("declined", "Avböjda"),
    ("no_answer", "Obesvarade inom fristen"),
    ("awaiting", "Väntar på svar"),
]
_IVO = [("granted", "Beviljade"), ("rejected", "Avslagna"), ("applied", "Väntar på beslut")]
_VISITS = [
    ("visits_suitable", HousingAssessment.SUITABLE.label),
    ("visits_unsuitable", HousingAssessment.UNSUITABLE.label),
    ("visits_harmful", HousingAssessment.HARMFUL.label),
    ("visits_unassessed", "Utan bedömning"),
]
_DURATIONS = [
    ("first_contact_days", "Från inkommet ärende till första kontakt med avsändande kommun"),
    ("official_letter_days", "Från inkommet ärende till officiell skrivelse"),
    ("ivo_decision_days", "Från ansökan till IVO:s beslut"),
]
_MONEY = [
    ("rent_paid_months", "Månader hyra betalda av avsändande kommun", "månader"),
    ("deposit_paid", "Depositioner betalda av avsändande kommun", "kr"),
    ("moving_costs_paid", "Flyttkostnader betalda av avsändande kommun", "kr"),
    ("assistance_paid_monthly", "Ekonomiskt bistånd från oss per månad efter flytten", "kr/mån"),
]


# --- What one year's publication holds ----------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """One published table: rows (and columns for a cross-table) as (key part, label).

    ``row_key(r)`` and ``cell_key(r, c)`` name the quantities; a total names the table's
    margin (``None``: the rows do not add up, as when a case has several target groups)."""

    slug: str
    title: str
    rows: list[tuple[Any, str]]
    row_dim: str
    columns: list[tuple[Any, str]] = field(default_factory=list)
    column_dim: str = ""
    total: Key | None = ALL
    total_label: str = "Totalt"
    additive_in_time: bool = True
    #: The finest period the table is published for: "month", "quarter" or "year". Finer
    #: grids of sparse cross-tables would be mostly hidden and make the protection costly.
    grain: str = "year"

    @property
    def units(self) -> tuple[str, ...]:
        return GRAIN_UNITS[self.grain]

    def row_key(self, row: Hashable) -> Key:
        return (self.row_dim, row)

    def column_key(self, column: Hashable) -> Key:
        return (self.column_dim, column)

    def cell_key(self, row: Hashable, column: Hashable) -> Key:
        return (self.row_dim, row, self.column_dim, column)


@dataclass
class YearPublication:
    year: int
    tables: list[TableSpec]
    values: dict[tuple[str, Key], int]  # (unit, key) → count
    hidden: frozenset[tuple[str, Key]]
    published: frozenset[tuple[str, Key]]
    durations: dict[tuple[str, str], dict[int, int]]  # (unit, field) → {days: cases}
    money: dict[tuple[str, str], Decimal]  # (unit, field) → sum
    stamp: str = ""
    current: bool = True


def _labels(choices: Any) -> list[tuple[Any, str]]:
    return [(value, str(label)) for value, label in choices]


def _statuses() -> list[tuple[Any, str]]:
    return _labels(CaseStatus.choices)


def _outcomes() -> list[tuple[Any, str]]:
    return [*_labels(Outcome.choices), ("", _("Inget utfall ännu"))]


def _year_rows(year: int) -> Any:
    return CaseFigureRow.objects.filter(
        protected=False, received_on__gte=f"{year}-01-01", received_on__lte=f"{year}-12-31"
    ).order_by()


def _add(values: dict[tuple[str, Key], int], month: int, key: Key, amount: int) -> None:
    if not amount:
        return
    unit = month_unit(month)
    for target in (unit, quarter_unit((month + 2) // 3), YEAR):
        values[(target, key)] = values.get((target, key), 0) + amount


def _compute(year: int) -> YearPublication:
    rows = _year_rows(year)
    values: dict[tuple[str, Key], int] = {}
    municipalities: set[str] = set()
    counties: set[str] = set()
    county_of: dict[str, str] = {}
    grouped = (
        rows.annotate(month=ExtractMonth("received_on"))
        .values(
            "month",
            "status",
            "outcome",
            "sending_municipality_code",
            "sending_county_code",
            "transfer",
            "ivo",
        )
        .annotate(
            n=Count("pk"),
            **{name: Sum(name) for name, _label in _VISITS},
            **{f"n_{name}": Count(name) for name, _label in _DURATIONS},
            **{f"n_{name}": Count(name) for name, _label, _unit in _MONEY},
        )
    )
    grouped = list(grouped)
    per_municipality: dict[str, int] = defaultdict(int)
    for group in grouped:
        per_municipality[group["sending_municipality_code"]] += group["n"]
    own_row = {code for code, n in per_municipality.items() if n >= OWN_ROW_MIN_CASES}
    mixed_counties: set[str] = set()
    for group in grouped:
        month, n = group["month"], group["n"]
        municipality, county = group["sending_municipality_code"], group["sending_county_code"]
        if municipality not in own_row:
            municipality = OTHER_MUNICIPALITIES
            mixed_counties.add(county)
        municipalities.add(municipality)
        counties.add(county)
        county_of[municipality] = county
        _add(values, month, ALL, n)
        _add(values, month, ("status", group["status"]), n)
        _add(values, month, ("outcome", group["outcome"]), n)
        _add(values, month, ("county", county), n)
        _add(values, month, ("municipality", municipality), n)
        _add(values, month, ("county", county, "status", group["status"]), n)
        _add(values, month, ("municipality", municipality, "outcome", group["outcome"]), n)
        if group["transfer"]:
            _add(values, month, ("transfer", group["transfer"]), n)
            _add(values, month, ("transfer_sent",), n)
        if group["ivo"]:
            _add(values, month, ("ivo", group["ivo"]), n)
            _add(values, month, ("ivo_applied",), n)
        for name, _label in _VISITS:
            _add(values, month, ("visits", name), group[name] or 0)
            _add(values, month, ("visits_all",), group[name] or 0)
        for name, _label in _DURATIONS:
            _add(values, month, ("with", name), group[f"n_{name}"])
        for name, _label, _unit in _MONEY:
            _add(values, month, ("with", name), group[f"n_{name}"])
    for dim in ("target_groups", "indicators"):
        for month, codes, n in (
            rows.annotate(month=ExtractMonth("received_on"))
            .values_list("month", dim)
            .annotate(n=Count("pk"))
        ):
            for code in filter(None, codes.split(",")):
                _add(values, month, (dim, code), n)

    durations: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for name, _label in _DURATIONS:
        for month, days, n in (
            rows.filter(**{f"{name}__isnull": False})
            .annotate(month=ExtractMonth("received_on"))
            .values_list("month", name)
            .annotate(n=Count("pk"))
        ):
            for unit in (month_unit(month), quarter_unit((month + 2) // 3), YEAR):
                counts = durations[(unit, name)]
                counts[days] = counts.get(days, 0) + n
    money: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for group in (
        rows.annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(**{name: Sum(name) for name, _label, _unit in _MONEY})
    ):
        month = group["month"]
        for name, _label, _unit in _MONEY:
            for unit in (month_unit(month), quarter_unit((month + 2) // 3), YEAR):
                money[(unit, name)] += Decimal(group[name] or 0)

    _landlords_flagged(year, values)
    tables = _tables(municipalities, counties)
    # A county is the sum of its rows only where none of its municipalities is recoded.
    county_of = {
        code: county
        for code, county in county_of.items()
        if code != OTHER_MUNICIPALITIES and county not in mixed_counties
    }
    cells, lines = _structure(tables, values, county_of)
    hidden = suppress(cells, lines)
    return YearPublication(
        year=year,
        tables=tables,
        values=values,
        hidden=hidden,
        published=frozenset(cells),
        durations=dict(durations),
        money=dict(money),
    )


def _landlords_flagged(year: int, values: dict[tuple[str, Key], int]) -> None:
    by_unit: dict[str, set[int]] = defaultdict(set)
    for landlord_id, received_on in (
        _year_rows(year)
        .filter(landlord_id__isnull=False)
        .values_list("landlord_id", "received_on")
        .distinct()
    ):
        month = received_on.month
        for unit in (month_unit(month), quarter_unit((month + 2) // 3), YEAR):
            by_unit[unit].add(landlord_id)
    flagged = {
        pk for pk, signal in landlord_signals(by_unit.get(YEAR, set())).items() if signal.flagged
    }
    for unit, landlords in by_unit.items():
        count = len(landlords & flagged)
        if count:
            values[(unit, ("landlords_flagged",))] = count


def _tables(municipalities: set[str], counties: set[str]) -> list[TableSpec]:
    names = dict(Municipality.objects.filter(code__in=municipalities).values_list("code", "name"))
    names[OTHER_MUNICIPALITIES] = _("Övriga kommuner (färre än %(n)s ärenden var)") % {
        "n": OWN_ROW_MIN_CASES
    }
    county_names = dict(County.objects.filter(code__in=counties).values_list("code", "name"))
    municipality_rows = sorted(
        ((code, names.get(code, code)) for code in municipalities),
        key=lambda r: (r[0] == OTHER_MUNICIPALITIES, r[1]),
    )
    county_rows = sorted(
        ((code, county_names.get(code, code)) for code in counties), key=lambda r: r[1]
    )
    return table_specs(municipality_rows, county_rows)


def table_specs(
    municipality_rows: list[tuple[Any, str]], county_rows: list[tuple[Any, str]]
) -> list[TableSpec]:
    """The tables of a year's publication, in the order they are shown."""
    return [
        TableSpec("status", _("Ärenden efter status"), _statuses(), "status", grain="month"),
        TableSpec("county", _("Avsändande län"), county_rows, "county"),
        TableSpec("municipality", _("Avsändande kommun"), municipality_rows, "municipality"),
        TableSpec("outcome", _("Utfall"), _outcomes(), "outcome", grain="quarter"),
        TableSpec(
            "county_status",
            _("Avsändande län och status"),
            county_rows,
            "county",
            columns=_statuses(),
            column_dim="status",
        ),
        TableSpec(
            "municipality_outcome",
            _("Avsändande kommun och utfall"),
            municipality_rows,
            "municipality",
            columns=_outcomes(),
            column_dim="outcome",
        ),
        TableSpec(
            "target_group",
            _("Målgrupp (ett ärende kan ha flera)"),
            _labels(TargetGroup.choices),
            "target_groups",
            total=None,
            grain="quarter",
        ),
        TableSpec(
            "indicator",
            _("Tecken (ett ärende kan ha flera)"),
            _labels(Indicator.choices),
            "indicators",
            total=None,
            grain="quarter",
        ),
        TableSpec(
            "transfer",
            _("Begäran om överflyttning"),
            [(k, _(v)) for k, v in _TRANSFER],
            "transfer",
            total=("transfer_sent",),
            total_label=_("Skickade"),
            grain="quarter",
        ),
        TableSpec(
            "ivo",
            _("Ansökan om överflyttning hos IVO"),
            [(k, _(v)) for k, v in _IVO],
            "ivo",
            total=("ivo_applied",),
            total_label=_("Ansökningar"),
            grain="quarter",
        ),
        TableSpec(
            "home_visits",
            _("Genomförda hembesök efter bedömning"),
            [(k, str(v)) for k, v in _VISITS],
            "visits",
            total=("visits_all",),
            total_label=_("Hembesök"),
            grain="quarter",
        ),
        TableSpec(
            "landlords",
            _("Hyresvärdar med signal om affärsmodell"),
            [("flagged", _("Hyresvärdar med signal"))],
            "landlords_flagged",
            total=None,
            additive_in_time=False,
            grain="month",
        ),
        # A further one-row table (for example anonymous screening counts) is added here, with
        # its keys filled in _compute; suppression and exports then cover it unchanged.
    ]


def _table_cells(table: TableSpec) -> tuple[list[Key], list[tuple[Key, list[Key]]]]:
    """The table's keys and its own lines (total → members) for one time unit."""
    if table.slug == "landlords":
        return [("landlords_flagged",)], []
    if table.columns:
        keys: list[Key] = []
        lines: list[tuple[Key, list[Key]]] = []
        for row, _label in table.rows:
            members = [table.cell_key(row, column) for column, _clabel in table.columns]
            keys += members
            lines.append((table.row_key(row), members))
        for column, _clabel in table.columns:
            lines.append(
                (table.column_key(column), [table.cell_key(row, column) for row, _l in table.rows])
            )
        keys += [table.row_key(row) for row, _l in table.rows]
        keys += [table.column_key(column) for column, _l in table.columns] + [ALL]
        return keys, lines
    keys = [table.row_key(row) for row, _label in table.rows]
    lines = [(table.total, list(keys))] if table.total is not None else []
    if table.total is not None:
        keys.append(table.total)
    return keys, lines


def _count_keys() -> list[Key]:
    return [("with", name) for name, _l in _DURATIONS] + [("with", name) for name, _l, _u in _MONEY]


def _structure(
    tables: list[TableSpec],
    values: dict[tuple[str, Key], int],
    county_of: dict[str, str] | None = None,
) -> tuple[dict[tuple[str, Key], int], list[Line]]:
    """Every published cell of the year and every line an attacker knows: the tables'
    margins per period, a period as the sum of the finer ones, and a county as the sum of
    its municipalities."""
    cells: dict[tuple[str, Key], int] = {}
    lines: list[Line] = []
    grain: dict[Key, int] = {}  # key → how many levels of time it is published at
    for key in _count_keys():
        grain[key] = 2
    for table in tables:
        keys, table_lines = _table_cells(table)
        depth = {"year": 1, "quarter": 2, "month": 3}[table.grain]
        if table.additive_in_time:
            for key in keys:
                grain[key] = max(grain.get(key, 1), depth)
        for unit in table.units:
            for key in keys:
                cells[(unit, key)] = values.get((unit, key), 0)
            for total, members in table_lines:
                lines.append(Line((unit, total), tuple((unit, key) for key in members)))
    for key, depth in grain.items():
        for unit in GRAIN_UNITS[{1: "year", 2: "quarter", 3: "month"}[depth]]:
            cells[(unit, key)] = values.get((unit, key), 0)
        if depth >= 2:
            lines.append(Line((YEAR, key), tuple((quarter_unit(q), key) for q in range(1, 5))))
        if depth >= 3:
            for quarter, months in QUARTER_MONTHS.items():
                lines.append(Line((quarter, key), tuple((month, key) for month in months)))
    by_county: dict[str, list[Key]] = defaultdict(list)
    for municipality, county in (county_of or {}).items():
        by_county[county].append(("municipality", municipality))
    for county, members in by_county.items():
        if (YEAR, ("county", county)) in cells:
            lines.append(Line((YEAR, ("county", county)), tuple((YEAR, m) for m in members)))
    return cells, lines


def year_stamp(year: int) -> str:
    """Which state of the year's summary rows a publication (or an export) was made from."""
    state = _year_rows(year).aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{state['n']}:{state['last'] and state['last'].isoformat()}"


def publication_store(year: int) -> YearPublication:
    """Compute the year's publication and store it (the task queue's job)."""
    stamp = year_stamp(year)
    publication = _compute(year)
    publication.stamp = stamp
    FigurePublication.objects.update_or_create(
        year=year,
        defaults={
            "stamp": stamp,
            "computed_at": timezone.now(),
            "payload": pickle.dumps(publication),
        },
    )
    return publication


@task()
def publication_compute_task(year: int) -> str:
    """Recompute one year's publication in a worker; nothing to compute when the stored one
    is already of the rows' present state (another task of the same change got there)."""
    stamp = year_stamp(year)
    if FigurePublication.objects.filter(year=year, stamp=stamp).exists():
        return stamp
    return publication_store(year).stamp


#: Publications this process has read, by year and the summary rows' last change, kept as
#: the objects themselves: a cache backend pickles, and unpickling every year's publication
#: on every figures page cost 4 ms. A change to any summary row makes a new key.
KEPT_PUBLICATIONS = 64
_KEPT: dict[str, YearPublication] = {}


#: (year, stamp) pairs this process has asked the task queue to publish: a stale year is
#: asked for once per change, not once per page view while the worker computes it.
_ASKED: set[tuple[int, str]] = set()


def _ask_for_publication(year: int, stamp: str) -> None:
    if (year, stamp) in _ASKED:
        return
    if len(_ASKED) > KEPT_PUBLICATIONS:
        _ASKED.clear()
    _ASKED.add((year, stamp))
    publication_compute_task.enqueue(year)


def forget_kept_publications() -> None:
    """As a new process: the next page reads the stored publications again."""
    _KEPT.clear()
    _ASKED.clear()


def _changed_at() -> str:
    """When any summary row last changed (one step down an index)."""
    last = (
        CaseFigureRow.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    )
    return last.isoformat() if last else ""


def year_publication(year: int, *, changed_at: str | None = None) -> YearPublication:
    """The year's protected publication. The stored one when it is current; a stale one
    while the task queue computes the new one (``publication.current`` is then False);
    computed here only for a year that has never had one.

    The process keeps what it read (:data:`_KEPT`) by the last change of any summary row,
    so a page between changes costs one index look-up (``changed_at``: already looked up
    for this page); after a change each year compares its own stamp."""
    key = f"motverka:figures:{year}:{_changed_at() if changed_at is None else changed_at}"
    publication = _KEPT.get(key)
    if publication is not None:
        return publication
    stamp = year_stamp(year)
    stored = FigurePublication.objects.filter(year=year).first()
    if stored is None:
        publication = publication_store(year)
    else:
        try:
            publication = pickle.loads(bytes(stored.payload))  # noqa: S301 - written by us
        except Exception:  # a payload from an older version of the code
            publication = publication_store(year)
        if publication.stamp != stamp:
            publication.current = False
            _ask_for_publication(year, stamp)
            return publication
    _KEPT[key] = publication
    while len(_KEPT) > KEPT_PUBLICATIONS:
        del _KEPT[next(iter(_KEPT))]  # the oldest
    return publication


# --- What a period shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: int | None  # None: hidden (or a computed figure in ``text``)
    text: str | None = None  # a median, a sum with its unit: shown as it is

    @property
    def shown(self) -> str:
        if self.text is not None:
            return self.text
        return f"<{SUPPRESSION_THRESHOLD}" if self.value is None else str(self.value)

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.text is None


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[Cell]
    key: Hashable = None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[TableRow]


@dataclass(frozen=True)
class Statistic:
    label: str
    value: str  # "–" when hidden or not available
    count: Cell


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    total: Cell
    tables: list[Table]
    durations: list[tuple[str, Cell, str, str]]  # label, n, median, p90
    money: list[tuple[str, Cell, str]]  # label, n, sum with unit
    trend: Table  # the period's grid pieces as rows
    current: bool = True  # False: being recomputed, these are the figures as they were

    def table(self, slug: str) -> Table:
        """The table, or an empty one when it is not published for so short a period."""
        return next((table for table in self.tables if table.slug == slug), Table(slug, "", [], []))


def _piece_value(
    pubs: dict[int, YearPublication],
    pieces: list[tuple[int, str]],
    key: Key,
    *,
    additive: bool = True,
) -> Cell:
    if not additive and len(pieces) != 1:
        return Cell(None)
    total = 0
    for year, unit in pieces:
        publication = pubs[year]
        if (unit, key) not in publication.published:
            if key[0] == "with":
                return Cell(None, "–")  # not published for so short a period
            continue  # a row the year does not have: no case there (tables are only
            # shown for periods they are published for)
        if (unit, key) in publication.hidden:
            return Cell(None)
        total += publication.values.get((unit, key), 0)
    return Cell(total)


def _nth(counts: dict[int, int], rank: int) -> int:
    """The ``rank``-th smallest (from 1) of the days, each ``day`` counted ``counts[day]``
    times: what indexing the sorted list of every case's days would give, without it."""
    seen = 0
    for day in sorted(counts):
        seen += counts[day]
        if seen >= rank:
            return day
    raise IndexError(rank)


def _median(counts: dict[int, int]) -> float:
    """``statistics.median`` of every case's days: the middle one, or the mean of the two."""
    total = sum(counts.values())
    if total % 2:
        return _nth(counts, total // 2 + 1)
    return (_nth(counts, total // 2) + _nth(counts, total // 2 + 1)) / 2


def _percentile(counts: dict[int, int], share: float) -> int:
    # Nearest-rank percentile: a value some case actually has.
    rank = max(1, -(-sum(counts.values()) * share // 1))
    return _nth(counts, int(rank))


def _format_money(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", " ")


def period_figures(period: Period) -> PeriodFigures:
    pieces = period.pieces()
    changed_at = _changed_at()
    pubs = {
        year: year_publication(year, changed_at=changed_at)
        for year in sorted({year for year, _u in pieces})
    }
    specs = pubs[pieces[0][0]].tables
    if len(pubs) > 1:
        specs = _merge_specs([pub.tables for pub in pubs.values()])
    tables: list[Table] = []
    units = {unit for _year, unit in pieces}
    for spec in specs:
        if not units <= set(spec.units):
            continue  # published for longer periods only

        def value(key: Key, spec: TableSpec = spec) -> Cell:
            return _piece_value(pubs, pieces, key, additive=spec.additive_in_time)

        if spec.slug == "landlords":
            tables.append(
                Table(
                    spec.slug,
                    spec.title,
                    [_("Antal")],
                    [TableRow(spec.rows[0][1], [value(("landlords_flagged",))])],
                )
            )
            continue
        if spec.columns:
            columns = [label for _c, label in spec.columns] + [_("Totalt")]
            rows = [
                TableRow(
                    label,
                    [value(spec.cell_key(row, column)) for column, _l in spec.columns]
                    + [value(spec.row_key(row))],
                    row,
                )
                for row, label in spec.rows
            ]
            rows.append(
                TableRow(
                    _("Totalt"),
                    [value(spec.column_key(column)) for column, _l in spec.columns] + [value(ALL)],
                )
            )
        else:
            columns = [_("Antal")]
            rows = [TableRow(label, [value(spec.row_key(row))], row) for row, label in spec.rows]
            if spec.total is not None:
                rows.append(TableRow(spec.total_label, [value(spec.total)]))
        tables.append(Table(spec.slug, spec.title, columns, rows))

    durations = []
    for name, label in _DURATIONS:
        n = _piece_value(pubs, pieces, ("with", name))
        if n.value is None or n.value < SUPPRESSION_THRESHOLD:
            durations.append((_(label), n, "–", "–"))
            continue
        counts: dict[int, int] = defaultdict(int)
        for year, unit in pieces:
            for day, cases in pubs[year].durations.get((unit, name), {}).items():
                counts[day] += cases
        durations.append((_(label), n, str(round(_median(counts))), str(_percentile(counts, 0.9))))
    money = []
    for name, label, unit_label in _MONEY:
        n = _piece_value(pubs, pieces, ("with", name))
        if n.value is None or n.value < SUPPRESSION_THRESHOLD:
            money.append((_(label), n, "–"))
            continue
        amount = sum(
            (pubs[year].money.get((unit, name), Decimal(0)) for year, unit in pieces), Decimal(0)
        )
        money.append((_(label), n, f"{_format_money(amount)} {unit_label}"))
    trend_rows = [
        TableRow(
            str(year) if unit == YEAR else f"{year} {unit.replace('Q', 'kv ').replace('M', '')}",
            [_piece_value(pubs, [(year, unit)], ("status", status)) for status, _l in _statuses()]
            + [_piece_value(pubs, [(year, unit)], ALL)],
        )
        for year, unit in (_finer(pieces))
    ]
    trend = Table(
        "trend", _("Över tid"), [label for _s, label in _statuses()] + [_("Totalt")], trend_rows
    )
    return PeriodFigures(
        period=period,
        total=_piece_value(pubs, pieces, ALL),
        tables=tables,
        durations=durations,
        money=money,
        trend=trend,
        current=all(pub.current for pub in pubs.values()),
    )


def _finer(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """One level finer than the period: a year's quarters, a quarter's months."""
    if len(pieces) == 1:
        year, unit = pieces[0]
        if unit == YEAR:
            return [(year, quarter_unit(q)) for q in range(1, 5)]
        if unit in QUARTER_MONTHS:
            return [(year, month) for month in QUARTER_MONTHS[unit]]
    return pieces


def _merge_specs(all_specs: list[list[TableSpec]]) -> list[TableSpec]:
    merged = []
    for specs in zip(*all_specs, strict=True):
        first = specs[0]
        rows = dict(row for spec in specs for row in spec.rows)
        ordered = (
            sorted(rows.items(), key=lambda r: r[1])
            if first.slug in {"county", "municipality", "county_status", "municipality_outcome"}
            else list(rows.items())
        )
        merged.append(
            TableSpec(
                first.slug,
                first.title,
                ordered,
                first.row_dim,
                first.columns,
                first.column_dim,
                first.total,
                first.total_label,
                first.additive_in_time,
                first.grain,
            )
        )
    return merged


def years_trend(years: list[int]) -> Table:
    """Cases per year and status, for the trend chart: each year's own published cells."""
    rows = []
    changed_at = _changed_at()
    for year in years:
        pub = year_publication(year, changed_at=changed_at)
        rows.append(
            TableRow(
                str(year),
                [_piece_value({year: pub}, [(year, YEAR)], ("status", s)) for s, _l in _statuses()]
                + [_piece_value({year: pub}, [(year, YEAR)], ALL)],
                year,
            )
        )
    return Table(
        "years", _("Ärenden per år"), [label for _s, label in _statuses()] + [_("Totalt")], rows
    )


def figure_years() -> list[int]:
    """The years that have cases (without protected persons), oldest first."""
    dates = CaseFigureRow.objects.filter(protected=False).aggregate(
        first=Min("received_on"), last=Max("received_on")
    )
    if dates["first"] is None:
        return []
    return list(range(dates["first"].year, dates["last"].year + 1))


__all__ = ["PeriodFigures", "period_figures", "year_period", "year_publication", "years_trend"]
