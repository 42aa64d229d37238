"""A demo history of many cases (``motverka demo_data --cases N``), built at bulk speed.

Calling the services 100,000 times would take hours, so a few *model cases* are made
through the real services — registration, housing with a landlord, signed journal entries,
consents, the guideline's steps and deadlines, letters finalised as PDF/A and sent — and
every row they wrote is then copied for each further case with ``bulk_create`` in batches:

- ids are allotted in advance, and every foreign key to a row the model case wrote points
  to the copy's row; keys to shared rows (users, units, municipalities) stay as they are,
  except the sending municipality and the landlord, which are drawn per case;
- dates and times move back by whole weeks (weekdays, and so working-day deadlines, stay
  as the services computed them), times also by the copy's slot within its week;
- the person gets a new fictitious name and identity number, the case a new reference in
  the year it was registered, and every text the model case wrote that names its person or
  reference names the copy's instead;
- a letter's PDF is the model case's PDF, stored with the hash and size the service stored
  for it (one rendered PDF per model letter, so the copy's PDF shows the model's names);
- audit rows are appended to the hash chain in time order with new sequence numbers and
  hashes, computed exactly as ``audit.services`` computes them, so ``audit verify`` holds.

Only inserts are made: nothing trips the append-only rules (decision 0008), and the
change-history triggers record no insert outside a change context, as for a registration
through the services (decision 0010). The person and case sequences are reset at the end.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from motverka.audit.chain import (
    FORMAT_VERSION,
    GENESIS,
    ChainedContent,
    ChainedSubject,
    new_salt,
    reference_digest,
    row_hash,
)
from motverka.audit.models import AuditEvent
from motverka.demo import FIRST_NAMES, LAST_NAMES, SENDING, UNIT_A, UNIT_B, _luhn_digit

#: Rows of these models are never copied: they are shared, or updated in place.
SHARED = {
    "accounts.User",
    "accounts.Unit",
    "accounts.MembershipPeriod",
    "cases.ReferenceSequence",
    "housing.Landlord",
    "audit.AuditEvent",
    "audit.AuditEventSubject",
}

MORE_FIRST_NAMES = [
    "Amir", "Astrid", "Björn", "Dalia", "Emil", "Freja", "Hassan", "Ingrid", "Jonas", "Karin",
    "Linnea", "Magnus", "Nadia", "Oskar", "Saga", "Tove", "Yusuf", "Åsa", "Örjan", "Ebba",
]  # fmt: skip
MORE_LAST_NAMES = [
    "Provsson", "Testberg", "Exempelsson", "Demoström", "Provqvist", "Testgren", "Demolund",
    "Exempelberg", "Öberg-Demo", "Ås-Prov",
]  # fmt: skip

BATCH = 1000  # copies per transaction
MODEL_CASES = 2 * 5 * 3  # units × stages × variants


@dataclass
class ModelCase:
    """Every row one model case's history wrote, by model label, as field values."""

    case_id: int
    person_id: int
    unit_id: int
    reference: str
    first_name: str
    last_name: str
    identity_number: str
    started: datetime
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    audit: list[tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=list)


# --- the model cases, through the services -----------------------------------------------


def _max_ids() -> dict[str, int]:
    result = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        pk = model._meta.pk
        if isinstance(pk, models.AutoField | models.BigAutoField):
            result[model._meta.label] = (
                model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            )
    return result


def _values(model: type[models.Model], rows: Any) -> list[dict[str, Any]]:
    names = [f.attname for f in model._meta.concrete_fields]
    return [dict(zip(names, row, strict=True)) for row in rows.values_list(*names)]


