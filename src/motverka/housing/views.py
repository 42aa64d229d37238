"""Pages of housing: the forms of the case-page panels and the landlord register.

Thin views: the case comes from the access layer, input is parsed by a form, one service is
called; on bad input or a refusal the case page is rendered again with HTTP 400, the
Swedish reason and nothing saved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motverka.cases import access, case_page
from motverka.cases.errors import VersionConflict
from motverka.cases.views import (
    add_errors,
    call_service,
    call_service_or_message,
    case_page_with_errors,
    query_without_page,
)
from motverka.housing import selectors, services
from motverka.housing.forms import (
    ChildViewForm,
    HomeVisitCancelForm,
    HomeVisitPlanForm,
    HomeVisitReportForm,
    HousingForm,
    LandlordContactForm,
    LandlordForm,
    LandlordSearchForm,
    PersonalAccountForm,
)
from motverka.housing.panels import BOUND_FORMS_ATTRIBUTE, housing_initial
from motverka.integrity.conflicts import conflict_page, posted_version
from motverka.people.identity import contains_identity_number


def _back(case_id: int, section: str, anchor: str = "") -> HttpResponse:
    return redirect(case_page.section_url(case_id, section) + anchor)


def _resolve_private_landlord(request: HttpRequest, form: HousingForm) -> bool:
    """Turn a private landlord's identity number into the landlord; False on a form error."""
    number = form.cleaned_data.get("landlord_identity_number")
    if not number:
        return True
    if form.cleaned_data.get("landlord"):
        form.add_error(
            "landlord_identity_number", _("Välj hyresvärd i listan eller ange personnummer.")
        )
        return False
    landlord = selectors.private_landlord_by_identity_number(
        user=request.user, identity_number=number
    )
    if landlord is None:
        form.add_error(
            "landlord_identity_number",
            _(
                "Ingen hyresvärd med det personnumret finns i registret. Registrera "
                "hyresvärden under Hyresvärdar först."
            ),
        )
        return False
    form.cleaned_data["landlord"] = landlord.pk
    return True


@login_required
@require_POST
def housing_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    protected = case.person.protected_identity
    current = selectors.housing_of(case)
    form = HousingForm(
        request.POST,
        landlords=selectors.landlord_choices(
            current.landlord if current else None, chosen=request.POST.get("landlord")
        ),
        protected=protected,
    )
    if request.POST.get("hyresvard_sok"):
        # The search button (without JavaScript): the form again, as filled in, with the
        # organisations found offered as choices; nothing is saved.
        return _housing_form_with_hits(request, case, form)
    if form.is_valid() and _resolve_private_landlord(request, form):
        data = form.cleaned_data
        address: str | None = data["address"]
        if protected and not address:
            address = "" if data.get("clear_address") else services.KEEP
        values = {
            name: data[name]
            for name in (
                "lease_type",
                "arranged_by",
                "monthly_rent",
                "rooms",
                "area_m2",
                "rent_paid_months",
                "rent_paid_until",
                "deposit_paid",
                "moving_costs_paid",
                "assistance_paid_monthly",
                "note",
            )
        }
        housing_input = services.HousingInput(
            address=address, landlord_id=data["landlord"], **values
        )
        try:
            saved = call_service(
                form,
                lambda: services.housing_save(
                    acting_user=request.user,
                    case=case,
                    data=housing_input,
                    expected_version=posted_version(request),
                ),
                versioned=True,
            )
        except VersionConflict as conflict:
            return conflict_page(
                request,
                conflict,
                form=form,
                stored=housing_initial(selectors.housing_of(case), protected=protected),
                title=_("Uppgifterna om bostaden har ändrats sedan du öppnade ärendet."),
                back_url=case_page.section_url(case.pk, case_page.HOUSING),
            )
        if saved:
            messages.success(request, _("Uppgifterna om bostaden är sparade."))
            return _back(case.pk, case_page.HOUSING)
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "housing", form, section=case_page.HOUSING
    )


def _search_text(request: HttpRequest, value: str) -> tuple[str, str | None]:
    """The search text, or "" and a refusal when it holds an identity number (which must
    not reach a URL or a log)."""
    text = value.strip()[:100]
    if contains_identity_number(text):
        return "", _("Sök inte på personnummer här; sök på namn.")
    return text, None


