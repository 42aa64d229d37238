"""The case page: a header and sections, each with its own URL (decision 0019).

The header (status, next step, nearest deadline, consent state) and the sections other
apps own are rendered by providers named in settings, so this app does not depend on
them: ``MOTVERKA_CASE_HEADER_PANELS`` for the header and ``MOTVERKA_CASE_SECTIONS``
(section key → providers) for the sections. A provider is called as
``provider(request, case)`` with a case already fetched through the access layer, and
returns rendered HTML fragments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _l

from motverka.cases.selectors import enable_page_reads
from motverka.workflow.policy import CaseStatus


@dataclass(frozen=True)
class Section:
    key: str
    url_name: str
    label: str | Promise


OVERVIEW = "oversikt"
MEASURES = "atgarder"
LETTERS = "skrivelser"
HOUSING = "boende"
ACCOUNT = "berattelse"
JOURNAL = "journal"
HISTORY = "historik"

SECTIONS = (
    Section(OVERVIEW, "case_detail", _l("Översikt")),
    Section(MEASURES, "case_measures", _l("Åtgärder")),
    Section(LETTERS, "case_letters", _l("Skrivelser")),
    Section(HOUSING, "case_housing", _l("Boende och hembesök")),
    Section(ACCOUNT, "case_account", _l("Berättelse")),
    Section(JOURNAL, "case_journal", _l("Journal")),
    Section(HISTORY, "case_history", _l("Historik")),
)
_BY_KEY = {section.key: section for section in SECTIONS}


def section_url(case_id: int, key: str) -> str:
    """The URL of a section of the case page (``OVERVIEW``, ``MEASURES``, …)."""
    return reverse(_BY_KEY[key].url_name, kwargs={"case_id": case_id})


def _providers(paths: list[str]) -> list[Any]:
    return [import_string(path) for path in paths]


def _rendered(providers: list[str], request: HttpRequest, case: Any) -> list[str]:
    return [html for provider in _providers(providers) for html in provider(request, case)]


def page_context(request: HttpRequest, case: Any, current: str, **extra: Any) -> dict[str, Any]:
    """What every section page shows: the case, its header and the section navigation."""
    enable_page_reads(case)
    context: dict[str, Any] = {
        "case": case,
        "person": case.person,
        "is_closed": case.status == CaseStatus.CLOSED,
        "current_section": current,
        "sections": [
            {
                "key": section.key,
                "label": section.label,
                "url": reverse(section.url_name, kwargs={"case_id": case.pk}),
                "current": section.key == current,
            }
            for section in SECTIONS
        ],
        "header_panels": _rendered(settings.MOTVERKA_CASE_HEADER_PANELS, request, case),
    }
    context.update(extra)
    return context


def render_section(
    request: HttpRequest, case: Any, key: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """A section rendered by the providers of other apps (``MOTVERKA_CASE_SECTIONS``)."""
    context = page_context(request, case, key, **extra)
    context["panels"] = _rendered(settings.MOTVERKA_CASE_SECTIONS[key], request, case)
    context["section_label"] = _BY_KEY[key].label
    return render(request, "cases/case_section.html", context, status=status)
