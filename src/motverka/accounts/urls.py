from __future__ import annotations

from django.urls import path

from motverka.accounts import views

urlpatterns = [
    path("sakerhetshandelser/", views.security_event_list, name="security_events"),
    path("inloggning/tvafaktor/", views.mfa_verify, name="mfa_verify"),
    path("inloggning/tvafaktor/registrera/", views.mfa_enrol, name="mfa_enrol"),
    path("konto/losenord/", views.password_change, name="password_change"),
    path("konto/sakerhet/", views.account_security, name="account_security"),
    path(
        "konto/sakerhet/app/<int:device_id>/ta-bort/",
        views.authenticator_remove,
        name="authenticator_remove",
    ),
    path("konto/sakerhet/reservkoder/", views.backup_codes_renew, name="backup_codes_renew"),
    path("konto/sessioner/", views.session_list, name="session_list"),
    path("konto/sessioner/<int:session_id>/avsluta/", views.session_end_view, name="session_end"),
    path("konto/sessioner/aktiv/", views.session_keep_alive, name="session_keep_alive"),
]
