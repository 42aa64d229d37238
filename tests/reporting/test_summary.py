"""The figures' summary rows are kept by the services and always equal a recount."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from motverka.cases.models import Case
from motverka.housing import services as housing_services
from motverka.people.services import person_set_protected_identity
from motverka.reporting.models import CaseFigureRow
from motverka.reporting.services import _rows_for, case_figures_rebuild
from motverka.workflow.policy import Action
from motverka.workflow.services import case_action_perform
from tests.factories import make_case
from tests.housing.helpers import landlord

_FIELDS = [f.name for f in CaseFigureRow._meta.concrete_fields if f.name != "updated_at"]


def _stored() -> dict[int, tuple]:
    return {
        row.case_id: tuple(getattr(row, name) for name in _FIELDS)
        for row in CaseFigureRow.objects.all()
    }


def _recount() -> dict[int, tuple]:
    ids = list(Case.objects.values_list("pk", flat=True))
    return {row.case_id: tuple(getattr(row, name) for name in _FIELDS) for row in _rows_for(ids)}


def test_services_keep_the_summary_rows_equal_to_a_recount(world):
    today = timezone.localdate()
    cases = [make_case(world.worker_a, received_on=today - timedelta(days=20)) for _ in range(3)]
    other = make_case(world.worker_b, sending_municipality_code="1280")
    first = cases[0]
    case_action_perform(
        acting_user=world.worker_a,
        case=first,
        action=Action.ASSESS_CONFIRM,
        performed_on=today - timedelta(days=18),
        reason="Bostaden ordnad av avsändande kommun.",
    )
    case_action_perform(
        acting_user=world.worker_a,
        case=first,
        action=Action.RECORD_OBJECTION,
        performed_on=today - timedelta(days=15),
        details={
            "contacted": "Kim Exempel, Malmö",
            "summary": "Markering framförd.",
            "channel": "telefon",
        },
    )
    owner = landlord(world.worker_a)
    housing_services.housing_save(
        acting_user=world.worker_a,
        case=cases[1],
        data=housing_services.HousingInput(
            landlord_id=owner.pk,
            rent_paid_months=3,
            deposit_paid=Decimal("12000"),
            assistance_paid_monthly=Decimal("6500"),
        ),
    )
    person_set_protected_identity(acting_user=world.worker_b, person=other.person, protected=True)

    stored = _stored()
    assert stored == _recount()
    row = CaseFigureRow.objects.get(case=first)
    assert row.status == "confirmed" and row.first_contact_days == 5
    housing_row = CaseFigureRow.objects.get(case=cases[1])
    assert housing_row.landlord_id == owner.pk and housing_row.rent_paid_months == 3
    assert housing_row.assistance_paid_monthly == Decimal("6500")
    assert CaseFigureRow.objects.get(case=other).protected is True
    # An independent recount straight from the case table.
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("pk")).order_by())
    summary = dict(CaseFigureRow.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert by_status == summary


def test_rebuild_restores_rows_written_around_the_services(world):
    case = make_case(world.worker_a)
    CaseFigureRow.objects.filter(case=case).update(status="closed", received_on="2001-01-01")
    assert _stored() != _recount()
    assert case_figures_rebuild() == 1
    assert _stored() == _recount()
