"""The words of intake: target groups, indicators and kinds of intervention (domain.md §3–4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    NEWLY_ARRIVED = "newly_arrived", _("Nyanlända")
    SUBSTANCE_ABUSE_OR_SOCIAL_PROBLEMS = (
        "substance_abuse_or_social_problems",
        _("Missbruk eller andra sociala problem"),
    )
    PROTECTED_HOUSING_NEED = "protected_housing_need", _("Behov av skyddat boende")
    STRUCTURALLY_HOMELESS = "structurally_homeless", _("Strukturellt hemlösa")
    OTHER = "other", _("Annan")


class Indicator(models.TextChoices):
    HOUSING_ARRANGED = "housing_arranged", _("Bostaden ordnad av tidigare kommun")
    RENT_PAID = "rent_paid", _("Hyran för de första månaderna betald av tidigare kommun")
    FIRST_HAND_LEASE = "first_hand_lease", _("Förstahandskontrakt ordnat")
    DEPOSIT_OR_MOVING_COSTS = (
        "deposit_or_moving_costs",
        _("Deposition eller flyttkostnader betalda"),
    )
    REQUIRED_TO_SEEK_ELSEWHERE = (
        "required_to_seek_elsewhere",
        _("Krav på att söka bostad i annan kommun"),
    )
    ESTABLISHMENT_ENDED = "establishment_ended", _("Etableringsperioden har upphört")
    NO_WISH_TO_MOVE = "no_wish_to_move", _("Ingen tydlig vilja att flytta")
    DISORIENTED = "disoriented", _("Liten eller ingen uppfattning om var eller varför")
    PAPERS_FROM_PREVIOUS = (
        "papers_from_previous",
        _("Kom med handlingar från tidigare socialtjänst"),
    )
    ONGOING_INTERVENTION = "ongoing_intervention", _("Pågående insats i tidigare kommun")
    NO_COLLABORATION = "no_collaboration", _("Ingen samverkan mellan socialtjänsterna före flytten")


class InterventionKind(models.TextChoices):
    FINANCIAL_ASSISTANCE = "financial_assistance", _("Ekonomiskt bistånd")
    CARE = "care", _("Vårdinsats eller annan insats")
