"""Users, their role and the units whose cases they work with."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Handläggare")
    UNIT_MANAGER = "unit_manager", _("Enhetschef")
    ANALYST = "analyst", _("Analytiker")
    ADMINISTRATOR = "administrator", _("Systemförvaltare")
    #: Reviews disposal lists and delivers to the e-archive; sees no case contents.
    ARCHIVIST = "archivist", _("Arkivansvarig")


#: Roles that work with individual cases and may see personal data of their units.
CASE_ROLES = frozenset({Role.CASE_WORKER, Role.UNIT_MANAGER})


class Unit(models.Model):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    email = models.EmailField(_("funktionsbrevlåda"), blank=True)
    postal_address = models.TextField(_("postadress"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AccountManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """``createsuperuser`` makes an administrator through the audited service: the way
        to create the first one (nobody may later change their own role)."""
        from motverka.accounts.services import user_create

        return user_create(
            acting_user=None,
            username=username,
            password=password,
            role=Role.ADMINISTRATOR,
            email=email or "",
            first_name=extra.get("first_name", ""),
            last_name=extra.get("last_name", ""),
        )


class User(AbstractUser):
    role = models.CharField(
        _("roll"), max_length=20, choices=Role.choices, default=Role.CASE_WORKER
    )
    title = models.CharField(_("titel"), max_length=100, blank=True)
    units = models.ManyToManyField(
        Unit, verbose_name=_("enheter"), blank=True, related_name="members"
    )
    # What an identity provider asserts about this person (e.g. the HSA-id) when single
    # sign-on matches on it; see motverka.sso. Empty: the user cannot log in that way.
    sso_subject = models.CharField(
        _("SSO-identitet"),
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text=_("T.ex. HSA-id. Används för inloggning via identitetsleverantör."),
    )

    objects: ClassVar[AccountManager] = AccountManager()  # type: ignore[assignment]
    must_change_password = models.BooleanField(
        _("måste byta lösenord"),
        default=False,
        help_text=_(
            "Sätts när en administratör anger lösenordet; användaren byter vid inloggning."
        ),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    @property
    def works_with_cases(self) -> bool:
        return self.is_active and self.role in CASE_ROLES

    @property
    def is_manager(self) -> bool:
        return self.is_active and self.role == Role.UNIT_MANAGER

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.role == Role.ADMINISTRATOR

    @property
    def is_archivist(self) -> bool:
        return self.is_active and self.role == Role.ARCHIVIST

    @property
    def is_analyst(self) -> bool:
        return self.is_active and self.role == Role.ANALYST

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class MembershipPeriod(models.Model):
    """When a user belonged to a unit. Kept after the user leaves, so that the unit's
    managers still see what was done to an account while it could open their cases."""

    user = models.ForeignKey(
        User,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="membership_periods",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="membership_periods"
    )
    joined_at = models.DateTimeField(_("från"), auto_now_add=True)
    left_at = models.DateTimeField(_("till"), null=True, blank=True)

    class Meta:
        verbose_name = _("period av enhetstillhörighet")
        verbose_name_plural = _("perioder av enhetstillhörighet")
        ordering = ["joined_at", "id"]
        indexes = [models.Index(fields=["unit", "user"])]


class SessionEndReason(models.TextChoices):
    LOGOUT = "logout", _("utloggning")
    USER_ENDED = "user_ended", _("avslutad av användaren")
    IDLE = "idle", _("inaktivitet")
    LIFETIME = "lifetime", _("högsta livslängd nådd")
    PASSWORD_CHANGE = "password_change", _("lösenordet byttes")
    ROLE_CHANGE = "role_change", _("rollen ändrades")
    ADMINISTRATOR = "administrator", _("avslutad av administratör")


class UserSession(models.Model):
    """What a user may see about each of their signed-in sessions.

    The session itself (its data) stays in django.contrib.sessions' table; this row says
    from where and with what it was started and when it was last seen, and outlives the
    session as a record of how it ended.
    """

    user = models.ForeignKey(
        User, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="sessions"
    )
    session_key = models.CharField(_("sessionsnyckel"), max_length=40, unique=True)
    user_agent = models.CharField(_("webbläsare"), max_length=255, blank=True)
    address = models.CharField(_("adress"), max_length=64, blank=True)
    role = models.CharField(_("roll vid inloggning"), max_length=20)
    started_at = models.DateTimeField(_("startad"))
    last_seen_at = models.DateTimeField(_("senast aktiv"))
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    end_reason = models.CharField(
        _("orsak"), max_length=20, choices=SessionEndReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessioner")
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
