"""What the guideline allows next: the policy on aktiv medverkan as a pure state model.

This module owns the rules of the process in ``domain.md`` §2: which statuses a case moves
through, which measures (åtgärder) a confirmed case requires, which state each measure can be
in, and which guards stand in front of each step (the person's consent, an ongoing
intervention, a care intervention rather than financial assistance alone, a passed deadline).

It is pure on purpose. The caller reads the case from the database into a
:class:`CaseFacts`, asks :func:`decide` whether an action may happen, and gets back a
:class:`Transition` describing what to write (new status, new measure state, outcome,
deadlines to start and to meet) — or a :class:`PolicyError` whose Swedish message says why
not and what to do instead. Nothing here touches the database, the clock or the settings, so
every rule can be tested exhaustively without fixtures.

The rules are declared as data — :data:`MEASURE_RULES` for the measure steps and a few small
tables for assessment, not-applicable marking and closing — so the tables read as the policy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motverka.workflow.deadlines import DeadlineKind

__all__ = [
    "COMPLETE_STATES",
    "MEASURE_RULES",
    "MEASURE_STATES",
    "REGISTRATION_DEADLINES",
    "Action",
    "CaseFacts",
    "CaseStatus",
    "ConsentScope",
    "ConsentStatus",
    "Measure",
    "MeasureRule",
    "MeasureStanding",
    "MeasureState",
    "Outcome",
    "PolicyError",
    "Step",
    "Transition",
    "available_actions",
    "consent_needed",
    "decide",
    "is_complete",
    "measure_standing",
    "open_measures",
    "required_measures",
]


# --- Vocabulary -------------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    """Where a case stands in the process."""

    REGISTERED = "registered", _("Registrerat")
    CONFIRMED = "confirmed", _("Bekräftad aktiv medverkan")
    DISMISSED = "dismissed", _("Avskrivet – ej aktiv medverkan")
    CLOSED = "closed", _("Avslutat")


class Outcome(models.TextChoices):
    """How a closed case ended (utfall)."""

    RETURNED = "returned", _("Återförd")
    TRANSFERRED_BY_IVO = "transferred_by_ivo", _("Överflyttad genom beslut av IVO")
    REMAINS_WITH_SUPPORT = "remains_with_support", _("Kvar med stöd")
    MOVED_ON = "moved_on", _("Flyttat vidare")
    NOT_ACTIVE_INVOLVEMENT = "not_active_involvement", _("Ej aktiv medverkan")
    DECLINED_BY_PERSON = "declined_by_person", _("Den enskilde avböjde")
    OTHER = "other", _("Annat")


class ConsentScope(models.TextChoices):
    """What the person's consent (samtycke) covers."""

    CONTACT_SENDING_MUNICIPALITY = (
        "contact_sending_municipality",
        _("Kontakt med avsändande kommun"),
    )
    RETURN_PROCESS = "return_process", _("Återföring av ansvar")
    HOME_VISIT = "home_visit", _("Hembesök")


class ConsentStatus(models.TextChoices):
    """The latest answer the person gave for a consent scope."""

    GIVEN = "given", _("Lämnat")
    REFUSED = "refused", _("Nekat")
    WITHDRAWN = "withdrawn", _("Återkallat")


class Measure(models.TextChoices):
    """The measures (åtgärder) the policy prescribes for a confirmed case, in process order."""

    OBJECTION = "objection", _("Kontakt och markering mot avsändande kommun")
    JUSTIFICATION = "justification", _("Begäran om skälig motivering")
    PERSONAL_ACCOUNT = "personal_account", _("Den enskildes berättelse")
    OFFICIAL_LETTER = "official_letter", _("Officiell skrivelse")
    RETURN_OF_RESPONSIBILITY = "return_of_responsibility", _("Återföring av ansvar")
    HOME_VISIT = "home_visit", _("Hembesök")
    FINANCIAL_ASSISTANCE_ASSESSMENT = (
        "financial_assistance_assessment",
        _("Prövning av ekonomiskt bistånd"),
    )


class MeasureState(models.TextChoices):
    """The state of one measure. Which states a measure can take is :data:`MEASURE_STATES`."""

    PENDING = "pending", _("Ej påbörjad")
    DONE = "done", _("Genomförd")
    NOT_APPLICABLE = "not_applicable", _("Ej aktuell")
    REQUESTED = "requested", _("Begärd")
    JUSTIFICATION_RECEIVED = "justification_received", _("Motivering mottagen")
    JUSTIFICATION_NOT_RECEIVED = "justification_not_received", _("Ingen motivering mottagen")
    REQUEST_SENT = "request_sent", _("Begäran skickad")
    ACCEPTED = "accepted", _("Accepterad")
    DECLINED = "declined", _("Avböjd")
    NO_ANSWER = "no_answer", _("Inget svar inom fristen")
    IVO_APPLIED = "ivo_applied", _("Ansökan till IVO gjord")
    IVO_GRANTED = "ivo_granted", _("IVO beviljade")
    IVO_REJECTED = "ivo_rejected", _("IVO avslog")


