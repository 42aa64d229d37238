"""Leak walk: no personal data crosses a unit, a refused consent or a protection.

A fixture world with two units. In unit A: a person with protected identity whose address,
phone, child's name, first name and sending municipality are unique marker strings, and a
person who refused both consents. Unit B registers the protected person's identity number
too. The walk then reads every page (every named URL × every role), every API GET operation
(from the OpenAPI schema) × every role, every letter kind finalised to PDF, the reminder
e-mails and the application log, and asserts that no marker appears where docs/privacy.md
says it must not. It prints how much it read.
"""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from motverka.accounts.models import Role
from motverka.api.urls import api
from motverka.cases.errors import AccessDenied, Conflict, NotFound
from motverka.cases.services import journal_entry_add
from motverka.housing.services import HousingInput, housing_save
from motverka.letters.models import LetterKind
from motverka.people.services import HouseholdMemberInput
from motverka.workflow.reminders import deadlines_sweep, reminders_deliver
from motverka.workflow.services import case_action_perform, consent_record
from tests.api_client import ApiClient
from tests.factories import identity_number, intervention, make_case, make_unit, make_user
from tests.letters.helpers import finalised
from tests.second_factor import SecondFactorClient

ADDRESS = "Markörgränd 17"
ADDRESS_KEY = "Markörgr"
PHONE = "0701-987654"
PHONE_KEY = "987654"
CHILD = "Markörbarnet"
FIRST_NAME = "Hemligna"
SENDING_CODE, SENDING = "2521", "Pajala"
REFUSED_NAME = "Nekadsdotter"

#: Letters addressed to the sending municipality itself, and the IVO application: the
#: only letters in which a protected person's sending municipality may stand.
SENDING_MAY_STAND = {
    LetterKind.OBJECTION_LETTER,
    LetterKind.JUSTIFICATION_REQUEST,
    LetterKind.TRANSFER_REQUEST,
    LetterKind.IVO_APPLICATION,
}
ACCOUNT_OR_REGISTER_PARAMS = {"device_id", "session_id", "landlord_id", "list_id", "job_id"}
#: The figures' charts and exports: bound to no case, walked with these parameters.
FIGURE_PARAMS = {"name": "municipalities", "slug": "municipality", "fmt": "csv", "year": 2026}
#: Pages and API answers that list many cases (never a protected person's municipality).
LISTS = {
    "start",
    "case_list",
    "my_deadlines",
    "unit_deadlines",
    "landlord_list",
    "landlord_detail",
    "figures",
    "figures_chart",
    "figures_table_export",
    "figures_annual_report",
    "figures_county_report",
}


@dataclass
class Counts:
    pages: int = 0
    responses: int = 0
    pdfs: int = 0
    messages: int = 0
    log_records: int = 0
    refused_letters: int = 0
    findings: list[str] = field(default_factory=list)
    #: Pages where unit A's own users saw the protected person's marker name: the walk
    #: must really read the pages (a positive control), not login redirects.
    own_unit_sightings: int = 0


@dataclass
class LeakWorld:
    unit_a: object
    unit_b: object
    users: dict
    protected_case: object
    refused_case: object
    other_unit_case: object
    protected_number: str
    refused_number: str


