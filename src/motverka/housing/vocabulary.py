"""The words of the housing part of the process (domain.md §2 points 4, 7, 8), as choices.

Pure: no database access, so :mod:`motverka.housing.rules` and forms can share them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    """A yes/no question the person may not be able to answer clearly."""

    YES = "yes", _("Ja")
    NO = "no", _("Nej")
    UNCLEAR = "unclear", _("Oklart")


class LeaseType(models.TextChoices):
    FIRST_HAND = "first_hand", _("Förstahandskontrakt")
    SECOND_HAND = "second_hand", _("Andrahandskontrakt")
    SHORT_TERM = "short_term", _("Korttidskontrakt")
    OTHER = "other", _("Annat")


class ArrangedBy(models.TextChoices):
    """Who found or arranged the housing."""

    SENDING_MUNICIPALITY = "sending_municipality", _("Avsändande kommun")
    PERSON = "person", _("Den enskilde själv")
    NETWORK = "network", _("Anhöriga eller nätverk")
    LANDLORD = "landlord", _("Hyresvärden eller förmedlare")
    OTHER = "other", _("Annan")
    UNKNOWN = "unknown", _("Okänt")


class LandlordKind(models.TextChoices):
    ORGANISATION = "organisation", _("Företag eller organisation")
    PRIVATE_PERSON = "private_person", _("Privatperson")


class HomeVisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    PERFORMED = "performed", _("Genomfört")
    CANCELLED = "cancelled", _("Inställt")


class HousingAssessment(models.TextChoices):
    """The housing assessment after a home visit (bostadsbedömning)."""

    SUITABLE = "suitable", _("Lämplig")
    UNSUITABLE = "unsuitable", _("Olämplig")
    HARMFUL = "harmful", _("Skadlig")


class ChildHeardBy(models.TextChoices):
    """How the child's view was obtained."""

    CHILD = "child", _("Samtal med barnet")
    CUSTODIAN = "custodian", _("Genom vårdnadshavare")
    OTHER = "other", _("På annat sätt")