class Action(models.TextChoices):
    """Everything a case worker can ask the policy to do, labelled as an imperative."""

    ASSESS_CONFIRM = "assess_confirm", _("Bekräfta aktiv medverkan")
    ASSESS_DISMISS = "assess_dismiss", _("Avskriv – ej aktiv medverkan")
    RECORD_OBJECTION = "record_objection", _("Registrera kontakt och markering")
    REQUEST_JUSTIFICATION = "request_justification", _("Begär skälig motivering")
    RECORD_JUSTIFICATION_RECEIVED = (
        "record_justification_received",
        _("Registrera mottagen motivering"),
    )
    RECORD_JUSTIFICATION_NOT_RECEIVED = (
        "record_justification_not_received",
        _("Registrera att ingen motivering kom"),
    )
    RECORD_PERSONAL_ACCOUNT = "record_personal_account", _("Dokumentera den enskildes berättelse")
    SEND_OFFICIAL_LETTER = "send_official_letter", _("Skicka officiell skrivelse")
    SEND_TRANSFER_REQUEST = "send_transfer_request", _("Skicka begäran om överflyttning")
    RECORD_TRANSFER_ACCEPTED = "record_transfer_accepted", _("Registrera att begäran accepterades")
    RECORD_TRANSFER_DECLINED = "record_transfer_declined", _("Registrera att begäran avböjdes")
    RECORD_TRANSFER_NO_ANSWER = (
        "record_transfer_no_answer",
        _("Registrera uteblivet svar på begäran"),
    )
    APPLY_TO_IVO = "apply_to_ivo", _("Ansök om överflyttning hos IVO")
    RECORD_IVO_GRANTED = "record_ivo_granted", _("Registrera att IVO beviljade")
    RECORD_IVO_REJECTED = "record_ivo_rejected", _("Registrera att IVO avslog")
    RECORD_HOME_VISIT = "record_home_visit", _("Registrera hembesök")
    RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT = (
        "record_financial_assistance_assessment",
        _("Registrera prövning av ekonomiskt bistånd"),
    )
    MARK_NOT_APPLICABLE = "mark_not_applicable", _("Markera åtgärden som ej aktuell")
    CLOSE = "close", _("Avsluta ärendet")
    REOPEN = "reopen", _("Återöppna ärendet")


# --- Facts in, decisions out ------------------------------------------------------------------


class PolicyError(Exception):
    """The policy refuses an action.

    ``code`` is a stable machine-readable reason (for APIs and tests); ``message`` is the
    Swedish explanation for the case worker: why the action is refused and what to do instead.
    """

    def __init__(self, code: str, message: str | Promise) -> None:
        self.code = code
        # Rendered once, in the language active when the refusal happens, so the error can be
        # logged, serialised or compared without a lazy object leaking out.
        self.message = str(message)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"PolicyError({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class CaseFacts:
    """Everything the policy needs to know about one case, read by the caller.

    ``measures`` maps a measure to its state; a measure that is missing is pending.
    ``consents`` maps a scope to the person's latest answer; a missing scope was never asked.
    ``has_ongoing_care_intervention`` means an ongoing intervention that is not financial
    assistance, so it implies ``has_ongoing_intervention``.

    Inconsistent facts (a state the measure can never reach, care without any intervention)
    raise :class:`ValueError`: they are a bug in the caller, not a policy refusal.
    """

    status: CaseStatus
    measures: Mapping[Measure, MeasureState]
    consents: Mapping[ConsentScope, ConsentStatus]
    has_ongoing_intervention: bool
    has_ongoing_care_intervention: bool
    transfer_answer_due: date | None
    today: date
    #: The latest assessment (confirmed or dismissed), kept when the case is closed so a
    #: reopened case returns to it and a closed case's measures can be read against it.
    assessed_as: CaseStatus | None = None
    closed_on: date | None = None

    def __post_init__(self) -> None:
        for measure, state in self.measures.items():
            if state not in MEASURE_STATES[Measure(measure)]:
                raise ValueError(f"measure {measure!s} cannot be in state {state!s}")
        if self.has_ongoing_care_intervention and not self.has_ongoing_intervention:
            raise ValueError("an ongoing care intervention is an ongoing intervention")
        if self.assessed_as not in (None, CaseStatus.CONFIRMED, CaseStatus.DISMISSED):
            raise ValueError("a case is assessed as confirmed or dismissed")

    def state_of(self, measure: Measure) -> MeasureState:
        """Return the state of ``measure``; a measure never recorded is pending."""
        return MeasureState(self.measures.get(measure, MeasureState.PENDING))


@dataclass(frozen=True)
class Transition:
    """What the caller must write when :func:`decide` allows an action.

    ``deadlines_met`` lists the kinds of deadline the action fulfils; the caller closes those
    that are open and ignores the others.
    """

    action: Action
    status: CaseStatus
    measure: Measure | None = None
    measure_state: MeasureState | None = None
    outcome: Outcome | None = None
    deadlines_started: tuple[DeadlineKind, ...] = ()
    deadlines_met: tuple[DeadlineKind, ...] = ()


@dataclass(frozen=True)
class Step:
    """One line of the "Nästa steg" panel: an action, whether it is allowed now, and why not."""

    action: Action
    measure: Measure | None
    allowed: bool
    reason: str | None


# --- Guards -----------------------------------------------------------------------------------

# A guard looks at the facts and returns the refusal it stands for, or None when it passes.
Guard = Callable[[CaseFacts], PolicyError | None]


def _requires_ongoing_intervention(facts: CaseFacts) -> PolicyError | None:
    if facts.has_ongoing_intervention:
        return None
    return PolicyError(
        "no_ongoing_intervention",
        _(
            "Återföring av ansvar kan bara begäras när den enskilde hade en pågående insats i "
            "avsändande kommun. Registrera insatsen om den finns; annars krävs ingen "
            "återföring och åtgärden kan markeras som ej aktuell med skäl."
        ),
    )


