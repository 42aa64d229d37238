"""What each kind of letter may disclose, and when: the letters' part of secrecy (OSL 26 kap.).

A letter that leaves the unit and names or identifies the person needs the consent of the
workflow step it carries out, and the *latest* answer counts: a consent withdrawn after the
draft was written stops the letter from being finalised. A letter that may not name the
person must not do so by typed text either; a consent may only be claimed in a letter when
it is recorded as given; a protected person's address never stands in a letter that leaves
for someone else, and their sending municipality only in the letters addressed to that
municipality itself and in the IVO application (docs/privacy.md, "Letters").

:data:`DISCLOSURE_RULES` is the table (one row per kind); :func:`decide` applies it to the
facts of one letter and returns what the letter may contain, or raises
:class:`DisclosureRefused` with a Swedish reason that says what to do instead. The services
call it when a draft is created and again, with the text as it would be finalised, when it is
finalised. Pure module: no database, no settings, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motverka.cases.errors import Conflict
from motverka.letters.models import LetterKind
from motverka.workflow.policy import ConsentScope, ConsentStatus


class Recipient(models.TextChoices):
    SENDING_MUNICIPALITY = "sending_municipality", gettext_lazy("Avsändande kommun")
    IVO = "ivo", gettext_lazy("Inspektionen för vård och omsorg (IVO)")
    PERSON = "person", gettext_lazy("Den enskilde själv")
    LANDLORD = "landlord", gettext_lazy("Hyresvärd")


@dataclass(frozen=True)
class DisclosureRule:
    """One kind of letter: who receives it, which consent it needs, what it may contain."""

    recipient: Recipient
    #: The consent the letter's workflow step needs; None when the letter needs none.
    consent: ConsentScope | None
    #: May the letter name or identify the person (name, identity number, household …)?
    names_person: bool
    #: May a protected person's address stand in it (only in the letter to the person)?
    protected_address: bool
    #: May a protected person's sending municipality stand in it?
    protected_sending_municipality: bool
    #: What the letter may contain, in Swedish (shown in the documentation and the admin).
    contains: Promise
    #: What ``{{ consent.statement }}`` says when the consent is given.
    consent_statement: Promise | None
    #: What to do instead when the letter is refused (consent missing or the person named).
    instead: Promise


_INSTEAD_OBJECTION = gettext_lazy(
    "Skriv i stället en officiell skrivelse (markering) utan uppgifter som identifierar den "
    "enskilde, eller registrera ett nytt samtycke om den enskilde ändrar sig."
)

DISCLOSURE_RULES: Mapping[str, DisclosureRule] = MappingProxyType(
    {
        # §3: the objection is made at once and without consent, so it must not say who.
        LetterKind.OBJECTION_LETTER: DisclosureRule(
            recipient=Recipient.SENDING_MUNICIPALITY,
            consent=None,
            names_person=False,
            protected_address=False,
            protected_sending_municipality=True,
            contains=gettext_lazy(
                "Vårt diarienummer och vad som tyder på aktiv medverkan, utan namn, "
                "personnummer eller annat som identifierar den enskilde."
            ),
            consent_statement=None,
            instead=gettext_lazy(
                "Ta bort uppgifterna som identifierar den enskilde. Vill ni namnge den enskilde "
                "krävs samtycke till kontakt med avsändande kommun och en begäran om skälig "
                "motivering."
            ),
        ),
        # §3: the justification request names the person: consent to contact.
        LetterKind.JUSTIFICATION_REQUEST: DisclosureRule(
            recipient=Recipient.SENDING_MUNICIPALITY,
            consent=ConsentScope.CONTACT_SENDING_MUNICIPALITY,
            names_person=True,
            protected_address=False,
            protected_sending_municipality=True,
            contains=gettext_lazy(
                "Den enskildes namn och personnummer, vad som har framkommit och att samtycke "
                "har lämnats."
            ),
            consent_statement=gettext_lazy(
                "Den enskilde har samtyckt till att vi kontaktar er om detta."
            ),
            instead=_INSTEAD_OBJECTION,
        ),
        # §6a: the transfer request names the person: consent to the return process.
        LetterKind.TRANSFER_REQUEST: DisclosureRule(
            recipient=Recipient.SENDING_MUNICIPALITY,
            consent=ConsentScope.RETURN_PROCESS,
            names_person=True,
            protected_address=False,
            protected_sending_municipality=True,
            contains=gettext_lazy(
                "Den enskildes namn och personnummer, hushållet, insatserna hos avsändande "
                "kommun, skälen och att samtycke har lämnats."
            ),
            consent_statement=gettext_lazy(
                "Den enskilde har samtyckt till att ärendet flyttas över."
            ),
            instead=gettext_lazy(
                "Skriv i stället en officiell skrivelse (markering) utan uppgifter som "
                "identifierar den enskilde, eller markera återföringen som ej aktuell med skäl. "
                "Registrera ett nytt samtycke om den enskilde ändrar sig."
            ),
        ),
        # §6b–c: the IVO application names the person and the sending municipality.
        LetterKind.IVO_APPLICATION: DisclosureRule(
            recipient=Recipient.IVO,
            consent=ConsentScope.RETURN_PROCESS,
            names_person=True,
            protected_address=False,
            protected_sending_municipality=True,
            contains=gettext_lazy(
                "Den enskildes namn och personnummer, avsändande kommun, barnen i hushållet, "
                "insatsen och dess lagstöd, den enskildes önskemål och att samtycke har lämnats."
            ),
            consent_statement=gettext_lazy("Den enskilde har samtyckt till att ansökan görs."),
            instead=gettext_lazy(
                "Ansökan till IVO kan inte göras utan samtycke. Markera återföringen som ej "
                "aktuell med skäl, eller registrera ett nytt samtycke om den enskilde ändrar sig."
            ),
        ),
        # Written to the person: it stays between the unit and the person.
        LetterKind.PERSON_INFORMATION: DisclosureRule(
            recipient=Recipient.PERSON,
            consent=None,
            names_person=True,
            protected_address=True,
            protected_sending_municipality=False,
            contains=gettext_lazy(
                "Den enskildes namn och adress, ärendet och rättigheterna. Vid skyddade "
                "personuppgifter aldrig avsändande kommun (brevet kan läsas av andra)."
            ),
            consent_statement=None,
            instead=gettext_lazy("Ta bort uppgiften ur texten."),
        ),
        # A landlord has no part in the case.
        LetterKind.LANDLORD_LETTER: DisclosureRule(
            recipient=Recipient.LANDLORD,
            consent=None,
            names_person=False,
            protected_address=False,
            protected_sending_municipality=False,
            contains=gettext_lazy(
                "Allmän information om hyresgästers betalningsförmåga och ekonomiskt bistånd, "
                "aldrig uppgifter om en enskild person."
            ),
            consent_statement=None,
            instead=gettext_lazy(
                "Ta bort uppgifterna; en skrivelse till hyresvärd får inte handla om en enskild "
                "person."
            ),
        ),
    }
)


# Claims about the person's answer ("har samtyckt", "har lämnat sitt samtycke", "has
# consented"), matched on the canonical text (letters.textmatch.canonical). A statement of the
# principle ("lämnas ut endast med den enskildes samtycke") is not a claim.
_CONSENT_CLAIMS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\bsamtyck(?:t|er|te|a)\b",
        r"\b(?:lämnat|lämnade|gett|gav|givit|gitt) (?:\w+ ){0,3}samtycke",
        r"\bsamtycke (?:\w+ ){0,2}(?:har|hade|är|var) (?:\w+ ){0,1}(?:lämnats|lämnat|getts|givits)",
        r"\bsamtycke (?:finns|föreligger)\b",
        r"\bconsent(?:ed|s)\b",
        r"\b(?:given|gave|give[ns]?) (?:\w+ ){0,3}consent\b",
        r"\bconsent (?:\w+ ){0,2}(?:been|was|is) given\b",
    )
)


def claims_consent(canonical_text: str) -> bool:
    """Does the (canonical) text say that the person consented or answered about consent?"""
    return any(pattern.search(canonical_text) for pattern in _CONSENT_CLAIMS)


@dataclass(frozen=True)
class LetterFacts:
    """What :func:`decide` needs about one letter. The content flags describe the text as it
    would be finalised (subject, body and every recipient field); a new draft has none."""

    kind: str
    consents: Mapping[ConsentScope, ConsentStatus]
    protected_identity: bool
    names_person: bool = False
    claims_consent: bool = False
    reveals_protected_address: bool = False
    names_sending_municipality: bool = False


@dataclass(frozen=True)
class Disclosure:
    """What one letter may contain, given the consents and protection."""

    rule: DisclosureRule
    consent_given: bool
    may_name_person: bool
    may_claim_consent: bool
    may_contain_address: bool
    may_name_sending_municipality: bool


class DisclosureRefused(Conflict):
    """The letter would disclose what it may not; the message says what to do instead."""


def disclosure_for(
    kind: str, *, consents: Mapping[ConsentScope, ConsentStatus], protected_identity: bool
) -> Disclosure:
    """What a letter of ``kind`` may contain (never raises)."""
    rule = DISCLOSURE_RULES[kind]
    given = rule.consent is not None and consents.get(rule.consent) == ConsentStatus.GIVEN
    return Disclosure(
        rule=rule,
        consent_given=given,
        may_name_person=rule.names_person and (rule.consent is None or given),
        may_claim_consent=given,
        may_contain_address=rule.protected_address or not protected_identity,
        may_name_sending_municipality=rule.protected_sending_municipality or not protected_identity,
    )


def _lowercase_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _consent_refusal(
    kind: str, scope: ConsentScope, rule: DisclosureRule, status: ConsentStatus | None
) -> str:
    params = {
        "scope": _lowercase_first(str(ConsentScope(scope).label)),
        "kind": str(LetterKind(kind).label),
    }
    if status == ConsentStatus.WITHDRAWN:
        reason = _(
            "Den enskilde har återkallat sitt samtycke till %(scope)s, och återkallelsen gäller "
            "direkt."
        )
    elif status == ConsentStatus.REFUSED:
        reason = _("Den enskilde har nekat samtycke till %(scope)s.")
    else:
        reason = _("Samtycke till %(scope)s saknas.")
    rule_text = _(
        "Skrivelsen ”%(kind)s” namnger den enskilde och får bara skapas och slutföras när "
        "samtycket är lämnat."
    )
    return f"{reason % params} {rule_text % params} {rule.instead}"


def decide(facts: LetterFacts) -> Disclosure:
    """Apply the table to one letter: what it may contain, or the first reason it may not go.

    The checks run in order: the consent the kind needs (latest answer), the person named in a
    letter that may not name them, a consent claimed without a given consent, a protected
    person's address, a protected person's sending municipality.
    """
    disclosure = disclosure_for(
        facts.kind, consents=facts.consents, protected_identity=facts.protected_identity
    )
    rule = disclosure.rule
    kind_label = str(LetterKind(facts.kind).label)
    if rule.consent is not None and not disclosure.consent_given:
        raise DisclosureRefused(
            _consent_refusal(facts.kind, rule.consent, rule, facts.consents.get(rule.consent)),
            "consent_missing",
        )
    if facts.names_person and not disclosure.may_name_person:
        raise DisclosureRefused(
            _(
                "Skrivelsen ”%(kind)s” får inte namnge eller identifiera den enskilde, men "
                "texten eller mottagaruppgifterna innehåller den enskildes namn eller "
                "personnummer. %(instead)s"
            )
            % {"kind": kind_label, "instead": rule.instead},
            "letter_identifies_person",
        )
    if facts.claims_consent and not disclosure.may_claim_consent:
        message = (
            _(
                "Texten säger att den enskilde har samtyckt, men skrivelsen ”%(kind)s” bygger "
                "inte på något samtycke. Ta bort meningen."
            )
            if rule.consent is None
            else _(
                "Texten säger att den enskilde har samtyckt, men inget lämnat samtycke är "
                "registrerat. Ta bort meningen eller registrera samtycket först."
            )
        )
        raise DisclosureRefused(message % {"kind": kind_label}, "consent_not_recorded")
    if facts.reveals_protected_address and not disclosure.may_contain_address:
        raise DisclosureRefused(
            _(
                "Skrivelsen innehåller en adress till en person med skyddade personuppgifter. "
                "Ta bort adressen ur texten och mottagaruppgifterna; skrivelsen kan inte "
                "slutföras med den."
            ),
            "protected_address",
        )
    if facts.names_sending_municipality and not disclosure.may_name_sending_municipality:
        raise DisclosureRefused(
            _(
                "Den enskilde har skyddade personuppgifter, och avsändande kommun får inte stå i "
                "skrivelsen ”%(kind)s”. Ta bort kommunens namn ur texten och "
                "mottagaruppgifterna; den får bara stå i skrivelser till kommunen själv och i "
                "ansökan till IVO."
            )
            % {"kind": kind_label},
            "protected_sending_municipality",
        )
    return disclosure
