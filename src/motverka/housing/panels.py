"""Panels this app adds to the case page: "Boende och hembesök" and "Den enskildes
berättelse". The case page has already fetched the case through the access layer (which
logged the read); a bound form with errors reaches the panel through the request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from motverka.housing import rules, selectors
from motverka.housing.forms import (
    ChildViewForm,
    HomeVisitCancelForm,
    HomeVisitPlanForm,
    HomeVisitReportForm,
    HousingForm,
    PersonalAccountForm,
)
from motverka.housing.models import HomeVisit, Housing
from motverka.housing.vocabulary import HomeVisitStatus
from motverka.workflow.policy import CaseStatus

BOUND_FORMS_ATTRIBUTE = "housing_bound_forms"


@dataclass(frozen=True)
class VisitRow:
    visit: HomeVisit
    figures: rules.SpaceFigures | None


def _bound(request: HttpRequest) -> dict[str, Any]:
    return getattr(request, BOUND_FORMS_ATTRIBUTE, {})


def housing_initial(housing: Housing | None, *, protected: bool) -> dict[str, Any]:
    if housing is None:
        return {}
    return {
        # A protected address is never sent to the browser, not even into the form.
        "address": "" if protected else housing.address,
        "lease_type": housing.lease_type,
        "arranged_by": housing.arranged_by,
        "landlord": housing.landlord_id,
        "monthly_rent": housing.monthly_rent,
        "rooms": housing.rooms,
        "area_m2": housing.area_m2,
        "rent_paid_months": housing.rent_paid_months,
        "rent_paid_until": housing.rent_paid_until,
        "deposit_paid": housing.deposit_paid,
        "moving_costs_paid": housing.moving_costs_paid,
        "assistance_paid_monthly": housing.assistance_paid_monthly,
        "note": housing.note,
    }


def _figures(
    persons: int, children: int, rooms: int | None, area: Any
) -> rules.SpaceFigures | None:
    try:
        return rules.space_figures(persons=persons, children=children, rooms=rooms, area_m2=area)
    except ValueError:
        return None


def housing_panels(request: HttpRequest, case: Any) -> list[str]:
    """The "Boende och hembesök" section."""
    today = timezone.localdate()
    bound = _bound(request)
    person = case.person
    housing = selectors.housing_of(case)
    persons, children = selectors.household_size(case, today)
    visits = selectors.home_visits_of(case)
    planned = [visit for visit in visits if visit.status == HomeVisitStatus.PLANNED]
    landlord = housing.landlord if housing else None
    can_edit = case.status != CaseStatus.CLOSED
    selectors.log_landlord_shown(user=request.user, landlord=landlord, case=case)
    housing_context = {
        "case": case,
        "housing": housing,
        "address": selectors.address_for_display(housing, person),
        "landlord": landlord,
        "signal": selectors.landlord_signal(landlord) if landlord else None,
        "figures": _figures(
            persons, children, housing.rooms if housing else None, housing and housing.area_m2
        ),
        "visits": [
            VisitRow(
                visit=visit,
                figures=_figures(
                    visit.persons_in_household or 0,
                    visit.children_in_household or 0,
                    visit.rooms,
                    visit.area_m2,
                )
                if visit.status == HomeVisitStatus.PERFORMED
                else None,
            )
            for visit in visits
        ],
        "consent_given": selectors.home_visit_consent_given(case),
        "is_confirmed": case.status == CaseStatus.CONFIRMED,
        "can_edit": can_edit,
        "housing_form": bound.get("housing")
        or HousingForm(
            initial=housing_initial(housing, protected=person.protected_identity),
            landlords=selectors.landlord_choices(landlord),
            protected=person.protected_identity,
        ),
        "plan_form": bound.get("plan") or HomeVisitPlanForm(),
        "report_form": bound.get("report") or HomeVisitReportForm(planned=planned),
        "cancel_form": bound.get("cancel") or HomeVisitCancelForm(planned=planned),
        "planned": planned,
        "open_form": next(iter(bound), None),
        "bound_form": next(iter(bound.values()), None),
    }
    return [render_to_string("housing/_case_panel.html", housing_context, request=request)]


def account_panels(request: HttpRequest, case: Any) -> list[str]:
    """The "Berättelse" section: the person's account and the children's views."""
    today = timezone.localdate()
    bound = _bound(request)
    can_edit = case.status != CaseStatus.CLOSED
    child_list = selectors.children_of(case, today)
    account_context = {
        "case": case,
        "accounts": selectors.personal_accounts_of(case),
        "child_views": selectors.child_views_of(case),
        "children": child_list,
        "can_edit": can_edit,
        "account_form": bound.get("account") or PersonalAccountForm(),
        "child_form": bound.get("child") or ChildViewForm(children=child_list),
        "open_form": next(iter(bound), None),
        "bound_form": next(iter(bound.values()), None),
    }
    return [render_to_string("housing/_account_panel.html", account_context, request=request)]