def _requires_care_intervention(facts: CaseFacts) -> PolicyError | None:
    # The IVO route (old SoL 2 a kap. 11 §) is for interventions that include care; the
    # guideline is explicit that financial assistance alone never qualifies.
    if facts.has_ongoing_care_intervention:
        return None
    return PolicyError(
        "ivo_requires_care_intervention",
        _(
            "Ansökan till IVO kan bara göras när den enskilde har en pågående vårdinsats. "
            "Ekonomiskt bistånd ensamt ger inte rätt att ansöka om överflyttning. Fortsätt med "
            "övriga åtgärder, eller markera återföringen som ej aktuell med skäl."
        ),
    )


def _requires_passed_transfer_deadline(facts: CaseFacts) -> PolicyError | None:
    # The sending municipality has the whole last day of the month to answer, so silence
    # can be recorded no earlier than the day after the due date.
    due = facts.transfer_answer_due
    if due is None:
        return PolicyError(
            "deadline_not_passed",
            _(
                "Ingen svarsfrist är registrerad för begäran om överflyttning, så det går inte "
                "att avgöra om fristen har gått ut. Registrera avsändande kommuns svar i stället."
            ),
        )
    if facts.today > due:
        return None
    return PolicyError(
        "deadline_not_passed",
        _(
            "Svarsfristen för begäran om överflyttning löper till och med %(due)s. Uteblivet "
            "svar kan registreras tidigast dagen därefter; registrera annars kommunens svar."
        )
        % {"due": due.isoformat()},
    )


# --- Dates the case worker gives -------------------------------------------------------------

# A date rule looks at the facts and the date the step is recorded as taken, and returns the
# refusal it stands for, or None. Unlike guards they judge the user's input, so they run in
# :func:`decide` only, after the case's own checks.
DateRule = Callable[[CaseFacts, date], PolicyError | None]


def _no_answer_after_due(facts: CaseFacts, performed_on: date) -> PolicyError | None:
    # Silence is a fact only once the whole period has run: the earliest date it can be
    # recorded as of is the day after the due date, whatever day it is typed in.
    due = facts.transfer_answer_due
    if due is None or performed_on > due:
        return None
    return PolicyError(
        "deadline_not_passed",
        _(
            "Uteblivet svar kan registreras tidigast %(earliest)s, dagen efter att "
            "svarsfristen löpte ut (%(due)s). Ange ett senare datum."
        )
        % {"earliest": (due + timedelta(days=1)).isoformat(), "due": due.isoformat()},
    )


def _reopen_after_closing(facts: CaseFacts, performed_on: date) -> PolicyError | None:
    if facts.closed_on is None or performed_on >= facts.closed_on:
        return None
    return PolicyError(
        "date_before_closing",
        _("Ärendet avslutades %(closed)s och kan inte återöppnas med ett tidigare datum.")
        % {"closed": facts.closed_on.isoformat()},
    )


DATE_RULES: Mapping[Action, DateRule] = MappingProxyType(
    {
        Action.RECORD_TRANSFER_NO_ANSWER: _no_answer_after_due,
        Action.REOPEN: _reopen_after_closing,
    }
)


# --- The measure steps, as a table ------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRule:
    """One step of one measure: from which states, to which state, behind which guards.

    ``wrong_state_hint`` is the Swedish explanation given when the measure is in a state the
    step cannot start from; it says what has to happen first or what to do instead.
    """

    measure: Measure
    from_states: frozenset[MeasureState]
    to_state: MeasureState
    wrong_state_hint: Promise
    consent: ConsentScope | None = None
    guards: tuple[Guard, ...] = ()
    starts: tuple[DeadlineKind, ...] = ()
    meets: tuple[DeadlineKind, ...] = ()


def _from(*states: MeasureState) -> frozenset[MeasureState]:
    return frozenset(states)


_PENDING = _from(MeasureState.PENDING)
_AFTER_TRANSFER_REQUEST = _from(MeasureState.REQUEST_SENT)
_AWAITING_IVO = _from(MeasureState.IVO_APPLIED)

_HINT_TRANSFER_ANSWER = _(
    "Skicka först en begäran om överflyttning; avsändande kommuns svar registreras därefter."
)
_HINT_IVO_DECISION = _("Ansök först om överflyttning hos IVO; IVO:s beslut registreras därefter.")
_HINT_JUSTIFICATION_ANSWER = _(
    "Begär först skälig motivering från avsändande kommun; svaret registreras därefter."
)

