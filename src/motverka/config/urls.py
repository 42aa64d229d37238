from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motverka.api.urls import api
from motverka.audit import views as audit_views
from motverka.cases import views as case_views
from motverka.config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("motverka.accounts.urls")),
    path("", case_views.start, name="start"),
    path("arenden/", case_views.case_list, name="case_list"),
    path("arenden/nytt/", case_views.case_intake, name="case_intake"),
    # The case page: the overview and one URL per section (motverka.cases.case_page).
    path("arenden/<int:case_id>/", case_views.case_detail, name="case_detail"),
    path("arenden/<int:case_id>/atgarder/", case_views.case_measures, name="case_measures"),
    path("arenden/<int:case_id>/skrivelser/", case_views.case_letters, name="case_letters"),
    path(
        "arenden/<int:case_id>/boende-och-hembesok/",
        case_views.case_housing,
        name="case_housing",
    ),
    path(
        "arenden/<int:case_id>/den-enskildes-berattelse/",
        case_views.case_account,
        name="case_account",
    ),
    path("arenden/<int:case_id>/journal/", case_views.case_journal, name="case_journal"),
    path("arenden/<int:case_id>/historik/", case_views.case_history, name="case_history"),
    path("arenden/<int:case_id>/tilldela/", case_views.case_assign, name="case_assign"),
    path("arenden/<int:case_id>/andra/", case_views.case_correct, name="case_correct"),
    path("journal/<int:entry_id>/signera/", case_views.journal_sign, name="journal_sign"),
    path("journal/<int:entry_id>/andra/", case_views.journal_edit, name="journal_edit"),
    path(
        "journal/<int:entry_id>/rattelse/",
        case_views.journal_edit,
        {"correction": True},
        name="journal_correct",
    ),
    path("arenden/<int:case_id>/logg/", audit_views.case_log, name="case_log"),
    path("", include("motverka.workflow.urls")),
    path("", include("motverka.letters.urls")),
    path("", include("motverka.housing.urls")),
    path("", include("motverka.reporting.urls")),
    path("", include("motverka.reception.urls")),
    path("", include("motverka.sso.urls")),
    path("", include("motverka.accounts.urls")),
    path("", include("motverka.review.urls")),
    path("", include("motverka.archive.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler500 = "motverka.config.unavailable.server_error"
