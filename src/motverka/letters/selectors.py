"""Reads of letters. A letter is reached only through its case, so access (and the read log)
is decided by :func:`motverka.cases.access.case_get_for_user`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from motverka.cases.access import case_get_for_user, require_case_role
from motverka.cases.errors import NotFound
from motverka.letters.models import Letter, LetterTemplate


def letter_get_for_user(*, user: Any, letter_id: int | str, for_update: bool = False) -> Letter:
    """The letter if the user may see its case (the case read is logged); NotFound otherwise.

    Whether the letter exists at all is not revealed: an unknown id and another unit's letter
    both give NotFound.
    """
    require_case_role(user)
    try:
        pk = int(letter_id)
    except (TypeError, ValueError) as error:
        raise NotFound from error
    case_id = Letter.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound
    case = case_get_for_user(user=user, case_id=case_id, for_update=for_update)
    queryset = Letter.objects.filter(case=case).select_related("corrects", "legal_reference")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    letter = queryset.filter(pk=pk).first()
    if letter is None:
        raise NotFound
    letter.case = case
    return letter


def letters_of_case(case: Any) -> QuerySet[Letter]:
    """The case's letters for lists: without the PDF bytes."""
    return (
        Letter.objects.filter(case=case)
        .select_related("created_by", "finalised_by", "corrects")
        .order_by("-created_at", "-id")
    )


def active_templates(kind: str) -> list[LetterTemplate]:
    """The active templates of ``kind``, Swedish first."""
    templates = list(LetterTemplate.objects.filter(kind=kind, active=True))
    return sorted(templates, key=lambda template: (template.language != "sv", template.language))