@pytest.fixture
def leak_world(db):
    unit_a, unit_b = make_unit("Enhet Alfa"), make_unit("Enhet Beta")
    users = {
        "worker_a": make_user(Role.CASE_WORKER, [unit_a], username="leak_worker_a"),
        "manager_a": make_user(Role.UNIT_MANAGER, [unit_a], username="leak_manager_a"),
        "worker_b": make_user(Role.CASE_WORKER, [unit_b], username="leak_worker_b"),
        "manager_b": make_user(Role.UNIT_MANAGER, [unit_b], username="leak_manager_b"),
        "analyst": make_user(Role.ANALYST, username="leak_analyst"),
        "admin": make_user(Role.ADMINISTRATOR, username="leak_admin"),
    }
    for user in users.values():
        user.email = f"{user.username}@example.test"
        user.save()
    worker_a = users["worker_a"]
    protected_number, refused_number = identity_number(), identity_number()
    from motverka.people.services import PersonInput

    protected_case = make_case(
        worker_a,
        person=PersonInput(
            first_name=FIRST_NAME,
            last_name="Provsson",
            personal_identity_number=protected_number,
            protected_identity=True,
            phone=PHONE,
        ),
        sending_municipality_code=SENDING_CODE,
        household=(
            HouseholdMemberInput(
                first_name=CHILD,
                relation="child",
                birth_date=timezone.localdate() - timedelta(3000),
            ),
        ),
        interventions=(intervention("care", "Stöd"),),
    )
    housing_save(
        acting_user=worker_a,
        case=protected_case,
        data=HousingInput(address=f"{ADDRESS}, 452 91 Hemlighult", rooms=2),
    )
    case_action_perform(
        acting_user=worker_a,
        case=protected_case,
        action="assess_confirm",
        performed_on=timezone.localdate(),
        reason="Tecken på aktiv medverkan.",
    )
    journal_entry_add(
        acting_user=worker_a,
        case=protected_case,
        entry_date=timezone.localdate(),
        text="Besök på kontoret.",
        sign=True,
    )
    refused_case = make_case(
        worker_a,
        first_name="Nora",
        last_name=REFUSED_NAME,
        personal_identity_number=refused_number,
        interventions=(intervention("care", "Stöd"),),
    )
    for scope in ("contact_sending_municipality", "return_process"):
        consent_record(
            acting_user=worker_a,
            case=refused_case,
            scope=scope,
            status="refused",
            decided_on=timezone.localdate(),
            form="oral",
        )
    # Unit B meets the same person without knowing what unit A holds.
    other_unit_case = make_case(
        users["worker_b"],
        first_name="Bengt",
        last_name="Annansson",
        personal_identity_number=protected_number,
        allow_open_case=True,
        household=(),
    )
    return LeakWorld(
        unit_a=unit_a,
        unit_b=unit_b,
        users=users,
        protected_case=protected_case,
        refused_case=refused_case,
        other_unit_case=other_unit_case,
        protected_number=protected_number,
        refused_number=refused_number,
    )


def _without_selects(text: str) -> str:
    """Drop <select> lists: every municipality is an option in a search or intake form."""
    return re.sub(r"<select\b.*?</select>", "", text, flags=re.S)


