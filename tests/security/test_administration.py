"""Administrators leave traces and cannot grant themselves access.

Each kind of change to an account writes exactly one audit row naming who did what to whom,
without secrets; an administrator's own role, superuser flag and unit membership are out
of their reach — through the services and through the administration's HTTP forms.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from motverka.accounts import services
from motverka.accounts.models import MembershipPeriod, Role, User
from motverka.api.models import ApiToken
from motverka.api.services import api_token_create, api_token_revoke
from motverka.audit.models import AuditEvent
from motverka.cases.errors import AccessDenied
from tests.factories import make_user

NEW_PASSWORD = "Ett-nytt-lösenord-2026"


def only_event(**filters):
    events = list(AuditEvent.objects.filter(**filters))
    assert len(events) == 1, events
    return events[0]


def new_events(before_id: int):
    return list(AuditEvent.objects.filter(id__gt=before_id).order_by("id"))


def last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


# --- the services ------------------------------------------------------------------------


def test_creating_a_user_names_the_administrator_the_role_and_the_units(world):
    start = last_id()
    user = services.user_create(
        acting_user=world.admin,
        username="ny",
        password=NEW_PASSWORD,
        role=Role.CASE_WORKER,
        units=[world.unit_a],
    )
    [event] = new_events(start)
    assert event.action == "user_create" and event.actor == world.admin
    assert (event.object_type, event.object_id) == ("user", str(user.pk))
    assert event.detail == "roll: handläggare; enheter: Enhet A"
    assert NEW_PASSWORD not in event.detail
    assert MembershipPeriod.objects.filter(user=user, unit=world.unit_a, left_at=None).exists()


def test_a_role_change_is_one_row_from_old_to_new(world):
    start = last_id()
    services.user_change(acting_user=world.admin, user=world.analyst, role=Role.CASE_WORKER)
    [event] = new_events(start)
    assert (event.action, event.actor, event.object_id) == (
        "role_change",
        world.admin,
        str(world.analyst.pk),
    )
    assert event.detail == "roll: analytiker → handläggare"
    assert User.objects.get(pk=world.analyst.pk).role == Role.CASE_WORKER


def test_flags_and_details_are_one_user_change_row_without_values(world):
    start = last_id()
    services.user_change(
        acting_user=world.admin,
        user=world.worker_a,
        is_active=False,
        is_superuser=True,
        details={"email": "hemlig@example.org", "first_name": "Test"},  # first name unchanged
    )
    [event] = new_events(start)
    assert event.action == "user_change" and event.object_id == str(world.worker_a.pk)
    assert event.detail == ("aktiv: ja → nej; superanvändare: nej → ja; ändrade uppgifter: e-post")
    assert "hemlig@example.org" not in event.detail


def test_an_unchanged_save_writes_nothing(world):
    start = last_id()
    services.user_change(
        acting_user=world.admin, user=world.worker_a, role=Role.CASE_WORKER, is_active=True
    )
    services.user_units_set(acting_user=world.admin, user=world.worker_a, units=[world.unit_a])
    assert new_events(start) == []


def test_membership_change_says_which_units_were_added_and_removed(world):
    start = last_id()
    services.user_units_set(acting_user=world.admin, user=world.worker_a, units=[world.unit_b])
    [event] = new_events(start)
    assert event.action == "membership_change" and event.actor == world.admin
    assert event.detail == "tillagd i: Enhet B; borttagen från: Enhet A"
    assert list(world.worker_a.units.all()) == [world.unit_b]
    period = MembershipPeriod.objects.get(user=world.worker_a, unit=world.unit_a)
    assert period.left_at is not None  # the history keeps the former membership


def test_a_password_reset_is_logged_without_the_password(world):
    start = last_id()
    services.user_password_set(acting_user=world.admin, user=world.worker_a, password=NEW_PASSWORD)
    [event] = new_events(start)
    assert (event.action, event.actor, event.object_id) == (
        "password_reset",
        world.admin,
        str(world.worker_a.pk),
    )
    assert NEW_PASSWORD not in event.detail
    assert User.objects.get(pk=world.worker_a.pk).check_password(NEW_PASSWORD)


def test_a_weak_password_is_refused_and_nothing_changes(world):
    start = last_id()
    with pytest.raises(ValidationError):
        services.user_password_set(acting_user=world.admin, user=world.worker_a, password="abc")
    assert new_events(start) == []
    assert User.objects.get(pk=world.worker_a.pk).check_password("test-password-123")


def test_tokens_issued_and_revoked_name_the_user_and_only_the_prefix(world):
    start = last_id()
    row, token = api_token_create(acting_user=world.admin, user=world.worker_a, name="Export")
    api_token_revoke(acting_user=world.admin, token=row)
    api_token_revoke(acting_user=world.admin, token=row)  # twice: nothing more
    issue, revoke = new_events(start)
    assert (issue.action, issue.actor, issue.object_type, issue.object_id) == (
        "token_issue",
        world.admin,
        "user",
        str(world.worker_a.pk),
    )
    assert revoke.action == "token_revoke" and revoke.object_id == str(world.worker_a.pk)
    for event in (issue, revoke):
        assert row.prefix in event.detail and token not in event.detail
        assert token.rsplit("_", 1)[-1] not in event.detail


def test_the_token_command_says_it_ran_on_the_command_line(world, capsys):
    start = last_id()
    call_command("api-token", "worker_a", "--name", "Batch")
    token = capsys.readouterr().out.strip()
    row = ApiToken.objects.get(user=world.worker_a)
    call_command("api-token", "worker_a", "--revoke", row.prefix)
    issue, revoke = new_events(start)
    assert (issue.action, revoke.action) == ("token_issue", "token_revoke")
    for event in (issue, revoke):
        assert event.actor is None and event.channel == "command"
        assert "kommandorad" in event.detail and token not in event.detail


@pytest.mark.parametrize(
    "change",
    [
        {"role": Role.CASE_WORKER},
        {"role": Role.UNIT_MANAGER},
        {"role": Role.ANALYST},
    ],
)
def test_an_administrator_cannot_change_their_own_role(world, change):
    start = last_id()
    with pytest.raises(ValidationError) as refused:
        services.user_change(acting_user=world.admin, user=world.admin, **change)
    assert "din egen roll" in str(refused.value)
    assert User.objects.get(pk=world.admin.pk).role == Role.ADMINISTRATOR
    assert new_events(start) == []


def test_an_administrator_cannot_join_a_unit_or_make_themselves_superuser(world):
    User.objects.filter(pk=world.admin.pk).update(is_superuser=False)
    start = last_id()
    with pytest.raises(ValidationError) as refused:
        services.user_units_set(acting_user=world.admin, user=world.admin, units=[world.unit_a])
    assert "tillhörighet till en enhet" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.user_change(acting_user=world.admin, user=world.admin, is_superuser=True)
    assert "superanvändare" in str(refused.value)
    admin = User.objects.get(pk=world.admin.pk)
    assert not admin.is_superuser and not admin.units.exists()
    assert new_events(start) == []


def test_another_administrator_may_grant_the_same_change(world):
    second = make_user(Role.ADMINISTRATOR, username="admin2")
    services.user_units_set(acting_user=second, user=world.admin, units=[world.unit_a])
    event = only_event(action="membership_change", object_id=str(world.admin.pk))
    assert event.actor == second


def test_only_administrators_may_administer(world):
    for actor in (world.manager, world.worker_a, world.analyst):
        with pytest.raises(AccessDenied):
            services.user_change(acting_user=actor, user=world.worker_b, role=Role.UNIT_MANAGER)
        with pytest.raises(AccessDenied):
            services.user_units_set(acting_user=actor, user=actor, units=[world.unit_b])
        with pytest.raises(AccessDenied):
            api_token_create(acting_user=actor, user=world.worker_b)
    assert User.objects.get(pk=world.worker_b.pk).role == Role.CASE_WORKER


# --- past the services: the ORM backstop --------------------------------------------------


def test_membership_changes_past_the_services_are_still_logged(world):
    start = last_id()
    world.worker_a.units.add(world.unit_b)
    world.unit_b.members.remove(world.worker_b)
    world.worker_a.units.clear()
    added, removed, cleared = new_events(start)
    assert added.action == removed.action == cleared.action == "membership_change"
    assert added.actor is None and "utanför administrationens tjänster" in added.detail
    assert added.object_id == str(world.worker_a.pk) and "tillagd i: Enhet B" in added.detail
    assert removed.object_id == str(world.worker_b.pk) and "borttagen från" in removed.detail
    assert cleared.detail.startswith("borttagen från: Enhet A, Enhet B")


def test_role_and_flag_changes_and_new_accounts_past_the_services_are_logged(world):
    start = last_id()
    user = User.objects.get(pk=world.analyst.pk)
    user.role = Role.CASE_WORKER
    user.is_superuser = True
    user.save()
    user.save(update_fields=["last_login"])  # a sign-in: not an administrative change
    User.objects.create_user(username="skal", password=NEW_PASSWORD)
    role, flags, created = new_events(start)
    assert (role.action, role.detail) == (
        "role_change",
        "roll: analytiker → handläggare (ändrat utanför administrationens tjänster)",
    )
    assert flags.action == "user_change" and "superanvändare: nej → ja" in flags.detail
    assert created.action == "user_create" and created.actor is None


# --- through the administration's HTTP forms ----------------------------------------------


def change_form_data(user: User, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "title": user.title,
        "role": user.role,
        "units": [str(pk) for pk in user.units.values_list("pk", flat=True)],
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_creating_a_user_in_the_administration_is_logged(client, world):
    client.force_login(world.admin)
    start = last_id()
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nyhandlaggare",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "role": Role.CASE_WORKER,
            "title": "Socialsekreterare",
            "units": [str(world.unit_a.pk)],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nyhandlaggare")
    assert user.check_password(NEW_PASSWORD) and list(user.units.all()) == [world.unit_a]
    [event] = new_events(start)
    assert (event.action, event.actor, event.object_id, event.channel) == (
        "user_create",
        world.admin,
        str(user.pk),
        "ui",
    )
    assert event.detail == "roll: handläggare; enheter: Enhet A"


def test_role_flags_and_units_changed_in_the_administration_are_logged(client, world):
    client.force_login(world.admin)
    start = last_id()
    response = client.post(
        change_url(world.analyst),
        change_form_data(
            world.analyst, role=Role.CASE_WORKER, units=[str(world.unit_b.pk)], is_active=""
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    events = {event.action: event for event in new_events(start)}
    assert set(events) == {"role_change", "user_change", "membership_change"}
    assert events["role_change"].detail == "roll: analytiker → handläggare"
    assert events["user_change"].detail == "aktiv: ja → nej"
    assert events["membership_change"].detail == "tillagd i: Enhet B"
    assert all(event.actor == world.admin for event in events.values())
    analyst = User.objects.get(pk=world.analyst.pk)
    assert (analyst.role, analyst.is_active) == (Role.CASE_WORKER, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": Role.CASE_WORKER}, "Du kan inte ändra din egen roll"),
        ({"role": Role.UNIT_MANAGER}, "Du kan inte ändra din egen roll"),
        ({"units": ["UNIT_A"]}, "Du kan inte ge dig själv tillhörighet till en enhet"),
        ({"is_superuser": "on"}, "Du kan inte göra dig själv till superanvändare"),
    ],
)
def test_an_administrator_cannot_grant_themselves_access_in_the_administration(
    client, world, changes, message
):
    if "is_superuser" in changes:
        # An administrator given the right to manage users, but not made superuser.
        User.objects.filter(pk=world.admin.pk).update(is_superuser=False)
        world.admin.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_user", "change_user"])
        )
    admin = User.objects.get(pk=world.admin.pk)
    superuser_before = admin.is_superuser
    client.force_login(admin)
    if changes.get("units"):
        changes = {**changes, "units": [str(world.unit_a.pk)]}
    start = last_id()
    response = client.post(change_url(admin), change_form_data(admin, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR and admin.is_superuser == superuser_before
    assert not admin.units.exists()
    assert new_events(start) == []


def test_an_administrator_may_still_edit_their_own_name(client, world):
    client.force_login(world.admin)
    start = last_id()
    response = client.post(change_url(world.admin), change_form_data(world.admin, last_name="Ny"))
    assert response.status_code == 302
    [event] = new_events(start)
    assert (event.action, event.detail) == ("user_change", "ändrade uppgifter: efternamn")


def test_a_password_set_in_the_administration_is_a_logged_reset(client, world):
    client.force_login(world.admin)
    start = last_id()
    response = client.post(
        reverse("admin:auth_user_password_change", args=[world.worker_a.pk]),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    [event] = new_events(start)
    assert (event.action, event.actor, event.object_id) == (
        "password_reset",
        world.admin,
        str(world.worker_a.pk),
    )
    assert NEW_PASSWORD not in event.detail
    assert User.objects.get(pk=world.worker_a.pk).check_password(NEW_PASSWORD)


def test_switching_password_sign_in_off_in_the_administration_is_logged(client, world):
    client.force_login(world.admin)
    start = last_id()
    response = client.post(
        f"/admin/accounts/user/{world.worker_a.pk}/password/",
        {"usable_password": "false", "unset-password": "1"},
    )
    assert response.status_code == 302
    [event] = new_events(start)
    assert (event.action, event.detail) == ("password_reset", "lösenordsinloggning avstängd")
    assert not User.objects.get(pk=world.worker_a.pk).has_usable_password()


def test_revoking_a_token_in_the_administration_is_logged(client, world):
    row, _token = api_token_create(acting_user=None, user=world.worker_a, name="Export")
    client.force_login(world.admin)
    start = last_id()
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [str(row.pk)]},
    )
    assert response.status_code == 302
    [event] = new_events(start)
    assert (event.action, event.actor, event.object_id) == (
        "token_revoke",
        world.admin,
        str(world.worker_a.pk),
    )


def test_createsuperuser_makes_an_audited_administrator(db):
    call_command("createsuperuser", username="forsta", email="it@example.org", interactive=False)
    user = User.objects.get(username="forsta")
    assert user.role == Role.ADMINISTRATOR and user.is_superuser and user.is_staff
    event = only_event(action="user_create", object_id=str(user.pk))
    assert event.actor is None and event.channel == "command"
    assert event.detail == "roll: systemförvaltare; enheter: –; superanvändare"
