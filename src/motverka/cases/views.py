"""Case pages: start page, list and search, intake, case page and journal.

Views are thin: they parse input with a form, call one service or selector, and render.
Access errors raised below are turned into 403/404 pages by AccessErrorMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motverka.audit.logging import IDENTITY_NUMBER
from motverka.cases import access, case_page, corrections, selectors, services
from motverka.cases.errors import Conflict, NotFound, VersionConflict
from motverka.cases.forms import (
    AssignForm,
    CaseCorrectionForm,
    CaseSearchForm,
    HouseholdFormSet,
    IdentityNumberSearchForm,
    IntakeForm,
    InterventionFormSet,
    JournalEntryForm,
)
from motverka.cases.models import JournalEntry
from motverka.integrity.conflicts import conflict_page, posted_version
from motverka.people.models import Relation
from motverka.people.services import HouseholdMemberInput, PersonInput

T = TypeVar("T")


def add_errors(form: Any, error: ValidationError) -> None:
    """Attach service validation errors to the form fields they name (or the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def call_service(form: Any, call: Callable[[], object], *, versioned: bool = False) -> bool:
    """Call a service for a bound form. True when it succeeded; otherwise False, with the
    service's Swedish refusal on the form (per field where it names one), nothing saved.
    ``versioned``: a VersionConflict is raised on for the view's conflict page."""
    try:
        call()
    except ValidationError as error:
        add_errors(form, error)
    except VersionConflict:
        if versioned:
            raise
        form.add_error(None, _("Uppgifterna har ändrats av någon annan. Ladda om sidan."))
    except Conflict as conflict:
        form.add_error(None, conflict.message)
    else:
        return True
    return False


def call_service_or_message(request: HttpRequest, call: Callable[[], T]) -> T | None:
    """Call a service for a button without a form. Its result, or None when it refused,
    with the refusal as an error message on the next page."""
    try:
        return call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    return None


#: How many of the user's open cases the start page shows.
START_PAGE_CASES = 25


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {}
    if user.works_with_cases:  # type: ignore[union-attr]
        # The most recent of the user's open cases; the rest are one link away (the list,
        # filtered), so the start page costs the same for 20 open cases as for 200.
        context["my_cases"], context["more_cases"] = selectors.case_rows(
            user=user,
            filters=selectors.CaseFilters(assigned_to="me", open_only=True),
            limit=START_PAGE_CASES,
        )
        context["extra_panels"] = start_panels(request)
    return render(request, "cases/start.html", context)


def start_panels(request: HttpRequest) -> list[str]:
    """Rendered panels other apps add to the start page (settings.MOTVERKA_START_PANELS)."""
    return [html for provider in _providers("MOTVERKA_START_PANELS") for html in provider(request)]


def query_without_page(request: HttpRequest) -> str:
    """The request's query string less its page number (``sida``): what _pagination.html's
    links to the other pages of the same list start with."""
    query = request.GET.copy()
    query.pop("sida", None)
    return query.urlencode()


def _providers(setting: str) -> list[Any]:
    return [import_string(path) for path in getattr(settings, setting)]


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    form = CaseSearchForm(request.GET or None, user=request.user)
    identity_form = IdentityNumberSearchForm(request.POST or None)
    filters = selectors.CaseFilters()
    refused = form.is_valid() and bool(IDENTITY_NUMBER.search(form.cleaned_data["q"]))
    if refused:
        # Without script the number has already reached the URL; at least it finds nothing
        # there (the page's script sends such a text by POST before it gets that far).
        form.add_error(
            "q",
            _("Personnummer får inte stå i adressen. Sök på personnummer i fältet Personnummer."),
        )
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            text=data["q"],
            status=data["status"],
            sending_municipality=data["sending_municipality"],
            target_group=data["target_group"],
            assigned_to=data["assigned_to"],
            open_only=data["oppna"],
            awaiting=data["vantar"],
        )
    searched_identity = False
    if request.method == "POST":
        # Identity numbers are searched by POST so they never appear in a URL or access log.
        if identity_form.is_valid():
            filters = selectors.CaseFilters(
                identity_number=identity_form.cleaned_data["identity_number"]
            )
            searched_identity = True
    if refused and not searched_identity:
        page: Page = Paginator([], settings.MOTVERKA_PAGE_SIZE).get_page(1)
    else:
        page = selectors.case_list(
            user=request.user,
            filters=filters,
            page_number=request.GET.get("sida", 1),
            page_size=settings.MOTVERKA_PAGE_SIZE,
        )
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "identity_form": IdentityNumberSearchForm() if searched_identity else identity_form,
            "page": page,
            "searched_identity": searched_identity,
            "query_string": query_without_page(request),
        },
    )