MEASURE_RULES: Mapping[Action, MeasureRule] = MappingProxyType(
    {
        # §3: contact the sending municipality at once and object. No consent is needed as
        # long as the contact does not disclose who the person is.
        Action.RECORD_OBJECTION: MeasureRule(
            measure=Measure.OBJECTION,
            from_states=_PENDING,
            to_state=MeasureState.DONE,
            meets=(DeadlineKind.CONTACT_SENDING_MUNICIPALITY,),
            wrong_state_hint=_(
                "Kontakt och markering registreras en gång. Dokumentera fler kontakter med en "
                "journalanteckning."
            ),
        ),
        # §3: asking for a justification names the person, so it needs their consent.
        Action.REQUEST_JUSTIFICATION: MeasureRule(
            measure=Measure.JUSTIFICATION,
            from_states=_PENDING,
            to_state=MeasureState.REQUESTED,
            consent=ConsentScope.CONTACT_SENDING_MUNICIPALITY,
            wrong_state_hint=_(
                "Motivering har redan begärts eller åtgärden är avslutad. Registrera i stället "
                "svaret på den tidigare begäran."
            ),
        ),
        Action.RECORD_JUSTIFICATION_RECEIVED: MeasureRule(
            measure=Measure.JUSTIFICATION,
            from_states=_from(MeasureState.REQUESTED),
            to_state=MeasureState.JUSTIFICATION_RECEIVED,
            wrong_state_hint=_HINT_JUSTIFICATION_ANSWER,
        ),
        Action.RECORD_JUSTIFICATION_NOT_RECEIVED: MeasureRule(
            measure=Measure.JUSTIFICATION,
            from_states=_from(MeasureState.REQUESTED),
            to_state=MeasureState.JUSTIFICATION_NOT_RECEIVED,
            wrong_state_hint=_HINT_JUSTIFICATION_ANSWER,
        ),
        # §4: the person's own account.
        Action.RECORD_PERSONAL_ACCOUNT: MeasureRule(
            measure=Measure.PERSONAL_ACCOUNT,
            from_states=_PENDING,
            to_state=MeasureState.DONE,
            wrong_state_hint=_(
                "Berättelsen är redan dokumenterad eller markerad som ej aktuell. Komplettera "
                "med en journalanteckning."
            ),
        ),
        # §5: the official letter.
        Action.SEND_OFFICIAL_LETTER: MeasureRule(
            measure=Measure.OFFICIAL_LETTER,
            from_states=_PENDING,
            to_state=MeasureState.DONE,
            meets=(DeadlineKind.OFFICIAL_LETTER,),
            wrong_state_hint=_(
                "Den officiella skrivelsen är redan skickad eller markerad som ej aktuell."
            ),
        ),
        # §6a: the written request to take the case back; the sending municipality has one
        # month to answer.
        Action.SEND_TRANSFER_REQUEST: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_PENDING,
            to_state=MeasureState.REQUEST_SENT,
            consent=ConsentScope.RETURN_PROCESS,
            guards=(_requires_ongoing_intervention,),
            starts=(DeadlineKind.TRANSFER_ANSWER,),
            wrong_state_hint=_(
                "Begäran om överflyttning skickas en gång, innan återföringen har påbörjats. "
                "Registrera i stället svaret eller nästa steg."
            ),
        ),
        Action.RECORD_TRANSFER_ACCEPTED: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_AFTER_TRANSFER_REQUEST,
            to_state=MeasureState.ACCEPTED,
            meets=(DeadlineKind.TRANSFER_ANSWER,),
            wrong_state_hint=_HINT_TRANSFER_ANSWER,
        ),
        Action.RECORD_TRANSFER_DECLINED: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_AFTER_TRANSFER_REQUEST,
            to_state=MeasureState.DECLINED,
            meets=(DeadlineKind.TRANSFER_ANSWER,),
            wrong_state_hint=_HINT_TRANSFER_ANSWER,
        ),
        Action.RECORD_TRANSFER_NO_ANSWER: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_AFTER_TRANSFER_REQUEST,
            to_state=MeasureState.NO_ANSWER,
            guards=(_requires_passed_transfer_deadline,),
            meets=(DeadlineKind.TRANSFER_ANSWER,),
            wrong_state_hint=_HINT_TRANSFER_ANSWER,
        ),
        # §6b–c: after a decline or a month of silence, apply to IVO — only with a care
        # intervention, and only with the person's consent.
        Action.APPLY_TO_IVO: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_from(MeasureState.DECLINED, MeasureState.NO_ANSWER),
            to_state=MeasureState.IVO_APPLIED,
            consent=ConsentScope.RETURN_PROCESS,
            guards=(_requires_care_intervention,),
            starts=(DeadlineKind.IVO_DECISION_EXPECTED,),
            wrong_state_hint=_(
                "Ansökan till IVO kan göras först när avsändande kommun har avböjt begäran om "
                "överflyttning eller inte har svarat inom en månad."
            ),
        ),
        Action.RECORD_IVO_GRANTED: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_AWAITING_IVO,
            to_state=MeasureState.IVO_GRANTED,
            meets=(DeadlineKind.IVO_DECISION_EXPECTED,),
            wrong_state_hint=_HINT_IVO_DECISION,
        ),
        Action.RECORD_IVO_REJECTED: MeasureRule(
            measure=Measure.RETURN_OF_RESPONSIBILITY,
            from_states=_AWAITING_IVO,
            to_state=MeasureState.IVO_REJECTED,
            meets=(DeadlineKind.IVO_DECISION_EXPECTED,),
            wrong_state_hint=_HINT_IVO_DECISION,
        ),
        # §7: a home visit respects the person's integrity, so it needs consent.
        Action.RECORD_HOME_VISIT: MeasureRule(
            measure=Measure.HOME_VISIT,
            from_states=_PENDING,
            to_state=MeasureState.DONE,
            consent=ConsentScope.HOME_VISIT,
            wrong_state_hint=_("Hembesöket är redan registrerat eller markerat som ej aktuellt."),
        ),
        # §9: the ordinary assessment of financial assistance — recorded, never decided here.
        Action.RECORD_FINANCIAL_ASSISTANCE_ASSESSMENT: MeasureRule(
            measure=Measure.FINANCIAL_ASSISTANCE_ASSESSMENT,
            from_states=_PENDING,
            to_state=MeasureState.DONE,
            wrong_state_hint=_(
                "Prövningen är redan registrerad eller markerad som ej aktuell. Nya ansökningar "
                "prövas i den ordinarie handläggningen."
            ),
        ),
    }
)