def _identity_forms(number: str) -> list[str]:
    return [number, f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"]


def check_text(
    counts: Counts,
    text: str,
    *,
    where: str,
    viewer_in_unit_a: bool,
    bound_to_protected: bool,
    is_list: bool,
    sending_allowed: bool = True,
) -> None:
    """Assert the rules of docs/privacy.md on one page, answer, PDF or message."""
    plain = _without_selects(text)

    def finding(marker: str) -> None:
        counts.findings.append(f"{marker!r} i {where}")

    if ADDRESS_KEY in plain:
        finding(ADDRESS)  # a protected address is never shown outside the housing record
    if not viewer_in_unit_a:
        for marker in (PHONE_KEY, CHILD, FIRST_NAME, REFUSED_NAME):
            if marker in plain:
                finding(marker)
        if SENDING in plain and bound_to_protected:
            finding(SENDING)
        return
    if not bound_to_protected and (PHONE_KEY in plain or CHILD in plain):
        finding(PHONE_KEY if PHONE_KEY in plain else CHILD)
    if SENDING in plain and (is_list or (bound_to_protected and not sending_allowed)):
        finding(SENDING)


def _url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"}:
                continue
            yield from _url_patterns(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, list(pattern.pattern.regex.groupindex)


def _case_objects(case) -> list[dict]:
    """Every URL parameter set bound to one case: the case itself, each of its journal
    entries and letters, and a workflow action."""
    base = {"case_id": case.pk, "action": "assess_confirm"}
    sets = [base]
    sets += [{**base, "entry_id": entry.pk} for entry in case.journal_entries.all()]
    sets += [{**base, "letter_id": letter.pk} for letter in case.letters.all()]
    return sets


def _content_text(response) -> str:
    if response.get("Content-Type", "").startswith("application/pdf"):
        return pdf_text(response.content)
    return response.content.decode("utf-8", errors="replace")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _finalise_every_kind(leak_world, counts: Counts) -> list:
    letters = []
    worker = leak_world.users["worker_a"]
    for case in (leak_world.protected_case, leak_world.refused_case):
        for kind in LetterKind.values:
            try:
                letters.append(finalised(worker, case, kind))
            except (ValidationError, Conflict, AccessDenied, NotFound):
                counts.refused_letters += 1
    return letters


def _check_letter_pdf(leak_world, counts: Counts, letter) -> None:
    text = pdf_text(bytes(letter.document.pdf))
    counts.pdfs += 1
    where = f"PDF {letter.kind} ({letter.case.reference})"
    if letter.case_id == leak_world.protected_case.pk:
        check_text(
            counts,
            text,
            where=where,
            viewer_in_unit_a=True,
            bound_to_protected=True,
            is_list=False,
            sending_allowed=letter.kind in SENDING_MAY_STAND,
        )
        if PHONE_KEY in text:
            counts.findings.append(f"telefon i {where}")
    else:
        names_person = REFUSED_NAME in text or any(
            form in text for form in _identity_forms(leak_world.refused_number)
        )
        if names_person and letter.kind != LetterKind.PERSON_INFORMATION:
            counts.findings.append(f"nekat samtycke men personen namnges i {where}")
        if "har samtyckt" in text:
            counts.findings.append(f"'har samtyckt' trots nekat samtycke i {where}")


def test_no_marker_appears_where_the_privacy_rules_forbid_it(
    leak_world, caplog, capsys, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    counts = Counts()
    letters = _finalise_every_kind(leak_world, counts)
    for letter in letters:
        _check_letter_pdf(leak_world, counts, letter)

    unit_a_users = {"worker_a", "manager_a"}
    cases = {
        "protected": leak_world.protected_case,
        "refused": leak_world.refused_case,
        "other_unit": leak_world.other_unit_case,
    }
    client = SecondFactorClient()
    seen: set[tuple[str, str]] = set()
    for role, user in leak_world.users.items():
        client.force_login(user)
        in_a = role in unit_a_users
        for name, params in _url_patterns():
            if name == "logout":
                continue
            if not params:
                targets = [("none", {})]
            elif set(params) <= set(FIGURE_PARAMS):
                targets = [("figures", FIGURE_PARAMS)]
            else:
                targets = [
                    (label, objects)
                    for label, case in cases.items()
                    for objects in _case_objects(case)
                    if set(params) <= set(objects)
                ]
                unknown = set(params) - {"case_id", "entry_id", "letter_id", "action"}
                # The user's own account pages (an authenticator, a session), the shared
                # landlord register and disposal lists are bound to no case; their ids are
                # not a case's.
                assert unknown <= ACCOUNT_OR_REGISTER_PARAMS, (name, unknown)
                if unknown:
                    targets = []
            for label, objects in targets:
                url = reverse(name, kwargs={key: objects[key] for key in params})
                if (role, url) in seen:
                    continue
                seen.add((role, url))
                response = client.get(url)
                if response.status_code >= 500:
                    counts.findings.append(f"{response.status_code} på {name} för {role}")
                counts.pages += 1
                letter_kind = None
                if "letter_id" in objects:
                    letter_kind = (
                        leak_world.protected_case.letters.filter(pk=objects["letter_id"])
                        .values_list("kind", flat=True)
                        .first()
                    )
                text = _content_text(response)
                if in_a and label == "protected" and FIRST_NAME in text:
                    counts.own_unit_sightings += 1
                check_text(
                    counts,
                    text,
                    where=f"{name} ({label}) för {role}",
                    viewer_in_unit_a=in_a,
                    bound_to_protected=label == "protected",
                    is_list=name in LISTS,
                    sending_allowed=letter_kind is None or letter_kind in SENDING_MAY_STAND,
                )

    schema = api.get_openapi_schema()
    from motverka.api.services import api_token_create

    for role, user in leak_world.users.items():
        _row, token = api_token_create(acting_user=None, user=user, name="leak")
        api_client = ApiClient(token)
        in_a = role in unit_a_users
        for path, item in schema["paths"].items():
            if "get" not in item:
                continue
            path = path.removeprefix("/api/v1")
            params = re.findall(r"\{(\w+)\}", path)
            if not params:
                targets = [("none", {})]
            elif set(params) <= set(FIGURE_PARAMS):
                targets = [("figures", FIGURE_PARAMS)]
            else:
                targets = [
                    (label, objects)
                    for label, case in cases.items()
                    for objects in _case_objects(case)
                    if set(params) <= set(objects)
                ]
            for label, objects in targets:
                concrete = re.sub(
                    r"\{(\w+)\}", lambda match, values=objects: str(values[match[1]]), path
                )
                if (role, concrete) in seen:
                    continue
                seen.add((role, concrete))
                if concrete.startswith("/deadline-calculator"):
                    concrete += "?start=2026-11-30&months=1"
                response = api_client.get(concrete)
                counts.responses += 1
                if response.status_code >= 500:
                    counts.findings.append(f"API {response.status_code} på {path} för {role}")
                body = response.content.decode("utf-8", errors="replace")
                if response.get("Content-Type", "").startswith("application/json"):
                    body = json.dumps(json.loads(body or "null"), ensure_ascii=False)
                check_text(
                    counts,
                    _content_text(response) if "pdf" in response.get("Content-Type", "") else body,
                    where=f"API {path} ({label}) för {role}",
                    viewer_in_unit_a=in_a,
                    bound_to_protected=label == "protected",
                    is_list=not params,
                )

    # The annual report is made by the task queue: each figures role asks for it, the
    # worker makes it, and the file the user downloads is read like every other PDF.
    from motverka.reporting.export_jobs import export_job_run
    from motverka.reporting.models import ExportJob

    for role, user in leak_world.users.items():
        client.force_login(user)
        asked = client.post(reverse("figures_annual_report", args=[timezone.localdate().year]))
        if asked.status_code != 302:
            continue
        for job_id in ExportJob.objects.filter(status="queued").values_list("pk", flat=True):
            export_job_run(str(job_id))
        for url in (asked["Location"], asked["Location"] + "fil"):
            response = client.get(url)
            counts.pages += 1
            counts.pdfs += "pdf" in response.get("Content-Type", "")
            check_text(
                counts,
                _content_text(response),
                where=f"årsrapporten ({url}) för {role}",
                viewer_in_unit_a=role in unit_a_users,
                bound_to_protected=False,
                is_list=True,
            )

    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(today=timezone.localdate() + timedelta(days=400), lead_days=2)
    reminders_deliver(batch_size=100)
    for message in mail.outbox:
        counts.messages += 1
        text = f"{message.subject}\n{message.body}"
        check_text(
            counts,
            text,
            where=f"e-post till {message.to}",
            viewer_in_unit_a=False,
            bound_to_protected=True,
            is_list=True,
        )

    numbers = _identity_forms(leak_world.protected_number) + _identity_forms(
        leak_world.refused_number
    )
    for record in caplog.records:
        counts.log_records += 1
        line = record.getMessage() + (record.exc_text or "")
        for marker in [*numbers, ADDRESS_KEY, PHONE_KEY, CHILD]:
            if marker in line:
                counts.findings.append(f"{marker!r} i applikationsloggen ({record.name})")

    with capsys.disabled():
        print(
            f"\nLäckvandring: {counts.pages} sidor, {counts.responses} API-svar, "
            f"{counts.pdfs} PDF:er, {counts.messages} e-postmeddelanden, "
            f"{counts.log_records} loggrader lästa; {counts.refused_letters} skrivelser "
            f"vägrades slutföras; {len(counts.findings)} läckor."
        )
    assert counts.pages > 100 and counts.responses > 50 and counts.pdfs > 0
    assert counts.messages > 0
    assert counts.own_unit_sightings >= 2
    assert counts.findings == [], "\n".join(sorted(set(counts.findings)))
