"""Who may log in through single sign-on, and when the provider's login counts as strong.

Plain Python, no database: the callers pass what they know about the matched user."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Method(StrEnum):
    SAML = "saml"
    OIDC = "oidc"


class Refusal(StrEnum):
    """Why an identity the provider vouched for still may not log in."""

    UNKNOWN = "unknown"  # no user carries the identity
    AMBIGUOUS = "ambiguous"  # several users carry it (e.g. a shared e-mail address)
    INACTIVE = "inactive"
    NO_ROLE = "no_role"  # no role Motverka knows, or a case role without a unit
    NO_IDENTITY = "no_identity"  # the provider's answer lacked the configured attribute
    INVALID_RESPONSE = "invalid_response"  # signature, audience, lifetime, state …


#: Audit wording per refusal (Swedish, like every audit detail).
REFUSAL_DETAIL: dict[Refusal, str] = {
    Refusal.UNKNOWN: "okänd identitet",
    Refusal.AMBIGUOUS: "identiteten matchar flera användare",
    Refusal.INACTIVE: "kontot är inaktiverat",
    Refusal.NO_ROLE: "användaren saknar roll eller enhet",
    Refusal.NO_IDENTITY: "svaret saknar det konfigurerade attributet",
    Refusal.INVALID_RESPONSE: "ogiltigt svar från identitetsleverantören",
}

METHOD_NAME: dict[Method, str] = {Method.SAML: "SAML", Method.OIDC: "OIDC"}


@dataclass(frozen=True)
class UserStanding:
    is_active: bool
    role: str
    unit_count: int


def refusal_for(
    standing: UserStanding, *, known_roles: Iterable[str], case_roles: Iterable[str]
) -> Refusal | None:
    """None when the matched user may log in, otherwise why not.

    A user who works with cases but belongs to no unit has no rights yet: single sign-on
    must not become a way in for an account that an administrator has only half set up."""
    if not standing.is_active:
        return Refusal.INACTIVE
    if standing.role not in set(known_roles):
        return Refusal.NO_ROLE
    if standing.role in set(case_roles) and standing.unit_count == 0:
        return Refusal.NO_ROLE
    return None


def clean_subject(value: object) -> str | None:
    """The identity value as text, or None when it is missing or blank."""
    if isinstance(value, list | tuple):
        value = value[0] if len(value) == 1 else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def saml_is_strong(asserted_class_refs: Iterable[str], accepted: Iterable[str]) -> bool:
    """True when the provider asserted one of the accepted AuthnContextClassRefs."""
    accepted_set = {item.strip() for item in accepted if item.strip()}
    return any(ref.strip() in accepted_set for ref in asserted_class_refs if ref)


def oidc_is_strong(
    claims: dict[str, object], *, accepted_acr: Iterable[str], accepted_amr: Iterable[str]
) -> bool:
    """True when the ID token's ``acr`` is accepted, or one of its ``amr`` values is."""
    acr_set = {item.strip() for item in accepted_acr if item.strip()}
    amr_set = {item.strip() for item in accepted_amr if item.strip()}
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in acr_set:
        return True
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(amr, list):
        return any(isinstance(item, str) and item in amr_set for item in amr)
    return False
