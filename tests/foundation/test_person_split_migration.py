"""The data migration that gives every unit its own person rows and every case its household.

The database is taken back to the schema just before the split (people 0002), shared rows are
written with the models of that moment, and the migration's function is run on them directly.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_SPLIT = [("people", "0002_person_unit_household_case")]
split_persons_by_unit = import_module(
    "motverka.people.migrations.0003_split_shared_persons"
).split_persons_by_unit


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _before_split_targets():
    """Each other app's latest migration that needs neither the split (a later people
    migration) nor the change-history triggers beyond their first migration."""
    graph = MigrationExecutor(connection).loader.graph
    allowed = set(graph.forwards_plan(BEFORE_SPLIT[0])) | {("history", "0001_change_history")}

    def fits(node):
        return all(
            step[0] not in {"people", "history"} or step in allowed
            for step in graph.forwards_plan(node)
        )

    targets = []
    for app in sorted({node[0] for node in graph.nodes} - {"people", "history"}):
        fitting = [node for node in graph.nodes if node[0] == app and fits(node)]
        if fitting:
            targets.append(max(fitting, key=lambda node: len(graph.forwards_plan(node))))
    return targets


@pytest.fixture
def old_apps():
    # Every other app as it is now, people just before the split (and the change-history
    # triggers, which need the split schema, not yet installed).
    targets = [*_before_split_targets(), *BEFORE_SPLIT, ("history", "0001_change_history")]
    executor = _migrate(targets)
    try:
        yield executor.loader.project_state(targets).apps
    finally:
        _migrate(_latest())


def _shared_world(apps):
    Unit = apps.get_model("accounts", "Unit")
    User = apps.get_model("accounts", "User")
    Municipality = apps.get_model("reference", "Municipality")
    Person = apps.get_model("people", "Person")
    HouseholdMember = apps.get_model("people", "HouseholdMember")
    Case = apps.get_model("cases", "Case")
    ChildView = apps.get_model("housing", "ChildView")

    unit_a = Unit.objects.create(name="Enhet A")
    unit_b = Unit.objects.create(name="Enhet B")
    user = User.objects.create(username="migrering")
    sending = Municipality.objects.get(code="0180")
    receiving = Municipality.objects.get(code="1430")
    shared = Person.objects.create(
        personal_identity_number="199001012384",
        first_name="Delad",
        last_name="Persson",
        phone="070-111",
        protected_identity=True,
    )
    alone = Person.objects.create(
        personal_identity_number="198505052388", first_name="Ensam", last_name="Enhetsson"
    )
    orphan = Person.objects.create(
        reserve_identity="RES-2026-0001", first_name="Ingen", last_name="X"
    )
    child = HouseholdMember.objects.create(
        person=shared, relation="child", first_name="Barnet", birth_date=date(2019, 1, 1)
    )
    HouseholdMember.objects.create(person=shared, relation="partner", first_name="Partnern")
    HouseholdMember.objects.create(person=orphan, relation="child", first_name="Föräldralös")

    def case(reference, person, unit, received_on):
        return Case.objects.create(
            reference=reference,
            person=person,
            unit=unit,
            sending_municipality=sending,
            receiving_municipality=receiving,
            received_on=received_on,
            created_by=user,
        )

    cases = {
        "b_first": case("SN 2026/0001", shared, unit_b, date(2026, 1, 10)),
        "a": case("SN 2026/0002", shared, unit_a, date(2026, 2, 10)),
        "b_second": case("SN 2026/0003", shared, unit_b, date(2026, 3, 10)),
        "alone": case("SN 2026/0004", alone, unit_a, date(2026, 3, 11)),
    }
    views = {
        name: ChildView.objects.create(
            case=cases[name],
            member=child,
            heard_on=date(2026, 4, 1),
            heard_by="child",
            view=f"Synpunkt i {name}",
            recorded_by=user,
        )
        for name in ("a", "b_second")
    }
    return {
        "units": (unit_a, unit_b),
        "shared": shared,
        "alone": alone,
        "orphan": orphan,
        "cases": cases,
        "views": views,
    }


def test_the_split_gives_each_unit_its_own_row_and_each_case_its_own_household(old_apps):
    world = _shared_world(old_apps)
    split_persons_by_unit(old_apps, None)

    Person = old_apps.get_model("people", "Person")
    HouseholdMember = old_apps.get_model("people", "HouseholdMember")
    Case = old_apps.get_model("cases", "Case")
    ChildView = old_apps.get_model("housing", "ChildView")
    unit_a, unit_b = world["units"]
    cases = {name: Case.objects.get(pk=case.pk) for name, case in world["cases"].items()}

    # The shared row stays with the unit of the first case; unit A gets a copy of its own.
    rows = Person.objects.filter(personal_identity_number="199001012384")
    assert rows.count() == 2
    b_row = rows.get(pk=world["shared"].pk)
    a_row = rows.exclude(pk=world["shared"].pk).get()
    assert (b_row.unit_id, a_row.unit_id) == (unit_b.pk, unit_a.pk)
    for row in (a_row, b_row):
        assert (row.first_name, row.last_name, row.phone, row.protected_identity) == (
            "Delad",
            "Persson",
            "070-111",
            True,
        )
    assert a_row.created_at == b_row.created_at
    assert cases["a"].person_id == a_row.pk
    assert cases["b_first"].person_id == cases["b_second"].person_id == b_row.pk
    assert cases["alone"].person_id == world["alone"].pk
    assert Person.objects.get(pk=world["alone"].pk).unit_id == unit_a.pk

    # Every case has a household of its own, copied from the shared one.
    for case in cases.values():
        members = HouseholdMember.objects.filter(case=case)
        expected = [] if case.pk == cases["alone"].pk else ["Barnet", "Partnern"]
        assert sorted(members.values_list("first_name", flat=True)) == expected
        assert members.filter(person__isnull=False).count() == 0
    assert HouseholdMember.objects.filter(case__isnull=True).count() == 0
    ids = [
        set(HouseholdMember.objects.filter(case=case).values_list("pk", flat=True))
        for case in cases.values()
    ]
    assert all(not (first & second) for i, first in enumerate(ids) for second in ids[i + 1 :])

    # A child's recorded view follows the copy in its own case.
    for name, view in world["views"].items():
        member = ChildView.objects.get(pk=view.pk).member
        assert member.case_id == cases[name].pk
        assert member.first_name == "Barnet"

    # A person without any case belonged to no unit; the row and its household are gone.
    assert not Person.objects.filter(pk=world["orphan"].pk).exists()
    assert not HouseholdMember.objects.filter(first_name="Föräldralös").exists()

    # Running it again changes nothing.
    before = (
        sorted(Person.objects.values_list("pk", "unit_id")),
        sorted(HouseholdMember.objects.values_list("pk", "case_id")),
        sorted(Case.objects.values_list("pk", "person_id")),
    )
    split_persons_by_unit(old_apps, None)
    assert before == (
        sorted(Person.objects.values_list("pk", "unit_id")),
        sorted(HouseholdMember.objects.values_list("pk", "case_id")),
        sorted(Case.objects.values_list("pk", "person_id")),
    )


def test_the_migrated_schema_refuses_a_second_row_for_the_same_unit_and_number(old_apps):
    world = _shared_world(old_apps)
    _migrate(_latest())
    from django.db import IntegrityError, transaction

    from motverka.people.models import Person

    a_row = Person.objects.get(personal_identity_number="199001012384", unit__name="Enhet A")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            unit_id=a_row.unit_id,
            personal_identity_number="199001012384",
            first_name="Dubblett",
            last_name="X",
        )
    assert Person.objects.filter(personal_identity_number="199001012384").count() == 2
    assert world["shared"].pk in set(Person.objects.values_list("pk", flat=True))
