"""Refuses password login on the login page and the admin site while it is switched off."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from motverka.audit.models import AuditAction
from motverka.audit.services import audit_record
from motverka.sso.config import password_login_enabled


class PasswordLoginSwitchMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not password_login_enabled():
            login_path = reverse("login")
            admin_login_path = reverse("admin:login")
            if request.method == "POST" and request.path in (login_path, admin_login_path):
                audit_record(
                    actor=None,
                    action=AuditAction.LOGIN_FAILED,
                    object_type="user",
                    detail="Lösenord: lösenordsinloggning är avstängd",
                )
                return render(request, "sso/password_login_off.html", status=403)
            if request.path == admin_login_path:
                # The admin site's own form would ask for a password: send people to the
                # login page, which offers the identity providers.
                query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
                return HttpResponseRedirect(f"{login_path}?{query}")
        return self.get_response(request)