def _hits(request: HttpRequest, text: str) -> tuple[list[tuple[int, str]], bool]:
    landlords, more = selectors.organisation_landlords_matching(user=request.user, text=text)
    return [(landlord.pk, selectors.landlord_label(landlord)) for landlord in landlords], more


def _housing_form_with_hits(request: HttpRequest, case: Any, form: HousingForm) -> HttpResponse:
    text, refusal = _search_text(request, request.POST.get("landlord_search", ""))
    hits, more = _hits(request, text)
    form.offer_landlords(hits, more=more)
    if refusal:
        form.add_error("landlord_search", refusal)
    setattr(request, BOUND_FORMS_ATTRIBUTE, {"housing": form})
    return case_page.render_section(request, case, case_page.HOUSING, status=200)


@login_required
@require_GET
def landlord_search(request: HttpRequest) -> HttpResponse:
    """The housing form's search field (htmx): at most ten organisations matching every
    word, as choices. Organisations only, so no personal data is shown or logged."""
    access.require_case_role(request.user)
    text, refusal = _search_text(request, request.GET.get("landlord_search", ""))
    hits, more = _hits(request, text) if len(text) >= 2 else ([], False)
    response = render(
        request,
        "housing/_landlord_hits.html",
        {
            "hits": [{"pk": pk, "label": label} for pk, label in hits],
            "more": more,
            "searched": len(text) >= 2,
            "refusal": refusal,
        },
    )
    return response


@login_required
@require_POST
def personal_account_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = PersonalAccountForm(request.POST)
    if form.is_valid():
        data = services.PersonalAccountInput(**form.cleaned_data)
        if call_service(
            form,
            lambda: services.personal_account_record(
                acting_user=request.user, case=case, data=data
            ),
        ):
            messages.success(request, _("Den enskildes berättelse är dokumenterad."))
            return _back(case.pk, case_page.ACCOUNT)
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "account", form, section=case_page.ACCOUNT
    )


@login_required
@require_POST
def child_view_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = ChildViewForm(request.POST, children=list(case.household.all()))
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            lambda: services.child_view_record(
                acting_user=request.user,
                case=case,
                member_id=data["member"],
                heard_on=data["heard_on"],
                heard_by=data["heard_by"],
                view=data["view"],
            ),
        ):
            messages.success(request, _("Barnets synpunkter är dokumenterade."))
            return _back(case.pk, case_page.ACCOUNT)
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "child", form, section=case_page.ACCOUNT
    )


@login_required
@require_POST
def home_visit_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = HomeVisitPlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            lambda: services.home_visit_plan(
                acting_user=request.user,
                case=case,
                planned_on=data["planned_on"],
                planned_time=data["planned_time"],
                participants=data["participants"],
            ),
        ):
            messages.success(request, _("Hembesöket är planerat."))
            return _back(case.pk, case_page.HOUSING, "#hembesok")
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "plan", form, section=case_page.HOUSING
    )


@login_required
@require_POST
def home_visit_record(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = HomeVisitReportForm(request.POST, planned=selectors.planned_visits(case))
    if form.is_valid():
        data = dict(form.cleaned_data)
        visit_id = data.pop("visit")
        report = services.HomeVisitReport(**data)
        if call_service(
            form,
            lambda: services.home_visit_record(
                acting_user=request.user, case=case, report=report, visit_id=visit_id
            ),
        ):
            messages.success(request, _("Hembesöket är registrerat."))
            return _back(case.pk, case_page.HOUSING, "#hembesok")
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "report", form, section=case_page.HOUSING
    )


@login_required
@require_POST
def home_visit_cancel(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = HomeVisitCancelForm(request.POST, planned=selectors.planned_visits(case))
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form,
            lambda: services.home_visit_cancel(
                acting_user=request.user,
                case=case,
                visit_id=data["visit"],
                reason=data["reason"],
            ),
        ):
            messages.success(request, _("Det planerade hembesöket är inställt."))
            return _back(case.pk, case_page.HOUSING, "#hembesok")
    return case_page_with_errors(
        request, case, BOUND_FORMS_ATTRIBUTE, "cancel", form, section=case_page.HOUSING
    )


