"""Figures at scale: 100,000 cases over five years (set ``MOTVERKA_BENCH_FIGURE_CASES`` for
another number). Prints the time to compute and protect one year's publication (done by the
task queue after a change) and p50/p95 of the figures of a year, a quarter, a month and a
range as a page asks for them (target p95 ≤ 100 ms)."""

from __future__ import annotations

import os
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from bench import bench_case_worker
from motverka.cases.models import Case
from motverka.people.models import Person
from motverka.reference.models import Municipality
from motverka.reporting.models import CaseFigureRow
from motverka.reporting.periods import month_period, quarter_period, range_period, year_period
from motverka.reporting.selectors import (
    forget_kept_publications,
    period_figures,
    publication_store,
)

CASES = int(os.environ.get("MOTVERKA_BENCH_FIGURE_CASES", "100000"))
YEARS = (2021, 2022, 2023, 2024, 2025)
SAMPLES = 40
TARGET_P95_MS = 100.0


def _build() -> None:
    unit, user = bench_case_worker("bench_figures")
    person = Person.objects.create(
        unit=unit,
        first_name="Alva",
        last_name="Benchsson",
        reserve_identity="BENCH-1",
        reserve_reason="Bench utan id",
    )
    municipalities = list(Municipality.objects.select_related("county"))
    here = next(m for m in municipalities if m.code == "1430")
    weights = [1 / (rank + 1) for rank in range(len(municipalities))]
    rng = random.Random(1430)
    statuses = ["registered", "confirmed", "dismissed", "closed"]
    outcomes = ["returned", "transferred_by_ivo", "remains_with_support", "moved_on", "other"]
    groups = ["newly_arrived", "substance_abuse_or_social_problems", "structurally_homeless"]
    for start in range(0, CASES, 5000):
        batch = []
        facts = []
        for n in range(start, min(start + 5000, CASES)):
            year = YEARS[n % len(YEARS)]
            received = date(year, 1, 1) + timedelta(days=rng.randrange(365))
            sender = rng.choices(municipalities, weights=weights)[0]
            status = rng.choice(statuses)
            batch.append(
                Case(
                    reference=f"BENCH {year}/{n:06d}",
                    person=person,
                    unit=unit,
                    sending_municipality=sender,
                    receiving_municipality=here,
                    received_on=received,
                    status=status,
                    outcome=rng.choice(outcomes) if status == "closed" else "",
                    created_by=user,
                )
            )
            facts.append((received, sender, status))
        created = Case.objects.bulk_create(batch)
        CaseFigureRow.objects.bulk_create(
            CaseFigureRow(
                case_id=case.pk,
                received_on=received,
                sending_municipality_code=sender.code,
                sending_county_code=sender.county.code,
                status=status,
                outcome=case.outcome,
                target_groups=rng.choice(groups),
                indicators="housing_arranged,rent_paid",
                first_contact_days=rng.randrange(1, 30),
                official_letter_days=rng.randrange(5, 90) if status != "registered" else None,
                transfer=rng.choice(["", "", "awaiting", "accepted", "declined", "no_answer"]),
                ivo=rng.choice(["", "", "", "applied", "granted", "rejected"]),
                visits_suitable=rng.randrange(2),
                rent_paid_months=rng.choice([None, 1, 2, 3]),
                deposit_paid=rng.choice([None, Decimal("10000")]),
            )
            for case, (received, sender, status) in zip(created, facts, strict=True)
        )


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
    verdict = "within" if p95 <= TARGET_P95_MS else "OVER"
    return f"p50 {p50:.1f} ms, p95 {p95:.1f} ms ({verdict} target {TARGET_P95_MS:.0f} ms)"


def run():
    started = time.perf_counter()
    _build()
    yield f"built {CASES} cases in {time.perf_counter() - started:.1f} s"
    for year in YEARS:
        started = time.perf_counter()
        publication_store(year)
        yield f"publication {year}: computed and protected in {time.perf_counter() - started:.1f} s"
    periods = {
        "year": year_period(2025),
        "quarter": quarter_period(2025, 2),
        "month": month_period(2025, 5),
        "range 2023-03..2025-08": range_period(date(2023, 3, 1), date(2025, 8, 31)),
    }
    for label, period in periods.items():
        samples = []
        for n in range(SAMPLES):
            if n % 10 == 0:
                forget_kept_publications()  # every tenth as a new process: the stored one is read
            started = time.perf_counter()
            period_figures(period)
            samples.append(time.perf_counter() - started)
        yield f"figures, {label}: {_percentiles(samples)}"