def _capture(build: Callable[[], Any]) -> dict[str, list[dict[str, Any]]]:
    """Run ``build`` and return every row it inserted, per model label."""
    before = _max_ids()
    build()
    captured: dict[str, list[dict[str, Any]]] = {}
    new_pks: dict[str, set[Any]] = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in before:
            rows = model._default_manager.filter(pk__gt=before[label]).order_by("pk")
            values = _values(model, rows)
            if values:
                captured[label] = values
                new_pks[label] = {row["id"] for row in values}
    for model in apps.get_models():  # rows whose primary key is a one-to-one to a new row
        pk = model._meta.pk
        label = model._meta.label
        if label in before or model._meta.proxy or not pk.is_relation:
            continue
        parent = pk.related_model._meta.label  # type: ignore[union-attr]
        if new_pks.get(parent):
            values = _values(model, model._default_manager.filter(pk__in=new_pks[parent]))
            if values:
                captured[label] = values
    return captured


def _model_case_builders(
    users: dict[str, Any], units: dict[str, Any], landlords: list[int], numbers: list[str]
) -> Callable[[int, str, int], Callable[[], Any]]:
    from motverka.cases.services import CaseIntake, InterventionInput, case_register
    from motverka.demo import DEMO_LEGAL_BASIS
    from motverka.people.services import HouseholdMemberInput, PersonInput

    today = timezone.localdate()

    def make(stage: int, unit_name: str, variant: int) -> Callable[[], Any]:
        worker = users["handlaggare1"] if unit_name == UNIT_A else users["handlaggare2"]
        rng = random.Random(stage * 100 + variant)  # noqa: S311 - demo data

        def build() -> Any:
            decided = date(2020, 1, 15)
            interventions = [
                InterventionInput(
                    kind="financial_assistance",
                    ongoing=True,
                    decided_on=decided,
                    legal_basis=DEMO_LEGAL_BASIS,
                )
            ]
            if variant % 2:
                interventions.append(
                    InterventionInput(
                        kind="care",
                        description="Boendestöd",
                        ongoing=True,
                        decided_on=decided,
                        legal_basis=DEMO_LEGAL_BASIS,
                    )
                )
            household: tuple[HouseholdMemberInput, ...] = ()
            if variant % 3 == 1:
                household = (
                    HouseholdMemberInput(
                        first_name="Bror", relation="child", birth_date=date(2016, 4, 2)
                    ),
                )
            received = today - timedelta(days=30)
            case = case_register(
                acting_user=worker,
                intake=CaseIntake(
                    person=PersonInput(
                        first_name="Modell",
                        last_name=f"Demomall{stage}{variant}{unit_name[:1]}",
                        personal_identity_number=numbers.pop(),
                        protected_identity=False,
                    ),
                    unit_id=units[unit_name].pk,
                    sending_municipality_code=SENDING[0],
                    received_on=received,
                    moved_on=received - timedelta(days=12),
                    target_groups=(("newly_arrived",), ("other", "newly_arrived"))[variant % 2],
                    indicators=("housing_arranged", "rent_paid"),
                    indicator_note="Fiktivt demoärende.",
                    interventions=tuple(interventions),
                    household=household,
                    assigned_to_id=worker.pk,
                    allow_open_case=True,
                ),
            )
            _history(case, worker, stage, rng, landlords[variant % len(landlords)])
            return case

        return build

    return make


def _history(case: Any, worker: Any, stage: int, rng: random.Random, landlord_id: int) -> None:
    from motverka.cases.services import journal_entry_add
    from motverka.housing.services import HousingInput, housing_save
    from motverka.workflow.demo import advance_case

    housing_save(
        acting_user=worker,
        case=case,
        data=HousingInput(
            address="Demogatan 1, 455 30 Munkedal",
            lease_type="second_hand",
            arranged_by="sending_municipality",
            monthly_rent=Decimal("7800"),
            rooms=2,
            area_m2=Decimal("54.0"),
            landlord_id=landlord_id,
            rent_paid_months=2,
        ),
    )
    texts = [
        "Samtal med den enskilde om flytten och boendet.",
        "Kontakt med avsändande kommun per telefon.",
        "Genomgång av underlag om insatser i tidigare kommun.",
        "Uppföljning: den enskilde har kontakt med Arbetsförmedlingen.",
        "Hembesök bokat; den enskilde informerad om sina rättigheter.",
    ]
    for index in range(2 + stage):
        journal_entry_add(
            acting_user=worker,
            case=case,
            entry_date=case.received_on + timedelta(days=index * 3),
            text=texts[index % len(texts)],
            sign=index < 1 + stage,
        )
    if stage >= 2:
        _letter(case, worker, "person_information")
        case.refresh_from_db()
    advance_case(case=case, acting_user=worker, stage=stage, rng=rng)


