"""``{% submission_token %}``: the hidden one-time token a creating form carries."""

from __future__ import annotations

import secrets

from django import template
from django.utils.html import format_html

from motverka.integrity.submission import SUBMISSION_FIELD

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, secrets.token_urlsafe(24)
    )