# A measure is finished in any of these states; the others still need something done.
COMPLETE_STATES: frozenset[MeasureState] = frozenset(
    {
        MeasureState.DONE,
        MeasureState.NOT_APPLICABLE,
        MeasureState.JUSTIFICATION_RECEIVED,
        MeasureState.JUSTIFICATION_NOT_RECEIVED,
        MeasureState.ACCEPTED,
        MeasureState.IVO_GRANTED,
        MeasureState.IVO_REJECTED,
    }
)

# Marking a measure not applicable (with a reason) is possible before it starts and at the
# points where the municipality itself chooses whether to go on: a justification that never
# comes, or a declined or unanswered transfer request it decides not to take to IVO.
_NOT_APPLICABLE_FROM = _from(
    MeasureState.PENDING,
    MeasureState.REQUESTED,
    MeasureState.DECLINED,
    MeasureState.NO_ANSWER,
)

# While the other side is deciding, the step cannot be withdrawn here; its answer comes first.
_NOT_APPLICABLE_BLOCKED_HINTS: Mapping[MeasureState, Promise] = MappingProxyType(
    {
        MeasureState.REQUEST_SENT: _(
            "Begäran om överflyttning är skickad och svar inväntas. Registrera svaret, eller "
            "uteblivet svar när fristen har gått ut, innan återföringen markeras som ej aktuell."
        ),
        MeasureState.IVO_APPLIED: _(
            "Ansökan till IVO prövas. Registrera IVO:s beslut; ansökan kan inte markeras som ej "
            "aktuell medan den prövas."
        ),
    }
)

# The deadlines that belong to a measure, met when the measure is marked not applicable.
_DEADLINES_OF_MEASURE: Mapping[Measure, tuple[DeadlineKind, ...]] = MappingProxyType(
    {
        Measure.OBJECTION: (DeadlineKind.CONTACT_SENDING_MUNICIPALITY,),
        Measure.OFFICIAL_LETTER: (DeadlineKind.OFFICIAL_LETTER,),
        Measure.RETURN_OF_RESPONSIBILITY: (
            DeadlineKind.TRANSFER_ANSWER,
            DeadlineKind.IVO_DECISION_EXPECTED,
        ),
    }
)


def _states_of(measure: Measure) -> frozenset[MeasureState]:
    reached = {MeasureState.PENDING, MeasureState.NOT_APPLICABLE}
    for rule in MEASURE_RULES.values():
        if rule.measure == measure:
            reached |= rule.from_states | {rule.to_state}
    return frozenset(reached)


# Derived from the table rather than written out, so the two cannot disagree.
MEASURE_STATES: Mapping[Measure, frozenset[MeasureState]] = MappingProxyType(
    {measure: _states_of(measure) for measure in Measure}
)


# --- Assessment and closing, as tables --------------------------------------------------------

# The guideline: "Vid misstanke om social dumping ska Munkedals kommun *genast* ta kontakt med
# berörd kommun". The suspicion is on record when the case is registered, so the contact
# deadline starts then (counted from the day of registration), not at the confirmation.
REGISTRATION_DEADLINES: tuple[DeadlineKind, ...] = (DeadlineKind.CONTACT_SENDING_MUNICIPALITY,)

# action -> (new status, deadlines it starts, deadlines it meets)
_ASSESSMENTS: Mapping[
    Action, tuple[CaseStatus, tuple[DeadlineKind, ...], tuple[DeadlineKind, ...]]
] = MappingProxyType(
    {
        # Confirming starts the clock on the official letter. The contact deadline already
        # runs from registration; a confirmation only starts it for a case that has none
        # (the caller never moves an open deadline of a kind in REGISTRATION_DEADLINES).
        Action.ASSESS_CONFIRM: (
            CaseStatus.CONFIRMED,
            (DeadlineKind.CONTACT_SENDING_MUNICIPALITY, DeadlineKind.OFFICIAL_LETTER),
            (),
        ),
        # Not active involvement: nobody has to be contacted about it any more.
        Action.ASSESS_DISMISS: (
            CaseStatus.DISMISSED,
            (),
            (DeadlineKind.CONTACT_SENDING_MUNICIPALITY,),
        ),
    }
)

# The statuses in which each action can be taken at all.
_ALLOWED_STATUSES: Mapping[Action, frozenset[CaseStatus]] = MappingProxyType(
    {
        **{action: frozenset({CaseStatus.REGISTERED}) for action in _ASSESSMENTS},
        **{action: frozenset({CaseStatus.CONFIRMED}) for action in MEASURE_RULES},
        Action.MARK_NOT_APPLICABLE: frozenset({CaseStatus.CONFIRMED}),
        Action.CLOSE: frozenset({CaseStatus.CONFIRMED, CaseStatus.DISMISSED}),
        Action.REOPEN: frozenset({CaseStatus.CLOSED}),
    }
)

_CLOSED_MESSAGE = _("Ärendet är avslutat och kan inte längre ändras.")