@login_required
@require_POST
def landlord_letter_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    letter = call_service_or_message(
        request,
        lambda: services.landlord_letter_draft_create(acting_user=request.user, case=case),
    )
    if letter is not None:
        messages.success(request, _("Ett utkast till skrivelse till hyresvärden är skapat."))
        return redirect("letter_detail", letter_id=letter.pk)
    return _back(case.pk, case_page.HOUSING)


# --- The landlord register --------------------------------------------------------------------


def _landlord_input(data: dict[str, Any], **extra: Any) -> services.LandlordInput:
    return services.LandlordInput(
        kind=extra.get("kind", data.get("kind", "")),
        name=data["name"],
        organisation_number=data.get("organisation_number", ""),
        personal_identity_number=data.get("personal_identity_number", ""),
        contact_person=data["contact_person"],
        phone=data["phone"],
        email=data["email"],
        postal_address=data["postal_address"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def landlord_list(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    search = LandlordSearchForm(request.GET or None)
    text = ""
    if search.is_valid():
        text = search.cleaned_data["q"]
        if contains_identity_number(text):
            # Organisation numbers are fine in a URL; identity numbers never are.
            search.add_error("q", _("Sök inte på personnummer här; sök på namn."))
            text = ""
    form = LandlordForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            landlord = services.landlord_register(
                acting_user=request.user, data=_landlord_input(form.cleaned_data)
            )
        except ValidationError as error:
            add_errors(form, error)
        except services.LandlordExists as conflict:
            form.add_error(None, conflict.message)
            existing = conflict.landlord
        else:
            messages.success(request, _("Hyresvärden är registrerad."))
            return redirect("landlord_detail", landlord_id=landlord.pk)
    page = selectors.landlord_page(
        user=request.user,
        text=text,
        page_number=request.GET.get("sida", 1),
        page_size=settings.MOTVERKA_PAGE_SIZE,
    )
    signals = selectors.landlord_signals([landlord.pk for landlord in page.object_list])
    return render(
        request,
        "housing/landlord_list.html",
        {
            "search": search,
            "form": form,
            "page": page,
            "rows": [(landlord, signals[landlord.pk]) for landlord in page.object_list],
            "existing": existing,
            "query_string": query_without_page(request),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def landlord_detail(request: HttpRequest, landlord_id: int) -> HttpResponse:
    landlord = selectors.landlord_get_for_user(user=request.user, landlord_id=landlord_id)
    form = LandlordContactForm(
        request.POST or None,
        initial={
            "name": landlord.name,
            "contact_person": landlord.contact_person,
            "phone": landlord.phone,
            "email": landlord.email,
            "postal_address": landlord.postal_address,
        },
    )
    try:
        saved = (
            request.method == "POST"
            and form.is_valid()
            and call_service(
                form,
                lambda: services.landlord_update(
                    acting_user=request.user,
                    landlord=landlord,
                    data=_landlord_input(form.cleaned_data, kind=landlord.kind),
                    expected_version=posted_version(request),
                ),
                versioned=True,
            )
        )
    except VersionConflict as conflict:
        landlord.refresh_from_db()
        return conflict_page(
            request,
            conflict,
            form=form,
            stored={n: getattr(landlord, n) for n in form.fields if hasattr(landlord, n)},
            title=_("Hyresvärdens uppgifter har ändrats sedan du öppnade sidan."),
            back_url=reverse("landlord_detail", args=[landlord.pk]),
        )
    if saved:
        messages.success(request, _("Hyresvärdens uppgifter är sparade."))
        return redirect("landlord_detail", landlord_id=landlord.pk)
    return render(
        request,
        "housing/landlord_detail.html",
        {
            "landlord": landlord,
            "form": form,
            "cases": selectors.landlord_cases_for_user(user=request.user, landlord=landlord),
            "signal": selectors.landlord_signal(landlord),
            "statistics": selectors.landlord_statistics(user=request.user, landlord=landlord),
        },
        status=400 if request.method == "POST" else 200,
    )
