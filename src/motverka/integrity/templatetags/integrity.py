"""``{% submission_token %}``: the hidden one-time token a creating form carries."""

from __future__ import annotations

import secrets
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

from motverka.integrity.submission import SUBMISSION_FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, secrets.token_urlsafe(24)
    )


@register.simple_tag
def record_version(record: object = None) -> str:
    """The hidden ``version`` of the record an edit form was filled in from (0: none yet)."""
    version = getattr(record, "version", 0) if record is not None else 0
    return format_html('<input type="hidden" name="version" value="{}">', version)


@register.simple_tag
def consent_versions(case: Any) -> str:
    """One hidden ``version_<scope>`` per consent scope: the latest answer's version (0:
    none), so a new answer names the one it replaces."""
    from django.db.models import Max

    from motverka.workflow.models import Consent
    from motverka.workflow.policy import ConsentScope

    stored = dict(
        Consent.objects.filter(case=case)
        .values("scope")
        .annotate(latest=Max("version"))
        .values_list("scope", "latest")
    )
    return format_html_join(
        "",
        '<input type="hidden" name="version_{}" value="{}">',
        ((scope, stored.get(scope, 0)) for scope in ConsentScope.values),
    )
