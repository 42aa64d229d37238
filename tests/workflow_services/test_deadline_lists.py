"""*Mina bevakningar* and the unit's deadlines: every open deadline, names, filters, pages,
one audit row per view; the manager's start page and the case list filters behind it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motverka.audit.models import AuditEvent, AuditEventSubject
from motverka.cases.models import Case
from motverka.people.models import Person
from motverka.workflow.deadlines import DeadlineKind
from motverka.workflow.models import CaseMeasure, Deadline
from motverka.workflow.policy import Measure, MeasureState
from tests.factories import make_user
from tests.workflow_services.helpers import new_case as _registered_case


def new_case(user, **kwargs):
    """A case whose only deadlines are the ones each test sets: the contact deadline that
    registration starts is removed, so the lists show exactly what the test expects."""
    case = _registered_case(user, **kwargs)
    Deadline.objects.filter(case=case).delete()
    return case


pytestmark = pytest.mark.django_db


def _deadline(case: Case, kind: DeadlineKind, days: int) -> Deadline:
    today = timezone.localdate()
    return Deadline.objects.create(
        case=case,
        kind=kind,
        source_date=today - timedelta(days=30),
        due_on=today + timedelta(days=days),
    )


def _waiting(case: Case, state: MeasureState, user) -> CaseMeasure:
    """The case's return of responsibility in ``state`` (waiting for an answer or IVO)."""
    return CaseMeasure.objects.create(
        case=case, measure=Measure.RETURN_OF_RESPONSIBILITY, state=state, updated_by=user
    )


def _list_rows() -> int:
    return AuditEvent.objects.filter(action="search", object_type="case_list").count()


def test_every_open_state_is_listed_with_the_name_and_met_ones_are_not(client, world):
    overdue, due, upcoming, met = (new_case(world.worker_a) for _ in range(4))
    _deadline(overdue, DeadlineKind.OFFICIAL_LETTER, -3)
    _deadline(due, DeadlineKind.OFFICIAL_LETTER, 1)
    _deadline(upcoming, DeadlineKind.TRANSFER_ANSWER, 60)
    done = _deadline(met, DeadlineKind.OFFICIAL_LETTER, -1)
    Deadline.objects.filter(pk=done.pk).update(met_on=timezone.localdate())
    client.force_login(world.worker_a)
    html = client.get(reverse("my_deadlines")).content.decode()
    for case in (overdue, due, upcoming):
        assert case.reference in html
        assert case.person.full_name in html
    assert met.reference not in html
    assert 'class="deadline overdue"' in html
    assert 'class="deadline due"' in html
    assert 'class="deadline upcoming"' in html
    assert "3 bevakningar" in html


def test_a_protected_person_is_marked_as_in_the_case_list(client, world):
    case = new_case(world.worker_a)
    Person.objects.filter(pk=case.person_id).update(protected_identity=True)
    _deadline(case, DeadlineKind.OFFICIAL_LETTER, 1)
    client.force_login(world.worker_a)
    html = client.get(reverse("my_deadlines")).content.decode()
    assert '<span class="badge warning">Skyddad</span>' in html
    assert case.sending_municipality.name not in html


def test_filters_by_state_kind_and_period(client, world):
    overdue, upcoming = new_case(world.worker_a), new_case(world.worker_a)
    _deadline(overdue, DeadlineKind.OFFICIAL_LETTER, -3)
    _deadline(upcoming, DeadlineKind.TRANSFER_ANSWER, 60)
    client.force_login(world.worker_a)
    url = reverse("my_deadlines")
    html = client.get(url, {"lage": "overdue"}).content.decode()
    assert overdue.reference in html and upcoming.reference not in html
    html = client.get(url, {"typ": "transfer_answer"}).content.decode()
    assert upcoming.reference in html and overdue.reference not in html
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    html = client.get(url, {"fran": later}).content.decode()
    assert upcoming.reference in html and overdue.reference not in html
    html = client.get(url, {"till": later}).content.decode()
    assert overdue.reference in html and upcoming.reference not in html


