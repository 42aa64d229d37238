from django import template

from motverka.audit import labels

register = template.Library()


@register.filter
def object_label(value: str) -> str:
    return labels.object_label(value or "")


@register.filter
def channel_label(value: str) -> str:
    return labels.channel_label(value or "")


@register.filter
def detail_label(value: str) -> str:
    return labels.detail_label(value or "")