# Why an action cannot be taken in a status, keyed by what kind of action it is.
_WRONG_STATUS_MESSAGES: Mapping[str, Mapping[CaseStatus, Promise]] = MappingProxyType(
    {
        "assessment": {
            CaseStatus.CONFIRMED: _(
                "Ärendet är redan bedömt som aktiv medverkan. Fortsätt med åtgärderna eller "
                "avsluta ärendet."
            ),
            CaseStatus.DISMISSED: _(
                "Ärendet är redan avskrivet. Avsluta det med ett utfall, eller registrera ett "
                "nytt ärende om nya uppgifter kommer fram."
            ),
            CaseStatus.CLOSED: _CLOSED_MESSAGE,
        },
        "measure": {
            CaseStatus.REGISTERED: _(
                "Ärendet är ännu inte bedömt. Bekräfta först aktiv medverkan; därefter kan "
                "åtgärderna registreras."
            ),
            CaseStatus.DISMISSED: _(
                "Ärendet är avskrivet som ej aktiv medverkan, så riktlinjens åtgärder gäller "
                "inte. Avsluta ärendet med ett utfall."
            ),
            CaseStatus.CLOSED: _CLOSED_MESSAGE,
        },
        "close": {
            CaseStatus.REGISTERED: _(
                "Ärendet är ännu inte bedömt. Bekräfta eller avskriv aktiv medverkan innan "
                "ärendet avslutas."
            ),
            CaseStatus.CLOSED: _("Ärendet är redan avslutat."),
        },
        "reopen": {
            CaseStatus.REGISTERED: _("Ärendet är inte avslutat och behöver inte återöppnas."),
            CaseStatus.CONFIRMED: _("Ärendet är inte avslutat och behöver inte återöppnas."),
            CaseStatus.DISMISSED: _("Ärendet är inte avslutat och behöver inte återöppnas."),
        },
    }
)

# A dismissed case was never active involvement, so only these outcomes describe it.
_DISMISSED_OUTCOMES = frozenset({Outcome.NOT_ACTIVE_INVOLVEMENT, Outcome.OTHER})

# Outcomes a confirmed case may claim only when the return measure proves them.
_OUTCOME_PROOF: Mapping[Outcome, tuple[Measure, MeasureState]] = MappingProxyType(
    {
        Outcome.RETURNED: (Measure.RETURN_OF_RESPONSIBILITY, MeasureState.ACCEPTED),
        Outcome.TRANSFERRED_BY_IVO: (Measure.RETURN_OF_RESPONSIBILITY, MeasureState.IVO_GRANTED),
    }
)


# --- Queries ----------------------------------------------------------------------------------


def is_complete(measure: Measure, state: MeasureState) -> bool:
    """Return whether ``measure`` in ``state`` needs nothing more done.

    Raises :class:`ValueError` for a state the measure can never be in.
    """
    if state not in MEASURE_STATES[Measure(measure)]:
        raise ValueError(f"measure {measure!s} cannot be in state {state!s}")
    return state in COMPLETE_STATES


def required_measures(facts: CaseFacts) -> tuple[Measure, ...]:
    """Return the measures the case must finish before it can be closed, in process order.

    Only a confirmed case has required measures. All of them are required, except the return
    of responsibility, which the law allows only when there was an ongoing intervention.
    """
    if facts.status != CaseStatus.CONFIRMED:
        return ()
    return tuple(
        measure
        for measure in Measure
        if measure != Measure.RETURN_OF_RESPONSIBILITY or facts.has_ongoing_intervention
    )


def open_measures(facts: CaseFacts) -> tuple[Measure, ...]:
    """Return the required measures that are not yet complete, in process order."""
    return tuple(
        measure
        for measure in required_measures(facts)
        if not is_complete(measure, facts.state_of(measure))
    )


def consent_needed(action: Action) -> ConsentScope | None:
    """Return the consent scope ``action`` needs from the person, or None if it needs none."""
    rule = MEASURE_RULES.get(Action(action))
    return rule.consent if rule else None


# --- Decisions --------------------------------------------------------------------------------


def _status_group(action: Action) -> str:
    if action in _ASSESSMENTS:
        return "assessment"
    if action == Action.CLOSE:
        return "close"
    if action == Action.REOPEN:
        return "reopen"
    return "measure"


def _check_status(facts: CaseFacts, action: Action) -> None:
    if facts.status in _ALLOWED_STATUSES[action]:
        return
    raise PolicyError("wrong_status", _WRONG_STATUS_MESSAGES[_status_group(action)][facts.status])


def _lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _check_consent(facts: CaseFacts, scope: ConsentScope) -> None:
    status = facts.consents.get(scope)
    if status == ConsentStatus.GIVEN:
        return
    # A withdrawal or refusal counts from the moment it is recorded; only the latest answer
    # matters, and only "given" lets the step go ahead.
    params = {"scope": _lowercase_first(str(ConsentScope(scope).label))}
    if status == ConsentStatus.WITHDRAWN:
        message = _(
            "Den enskilde har återkallat sitt samtycke till %(scope)s, och återkallelsen gäller "
            "direkt. Registrera ett nytt samtycke om den enskilde ändrar sig, eller markera "
            "åtgärden som ej aktuell med skäl."
        )
    elif status == ConsentStatus.REFUSED:
        message = _(
            "Den enskilde har nekat samtycke till %(scope)s. Åtgärden kan inte göras utan "
            "samtycke; registrera ett nytt samtycke om den enskilde ändrar sig, eller markera "
            "åtgärden som ej aktuell med skäl."
        )
    else:
        message = _(
            "Samtycke till %(scope)s saknas. Registrera den enskildes samtycke först, eller "
            "markera åtgärden som ej aktuell med skäl."
        )
    raise PolicyError("consent_missing", message % params)