def test_bad_filters_are_a_swedish_400_and_list_nothing(client, world):
    case = new_case(world.worker_a)
    _deadline(case, DeadlineKind.OFFICIAL_LETTER, -3)
    client.force_login(world.worker_a)
    before = _list_rows()
    for query in ({"lage": "met"}, {"fran": "igår"}, {"fran": "2026-05-02", "till": "2026-05-01"}):
        response = client.get(reverse("my_deadlines"), query)
        assert response.status_code == 400, query
        assert case.reference not in response.content.decode()
    assert "Slutdatumet kan inte ligga före startdatumet." in response.content.decode()
    assert _list_rows() == before


def test_pages_and_one_audit_row_per_view_naming_only_the_page(client, world, settings):
    settings.MOTVERKA_PAGE_SIZE = 3
    cases = [new_case(world.worker_a) for _ in range(5)]
    for index, case in enumerate(cases):
        _deadline(case, DeadlineKind.OFFICIAL_LETTER, index)
    client.force_login(world.worker_a)
    before = _list_rows()
    first = client.get(reverse("my_deadlines")).content.decode()
    assert _list_rows() == before + 1
    row = AuditEvent.objects.filter(action="search", object_type="case_list").latest("sequence")
    assert set(AuditEventSubject.objects.filter(event=row).values_list("case_id", flat=True)) == {
        case.pk for case in cases[:3]
    }
    assert "Sida 1 av 2" in first and cases[3].reference not in first
    second = client.get(reverse("my_deadlines"), {"sida": 2}).content.decode()
    assert cases[3].reference in second and cases[0].reference not in second


def test_the_count_stops_at_the_cap_and_says_more_than(client, world, settings, monkeypatch):
    from motverka.workflow import selectors

    monkeypatch.setattr(selectors, "DEADLINE_COUNT_CAP", 2)
    settings.MOTVERKA_PAGE_SIZE = 1
    cases = [new_case(world.worker_a) for _ in range(4)]
    for index, case in enumerate(cases):
        _deadline(case, DeadlineKind.OFFICIAL_LETTER, index)
    client.force_login(world.worker_a)
    html = client.get(reverse("my_deadlines")).content.decode()
    assert "fler än 2 bevakningar" in html
    assert "Sida 1<" in html and "Sida 1 av" not in html
    assert cases[0].reference in html and cases[1].reference not in html
    # Past the cap the pages go on, one at a time.
    fourth = client.get(reverse("my_deadlines"), {"sida": 4}).content.decode()
    assert cases[3].reference in fourth and cases[0].reference not in fourth


def test_unit_view_is_for_managers_and_filters_by_case_worker(client, world):
    mine = new_case(world.worker_a)
    managers = new_case(world.manager, unit=world.unit_a)
    unassigned = new_case(world.manager, unit=world.unit_a)
    Case.objects.filter(pk=unassigned.pk).update(assigned_to=None)
    other_unit = new_case(world.worker_b)
    for case in (mine, managers, unassigned, other_unit):
        _deadline(case, DeadlineKind.OFFICIAL_LETTER, -1)
    client.force_login(world.worker_a)
    assert client.get(reverse("unit_deadlines")).status_code == 403
    client.force_login(world.manager)
    html = client.get(reverse("unit_deadlines")).content.decode()
    for case in (mine, managers, unassigned):
        assert case.reference in html
    assert other_unit.reference not in html
    assert world.worker_a.display_name() in html
    html = client.get(
        reverse("unit_deadlines"), {"handlaggare": world.worker_a.pk}
    ).content.decode()
    assert mine.reference in html and managers.reference not in html
    html = client.get(reverse("unit_deadlines"), {"handlaggare": "none"}).content.decode()
    assert unassigned.reference in html and mine.reference not in html
    response = client.get(reverse("unit_deadlines"), {"handlaggare": world.worker_b.pk})
    assert response.status_code == 400  # not a member of the manager's units


