"""The placeholder language of letter templates: ``{{ case.reference }}`` and nothing more.

Administrators edit templates without code, so templates are *not* Django templates: a
placeholder is a dotted name from a fixed whitelist, replaced in one pass by plain text. There
are no tags, filters, attribute lookups or loops, so a template can neither run code nor reach
data outside the whitelist, and a value that itself looks like a placeholder is never expanded.
Anything that is not a known placeholder is reported as an error before it is saved or used.

Pure module: no database, no settings, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motverka.letters.disclosure import DISCLOSURE_RULES

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_NAME = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)*")
_TEMPLATE_CODE = re.compile(r"\{%|%\}|\{#|#\}")

#: What a withheld placeholder turns into (protected identity, see letter_context).
WITHHELD = "[uppgift lämnas inte ut]"

#: Placeholders every kind of letter may use, with the description shown to administrators.
COMMON_PLACEHOLDERS: Mapping[str, object] = {
    "case.reference": gettext_lazy("Ärendets diarienummer"),
    "case.received_on": gettext_lazy("Datum då ärendet kom in"),
    "case.moved_on": gettext_lazy("Flyttdatum"),
    "sending_municipality.name": gettext_lazy("Avsändande (tidigare) kommun"),
    "sending_municipality.social_services": gettext_lazy(
        "Socialtjänsten i avsändande kommun (namn ur kommunregistret)"
    ),
    "sending_municipality.address": gettext_lazy(
        "Socialtjänstens postadress i avsändande kommun (kommunregistret)"
    ),
    "sending_municipality.email": gettext_lazy(
        "Registratorns e-post i avsändande kommun (kommunregistret)"
    ),
    "letter.date": gettext_lazy("Skrivelsens datum"),
    "recipient.name": gettext_lazy("Mottagarens namn"),
    "sender.municipality": gettext_lazy("Vår kommun (brevhuvudet)"),
    "sender.department": gettext_lazy("Förvaltning eller avdelning (brevhuvudet)"),
    "sender.unit": gettext_lazy("Enhet som handlägger ärendet"),
    "sender.address": gettext_lazy("Vår postadress (brevhuvudet)"),
    "sender.phone": gettext_lazy("Vårt telefonnummer"),
    "sender.email": gettext_lazy("Vår e-postadress"),
    "signer.name": gettext_lazy("Undertecknarens namn"),
    "signer.title": gettext_lazy("Undertecknarens titel"),
    "case_worker.name": gettext_lazy("Handläggarens namn"),
    "legal_reference": gettext_lazy("Lagrummet för denna typ av skrivelse, på skrivelsens datum"),
    "legal_reference.transfer_request": gettext_lazy(
        "Lagrummet om begäran om överflyttning, på skrivelsens datum"
    ),
    "legal_reference.ivo_application": gettext_lazy(
        "Lagrummet om ansökan hos IVO, på skrivelsens datum"
    ),
    "transfer_request.sent_on": gettext_lazy("Datum då begäran om överflyttning skickades"),
    "transfer_request.answered_on": gettext_lazy(
        "Datum då avsändande kommuns svar (eller uteblivna svar) registrerades"
    ),
    "transfer_request.answer": gettext_lazy(
        "Avsändande kommuns svar på begäran om överflyttning, som en mening"
    ),
}

#: Placeholders that identify the person; not available in letters that must not name them.
PERSONAL_PLACEHOLDERS: Mapping[str, object] = {
    "person.name": gettext_lazy("Den enskildes namn"),
    "person.identity_number": gettext_lazy("Personnummer eller reservidentitet"),
    "person.birth_date": gettext_lazy("Födelsedatum"),
    "person.address": gettext_lazy("Den enskildes adress (utelämnas vid skyddade personuppgifter)"),
    "person.municipality": gettext_lazy(
        "Kommunen där den enskilde bor nu (utelämnas vid skyddade personuppgifter)"
    ),
    "household.members": gettext_lazy("Hushållets medlemmar, en per rad"),
    "household.children": gettext_lazy("Barn i hushållet med ålder, en per rad"),
    "interventions": gettext_lazy("Insatser i avsändande kommun, en per rad"),
    "interventions.ongoing": gettext_lazy("Pågående insatser i avsändande kommun, en per rad"),
    "interventions.ongoing.decisions": gettext_lazy(
        "Pågående insatser med beslutsdatum och lagstöd, en per rad (tomt så länge någon av "
        "dem saknar beslutsdatum eller lagstöd)"
    ),
    "interventions.ongoing.duration": gettext_lazy(
        "Hur länge behovet av varje pågående insats beräknas bestå, en per rad"
    ),
    "person.wishes": gettext_lazy(
        "Den enskildes vilja och önskemål (senaste versionen av berättelsen)"
    ),
    "children.views": gettext_lazy("Varje barns senast registrerade synpunkter, en per rad"),
}

#: Placeholders that reveal where a protected person lives; letter_context leaves them out.
LOCATION_PLACEHOLDERS = frozenset({"person.address", "person.municipality"})

#: In the kinds that need a consent: the kind's sentence that the person consented, or
#: nothing when that consent is not recorded as given (letters.disclosure).
CONSENT_PLACEHOLDERS: Mapping[str, object] = {
    "consent.statement": gettext_lazy(
        "Att den enskilde har samtyckt (tomt om samtycket inte är registrerat som lämnat)"
    ),
}


def placeholders_for(kind: str) -> dict[str, object]:
    """The whitelist of placeholders (name → description) for one kind of letter.

    Letters that may not name the person (letters.disclosure: the official letter, whose
    contact needs no consent and so must not say who; the letter to a landlord, who has no
    part in the case) get no personal placeholders.
    """
    names = dict(COMMON_PLACEHOLDERS)
    rule = DISCLOSURE_RULES.get(kind)
    if rule is None or rule.names_person:
        names.update(PERSONAL_PLACEHOLDERS)
    if rule is not None and rule.consent is not None:
        names.update(CONSENT_PLACEHOLDERS)
    return names


def placeholder_problems(text: str, allowed: Iterable[str]) -> list[str]:
    """Swedish descriptions of everything in ``text`` that is not a valid placeholder."""
    allowed = set(allowed)
    problems: list[str] = []
    if _TEMPLATE_CODE.search(text):
        problems.append(
            _(
                "Mallkod med {% … %} eller {# … #} stöds inte. Använd bara platshållare som "
                "{{ case.reference }}."
            )
        )
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if not _NAME.fullmatch(name):
            problems.append(
                _("Ogiltig platshållare %(placeholder)s: bara namn som {{ case.reference }}.")
                % {"placeholder": match.group(0)}
            )
        elif name not in allowed:
            problems.append(
                _("Okänd platshållare %(placeholder)s för den här typen av skrivelse.")
                % {"placeholder": match.group(0)}
            )
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append(_("Ofullständig platshållare: varje {{ måste avslutas med }}."))
    return list(dict.fromkeys(problems))


def placeholder_names(text: str) -> list[str]:
    """The names of the placeholders in ``text``, in order of appearance."""
    return [match.group(1).strip() for match in _PLACEHOLDER.finditer(text)]


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """Replace each ``{{ name }}`` by its value, in one pass.

    Call :func:`placeholder_problems` first; a name missing from ``values`` (a withheld or
    unknown one) becomes :data:`WITHHELD`, never the placeholder itself.
    """

    def replace(match: re.Match[str]) -> str:
        return values.get(match.group(1).strip(), WITHHELD)

    return _PLACEHOLDER.sub(replace, text)


# --- Labelled fields: how placeholders look in the editor ---------------------------------------

#: The short Swedish label each placeholder has in the editable text, written «Label». Each
#: label is unique, so the editor's text converts back to placeholders without guessing.
FIELD_LABELS: Mapping[str, str] = {
    "case.reference": "Diarienummer",
    "case.received_on": "Ärendet kom in",
    "case.moved_on": "Flyttdatum",
    "sending_municipality.name": "Avsändande kommun",
    "sending_municipality.social_services": "Socialtjänsten i avsändande kommun",
    "sending_municipality.address": "Socialtjänstens adress i avsändande kommun",
    "sending_municipality.email": "Registratorns e-post i avsändande kommun",
    "letter.date": "Skrivelsens datum",
    "recipient.name": "Mottagare",
    "sender.municipality": "Vår kommun",
    "sender.department": "Vår förvaltning",
    "sender.unit": "Vår enhet",
    "sender.address": "Vår postadress",
    "sender.phone": "Vårt telefonnummer",
    "sender.email": "Vår e-post",
    "signer.name": "Undertecknare",
    "signer.title": "Undertecknarens titel",
    "case_worker.name": "Handläggare",
    "legal_reference": "Lagrum",
    "legal_reference.transfer_request": "Lagrum för begäran om överflyttning",
    "legal_reference.ivo_application": "Lagrum för ansökan hos IVO",
    "transfer_request.sent_on": "Begäran om överflyttning skickad",
    "transfer_request.answered_on": "Svar på begäran registrerat",
    "transfer_request.answer": "Avsändande kommuns svar",
    "consent.statement": "Samtycke",
    "person.name": "Den enskildes namn",
    "person.identity_number": "Personnummer",
    "person.birth_date": "Födelsedatum",
    "person.address": "Den enskildes adress",
    "person.municipality": "Den enskildes kommun",
    "household.members": "Hushållets medlemmar",
    "household.children": "Barn i hushållet",
    "interventions": "Insatser",
    "interventions.ongoing": "Pågående insatser",
    "interventions.ongoing.decisions": "Beslut och lagstöd för pågående insatser",
    "interventions.ongoing.duration": "Hur länge behovet består",
    "person.wishes": "Den enskildes önskemål",
    "children.views": "Barnens synpunkter",
}
_NAMES_BY_LABEL = {label.casefold(): name for name, label in FIELD_LABELS.items()}
_FIELD = re.compile(r"«([^«»\n]{1,80})»")


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def to_editable(text: str) -> str:
    """``{{ case.reference }}`` → ``«Diarienummer»``: what the editor shows."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return f"«{FIELD_LABELS[name]}»" if name in FIELD_LABELS else match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def from_editable(text: str, allowed: Iterable[str]) -> tuple[str, list[str]]:
    """``«Diarienummer»`` → ``{{ case.reference }}``, and what could not be converted.

    A label is matched without regard to case. An unknown label, or one this kind of letter
    may not use, is reported in Swedish and left as it was typed.
    """
    allowed = set(allowed)
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = _NAMES_BY_LABEL.get(match.group(1).strip().casefold())
        if name is None:
            problems.append(
                _("Okänt fält «%(label)s». Använd ett fält ur listan under texten.")
                % {"label": match.group(1)}
            )
            return match.group(0)
        if name not in allowed:
            problems.append(
                _("Fältet «%(label)s» kan inte användas i den här typen av skrivelse.")
                % {"label": match.group(1)}
            )
            return match.group(0)
        return "{{ " + name + " }}"

    return _FIELD.sub(replace, text), list(dict.fromkeys(problems))


# --- Empty values ------------------------------------------------------------------------------


def empty_placeholders(text: str, values: Mapping[str, str]) -> list[str]:
    """The placeholders in ``text`` whose value is empty, in order, each once."""
    return list(
        dict.fromkeys(
            name for name in placeholder_names(text) if name in values and not values[name].strip()
        )
    )


def drop_empty_lines(text: str, values: Mapping[str, str]) -> str:
    """Leave out each line whose placeholders are all empty ("E-post: {{ sender.email }}"
    without an e-mail address), so no "E-post: ." is left in the letter. Lines without
    placeholders, and lines with at least one value, stay as they are. A heading whose
    section held only such lines goes too."""
    chunks = []
    for chunk in text.split("\n\n"):
        kept, dropped = [], False
        for line in chunk.split("\n"):
            names = placeholder_names(line)
            if names and all(name in values and not values[name].strip() for name in names):
                dropped = True
                continue
            kept.append(line)
        if dropped and all(line.startswith("## ") or not line.strip() for line in kept):
            # A section ("## Hushållet") whose only content was empty goes as a whole.
            continue
        chunks.append("\n".join(kept))
    return "\n\n".join(chunks)