def _check_measure_rule(facts: CaseFacts, rule: MeasureRule) -> None:
    state = facts.state_of(rule.measure)
    if state not in rule.from_states:
        raise PolicyError(
            "wrong_measure_state",
            _("%(measure)s har läget ”%(state)s”. %(hint)s")
            % {
                "measure": rule.measure.label,
                "state": state.label,
                "hint": rule.wrong_state_hint,
            },
        )
    for guard in rule.guards:
        refusal = guard(facts)
        if refusal is not None:
            raise refusal
    if rule.consent is not None:
        _check_consent(facts, rule.consent)


def _check_not_applicable(facts: CaseFacts, measure: Measure) -> None:
    state = facts.state_of(measure)
    if state in _NOT_APPLICABLE_FROM:
        return
    if state in _NOT_APPLICABLE_BLOCKED_HINTS:
        raise PolicyError("not_applicable_not_allowed", _NOT_APPLICABLE_BLOCKED_HINTS[state])
    message = _(
        "Åtgärden ”%(measure)s” är redan slutförd (%(state)s) och kan inte markeras som ej aktuell."
    ) % {"measure": measure.label, "state": state.label}
    raise PolicyError("not_applicable_not_allowed", message)


def _check_nothing_open(facts: CaseFacts) -> None:
    still_open = open_measures(facts)
    if not still_open:
        return
    raise PolicyError(
        "measures_open",
        _(
            "Ärendet kan inte avslutas eftersom dessa åtgärder inte är klara: %(measures)s. "
            "Genomför dem, eller markera dem som ej aktuella med skäl."
        )
        % {"measures": ", ".join(str(measure.label) for measure in still_open)},
    )


def _check_case(facts: CaseFacts, action: Action, measure: Measure | None) -> None:
    """Refuse ``action`` if the case does not allow it now, whatever the user types in.

    Assumes the status already permits the action. This is the part of :func:`decide` that
    :func:`available_actions` shares; the checks of the user's input come after it.
    """
    if action in MEASURE_RULES:
        _check_measure_rule(facts, MEASURE_RULES[action])
    elif action == Action.MARK_NOT_APPLICABLE and measure is not None:
        _check_not_applicable(facts, measure)
    elif action == Action.CLOSE and facts.status == CaseStatus.CONFIRMED:
        _check_nothing_open(facts)
    elif action == Action.REOPEN and facts.assessed_as is None:
        raise PolicyError(
            "assessment_unknown",
            _(
                "Det går inte att se hur ärendet bedömdes innan det avslutades, så det kan inte "
                "återöppnas. Registrera ett nytt ärende i stället."
            ),
        )


def _require_reason(reason: str, message: Promise) -> None:
    if not reason.strip():
        raise PolicyError("reason_required", message)


def _check_outcome(facts: CaseFacts, outcome: Outcome | None) -> Outcome:
    if outcome is None:
        raise PolicyError("outcome_required", _("Välj ett utfall för att avsluta ärendet."))
    outcome = Outcome(outcome)
    if facts.status == CaseStatus.DISMISSED:
        if outcome not in _DISMISSED_OUTCOMES:
            raise PolicyError(
                "outcome_inconsistent",
                _(
                    "Ett avskrivet ärende avslutas med utfallet ”%(not_active)s” eller "
                    "”%(other)s”, inte ”%(outcome)s”."
                )
                % {
                    "not_active": Outcome.NOT_ACTIVE_INVOLVEMENT.label,
                    "other": Outcome.OTHER.label,
                    "outcome": outcome.label,
                },
            )
        return outcome
    if outcome == Outcome.NOT_ACTIVE_INVOLVEMENT:
        raise PolicyError(
            "outcome_inconsistent",
            _(
                "Ärendet är bekräftat som aktiv medverkan och kan inte avslutas med utfallet "
                "”%(outcome)s”. Välj ett annat utfall."
            )
            % {"outcome": outcome.label},
        )
    if outcome in _OUTCOME_PROOF:
        measure, needed = _OUTCOME_PROOF[outcome]
        current = facts.state_of(measure)
        if current != needed:
            raise PolicyError(
                "outcome_inconsistent",
                _(
                    "Utfallet ”%(outcome)s” kräver att %(measure)s har läget ”%(needed)s”, men "
                    "läget är ”%(current)s”. Registrera det först eller välj ett annat utfall."
                )
                % {
                    "outcome": outcome.label,
                    "measure": _lowercase_first(str(measure.label)),
                    "needed": needed.label,
                    "current": current.label,
                },
            )
    return outcome


def _resolve_measure(action: Action, measure: Measure | None) -> Measure | None:
    """Return the measure ``action`` is about, checking any measure the caller passed."""
    if action == Action.MARK_NOT_APPLICABLE:
        if measure is None:
            raise PolicyError(
                "measure_required", _("Ange vilken åtgärd som ska markeras som ej aktuell.")
            )
        return Measure(measure)
    own = MEASURE_RULES[action].measure if action in MEASURE_RULES else None
    # The panel hands each step's measure back, so the matching one is accepted; any other
    # is a mistake by the caller that must not silently act on a different measure.
    if measure is not None and Measure(measure) != own:
        raise PolicyError(
            "measure_mismatch",
            _("Åtgärden ”%(action)s” gäller inte %(measure)s.")
            % {"action": action.label, "measure": _lowercase_first(str(Measure(measure).label))},
        )
    return own


