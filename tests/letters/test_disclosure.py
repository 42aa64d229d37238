"""The disclosure table of letters, every kind × every consent answer × protection × content.
Pure: no database."""

import itertools

import pytest

from motverka.letters.disclosure import (
    DISCLOSURE_RULES,
    DisclosureRefused,
    LetterFacts,
    claims_consent,
    decide,
)
from motverka.letters.models import LetterKind
from motverka.letters.textmatch import canonical
from motverka.workflow.policy import ConsentScope, ConsentStatus

CONTACT = ConsentScope.CONTACT_SENDING_MUNICIPALITY
RETURN = ConsentScope.RETURN_PROCESS
ANSWERS = (None, ConsentStatus.GIVEN, ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN)

#: The rule as the issue states it, written independently of the module:
#: kind → (consent scope, may name the person, protected address, protected sending municipality)
EXPECTED = {
    "objection_letter": (None, False, False, True),
    "justification_request": (CONTACT, True, False, True),
    "transfer_request": (RETURN, True, False, True),
    "ivo_application": (RETURN, True, False, True),
    "person_information": (None, True, True, False),
    "landlord_letter": (None, False, False, False),
}

CONTENT_FLAGS = (
    "names_person",
    "claims_consent",
    "reveals_protected_address",
    "names_sending_municipality",
)


def expected_refusal(kind, consents, protected, content):
    scope, may_name, address_ok, sending_ok = EXPECTED[kind]
    given = scope is not None and consents.get(scope) == ConsentStatus.GIVEN
    if scope is not None and not given:
        return "consent_missing"
    if content["names_person"] and not may_name:
        return "letter_identifies_person"
    if content["claims_consent"] and not given:
        return "consent_not_recorded"
    if content["reveals_protected_address"] and protected and not address_ok:
        return "protected_address"
    if content["names_sending_municipality"] and protected and not sending_ok:
        return "protected_sending_municipality"
    return None


def test_the_table_covers_every_kind():
    assert set(DISCLOSURE_RULES) == set(LetterKind.values) == set(EXPECTED)


CASES = list(
    itertools.product(
        LetterKind.values,
        ANSWERS,
        ANSWERS,
        (False, True),
        itertools.product((False, True), repeat=len(CONTENT_FLAGS)),
    )
)


def test_every_kind_consent_protection_and_content_is_decided_as_the_rule_says():
    checked = 0
    for kind, contact, return_process, protected, flags in CASES:
        consents = {
            scope: answer
            for scope, answer in ((CONTACT, contact), (RETURN, return_process))
            if answer is not None
        }
        content = dict(zip(CONTENT_FLAGS, flags, strict=True))
        facts = LetterFacts(kind=kind, consents=consents, protected_identity=protected, **content)
        expected = expected_refusal(kind, consents, protected, content)
        if expected is None:
            disclosure = decide(facts)
            assert disclosure.rule is DISCLOSURE_RULES[kind]
        else:
            with pytest.raises(DisclosureRefused) as refusal:
                decide(facts)
            assert refusal.value.code == expected, (kind, consents, protected, content)
            assert refusal.value.message
        checked += 1
    assert checked == 6 * 4 * 4 * 2 * 16


@pytest.mark.parametrize("kind", ["justification_request", "transfer_request", "ivo_application"])
@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (None, "saknas"),
        (ConsentStatus.REFUSED, "nekat"),
        (ConsentStatus.WITHDRAWN, "återkallat"),
    ],
)
def test_a_refusal_says_why_and_what_to_do_instead(kind, answer, words):
    scope = EXPECTED[kind][0]
    consents = {scope: answer} if answer else {}
    with pytest.raises(DisclosureRefused) as refusal:
        decide(LetterFacts(kind=kind, consents=consents, protected_identity=False))
    message = refusal.value.message
    assert words in message
    assert "i stället" in message or "Markera återföringen som ej aktuell" in message
    if kind != "ivo_application":
        assert "officiell skrivelse (markering) utan uppgifter som identifierar" in message


def test_the_other_consent_does_not_count():
    # Consent to contact does not open the return process, nor the other way round.
    with pytest.raises(DisclosureRefused):
        decide(
            LetterFacts(
                kind="transfer_request",
                consents={CONTACT: ConsentStatus.GIVEN},
                protected_identity=False,
            )
        )
    with pytest.raises(DisclosureRefused):
        decide(
            LetterFacts(
                kind="justification_request",
                consents={RETURN: ConsentStatus.GIVEN},
                protected_identity=False,
            )
        )


@pytest.mark.parametrize(
    "text",
    [
        "Den enskilde har samtyckt till att vi kontaktar er om detta.",
        "DEN ENSKILDE HAR SAM\u00adTYCKT.",
        "Hon har lämnat sitt skriftliga samtycke.",
        "Samtycke har lämnats den 1 mars.",
        "Samtycke finns.",
        "Den enskilde samtycker till överflyttningen.",
        "The person has consented.",
        "She has given her consent.",
    ],
)
def test_consent_claims_are_recognised_however_written(text):
    assert claims_consent(canonical(text))


@pytest.mark.parametrize(
    "text",
    [
        "Uppgifter om den enskilde lämnas ut endast med den enskildes samtycke.",
        "Det kallas samtycke. Det är frivilligt att säga ja.",
        "You can change your mind at any time and withdraw your consent.",
        "Consent is voluntary.",
    ],
)
def test_the_principle_of_consent_is_not_a_claim(text):
    assert not claims_consent(canonical(text))


def test_only_the_kinds_that_need_a_consent_have_a_consent_statement():
    for kind, rule in DISCLOSURE_RULES.items():
        assert (rule.consent_statement is None) == (rule.consent is None), kind
        if rule.consent_statement is not None:
            assert claims_consent(canonical(str(rule.consent_statement)))
