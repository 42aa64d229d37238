"""Administration of letter templates and letterheads (administrator role only).

Letters themselves are case data and are not in the admin: the admin site is for the
administrator, who never sees personal data.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motverka.audit.admin import AuditedModelAdmin
from motverka.letters.models import Letterhead, LetterKind, LetterTemplate
from motverka.letters.placeholders import (
    fill_placeholders,
    placeholder_problems,
    placeholders_for,
)
from motverka.letters.rendering import body_blocks

#: Fictitious values for the preview, so no real person is ever shown in the admin.
PREVIEW_VALUES = {
    "case.reference": "SN 2026/0001",
    "case.received_on": "2026-01-15",
    "case.moved_on": "2026-01-02",
    "sending_municipality.name": "Exempelstad",
    "sending_municipality.social_services": "Socialtjänsten i Exempelstad",
    "letter.date": "2026-01-20",
    "recipient.name": "Socialtjänsten i Exempelstad",
    "sender.municipality": "Munkedals kommun",
    "sender.department": "Socialförvaltningen",
    "sender.unit": "Enheten för ekonomiskt bistånd",
    "sender.address": "Box 1, 455 80 Munkedal",
    "sender.phone": "0524-180 00",
    "sender.email": "socialtjansten@example.se",
    "signer.name": "Handläggare Exempelsson",
    "signer.title": "Socialsekreterare",
    "case_worker.name": "Handläggare Exempelsson",
    "legal_reference": "2 a kap. 10 § socialtjänstlagen (2001:453)",
    "legal_reference.transfer_request": "2 a kap. 10 § socialtjänstlagen (2001:453)",
    "legal_reference.ivo_application": "2 a kap. 11 § socialtjänstlagen (2001:453)",
    "transfer_request.sent_on": "2026-01-20",
    "consent.statement": "Den enskilde har samtyckt (visas bara när samtycket är lämnat).",
    "person.name": "Alva Exempel",
    "person.identity_number": "19900101-XXXX",
    "person.birth_date": "1990-01-01",
    "person.address": "Exempelgatan 1, 455 00 Munkedal",
    "person.municipality": "Munkedal",
    "household.members": "Bror Exempel (barn)",
    "household.children": "Bror Exempel, född 2019-05-01 (6 år)",
    "interventions": "Vårdinsats eller annan insats: öppenvård (pågående)",
    "interventions.ongoing": "Vårdinsats eller annan insats: öppenvård (pågående)",
    "interventions.ongoing.decisions": "Vårdinsats eller annan insats: öppenvård, beslutad "
    "2026-01-05 med stöd av socialtjänstlagen (2025:400)",
    "interventions.ongoing.duration": "Vårdinsats eller annan insats: öppenvård, till och med "
    "2026-12-31",
    "sending_municipality.address": "Box 100\n100 00 Exempelstad",
    "sending_municipality.email": "registrator@exempelstad.example",
    "transfer_request.answered_on": "2026-02-23",
    "transfer_request.answer": "Exempelstad avböjde begäran 2026-02-23.",
    "person.wishes": "Uttryckte en vilja att flytta: nej (samtal 2026-01-16).\n"
    "Önskemål nu: Vill bo kvar nära sin familj.",
    "children.views": "Bror Exempel (6 år), samtal med barnet 2026-01-18: Vill gå kvar i skolan.",
}


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ("kind", "language", "subject", "body", "active")
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind:
            allowed = placeholders_for(kind)
            for name in ("subject", "body"):
                problems = placeholder_problems(cleaned.get(name) or "", allowed)
                if problems:
                    self.add_error(name, problems)
        if cleaned.get("active") and kind and cleaned.get("language"):
            others = LetterTemplate.objects.filter(
                kind=kind, language=cleaned["language"], active=True
            ).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "active",
                    _(
                        "Det finns redan en aktiv mall för denna typ och detta språk. "
                        "Inaktivera den först."
                    ),
                )
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedModelAdmin):
    form = LetterTemplateForm
    list_display = ("kind", "language", "subject", "active", "updated_at")
    list_filter = ("kind", "language", "active")
    readonly_fields = ("placeholder_help", "preview")
    fieldsets = (
        (None, {"fields": ("kind", "language", "active", "subject", "body")}),
        (_("Platshållare"), {"fields": ("placeholder_help",)}),
        (_("Förhandsgranskning med påhittade uppgifter"), {"fields": ("preview",)}),
    )

    @admin.display(description=_("Tillåtna platshållare"))
    def placeholder_help(self, obj: LetterTemplate | None) -> str:
        kinds = [obj.kind] if obj and obj.kind else list(LetterKind.values)
        rows = []
        for kind in kinds:
            rows.append(
                format_html(
                    "<p><strong>{}</strong></p><ul>{}</ul>",
                    LetterKind(kind).label,
                    format_html_join(
                        "",
                        "<li><code>{{{{ {} }}}}</code> – {}</li>",
                        (
                            (name, description)
                            for name, description in placeholders_for(kind).items()
                        ),
                    ),
                )
            )
        intro = format_html(
            "<p>{}</p>",
            _(
                "Skriv platshållare som {{ case.reference }}. Andra namn, filter och mallkod "
                "({% … %}) stöds inte. En rad som börjar med ## blir en rubrik; "
                "[FYLL I: …] markerar sådant handläggaren måste skriva."
            ),
        )
        return format_html("{}{}", intro, format_html_join("", "{}", ((row,) for row in rows)))

    @admin.display(description=_("Förhandsgranskning"))
    def preview(self, obj: LetterTemplate | None) -> str:
        if obj is None or not obj.pk:
            return str(_("Spara mallen för att se en förhandsgranskning."))
        allowed = placeholders_for(obj.kind)
        problems = placeholder_problems(obj.subject, allowed) + placeholder_problems(
            obj.body, allowed
        )
        values = {name: PREVIEW_VALUES.get(name, "") for name in allowed}
        blocks = body_blocks(fill_placeholders(obj.body, values))
        return format_html(
            "{}<div style='max-width:40rem;border:1px solid #888;padding:1rem;background:#fff'>"
            "<h2>{}</h2>{}</div>",
            format_html(
                "<ul class='errorlist'>{}</ul>",
                format_html_join("", "<li>{}</li>", ((problem,) for problem in problems)),
            )
            if problems
            else "",
            fill_placeholders(obj.subject, values),
            format_html_join(
                "",
                "{}",
                (
                    (
                        format_html("<h3>{}</h3>", block.text)
                        if block.heading
                        else format_html(
                            "<p>{}</p>",
                            format_html_join(
                                "", "{}<br>", ((line,) for line in block.text.split("\n"))
                            ),
                        ),
                    )
                    for block in blocks
                ),
            ),
        )


@admin.register(Letterhead)
class LetterheadAdmin(AuditedModelAdmin):
    list_display = ("municipality_name", "unit", "signer_name", "signer_title")
    fields = (
        "municipality_name",
        "unit",
        "department",
        "address",
        "phone",
        "email",
        "logo",
        "signer_name",
        "signer_title",
    )