def decide(
    facts: CaseFacts,
    action: Action,
    *,
    measure: Measure | None = None,
    outcome: Outcome | None = None,
    reason: str = "",
    performed_on: date | None = None,
) -> Transition:
    """Return what ``action`` does to the case described by ``facts``, or refuse it.

    ``measure`` names the measure for ``mark_not_applicable``; other actions know their own
    measure and accept only that one. ``outcome`` is needed to close. ``reason`` is needed to
    assess, to mark a measure not applicable and to reopen. ``performed_on``, the date the
    step is recorded as taken, is checked against :data:`DATE_RULES` when given. Checks run in
    a fixed order — status, which measure, measure state, guards, consent, then the user's
    date, reason or outcome — and the first failure raises :class:`PolicyError`. ``facts`` is
    never changed.
    """
    action = Action(action)
    _check_status(facts, action)
    target = _resolve_measure(action, measure)
    _check_case(facts, action, target)
    if performed_on is not None and action in DATE_RULES:
        refusal = DATE_RULES[action](facts, performed_on)
        if refusal is not None:
            raise refusal

    if action in _ASSESSMENTS:
        _require_reason(reason, _("Ange skälet till bedömningen; det dokumenteras i ärendet."))
        status, started, met = _ASSESSMENTS[action]
        return Transition(
            action=action, status=status, deadlines_started=started, deadlines_met=met
        )

    if action == Action.REOPEN:
        _require_reason(reason, _("Ange varför ärendet återöppnas; skälet dokumenteras i ärendet."))
        # _check_case refused a case whose assessment is unknown.
        return Transition(action=action, status=facts.assessed_as or CaseStatus.CONFIRMED)

    if action == Action.CLOSE:
        chosen = _check_outcome(facts, outcome)
        return Transition(action=action, status=CaseStatus.CLOSED, outcome=chosen)

    if action == Action.MARK_NOT_APPLICABLE:
        _require_reason(
            reason, _("Ange varför åtgärden inte är aktuell; skälet dokumenteras i ärendet.")
        )
        return Transition(
            action=action,
            status=facts.status,
            measure=target,
            measure_state=MeasureState.NOT_APPLICABLE,
            deadlines_met=_DEADLINES_OF_MEASURE.get(target, ()) if target else (),
        )

    rule = MEASURE_RULES[action]
    return Transition(
        action=action,
        status=facts.status,
        measure=rule.measure,
        measure_state=rule.to_state,
        deadlines_started=rule.starts,
        deadlines_met=rule.meets,
    )


def _step(facts: CaseFacts, action: Action, measure: Measure | None) -> Step:
    try:
        _check_case(facts, action, measure)
    except PolicyError as refusal:
        return Step(action=action, measure=measure, allowed=False, reason=refusal.message)
    return Step(action=action, measure=measure, allowed=True, reason=None)


def available_actions(facts: CaseFacts) -> list[Step]:
    """Return the next steps of the case for the "Nästa steg" panel, allowed or not.

    Lists every action the current status permits whose measure is in a state the action can
    start from — so a step already taken or not yet reachable is left out, while a step that
    is due but blocked (no consent, no care intervention, deadline not passed, measures still
    open) is listed with ``allowed=False`` and the Swedish reason. ``mark_not_applicable``
    appears once per open measure. The user's input (reason, outcome) is not checked here.
    """
    steps: list[Step] = []
    for action in Action:
        if facts.status not in _ALLOWED_STATUSES[action]:
            continue
        if action == Action.MARK_NOT_APPLICABLE:
            steps.extend(_step(facts, action, measure) for measure in open_measures(facts))
        elif action in MEASURE_RULES:
            rule = MEASURE_RULES[action]
            if facts.state_of(rule.measure) in rule.from_states:
                steps.append(_step(facts, action, rule.measure))
        else:
            steps.append(_step(facts, action, None))
    return steps


# --- How a measure stands, for the case page --------------------------------------------------


class MeasureStanding(models.TextChoices):
    """What the "Krävs" column says about one measure, open case or closed."""

    REQUIRED = "required", _("ja")
    COMPLETE = "complete", _("klar")
    NOT_REQUIRED = "not_required", _("nej")
    DONE = "done", _("genomförd")
    NOT_DONE = "not_done", _("inte genomförd")
    NOT_APPLICABLE = "not_applicable", _("ej aktuell")
    NEVER_REQUIRED = "never_required", _("krävdes inte")


def measure_standing(facts: CaseFacts, measure: Measure) -> MeasureStanding:
    """Return how ``measure`` stands in the case described by ``facts``.

    While the case runs: required and still open (``required``), required and finished
    (``complete``), or not required (``not_required``). Once the case is closed the question
    is what happened: ``done`` (any state reached by a step), ``not_applicable`` (marked with
    a reason), ``not_done`` (a measure the confirmed case required that never started), or
    ``never_required`` (a dismissed case, or the return without an ongoing intervention).
    """
    measure = Measure(measure)
    state = facts.state_of(measure)
    if facts.status != CaseStatus.CLOSED:
        if measure not in required_measures(facts):
            return MeasureStanding.NOT_REQUIRED
        return MeasureStanding.COMPLETE if is_complete(measure, state) else MeasureStanding.REQUIRED
    if state == MeasureState.NOT_APPLICABLE:
        return MeasureStanding.NOT_APPLICABLE
    if state != MeasureState.PENDING:
        return MeasureStanding.DONE
    required_then = facts.assessed_as == CaseStatus.CONFIRMED and (
        measure != Measure.RETURN_OF_RESPONSIBILITY or facts.has_ongoing_intervention
    )
    return MeasureStanding.NOT_DONE if required_then else MeasureStanding.NEVER_REQUIRED