def test_manager_start_page_counts_and_links_the_lists_behind_them(client, world):
    waiting_transfer = new_case(world.worker_a)
    waiting_ivo = new_case(world.worker_a)
    unassigned = new_case(world.manager, unit=world.unit_a)
    Case.objects.filter(pk=unassigned.pk).update(assigned_to=None)
    _deadline(waiting_transfer, DeadlineKind.OFFICIAL_LETTER, -2)
    _deadline(unassigned, DeadlineKind.OFFICIAL_LETTER, -2)
    new_case(world.worker_b)  # another unit: counted nowhere
    for case, state in (
        (waiting_transfer, MeasureState.REQUEST_SENT),
        (waiting_ivo, MeasureState.IVO_APPLIED),
    ):
        _waiting(case, state, world.worker_a)
    client.force_login(world.manager)
    html = client.get(reverse("start")).content.decode()
    assert "Enhetens läge" in html
    assert "2 försenade bevakningar" in html
    assert "1 ej tilldelat ärende" in html
    assert "1 begäran om överflyttning väntar på svar" in html
    assert "1 ansökan hos IVO väntar på beslut" in html
    assert f'?assigned_to={world.worker_a.pk}&amp;oppna=on">2</a>' in html
    assert f'?lage=overdue&amp;handlaggare={world.worker_a.pk}">1</a>' in html
    assert "Du har inga öppna ärenden" not in html
    # The lists behind the links show exactly the cases counted.
    listed = client.get(reverse("case_list"), {"vantar": "overflyttning"}).content.decode()
    assert waiting_transfer.reference in listed and waiting_ivo.reference not in listed
    listed = client.get(reverse("case_list"), {"vantar": "ivo"}).content.decode()
    assert waiting_ivo.reference in listed and waiting_transfer.reference not in listed
    listed = client.get(
        reverse("case_list"), {"assigned_to": "none", "oppna": "on"}
    ).content.decode()
    assert unassigned.reference in listed and waiting_ivo.reference not in listed
    listed = client.get(reverse("unit_deadlines"), {"lage": "overdue"}).content.decode()
    assert waiting_transfer.reference in listed and unassigned.reference in listed


def test_the_managers_counts_stop_at_the_cap(client, world, monkeypatch):
    from motverka.workflow import selectors

    monkeypatch.setattr(selectors, "MANAGER_COUNT_CAP", 1)
    cases = [new_case(world.worker_a) for _ in range(2)]
    unassigned = [new_case(world.manager, unit=world.unit_a) for _ in range(2)]
    Case.objects.filter(pk__in=[case.pk for case in unassigned]).update(assigned_to=None)
    for case in cases + unassigned:
        _deadline(case, DeadlineKind.OFFICIAL_LETTER, -2)
        _waiting(case, MeasureState.REQUEST_SENT, world.worker_a)
    client.force_login(world.manager)
    html = client.get(reverse("start")).content.decode()
    assert "fler än 1 försenade bevakningar" in html
    assert "fler än 1 ej tilldelade ärenden" in html
    assert "fler än 1 begäranden om överflyttning väntar på svar" in html
    assert "0 ansökningar hos IVO väntar på beslut" in html
    assert f'?assigned_to={world.worker_a.pk}&amp;oppna=on">fler än 1</a>' in html
    assert f'?lage=overdue&amp;handlaggare={world.worker_a.pk}">fler än 1</a>' in html


def test_someone_who_left_the_unit_stays_on_the_table_while_holding_its_cases(client, world):
    holder = make_user(units=[world.unit_a], first_name="Kvar", last_name="Medärenden")
    new_case(holder)
    gone = make_user(units=[world.unit_a], first_name="Helt", last_name="Borta")
    for user in (holder, gone):
        user.units.remove(world.unit_a)
    client.force_login(world.manager)
    html = client.get(reverse("start")).content.decode()
    assert f'?assigned_to={holder.pk}&amp;oppna=on">1</a>' in html
    assert "Kvar Medärenden" in html
    assert "Helt Borta" not in html  # left, and holds nothing


def test_case_worker_start_page_has_no_manager_panel(client, world):
    client.force_login(world.worker_a)
    html = client.get(reverse("start")).content.decode()
    assert "Enhetens läge" not in html
    assert "Du har inga öppna ärenden." in html


def test_counts_for_many_ids_compiled_once_equal_one_query_each(world):
    from motverka.workflow.selectors import capped_counts

    for _ in range(3):
        new_case(world.worker_a)
    new_case(world.manager, unit=world.unit_a)
    users = [world.worker_a.pk, world.manager.pk, world.worker_b.pk]
    cases = Case.objects.filter(unit=world.unit_a)

    def mine(pk):
        return cases.filter(assigned_to=pk)

    each = capped_counts([mine(pk) for pk in users], 2)
    assert each == [3, 1, 0]  # 3 counted as "more than 2"
    assert capped_counts([], 2, per_id=[(mine, users)]) == each
    assert capped_counts([cases.none()], 2, per_id=[(mine, [])]) == [0]
