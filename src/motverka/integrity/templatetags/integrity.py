"""``{% submission_token %}``: the hidden one-time token a creating form carries."""

from __future__ import annotations

import re
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


def _submitted_version(context: template.Context, name: str) -> int | None:
    """The version a re-rendered form was submitted with (``None``: not this form's POST).

    A form shown again after a validation error must keep the version the user started
    from, so a save by someone else in between is still found when it is sent again."""
    request = context.get("request")
    if request is None or request.method != "POST":
        return None
    submitted = request.POST.get(name, "")
    return int(submitted) if re.fullmatch(r"[0-9]{1,18}", submitted) else None


@register.simple_tag(takes_context=True)
def record_version(context: template.Context, record: object = None) -> str:
    """The hidden ``version`` of the record an edit form was filled in from (0: none yet),
    with ``version_of`` naming the record, so that only its own form's POST is echoed."""
    version = getattr(record, "version", 0) if record is not None else 0
    pk = getattr(record, "pk", None)
    key = f"{record._meta.label_lower}-{pk}" if record is not None and pk else ""  # type: ignore[attr-defined]
    request = context.get("request")
    if request is not None and request.method == "POST" and request.POST.get("version_of") == key:
        submitted = _submitted_version(context, "version")
        if submitted is not None:
            version = submitted
    return format_html(
        '<input type="hidden" name="version" value="{}">'
        '<input type="hidden" name="version_of" value="{}">',
        version,
        key,
    )


@register.simple_tag(takes_context=True)
def consent_versions(context: template.Context, case: Any) -> str:
    """One hidden ``version_<scope>`` per consent scope: the latest answer's version (0:
    none), so a new answer names the one it replaces; after a refused POST, the versions
    it was sent with."""
    from motverka.workflow.policy import ConsentScope
    from motverka.workflow.selectors import current_consents

    # The newest answer per scope has the highest version (answers are numbered as they
    # are added); read through the case page's once-per-request cache.
    stored = {str(scope): consent.version for scope, consent in current_consents(case=case).items()}

    def version(scope: str) -> int:
        submitted = _submitted_version(context, f"version_{scope}")
        return submitted if submitted is not None else stored.get(scope, 0)

    return format_html_join(
        "",
        '<input type="hidden" name="version_{}" value="{}">',
        ((scope, version(scope)) for scope in ConsentScope.values),
    )
