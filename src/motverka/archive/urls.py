from django.urls import path

from motverka.archive import views

urlpatterns = [
    path("gallring/", views.disposal_overview, name="disposal"),
    path("gallring/foresla/", views.disposal_propose, name="disposal_propose"),
    path("gallring/<int:list_id>/", views.disposal_list_page, name="disposal_list"),
    path("gallring/<int:list_id>/granska/", views.disposal_review, name="disposal_review"),
    path("gallring/<int:list_id>/godkann/", views.disposal_approve, name="disposal_approve"),
    path(
        "arenden/<int:case_id>/registerutdrag/",
        views.register_extract_page,
        name="register_extract",
    ),
]
