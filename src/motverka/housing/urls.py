from __future__ import annotations

from django.urls import path

from motverka.housing import views

urlpatterns = [
    path("arenden/<int:case_id>/boende/", views.housing_edit, name="housing_edit"),
    path(
        "arenden/<int:case_id>/berattelse/",
        views.personal_account_add,
        name="personal_account_add",
    ),
    path("arenden/<int:case_id>/barnets-synpunkter/", views.child_view_add, name="child_view_add"),
    path("arenden/<int:case_id>/hembesok/planera/", views.home_visit_plan, name="home_visit_plan"),
    path(
        "arenden/<int:case_id>/hembesok/genomfort/",
        views.home_visit_record,
        name="home_visit_record",
    ),
    path(
        "arenden/<int:case_id>/hembesok/installt/",
        views.home_visit_cancel,
        name="home_visit_cancel",
    ),
    path(
        "arenden/<int:case_id>/hyresvard/skrivelse/",
        views.landlord_letter_create,
        name="landlord_letter_create",
    ),
    path("hyresvardar/", views.landlord_list, name="landlord_list"),
    path("hyresvardar/sok/", views.landlord_search, name="landlord_search"),
    path("hyresvardar/<int:landlord_id>/", views.landlord_detail, name="landlord_detail"),
]