def _intake_from_forms(form: IntakeForm, interventions: Any, household: Any) -> services.CaseIntake:
    data = form.cleaned_data
    return services.CaseIntake(
        person=PersonInput(
            first_name=data["first_name"],
            last_name=data["last_name"],
            personal_identity_number=data["personal_identity_number"],
            reserve_reason=data["reserve_reason"],
            protected_identity=data["protected_identity"],
            birth_date=data["birth_date"],
        ),
        unit_id=data["unit"],
        sending_municipality_code=data["sending_municipality"],
        received_on=data["received_on"],
        moved_on=data["moved_on"],
        target_groups=tuple(data["target_groups"]),
        indicators=tuple(data["indicators"]),
        indicator_note=data["indicator_note"],
        interventions=tuple(
            services.InterventionInput(
                kind=row["kind"],
                description=row["description"],
                ongoing=row["ongoing"],
                decided_on=row["decided_on"],
                legal_basis=row["legal_basis"],
                needed_until=row["needed_until"],
            )
            for row in interventions.cleaned_data
            if row.get("kind")
        ),
        household=tuple(
            HouseholdMemberInput(
                first_name=row["first_name"],
                last_name=row["last_name"],
                relation=row["relation"] or Relation.OTHER,
                birth_date=row["birth_date"],
            )
            for row in household.cleaned_data
            if row.get("first_name")
        ),
        allow_open_case=data["allow_open_case"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_intake(request: HttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    receiving = settings.MOTVERKA_MUNICIPALITY
    form = IntakeForm(request.POST or None, user=request.user, receiving_code=receiving)
    interventions = InterventionFormSet(request.POST or None, prefix="insats")
    household = HouseholdFormSet(request.POST or None, prefix="hushall")
    open_cases: list[Any] = []
    other_unit_notices: list[str] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and interventions.is_valid()
        and household.is_valid()
    ):
        try:
            case = services.case_register(
                acting_user=request.user,
                intake=_intake_from_forms(form, interventions, household),
            )
        except ValidationError as error:
            add_errors(form, error)
        except services.OpenCaseExists as conflict:
            open_cases = conflict.cases
            other_unit_notices = conflict.other_unit_notices
            form.add_error("allow_open_case", conflict.message)
        else:
            messages.success(
                request, _("Ärendet %(reference)s är registrerat.") % {"reference": case.reference}
            )
            return redirect("case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cases/case_intake.html",
        {
            "form": form,
            "interventions": interventions,
            "household": household,
            "open_cases": open_cases,
            "other_unit_notices": other_unit_notices,
        },
        status=status,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page's overview: the person, the case's data and its case worker."""
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    return render(request, "cases/case_detail.html", _overview_context(request, case))


def _overview_context(request: HttpRequest, case: Any) -> dict[str, Any]:
    context = case_page.page_context(request, case, case_page.OVERVIEW)
    target_groups, indicators = selectors.case_codes(case)
    context.update(
        {
            "household": list(case.household.all()),
            "interventions": list(case.interventions.all()),
            "target_groups": target_groups,
            "indicators": indicators,
            "assign_form": AssignForm(initial={"assigned_to": case.assigned_to_id}, case=case),
        }
    )
    return context


def _section_view(key: str) -> Callable[[HttpRequest, int], HttpResponse]:
    @login_required
    @require_GET
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        case = access.case_get_for_user(user=request.user, case_id=case_id)
        return case_page.render_section(request, case, key)

    view.__name__ = f"case_section_{key}"
    return view


case_measures = _section_view(case_page.MEASURES)
case_letters = _section_view(case_page.LETTERS)
case_housing = _section_view(case_page.HOUSING)
case_account = _section_view(case_page.ACCOUNT)
case_history = _section_view(case_page.HISTORY)


def case_page_with_errors(
    request: HttpRequest,
    case: Any,
    bound_forms_attribute: str,
    key: str,
    form: Any,
    *,
    section: str,
) -> HttpResponse:
    """The case page's ``section`` again with HTTP 400, the panel's ``form`` shown with its
    errors.

    A panel provider finds its bound forms on the request under its own attribute, since
    it is called from the section page and not from the view that handled the post.
    """
    setattr(request, bound_forms_attribute, {key: form})
    return case_page.render_section(request, case, section, status=400)


#: Journal entries and events per page of the journal section.
JOURNAL_PAGE_SIZE = 30


def _journal_page(
    request: HttpRequest, case: Any, form: JournalEntryForm, status: int = 200
) -> HttpResponse:
    # Newest first, a page at a time: a long case's journal keeps the page small.
    page = Paginator(selectors.case_timeline(case=case), JOURNAL_PAGE_SIZE).get_page(
        request.GET.get("sida", 1)
    )
    context = case_page.page_context(
        request,
        case,
        case_page.JOURNAL,
        journal_form=form,
        timeline=page.object_list,
        page=page,
        query_string="",
    )
    return render(request, "cases/case_journal.html", context, status=status)


def _back_to_journal(case_id: int) -> HttpResponse:
    return HttpResponseRedirect(case_page.section_url(case_id, case_page.JOURNAL))


@login_required
@require_http_methods(["GET", "POST"])
def case_journal(request: HttpRequest, case_id: int) -> HttpResponse:
    """The journal section: journal entries and events; a POST adds an entry."""
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    if request.method == "GET":
        return _journal_page(request, case, JournalEntryForm())
    form = JournalEntryForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.journal_entry_add(
            acting_user=request.user,
            case=case,
            entry_date=form.cleaned_data["entry_date"],
            text=form.cleaned_data["text"],
            sign=form.cleaned_data["sign"],
        ),
    ):
        messages.success(request, _("Anteckningen är sparad."))
        return _back_to_journal(case.pk)
    return _journal_page(request, case, form, status=400)


def _entry_for_user(request: HttpRequest, entry_id: int) -> JournalEntry:
    entry = JournalEntry.objects.filter(pk=entry_id).only("case_id").first()
    if entry is None:
        raise NotFound
    case = access.case_get_for_user(user=request.user, case_id=entry.case_id)
    return JournalEntry.objects.select_related("case").get(pk=entry_id, case=case)


@login_required
@require_POST
def journal_sign(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_user(request, entry_id)
    try:
        services.journal_entry_sign(acting_user=request.user, entry=entry)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("Anteckningen är signerad."))
    return _back_to_journal(entry.case_id)


@login_required
@require_http_methods(["GET", "POST"])
def journal_edit(request: HttpRequest, entry_id: int, correction: bool = False) -> HttpResponse:
    entry = _entry_for_user(request, entry_id)
    form = JournalEntryForm(
        request.POST or None,
        initial={"entry_date": entry.entry_date, "text": entry.text},
    )
    form.fields.pop("sign")
    if request.method == "POST" and form.is_valid():
        versioned: dict[str, Any] = (
            {} if correction else {"expected_version": posted_version(request)}
        )
        service = services.journal_entry_correct if correction else services.journal_entry_update
        try:
            saved = call_service(
                form,
                lambda: service(
                    acting_user=request.user,
                    entry=entry,
                    entry_date=form.cleaned_data["entry_date"],
                    text=form.cleaned_data["text"],
                    **versioned,
                ),
                versioned=True,
            )
        except VersionConflict as conflict:
            entry.refresh_from_db(fields=["entry_date", "text", "version"])
            return conflict_page(
                request,
                conflict,
                form=form,
                stored={"entry_date": entry.entry_date, "text": entry.text},
                title=_("Journalanteckningen har ändrats sedan du öppnade den."),
                back_url=reverse("journal_edit", args=[entry.pk]),
            )
        if saved:
            messages.success(
                request, _("Rättelsen är sparad.") if correction else _("Anteckningen är ändrad.")
            )
            return _back_to_journal(entry.case_id)
    return render(
        request,
        "cases/journal_edit.html",
        {"form": form, "entry": entry, "case": entry.case, "correction": correction},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    form = AssignForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_assign(
                acting_user=request.user,
                case=case,
                assigned_to_id=form.cleaned_data["assigned_to"],
                expected_version=posted_version(request),
            )
        except VersionConflict as conflict:
            case.refresh_from_db(fields=["assigned_to", "version"])
            return conflict_page(
                request,
                conflict,
                form=form,
                stored={"assigned_to": case.assigned_to_id},
                title=_("Ärendet har ändrats sedan du öppnade det."),
                back_url=reverse("case_detail", args=[case.pk]),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Handläggare är ändrad."))
    else:
        messages.error(request, _("Välj en handläggare i listan."))
    return redirect("case_detail", case_id=case.pk)


def _correction_initial(case: Any) -> dict[str, Any]:
    return {
        "first_name": case.person.first_name,
        "last_name": case.person.last_name,
        "phone": case.person.phone,
        "sending_municipality": case.sending_municipality.code,
        "moved_on": case.moved_on,
        "received_on": case.received_on,
        "target_groups": list(case.target_groups.values_list("code", flat=True)),
        "indicators": list(case.indicators.values_list("code", flat=True)),
        "indicator_note": case.indicator_note,
    }


def _correction_from_form(form: CaseCorrectionForm) -> corrections.CaseCorrection:
    data = form.cleaned_data
    household_add: tuple[HouseholdMemberInput, ...] = ()
    if data["member_first_name"].strip():
        household_add = (
            HouseholdMemberInput(
                first_name=data["member_first_name"],
                last_name=data["member_last_name"],
                relation=data["member_relation"] or Relation.OTHER,
                birth_date=data["member_birth_date"],
            ),
        )
    interventions_add: tuple[services.InterventionInput, ...] = ()
    if data["intervention_kind"]:
        interventions_add = (
            services.InterventionInput(
                kind=data["intervention_kind"],
                description=data["intervention_description"],
                ongoing=data["intervention_ongoing"],
                decided_on=data["intervention_decided_on"],
                legal_basis=data["intervention_legal_basis"],
                needed_until=data["intervention_needed_until"],
            ),
        )
    return corrections.CaseCorrection(
        first_name=data["first_name"],
        last_name=data["last_name"],
        phone=data["phone"],
        sending_municipality_code=data["sending_municipality"],
        moved_on=data["moved_on"],
        clear_moved_on=data["moved_on"] is None,
        received_on=data["received_on"],
        target_groups=tuple(data["target_groups"]),
        indicators=tuple(data["indicators"]),
        indicator_note=data["indicator_note"],
        household_add=household_add,
        household_remove=tuple(data["household_remove"]),
        interventions_add=interventions_add,
        interventions_remove=tuple(data["interventions_remove"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_correct(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.case_get_for_user(user=request.user, case_id=case_id)
    access.require_unit_member(request.user, case.unit_id)
    form = CaseCorrectionForm(
        request.POST or None,
        case=case,
        receiving_code=settings.MOTVERKA_MUNICIPALITY,
        initial=_correction_initial(case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = corrections.case_data_correct(
                acting_user=request.user,
                case=case,
                correction=_correction_from_form(form),
                reason=form.cleaned_data["reason"],
                expected_version=posted_version(request),
            )
        except VersionConflict as conflict:
            stored = access.case_get_for_user(user=request.user, case_id=case.pk)
            return conflict_page(
                request,
                conflict,
                form=form,
                stored=_correction_initial(stored),
                title=_("Ärendets uppgifter har ändrats sedan du öppnade sidan."),
                back_url=reverse("case_correct", args=[case.pk]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Uppgifterna är ändrade: %(what)s.") % {"what": ", ".join(changed)}
            )
            return redirect("case_detail", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_correct.html", {"case": case, "form": form}, status=status)