def _letter(case: Any, worker: Any, kind: str) -> None:
    from motverka.letters.services import (
        letter_draft_create,
        letter_finalise,
        letter_mark_sent,
        letter_preview,
    )

    letter = letter_draft_create(acting_user=worker, case=case, kind=kind)
    digest = letter_preview(acting_user=worker, letter=letter).digest
    letter = letter_finalise(
        acting_user=worker, letter=letter, preview_sha256=digest, confirm_unverified_reference=True
    )
    letter_mark_sent(
        acting_user=worker, letter=letter, sent_on=timezone.localdate(), channel="post"
    )


# --- copying ------------------------------------------------------------------------------


def _identity_numbers(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct fictitious numbers (born 1950–1988, serial 980–999) that no
    person in the database has yet."""
    from motverka.people.models import Person

    taken = set(Person.objects.values_list("personal_identity_number", flat=True))
    start = date(1950, 1, 1)
    slots = 365 * 39 * 20
    step = 7919  # a prime not dividing ``slots``: walks every slot once
    first = rng.randrange(slots)
    numbers: list[str] = []
    index = 0
    while len(numbers) < count and index < slots:
        slot = (first + index * step) % slots
        index += 1
        born = start + timedelta(days=slot // 20)
        serial = f"{980 + slot % 20:03d}"
        nine = born.strftime("%y%m%d") + serial
        number = born.strftime("%Y%m%d") + serial + str(_luhn_digit(nine))
        if number not in taken:
            numbers.append(number)
    return numbers


def _organisation_number(index: int) -> str:
    nine = f"5560{index:05d}"
    return nine + str(_luhn_digit(nine))


class Ids:
    """Ids allotted in advance, per model."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}
        self.refresh()

    def refresh(self) -> None:
        self.next = {label: top + 1 for label, top in _max_ids().items()}

    def take(self, label: str) -> int:
        value = self.next[label]
        self.next[label] = value + 1
        return value


def _object_models() -> dict[str, str]:
    """Audit ``object_type`` → model label, for the ``object_id`` of copied rows."""
    return {
        "case": "cases.Case",
        "person": "people.Person",
        "journal_entry": "cases.JournalEntry",
        "letter": "letters.Letter",
        "consent": "workflow.Consent",
        "housing": "housing.Housing",
        "personal_account": "housing.PersonalAccount",
        "household": "cases.Case",
        "step": "workflow.StepRecord",
        "step_record": "workflow.StepRecord",
        "deadline": "workflow.Deadline",
        "home_visit": "housing.HomeVisit",
        "child_view": "housing.ChildView",
    }


@dataclass
class Copy:
    model: ModelCase
    days: int  # the shift of dates, a multiple of 7, negative
    seconds: int  # the extra shift of times within the week
    first_name: str
    last_name: str
    identity_number: str
    protected: bool
    sending_id: int
    landlord_id: int


def _shift(value: Any, copy: Copy) -> Any:
    if isinstance(value, datetime):
        return value + timedelta(days=copy.days, seconds=copy.seconds)
    if isinstance(value, date):
        return value + timedelta(days=copy.days)
    return value


class Copier:
    def __init__(self, ids: Ids, reference_prefix: str) -> None:
        self.ids = ids
        self.prefix = reference_prefix
        self.numbers: dict[int, int] = defaultdict(int)
        for year, last in (
            apps.get_model("cases", "ReferenceSequence")
            .objects.filter(prefix=reference_prefix)
            .values_list("year", "last_number")
        ):
            self.numbers[year] = last
        self.model_classes = {m._meta.label: m for m in apps.get_models()}
        self.fk_targets: dict[str, dict[str, str]] = {}
        for label, model in self.model_classes.items():
            self.fk_targets[label] = {
                f.attname: f.related_model._meta.label  # type: ignore[union-attr]
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model is not None
            }

    def reference(self, registered: datetime) -> str:
        year = timezone.localtime(registered).year
        self.numbers[year] += 1
        return f"{self.prefix} {year}/{self.numbers[year]:04d}"

    def rows(self, copy: Copy) -> tuple[dict[str, list[dict[str, Any]]], list[Any]]:
        """The copy's rows (field values, per label) and its audit rows (pending)."""
        model = copy.model
        mapping: dict[str, dict[Any, Any]] = defaultdict(dict)
        for label, values in model.rows.items():
            if label in SHARED:
                continue
            pk_field = self.model_classes[label]._meta.pk
            if not pk_field.is_relation:
                for row in values:
                    mapping[label][row["id"]] = self.ids.take(label)
        mapping["housing.Landlord"] = {}
        registered = _shift(model.rows["cases.Case"][0]["created_at"], copy)
        reference = self.reference(registered)
        formatted = f"{copy.identity_number[:8]}-{copy.identity_number[8:]}"
        replacements = [
            (model.reference, reference),
            (f"{model.identity_number[:8]}-{model.identity_number[8:]}", formatted),
            (model.identity_number, copy.identity_number),
            (f"{model.first_name} {model.last_name}", f"{copy.first_name} {copy.last_name}"),
            (model.last_name, copy.last_name),
        ]

        def text(value: str) -> str:
            for old, new in replacements:
                if old in value:
                    value = value.replace(old, new)
            return value

        out: dict[str, list[dict[str, Any]]] = {}
        for label, values in model.rows.items():
            if label in SHARED:
                continue
            targets = self.fk_targets[label]
            instances = []
            for row in values:
                new = {}
                for name, value in row.items():
                    if name in targets and value is not None and value in mapping[targets[name]]:
                        value = mapping[targets[name]][value]
                    elif name == "id" and value in mapping[label]:
                        value = mapping[label][value]
                    elif isinstance(value, str) and value:
                        value = text(value)
                    else:
                        value = _shift(value, copy)
                    new[name] = value
                if label == "people.Person":
                    new.update(
                        first_name=copy.first_name,
                        last_name=copy.last_name,
                        personal_identity_number=copy.identity_number,
                        birth_date=date(
                            int(copy.identity_number[:4]),
                            int(copy.identity_number[4:6]),
                            int(copy.identity_number[6:8]),
                        ),
                        protected_identity=copy.protected,
                    )
                elif label == "cases.Case":
                    new.update(reference=reference, sending_municipality_id=copy.sending_id)
                elif label == "housing.Housing":
                    new["landlord_id"] = copy.landlord_id
                instances.append(new)
            out[label] = instances
        audit = []
        objects = _object_models()
        case_map = mapping["cases.Case"]
        person_map = mapping["people.Person"]

        def object_id(object_type: str, value: str) -> str:
            label = objects.get(object_type)
            if label and value.isdigit() and int(value) in mapping.get(label, {}):
                return str(mapping[label][int(value)])
            return value

        for event, subjects in model.audit:
            new_event = dict(event)
            new_event["at"] = _shift(event["at"], copy)
            new_event["object_id"] = object_id(event["object_type"], event["object_id"])
            new_event["case_id"] = case_map.get(event["case_id"], event["case_id"])
            new_event["person_id"] = person_map.get(event["person_id"], event["person_id"])
            new_event["detail"] = text(event["detail"])
            new_subjects = [
                {
                    **subject,
                    "object_id": object_id(subject["object_type"], subject["object_id"]),
                    "case_id": case_map.get(subject["case_id"], subject["case_id"]),
                    "person_id": person_map.get(subject["person_id"], subject["person_id"]),
                }
                for subject in subjects
            ]
            audit.append((new_event, new_subjects))
        return out, audit


def _sealed(*references: object) -> dict[str, str]:
    salt = new_salt()
    return {
        "reference_salt": salt,
        "reference_digest": reference_digest(salt, list(references)),
        "pseudonym": "",
    }


class Chain:
    """Appends audit rows after the current head, in the order given."""

    def __init__(self, ids: Ids) -> None:
        head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        self.sequence, self.previous = head if head is not None else (0, GENESIS)
        self.ids = ids

    def rows(
        self, pending: list[tuple[dict[str, Any], list[dict[str, Any]]]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        events, subjects = [], []
        for values, subject_values in pending:
            self.sequence += 1
            values = {**values, "sequence": self.sequence, "id": self.ids.take("audit.AuditEvent")}
            # A copy names other cases and persons: its references get a salt and digest of
            # their own, exactly as an append seals them (chain format 2).
            values.update(
                _sealed(
                    values["object_id"], values["case_id"], values["person_id"], values["detail"]
                )
            )
            values["chain_version"] = FORMAT_VERSION
            subject_values = [
                {
                    **subject,
                    **_sealed(subject["object_id"], subject["case_id"], subject["person_id"]),
                }
                for subject in subject_values
            ]
            content = ChainedContent(
                sequence=values["sequence"],
                at=values["at"],
                actor_id=values["actor_id"],
                action=values["action"],
                object_type=values["object_type"],
                object_id=values["object_id"],
                case_id=values["case_id"],
                person_id=values["person_id"],
                channel=values["channel"],
                address=values["address"],
                detail=values["detail"],
                chain_version=FORMAT_VERSION,
                reference_salt=values["reference_salt"],
                reference_digest=values["reference_digest"],
                subjects=tuple(
                    ChainedSubject(
                        s["object_type"],
                        s["object_id"],
                        s["case_id"],
                        s["person_id"],
                        reference_salt=s["reference_salt"],
                        reference_digest=s["reference_digest"],
                    )
                    for s in subject_values
                ),
            )
            values["hash"] = self.previous = row_hash(content, self.previous)
            events.append(values)
            for subject in subject_values:
                subjects.append(
                    {
                        **subject,
                        "id": self.ids.take("audit.AuditEventSubject"),
                        "event_id": values["id"],
                    }
                )
        return events, subjects


# --- the command's work -------------------------------------------------------------------


def foreign_data() -> str:
    """What in the database is not demo data ("" when nothing): a user other than the demo
    users, or a person whose surname is not one of the fictitious ones."""
    from django.db.models import Q

    from motverka.accounts.models import User
    from motverka.demo import DEMO_USERS
    from motverka.people.models import Person

    users = User.objects.exclude(username__in=[name for name, *_ in DEMO_USERS])
    if users.exists():
        return "användare som inte är demoanvändare"
    fictitious = Q()
    for marker in ("Demo", "Test", "Exempel", "Prov"):
        fictitious |= Q(last_name__contains=marker)
    if Person.objects.exclude(fictitious).exists():
        return "personer som inte är fiktiva"
    return ""


def _base(password: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from motverka.accounts.models import Unit, User
    from motverka.demo import DEMO_USERS, create_demo_data

    if not User.objects.exists():
        create_demo_data(password=password, case_count=0)
    users = {u.username: u for u in User.objects.filter(username__in=[n for n, *_ in DEMO_USERS])}
    units = {u.name: u for u in Unit.objects.filter(name__in=[UNIT_A, UNIT_B])}
    return users, units


def _landlords(users: dict[str, Any], count: int, ids: Ids) -> list[int]:
    """``count`` organisation landlords: one through the service, the rest copied."""
    from motverka.housing.models import Landlord
    from motverka.housing.services import LandlordInput, landlord_register

    existing = list(Landlord.objects.order_by("pk").values_list("pk", flat=True))
    if len(existing) >= count:
        return existing
    worker = users["handlaggare1"]
    captured = _capture(
        lambda: landlord_register(
            acting_user=worker,
            data=LandlordInput(
                kind="organisation",
                name="Demobostäder AB",
                organisation_number=_organisation_number(len(existing)),
                contact_person="Karin Demokvist",
                phone="0524-180 00",
                email="uthyrning@demobostader.example",
                postal_address="Box 1, 455 21 Munkedal",
            ),
        )
    )
    model_row = captured["housing.Landlord"][0]
    audit_row = captured["audit.AuditEvent"][0]
    ids.refresh()  # the service took ids
    chain = Chain(ids)
    rows: list[dict[str, Any]] = []
    pending: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for index in range(len(existing) + 1, count):
        pk = ids.take("housing.Landlord")
        rows.append(
            {
                **model_row,
                "id": pk,
                "name": f"Demobostäder {index} AB",
                "organisation_number": _organisation_number(index),
            }
        )
        event = {k: v for k, v in audit_row.items() if k not in ("id", "sequence", "hash")}
        pending.append(({**event, "object_id": str(pk)}, []))
    events, _subjects = chain.rows(pending)
    _write({"housing.Landlord": rows}, events, [])
    _reset_sequences({"housing.Landlord", "audit.AuditEvent"})
    return list(Landlord.objects.order_by("pk").values_list("pk", flat=True))


def _model_cases(
    users: dict[str, Any], units: dict[str, Any], landlords: list[int], numbers: list[str]
) -> list[ModelCase]:
    make = _model_case_builders(users, units, landlords, numbers)
    result = []
    for unit_name in (UNIT_A, UNIT_B):
        for stage in range(5):
            for variant in range(3):
                started = timezone.now()
                captured = _capture(make(stage, unit_name, variant))
                case_row = captured["cases.Case"][0]
                person_row = captured["people.Person"][0]
                events = captured.get("audit.AuditEvent", [])
                subject_rows = defaultdict(list)
                for subject in captured.get("audit.AuditEventSubject", []):
                    subject_rows[subject["event_id"]].append(
                        {k: v for k, v in subject.items() if k not in ("id", "event_id")}
                    )
                model = ModelCase(
                    case_id=case_row["id"],
                    person_id=person_row["id"],
                    unit_id=case_row["unit_id"],
                    reference=case_row["reference"],
                    first_name=person_row["first_name"],
                    last_name=person_row["last_name"],
                    identity_number=person_row["personal_identity_number"],
                    started=started,
                    rows=captured,
                    audit=[
                        (
                            {k: v for k, v in e.items() if k not in ("id", "sequence", "hash")},
                            subject_rows[e["id"]],
                        )
                        for e in events
                    ],
                )
                result.append(model)
    return result


def _copies(
    models_: list[ModelCase],
    count: int,
    landlords: list[int],
    numbers: list[str],
    rng: random.Random,
) -> Iterator[Copy]:
    """``count`` copies, oldest first, spread over about five years."""
    from motverka.reference.models import Municipality

    sending = list(
        Municipality.objects.exclude(code="1430").order_by("code").values_list("pk", flat=True)
    )
    weeks = 260
    per_week = -(-count // weeks)
    firsts = FIRST_NAMES + MORE_FIRST_NAMES
    lasts = LAST_NAMES + MORE_LAST_NAMES
    slot_seconds = max(60, (5 * 24 * 3600) // max(per_week, 1))
    for index in range(count):
        week = weeks - index // per_week
        slot = index % per_week
        # Older cases are further along: the newest weeks hold the registered ones.
        model = models_[rng.randrange(len(models_))]
        stage_bias = rng.random()
        if week < 8 and stage_bias < 0.5:
            pool = [m for m in models_ if m.rows["cases.Case"][0]["status"] == "registered"]
            model = pool[rng.randrange(len(pool))] if pool else model
        elif week > 20 and stage_bias < 0.8:
            pool = [m for m in models_ if m.rows["cases.Case"][0]["status"] == "closed"]
            model = pool[rng.randrange(len(pool))] if pool else model
        yield Copy(
            model=model,
            days=-7 * week,
            seconds=slot * slot_seconds,
            first_name=firsts[rng.randrange(len(firsts))],
            last_name=lasts[rng.randrange(len(lasts))],
            identity_number=numbers[index],
            protected=index % 97 == 5,
            sending_id=sending[rng.randrange(len(sending))],
            landlord_id=landlords[rng.randrange(len(landlords))],
        )


def _insert(label: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows given as field values: COPY on PostgreSQL (the fastest bulk path; it
    fires the same triggers as INSERT), ``bulk_create`` elsewhere."""
    if not rows:
        return
    model = apps.get_model(label)
    fields = model._meta.concrete_fields
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return
    names = [f.attname for f in fields]
    json_names = {f.attname: f for f in fields if isinstance(f, models.JSONField)}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if json_names:
                    row = {
                        **row,
                        **{
                            name: field.get_db_prep_save(row[name], connection)
                            for name, field in json_names.items()
                        },
                    }
                copy.write_row([row[name] for name in names])


def _write(
    rows: dict[str, list[dict[str, Any]]],
    events: list[dict[str, Any]],
    subjects: list[dict[str, Any]],
) -> None:
    with transaction.atomic():
        for label, values in rows.items():
            _insert(label, values)
        _insert("audit.AuditEvent", events)
        _insert("audit.AuditEventSubject", subjects)


def _reset_sequences(labels: set[str]) -> None:
    model_list = [apps.get_model(label) for label in labels]
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create_case_volume(
    *, password: str, case_count: int, seed: int = 1430, out: Callable[[str], None] = print
) -> str:
    """Builds ``case_count`` cases of history (model cases included); returns a summary."""
    from django.conf import settings

    from motverka.cases.models import ReferenceSequence

    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    _reset_sequences(set(_max_ids()))  # after an interrupted run, the ids go on after it
    users, units = _base(password)
    ids = Ids()
    landlords = _landlords(users, 1500, ids)
    numbers = _identity_numbers(rng, case_count + MODEL_CASES)
    models_ = _model_cases(users, units, landlords, numbers)
    out(f"{len(models_)} modellärenden via tjänsterna ({time.monotonic() - started:.0f} s)")
    ids = Ids()
    copier = Copier(ids, settings.MOTVERKA_REFERENCE_PREFIX)
    chain = Chain(ids)
    remaining = max(0, case_count - len(models_))
    pending: list[tuple[Any, int, tuple[dict[str, Any], list[dict[str, Any]]]]] = []
    order = 0
    labels: set[str] = set()
    batch_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    done = 0

    def flush(until: datetime | None) -> None:
        nonlocal pending
        ready = []
        while pending and (until is None or pending[0][0] <= until):
            ready.append(heapq.heappop(pending)[2])
        events, subjects = chain.rows(ready)
        labels.update(batch_rows)
        with transaction.atomic():
            _write(batch_rows, events, subjects)
            # Each batch leaves the numbering as the services would find it.
            for year, last in copier.numbers.items():
                ReferenceSequence.objects.update_or_create(
                    prefix=settings.MOTVERKA_REFERENCE_PREFIX,
                    year=year,
                    defaults={"last_number": last},
                )
            _reset_sequences(labels)
        batch_rows.clear()

    for copy in _copies(models_, remaining, landlords, numbers, rng):
        rows, audit = copier.rows(copy)
        for label, instances in rows.items():
            batch_rows[label].extend(instances)
        for item in audit:
            order += 1
            heapq.heappush(pending, (item[0]["at"], order, item))
        done += 1
        if done % BATCH == 0:
            # Copies come oldest first; a copy's rows span at most a few minutes, so
            # everything older than this copy's start can be chained now.
            flush(_shift(copy.model.started, copy) - timedelta(hours=1))
            out(f"{done} / {remaining} ärenden ({time.monotonic() - started:.0f} s)")
    labels.update({"audit.AuditEvent", "audit.AuditEventSubject"})
    flush(None)
    return f"{len(models_) + remaining} ärenden på {time.monotonic() - started:.0f} s"
